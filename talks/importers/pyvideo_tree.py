"""A whole pyvideo data checkout, imported one conference at a time.

The checkout's root holds one folder per event (``category.json`` + ``videos/*.json``) next
to folders that are not events (``schemas``, tools, hidden ones). Each event folder is read
and written in a transaction of its own, so a broken folder is left out, with its reason,
while every other conference is kept.
"""

from dataclasses import dataclass, field
from pathlib import Path

from .data import ImportFailure, ImportReport
from .pyvideo import read_event_folder
from .writer import write_schedule

CATEGORY_FILE = "category.json"
VIDEOS_FOLDER = "videos"


def is_event_folder(path):
    # Both: a checkout's ``schemas`` folder holds a category.json too (the JSON schema).
    path = Path(path)
    return (path / CATEGORY_FILE).is_file() and (path / VIDEOS_FOLDER).is_dir()


@dataclass
class Checkout:
    """The folders under a checkout's root: the events and the rest, each sorted by name."""

    events: list[Path]
    not_events: list[Path]
    root: Path

    @classmethod
    def at(cls, root):
        root = Path(root)
        try:
            folders = sorted(path for path in root.iterdir() if path.is_dir())
        except OSError as exc:
            raise ImportFailure(root, f"cannot list the folder: {exc}") from exc
        events = [path for path in folders if is_event_folder(path)]
        if not events:
            raise ImportFailure(
                root,
                f"neither an event folder ({CATEGORY_FILE} and {VIDEOS_FOLDER}/*.json) nor a "
                f"pyvideo data checkout (no subfolder has both)",
            )
        return cls(events, [path for path in folders if path not in events], root)


@dataclass
class FolderOutcome:
    folder: Path
    talks: int = 0
    report: ImportReport | None = None
    failure: ImportFailure | None = None


@dataclass
class CheckoutReport:
    """The sum of the conferences' reports, and the folders left out with their reasons."""

    imported: int = 0
    talks: int = 0
    total: ImportReport = field(default_factory=ImportReport)
    broken: list[FolderOutcome] = field(default_factory=list)

    def add(self, outcome):
        if outcome.failure:
            self.broken.append(outcome)
            return
        self.imported += 1
        self.talks += outcome.talks
        for name in ("created", "updated", "unchanged"):
            getattr(self.total, name).update(getattr(outcome.report, name))
        for change, names in outcome.report.talk_changes.items():
            self.total.talk_changes[change] += [f"{outcome.folder.name}: {n}" for n in names]
        self.total.withheld += [f"{outcome.folder.name}: {n}" for n in outcome.report.withheld]


def import_event_folders(folders, limits, withheld_ids=frozenset(), **write_options):
    """Import each folder in its own transaction; yields a ``FolderOutcome`` per folder, in
    order, as soon as it is written or refused. ``write_options`` go to ``write_schedule``."""
    for folder in folders:
        try:
            data = read_event_folder(folder, limits, withheld_ids)
            report = write_schedule(data, **write_options)
        except ImportFailure as exc:
            yield FolderOutcome(folder, failure=exc)
        else:
            yield FolderOutcome(folder, talks=len(data.talks), report=report)
