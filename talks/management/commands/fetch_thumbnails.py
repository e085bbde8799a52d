from concurrent.futures import ThreadPoolExecutor, as_completed

from django.core.management.base import BaseCommand
from django.db import close_old_connections, transaction
from django.db.models import F
from django.utils import timezone

from talks.freshness import catalog_changes, note_changes
from talks.models import Talk
from talks.thumbnails import MAX_BYTES, StillRefused, copy_still

# Talks written back to the database at once: one short transaction and one mark each.
BATCH = 200
PROGRESS_EVERY = 100


class Command(BaseCommand):
    help = (
        "Copy the video stills of talks that name one (thumbnail_url) and have no copy of it "
        "yet: fetched with a few at a time, each size-limited, re-encoded small (WebP, no "
        "metadata) and stored through the storage API. Resumable: a run does only what no "
        "run did; a still that fails is listed and tried again next time."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--concurrency", type=int, default=4, help="Stills fetched at once (1-16)."
        )
        parser.add_argument("--limit", type=int, help="At most this many talks this run.")
        parser.add_argument(
            "--max-bytes", type=int, default=MAX_BYTES, help="Largest still fetched, in bytes."
        )

    def handle(self, *args, concurrency, limit, max_bytes, verbosity, **options):
        concurrency = min(max(concurrency, 1), 16)
        # A still whose source changed since it was copied is copied again.
        wanted = (
            Talk.everything.exclude(thumbnail_url="")
            .exclude(thumbnail_source=F("thumbnail_url"))
            .order_by("pk")
            .values_list("pk", "thumbnail_url")
        )
        todo = list(wanted[:limit] if limit else wanted)
        self.stdout.write(f"{len(todo)} stills to copy, {concurrency} at a time.")
        copied, failed = [], []
        try:
            self.copy_all(todo, concurrency, max_bytes, verbosity, copied, failed)
        finally:
            _write(copied)  # what was copied is kept, whatever stopped the run
        for pk, url, reason in failed:
            self.stdout.write(self.style.WARNING(f"talk {pk}: {url}: {reason}"))
        self.stdout.write(
            f"{len(todo) - len(failed)} stills copied, {len(failed)} failed (tried again next run)."
        )

    def copy_all(self, todo, concurrency, max_bytes, verbosity, copied, failed):
        """Copy the stills of ``todo`` in threads; the copies are written in batches as they
        come (``copied`` keeps those not written yet), the failures listed in ``failed``."""
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            jobs = {pool.submit(_copy, pk, url, max_bytes): (pk, url) for pk, url in todo}
            for done, job in enumerate(as_completed(jobs), start=1):
                pk, url = jobs[job]
                outcome = job.result()
                if isinstance(outcome, str):
                    failed.append((pk, url, outcome))
                else:
                    copied.append((pk, url, *outcome))
                if len(copied) >= BATCH:
                    _write(copied)
                    copied.clear()
                if verbosity > 0 and (done % PROGRESS_EVERY == 0 or done == len(todo)):
                    self.stdout.write(f"  {done}/{len(todo)} done, {len(failed)} failed")


def _copy(pk, url, max_bytes):
    """(name, width, height) of the copy, or why it failed: the job of a worker thread."""
    try:
        return copy_still(pk, url, max_bytes)
    except StillRefused as exc:
        return str(exc)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    finally:
        close_old_connections()  # a thread's own connection, if the storage opened one


def _write(copied):
    """Each copied talk points to its copy; their pages are retired once, together."""
    if not copied:
        return
    now = timezone.now()
    with transaction.atomic(), catalog_changes():
        for pk, url, name, width, height in copied:
            Talk.everything.filter(pk=pk).update(
                thumbnail=name,
                thumbnail_source=url,
                thumbnail_width=width,
                thumbnail_height=height,
                updated_at=now,  # the pages' Last-Modified moves with what they show
            )
        note_changes(talks=[pk for pk, *_ in copied])
