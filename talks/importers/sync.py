"""Schedule sources synced on their own (``manage.py sync_schedules``, the admin's "Sync
now"): each source fetched again with a conditional GET, or its file read again, and imported
through the same path as ``import_schedule`` only when its bytes changed.

A source is skipped without parsing when it answers 304 Not Modified to the validators of the
last import (ETag, Last-Modified), or when its bytes are the ones last imported (the SHA-256 is
kept: many servers send no validators, and a file has none). Each source is imported in its
own transaction: one that fails is reported and leaves its conference as it was, and the others
go on. Only one sync runs at a time: a lease in the database (``CommandLock``), which a run that
died leaves to expire.
"""

import datetime
import hashlib
import os
import socket
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from talks import files
from talks.models import CommandLock, SourceKind

from .data import ImportFailure
from .fetch import fetch_if_changed, is_web_address
from .frab import read_schedule
from .writer import write_schedule

LOCK_NAME = "sync_schedules"
# Longer than any sync should take; a run that died holds the lock no longer than this.
LOCK_LEASE = datetime.timedelta(minutes=30)


class SyncRunning(Exception):
    """Another sync holds the lock."""


@dataclass
class SyncOutcome:
    source: object  # the ScheduleSource
    line: str  # what happened, as the command prints it
    failed: bool = False


@contextmanager
def sync_lock():
    """Hold the sync lease for the block, or raise ``SyncRunning`` naming its holder."""
    holder = f"{socket.gethostname()} pid {os.getpid()}"[:200]
    now = timezone.now()
    with transaction.atomic():
        taken = CommandLock.objects.filter(name=LOCK_NAME, expires_at__lt=now).update(
            holder=holder, expires_at=now + LOCK_LEASE
        )
        if not taken:
            try:
                with transaction.atomic():
                    CommandLock.objects.create(
                        name=LOCK_NAME, holder=holder, expires_at=now + LOCK_LEASE
                    )
            except IntegrityError:
                held = CommandLock.objects.filter(name=LOCK_NAME).first()
                raise SyncRunning(f"another sync is running ({held})") from None
    try:
        yield
    finally:
        CommandLock.objects.filter(name=LOCK_NAME, holder=holder).delete()


def sync_sources(sources, limits=files.DEFAULT_LIMITS):
    """Each of ``sources`` synced in turn under the sync lock: a ``SyncOutcome`` each, as it
    comes; ``SyncRunning`` before any when another sync holds the lock."""
    with sync_lock():
        for source in sources:
            yield sync_source(source, limits)


def sync_source(source, limits=files.DEFAULT_LIMITS):
    """Fetch or read ``source`` again and import it if it changed: a ``SyncOutcome``."""
    if source.kind == SourceKind.PYVIDEO:
        return SyncOutcome(source, "skipped: a pyvideo folder (import_pyvideo reads it again)")
    location = source.location
    try:
        if is_web_address(location):
            fetched = fetch_if_changed(
                location,
                etag=source.etag,
                last_modified=source.last_modified,
                max_bytes=limits.bytes,
            )
            if fetched.body is None:
                return _checked(source, "not modified (the server answered 304)")
            raw, validators = fetched.body, (fetched.etag, fetched.last_modified)
        else:
            try:
                raw = files.read_bytes(location, limits.bytes)
            except files.FileRefused as exc:
                raise ImportFailure(location, str(exc)) from exc
            validators = ("", "")
        digest = hashlib.sha256(raw).hexdigest()
        if digest == source.digest:
            return _checked(source, "not modified (the same bytes as the last import)")
        data = read_schedule(
            location, conference_slug=source.conference.slug, raw=raw, limits=limits
        )
        data.conference.etag, data.conference.last_modified = validators
        report = write_schedule(data)  # it keeps the digest and validators on the source
    except ImportFailure as exc:
        return _checked(source, f"failed: {exc}", failed=True)
    return _checked(source, _changes_line(report))


def _changes_line(report):
    kinds = Counter(report.schedule_changes)
    if not kinds:
        return "imported, no schedule change"
    total = sum(kinds.values())
    listed = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
    return f"{total} change{'s' if total != 1 else ''}: {listed}"


def _checked(source, line, failed=False):
    source.checked_at = timezone.now()
    source.last_result = line[:1000]
    source.save(update_fields=["checked_at", "last_result"])
    return SyncOutcome(source, line, failed)
