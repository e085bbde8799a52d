"""The plain data every reader produces and the writer consumes: no models, no database."""

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field

from talks.models import ConferenceKind, TalkKind, TextFormat
from talks.models.base import UNSTORABLE_CHARACTER


class ImportFailure(Exception):
    """An import stopped: names the file, the element in it and the reason."""

    def __init__(self, path, reason, element=None):
        self.path, self.reason, self.element = path, reason, element
        where = f"{path}: {element}" if element else str(path)
        super().__init__(f"{where}: {reason}")


class EventError(Exception):
    """One event of a file cannot become a talk; the reader names it and goes on, so that
    every such event is listed, not only the first."""

    def __init__(self, reason, field_name=None):
        self.reason = f"{field_name}: {reason}" if field_name else reason
        super().__init__(self.reason)


ESCAPE_OF_UNSTORABLE = re.compile(rb"\\[ufb]")


def without_unstorable_characters(document, raw):
    """``document``, parsed from the JSON bytes ``raw``, without the characters the catalog
    cannot store in its texts and keys (NUL, other C0 controls but tab and line breaks, lone
    surrogates, U+FFFE/FFFF), and how many there were. In a file from outside they are debris
    (a form feed pasted from a PDF), not meaning, so they are dropped with a line in the report
    rather than leaving the event out. JSON carries them only as escapes (``\\u000b``, or
    ``\\f`` and ``\\b`` for a form feed and a backspace; the parser refuses them raw), so a
    file without one is returned unwalked."""
    if not ESCAPE_OF_UNSTORABLE.search(raw):
        return document, 0
    removed = 0

    def clean(value):
        nonlocal removed
        if isinstance(value, str):
            value, count = UNSTORABLE_CHARACTER.subn("", value)
            removed += count
        return value

    document = clean(document)
    # A loop rather than recursion: the document may be nested as deep as the parser allows.
    pending = [document]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            items = list(node.items())
            node.clear()
            node.update((clean(key), clean(value)) for key, value in items)
            children = node.values()
        elif isinstance(node, list):
            node[:] = [clean(value) for value in node]
            children = node
        else:
            continue
        pending.extend(child for child in children if isinstance(child, dict | list))
    return document, removed


def unstorable_characters_note(where, removed):
    return (
        f"{where}: {removed} control character(s) removed (NUL or others the catalog cannot store)"
    )


def talk_kind(type_name):
    """The catalog kind nearest to a source's free-text event type (``Talk``, ``lecture``...)."""
    words = (type_name or "").strip().lower()
    if words in TalkKind.values:
        return TalkKind(words)
    for kind in (TalkKind.KEYNOTE, TalkKind.WORKSHOP, TalkKind.LIGHTNING, TalkKind.PANEL):
        if kind.value in words:
            return kind
    return TalkKind.SESSION


def person_name(name):
    """A name as one speaker: runs of spaces, tabs and line breaks are one space."""
    return " ".join(str(name).split())


@dataclass
class LinkData:
    url: str
    title: str
    kind: str


@dataclass
class TalkData:
    source: str
    element: str
    # The event's identity in its conference: its guid, or its id when it has none.
    guid: str
    title: str
    slug_hint: str = ""
    kind: str = TalkKind.SESSION
    subtitle: str = ""
    language: str = ""
    date: datetime.date | None = None
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    # The recording's length in seconds (pyvideo's ``duration``).
    duration: int | None = None
    room: str | None = None
    track: str | None = None
    abstract: str = ""
    abstract_format: str = TextFormat.PLAIN
    speakers: list[str] = field(default_factory=list)
    # Subjects as the source names them (pyvideo's tags); topics fold their spellings.
    topics: list[str] = field(default_factory=list)
    video_url: str = ""
    thumbnail_url: str = ""
    links: list[LinkData] = field(default_factory=list)
    # The event's own page at the source (frab's and pretalx's ``url``).
    page_url: str = ""
    # Why the source withholds it (pyvideo's NO_PUBLISH.json), "" when it does not: such a
    # talk is not imported, and hidden if an earlier import published it.
    withheld: str = ""


