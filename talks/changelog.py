"""Recording what changes in a conference's schedule (``talks.models.changelog``).

A change is recorded in the transaction that makes it, grouped into versions: an import
records its changes as one version (``record_import``), named by the file's own version; the
edits made by hand (admin, API) go into one version per conference and day, through the
talks' save signals and the two places that change a talk's speakers (``speakers_changed``).
What counts as a change of the schedule: a talk added, cancelled, restored, moved to another
day, time or room, retitled, its speakers changed (and, by an import with ``--prune``,
deleted). Other edits (an abstract, a link) change no schedule and record nothing.
"""

import datetime
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from .models import (
    ChangeKind,
    ScheduleChange,
    ScheduleVersion,
    Talk,
    TalkStatus,
    VersionKind,
)

# Set while an import writes: it records its own version, so its saves are not hand edits.
_importing = ContextVar("talks_changelog_importing", default=False)
# A text field's length in ScheduleChange (before, after).
DETAIL_MAX_LENGTH = 500


@dataclass(frozen=True)
class Snapshot:
    """What the schedule shows of a talk: its title, status and place (day, start, room)."""

    title: str
    status: str
    place: tuple  # (day id, start, room id): what a move changes
    place_text: str  # the place as the changelog says it


def snapshot(talk, day, room):
    """The Snapshot of ``talk`` with its ``day`` and ``room`` (instances or None)."""
    parts = [day.title if day else "day not announced"]
    if talk.starts_at:
        local = timezone.localtime(talk.starts_at, talk.conference.tzinfo)
        parts.append(f"{local:%H:%M}")
    if room:
        parts.append(room.name)
    return Snapshot(
        title=talk.title,
        status=talk.status,
        place=(talk.day_id, talk.starts_at, talk.room_id),
        place_text=", ".join(parts)[:DETAIL_MAX_LENGTH],
    )


def changes_between(before, after):
    """The (kind, before, after) changes from Snapshot ``before`` (None: a new talk) to
    ``after``."""
    if before is None:
        return [(ChangeKind.NEW, "", after.place_text)]
    changes = []
    if before.status != after.status:
        cancelled = after.status == TalkStatus.CANCELLED
        changes.append((ChangeKind.CANCELLED if cancelled else ChangeKind.RESTORED, "", ""))
    if before.title != after.title:
        changes.append((ChangeKind.RETITLED, before.title, after.title))
    if before.place != after.place:
        changes.append((ChangeKind.MOVED, before.place_text, after.place_text))
    return changes


def change_row(version, talk, kind, before="", after=""):
    return ScheduleChange(
        version=version,
        conference_id=version.conference_id,
        talk=None if kind == ChangeKind.DELETED else talk,
        talk_title=talk.title,
        talk_slug=talk.slug,
        kind=kind,
        before=before[:DETAIL_MAX_LENGTH],
        after=after[:DETAIL_MAX_LENGTH],
    )


@contextmanager
def importing():
    """An import's block: its saves are recorded by ``record_import``, not as hand edits."""
    token = _importing.set(True)
    try:
        yield
    finally:
        _importing.reset(token)


def record_import(conference, source, name, changes):
    """One version of an import's ``changes`` ((talk, kind, before, after) each); none when
    the import changed nothing. Two queries, whatever the number of changes."""
    if not changes:
        return None
    version = ScheduleVersion.objects.create(
        conference=conference, kind=VersionKind.IMPORT, name=name, source=source
    )
    ScheduleChange.objects.bulk_create(
        [change_row(version, talk, *change) for talk, *change in changes], batch_size=500
    )
    return version


def _edits_version(conference_id):
    today = timezone.now().astimezone(datetime.UTC).date()
    version, _ = ScheduleVersion.objects.get_or_create(
        conference_id=conference_id, kind=VersionKind.EDITS, edits_of=today
    )
    return version


def record_edit(talk, changes):
    """Hand edits of ``talk``: into its conference's version of today's edits."""
    if not changes or _importing.get():
        return
    version = _edits_version(talk.conference_id)
    ScheduleChange.objects.bulk_create([change_row(version, talk, *change) for change in changes])


def speakers_changed(talk, before_ids, after_ids):
    """A hand edit of ``talk``'s speakers (the admin's inline, the API's ``speakers``)."""
    if list(before_ids) != list(after_ids):
        record_edit(talk, [(ChangeKind.SPEAKERS, "", "")])


# --- Hand edits, through the talks' save signals ----------------------------------------------

_BEFORE = "_changelog_snapshot"


def _is_hand_edit(sender, raw):
    # Fixtures and catalog loads (raw) and imports record no hand edits; keynotes are talks.
    return sender._meta.concrete_model is Talk and not raw and not _importing.get()


def _before_save(sender, instance, raw=False, **kwargs):
    if not _is_hand_edit(sender, raw) or instance.pk is None:
        return
    stored = (
        Talk._base_manager.select_related("conference", "day", "room")
        .filter(pk=instance.pk)
        .first()
    )
    if stored is not None:
        setattr(instance, _BEFORE, snapshot(stored, stored.day, stored.room))


def _after_save(sender, instance, created, raw=False, **kwargs):
    if not _is_hand_edit(sender, raw):
        return
    before = instance.__dict__.pop(_BEFORE, None)
    if before is None and not created:
        return
    after = snapshot(instance, instance.day, instance.room)
    record_edit(instance, changes_between(before, after))


def connect_signals():
    pre_save.connect(_before_save, dispatch_uid="talks-changelog-pre-save")
    post_save.connect(_after_save, dispatch_uid="talks-changelog-post-save")
