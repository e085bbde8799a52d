"""The plain data every reader produces and the writer consumes: no models, no database."""

import datetime
import uuid
from collections import Counter
from dataclasses import dataclass, field

from talks.models import TalkKind

# Namespace of the guids derived for sources that have none (FOSDEM's pentabarf XML, pyvideo).
DERIVED_GUID_NAMESPACE = uuid.UUID("9a4c7c36-5be6-4f0e-8a53-4c8c2b3f6e10")


class ImportFailure(Exception):
    """An import stopped: names the file, the element in it and the reason."""

    def __init__(self, path, reason, element=None):
        self.path, self.reason, self.element = path, reason, element
        where = f"{path}: {element}" if element else str(path)
        super().__init__(f"{where}: {reason}")


def derived_guid(*parts):
    return uuid.uuid5(DERIVED_GUID_NAMESPACE, "/".join(str(part) for part in parts))


def talk_kind(type_name):
    """The catalog kind nearest to a source's free-text event type (``Talk``, ``lecture``...)."""
    words = (type_name or "").strip().lower()
    if words in TalkKind.values:
        return TalkKind(words)
    for kind in (TalkKind.KEYNOTE, TalkKind.WORKSHOP, TalkKind.LIGHTNING, TalkKind.PANEL):
        if kind.value in words:
            return kind
    return TalkKind.SESSION


@dataclass
class LinkData:
    url: str
    title: str
    kind: str


@dataclass
class TalkData:
    source: str
    element: str
    guid: uuid.UUID
    title: str
    slug_hint: str = ""
    kind: str = TalkKind.SESSION
    date: datetime.date | None = None
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    room: str | None = None
    track: str | None = None
    abstract: str = ""
    speakers: list[str] = field(default_factory=list)
    video_url: str = ""
    links: list[LinkData] = field(default_factory=list)


@dataclass
class ConferenceData:
    source: str
    slug: str
    name: str
    time_zone: str | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    website: str = ""
    day_dates: list[datetime.date] = field(default_factory=list)


@dataclass
class ScheduleData:
    conference: ConferenceData
    talks: list[TalkData]
    skipped: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def lines(self):
        for model in sorted(set(self.created) | set(self.updated) | set(self.skipped)):
            yield (
                f"{model}: {self.created[model]} created, {self.updated[model]} updated, "
                f"{self.skipped[model]} skipped"
            )
        yield from self.notes