@dataclass
class ConferenceData:
    source: str
    slug: str
    name: str
    kind: str = ConferenceKind.CONFERENCE
    time_zone: str | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    website: str = ""
    day_dates: list[datetime.date] = field(default_factory=list)
    # The file's own version of the schedule (frab's <version>), "" when it names none.
    version: str = ""
    # What kind of source it was read from (a SourceKind value), the SHA-256 of its bytes and
    # the HTTP validators it was fetched with: a sync that finds the same skips it.
    source_kind: str = "schedule"
    digest: str = ""
    etag: str = ""
    last_modified: str = ""


@dataclass
class LeftOut:
    """An event of the file that is not in the catalog, and why."""

    element: str
    reason: str

    def __str__(self):
        return f"{self.element}: {self.reason}"


@dataclass
class ScheduleData:
    conference: ConferenceData
    talks: list[TalkData]
    # Every event the file holds: talks + repeats + left_out always add up to it.
    events_found: int = 0
    left_out: list[LeftOut] = field(default_factory=list)
    # Events listed again under an identity already read (a break shown in two rooms).
    repeats: list[LeftOut] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# What happened to a talk, as the report heads its line; the first two are named on request
# (``-v 2``, and always in a dry run), the others always: they change what people see.
TALK_CHANGES = {
    "created": "created",
    "updated": "updated",
    "cancelled": "no longer in the file, marked cancelled",
    "deleted": "no longer in the file, deleted (--prune)",
    "restored": "back in the file, restored",
    "republished": "no longer withheld by the source, published again",
}
NAMED_ON_REQUEST = ("created", "updated")


@dataclass
class ImportReport:
    events_found: int = 0
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    left_out: list[LeftOut] = field(default_factory=list)
    repeats: list[LeftOut] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Events the source withholds, each named with what became of it.
    withheld: list[str] = field(default_factory=list)
    # The talks by what happened to them (a TALK_CHANGES key), each named for the report.
    talk_changes: dict = field(default_factory=lambda: {change: [] for change in TALK_CHANGES})
    # The kind of each change to the schedule the import recorded (talks.changelog).
    schedule_changes: list = field(default_factory=list)

    @property
    def talks_written(self):
        return self.created["talk"] + self.updated["talk"] + self.unchanged["talk"]

    def talk_changed(self, change, talk):
        self.talk_changes[change].append(f"“{talk.title}” ({talk.slug})")

    def lines(self, name_every_talk=False):
        models = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        for model in models:
            line = (
                f"{model}: {self.created[model]} created, {self.updated[model]} updated, "
                f"{self.unchanged[model]} unchanged"
            )
            if model == "talk":
                line += "".join(
                    f", {len(self.talk_changes[change])} {change}"
                    for change in ("cancelled", "restored", "deleted", "republished")
                    if self.talk_changes[change]
                )
            yield line
        for change, heading in TALK_CHANGES.items():
            if name_every_talk or change not in NAMED_ON_REQUEST:
                for name in self.talk_changes[change]:
                    yield f"{heading}: {name}"
        for repeat in self.repeats:
            yield f"listed again, one talk: {repeat}"
        for withheld in self.withheld:
            yield f"withheld by the source: {withheld}"
        yield from self.notes
        for left_out in self.left_out:
            yield f"left out: {left_out}"

    def summary(self, unit="events"):
        text = f"{self.events_found} {unit} read, {self.talks_written} talks written"
        if self.repeats:
            text += f", {len(self.repeats)} listed twice (one talk each)"
        if self.withheld:
            text += f", {len(self.withheld)} withheld by the source"
        if self.left_out:
            text += f", {len(self.left_out)} left out"
        return text + "."
