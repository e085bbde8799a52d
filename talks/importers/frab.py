"""Reader of frab / c3voc schedules, XML or JSON, into ``data.ScheduleData``.

Tolerant of what real files do (see ``shared/samples/README.md``): unknown keys and elements
are ignored; a missing event guid is derived from the conference and the event id (pentabarf's
FOSDEM XML); a missing event date is the day's date plus the start time, local to the
conference; a talk's day is taken from its own date, never from its parent ``<day>`` (wafer
writes those one day early). What our exports write for unknown values reads back as unknown:
the placeholder room is no room and a 00:00 duration is no end.

XML is parsed without resolving entities, loading DTDs or touching the network, and a file
with a document type declaration (the carrier of entity tricks) is refused outright.
"""

import datetime
import json
import re
import uuid
import zoneinfo
from pathlib import Path

from django.utils.text import slugify
from lxml import etree

from talks.exports.frab import PLACEHOLDER_ROOM
from talks.models import LinkKind

from .data import (
    ConferenceData,
    ImportFailure,
    LinkData,
    ScheduleData,
    TalkData,
    derived_guid,
    talk_kind,
)

LINK_KINDS = {
    "media": LinkKind.VIDEO,
    "slides": LinkKind.SLIDES,
    "web": LinkKind.WEBSITE,
    "blog": LinkKind.BLOG,
}
DURATION = re.compile(r"(\d{1,3}):(\d{2})(?::(\d{2}))?")


def read_schedule(path, *, conference_slug=None):
    """Read a frab schedule file, JSON or XML: see ``_is_json``."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFailure(path, f"cannot read the file: {exc}") from exc
    reader = _JsonReader if _is_json(path, raw) else _XmlReader
    return reader(path, raw, conference_slug).read()


def _is_json(path, raw):
    """A ``.json`` or ``.xml`` name says what the file claims to be, so a broken one is
    reported as broken in that format; any other name is told by its first character."""
    suffix = path.suffix.lower()
    if suffix in (".json", ".xml"):
        return suffix == ".json"
    return raw.lstrip()[:1] in (b"{", b"[")


class _Reader:
    def __init__(self, path, raw, conference_slug):
        self.path, self.raw, self.conference_slug = path, raw, conference_slug

    def fail(self, reason, element=None):
        raise ImportFailure(self.path, reason, element)

    def conference(self, title, acronym, start, end, time_zone, website, day_dates):
        slug = self.conference_slug or slugify(acronym or "") or slugify(title or "")
        if not slug:
            self.fail("the conference has neither an acronym nor a title", "conference")
        # Guids derived for events without one belong to the conference they are imported into.
        self.conference_slug = slug
        return ConferenceData(
            source=str(self.path),
            slug=slug,
            name=(title or acronym or slug).strip(),
            time_zone=_known_time_zone(time_zone),
            start_date=self.date(start, "conference start"),
            end_date=self.date(end, "conference end"),
            website=website if (website or "").startswith(("http://", "https://")) else "",
            day_dates=[d for d in (self.date(v, "day date") for v in day_dates) if d],
        )

    def date(self, value, element):
        if not value:
            return None
        try:
            return datetime.date.fromisoformat(str(value).strip()[:10])
        except ValueError:
            self.fail(f"“{value}” is not an ISO date", element)

    def talk(self, element, fields, acronym, day_date):
        """One event from its fields (a mapping of the frab names to raw values)."""
        event_id = str(fields.get("id") or "").strip()
        guid = self.guid(fields.get("guid"), event_id, element)
        title = (fields.get("title") or "").strip()
        if not title:
            self.fail("the event has no title", element)
        starts_at = self.start(fields, day_date, element)
        duration = self.duration(fields.get("duration"), element)
        room = (fields.get("room") or "").strip()
        abstract = (fields.get("abstract") or "").strip()
        description = (fields.get("description") or "").strip()
        if description and description != abstract:
            abstract = f"{abstract}\n\n{description}" if abstract else description
        return TalkData(
            source=str(self.path),
            element=element,
            guid=guid,
            title=title,
            slug_hint=self.slug_hint(fields.get("slug"), acronym),
            kind=talk_kind(fields.get("type")),
            starts_at=starts_at,
            ends_at=starts_at + duration if starts_at and duration else None,
            room=room if room and room != PLACEHOLDER_ROOM else None,
            track=(fields.get("track") or "").strip() or None,
            abstract=abstract,
            speakers=[name.strip() for name in fields.get("persons", []) if name and name.strip()],
            links=[
                LinkData(url=url.strip(), title=(label or "").strip(), kind=_link_kind(kind))
                for url, label, kind in fields.get("links", [])
                if url and url.strip()
            ],
        )

    def guid(self, value, event_id, element):
        if value:
            try:
                return uuid.UUID(str(value).strip())
            except ValueError:
                self.fail(f"“{value}” is not a UUID", element)
        if not event_id:
            self.fail("the event has neither a guid nor an id", element)
        return derived_guid(self.conference_slug, "event", event_id)

    def start(self, fields, day_date, element):
        value = (fields.get("date") or "").strip()
        if value:
            try:
                moment = datetime.datetime.fromisoformat(value)
            except ValueError:
                self.fail(f"“{value}” is not an ISO date-time", element)
            if len(value) > 10:
                return moment
            day_date = moment.date()
        start = (fields.get("start") or "").strip()
        if not start or day_date is None:
            return None
        try:
            clock = datetime.time.fromisoformat(start)
        except ValueError:
            self.fail(f"“{start}” is not a time (HH:MM)", element)
        # Naive: local to the conference, whose time zone the writer settles.
        return datetime.datetime.combine(day_date, clock)

    def duration(self, value, element):
        value = (value or "").strip()
        if not value:
            return None
        match = DURATION.fullmatch(value)
        if not match:
            self.fail(f"“{value}” is not a duration (HH:MM or HH:MM:SS)", element)
        hours, minutes, seconds = (int(part or 0) for part in match.groups())
        if minutes >= 60 or seconds >= 60:
            self.fail(f"“{value}” is not a duration: minutes and seconds run to 59", element)
        return datetime.timedelta(hours=hours, minutes=minutes, seconds=seconds) or None

    def slug_hint(self, event_slug, acronym):
        """Our exports and frab prefix event slugs with the acronym; the rest names the talk."""
        event_slug = (event_slug or "").strip()
        prefix = f"{acronym}-".lower() if acronym else None
        if prefix and event_slug.lower().startswith(prefix):
            return slugify(event_slug[len(prefix) :])
        return ""

    def schedule(self, conference, talks):
        unique, seen, notes = [], set(), []
        for talk in talks:
            if talk.guid in seen:
                notes.append(f"skipped {talk.element}: its guid {talk.guid} appears earlier")
                continue
            seen.add(talk.guid)
            unique.append(talk)
        if conference.time_zone is None:
            conference.time_zone = _time_zone_from_offsets(unique)
        data = ScheduleData(conference=conference, talks=unique, notes=notes)
        data.skipped["talk"] = len(talks) - len(unique)
        return data


class _JsonReader(_Reader):
    def read(self):
        try:
            document = json.loads(self.raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            self.fail(f"not UTF-8 text: {exc}")
        except json.JSONDecodeError as exc:
            self.fail(f"malformed JSON: {exc.msg}", f"line {exc.lineno}, column {exc.colno}")
        schedule = document.get("schedule") if isinstance(document, dict) else None
        head = schedule.get("conference") if isinstance(schedule, dict) else None
        if not isinstance(head, dict):
            self.fail("expected an object with schedule.conference", "schedule")
        days = head.get("days")
        if not isinstance(days, list):
            self.fail("expected a list of days", "schedule.conference.days")
        acronym = str(head.get("acronym") or "")
        conference = self.conference(
            head.get("title"),
            acronym,
            head.get("start"),
            head.get("end"),
            head.get("time_zone_name"),
            head.get("url") or "",
            [day.get("date") for day in days if isinstance(day, dict)],
        )
        talks = []
        for day_number, day in enumerate(days, start=1):
            where = f"schedule.conference.days[{day_number - 1}]"
            rooms = day.get("rooms") if isinstance(day, dict) else None
            if not isinstance(rooms, dict):
                self.fail("expected a day object with rooms", where)
            day_date = self.date(day.get("date"), f"{where}.date")
            for room_name, events in rooms.items():
                if not isinstance(events, list):
                    self.fail("expected a list of events", f"{where}.rooms[{room_name!r}]")
                for position, event in enumerate(events):
                    element = f"{where}.rooms[{room_name!r}][{position}]"
                    if not isinstance(event, dict):
                        self.fail("expected an event object", element)
                    element += f" (event {event.get('guid') or event.get('id')})"
                    fields = {**event, "room": event.get("room") or room_name}
                    fields["persons"] = [_json_person(p) for p in event.get("persons") or []]
                    fields["links"] = [_json_link(link) for link in event.get("links") or []]
                    talks.append(self.talk(element, _strings(fields), acronym, day_date))
        return self.schedule(conference, talks)


class _XmlReader(_Reader):
    def read(self):
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_comments=True,
        )
        try:
            root = etree.fromstring(self.raw, parser)
        except etree.XMLSyntaxError as exc:
            self.fail(f"malformed XML: {exc.msg}", f"line {exc.lineno}")
        if root.getroottree().docinfo.doctype:
            self.fail(
                "the file has a document type declaration (DTD); "
                "schedules need none and DTDs can carry entity attacks, so it is refused",
                "<!DOCTYPE>",
            )
        if root.tag != "schedule":
            self.fail(f"expected <schedule> as the root element, found <{root.tag}>", "line 1")
        head = root.find("conference")
        if head is None:
            self.fail("no <conference> element", "<schedule>")
        acronym = _text(head, "acronym")
        day_elements = root.findall("day")
        conference = self.conference(
            _text(head, "title"),
            acronym,
            _text(head, "start"),
            _text(head, "end"),
            _text(head, "time_zone_name"),
            _text(head, "url") or _text(head, "base_url"),
            [day.get("date") for day in day_elements],
        )
        talks = []
        for day in day_elements:
            day_date = self.date(day.get("date"), f"line {day.sourceline}: <day>")
            for room in day.findall("room"):
                for event in room.findall("event"):
                    element = (
                        f"line {event.sourceline}: <event id={event.get('id')!r} "
                        f"guid={event.get('guid')!r}>"
                    )
                    fields = {
                        name: _text(event, name)
                        for name in ("date", "start", "duration", "room", "title", "type")
                    }
                    fields |= {
                        name: _text(event, name) for name in ("track", "abstract", "description")
                    }
                    fields |= {
                        "id": event.get("id"),
                        "guid": event.get("guid"),
                        "slug": _text(event, "slug"),
                        "room": fields["room"] or room.get("name"),
                        "persons": [p.text for p in event.iterfind("persons/person")],
                        "links": [
                            (link.get("href"), link.text, link.get("type"))
                            for link in event.iterfind("links/link")
                        ],
                    }
                    talks.append(self.talk(element, fields, acronym, day_date))
        return self.schedule(conference, talks)


def _text(element, name):
    return (element.findtext(name) or "").strip()


def _strings(fields):
    """JSON values as the reader expects them: text, or None for null."""
    plain = {"persons", "links"}
    return {
        key: (value if key in plain or value is None else _string(value))
        for key, value in fields.items()
    }


def _string(value):
    # Newer pretalx versions write some texts as {language: text}; take the first language.
    if isinstance(value, dict):
        value = next((text for text in value.values() if isinstance(text, str)), "")
    return str(value)


def _json_person(person):
    if isinstance(person, dict):
        return str(person.get("public_name") or person.get("name") or "")
    return str(person or "")


def _json_link(link):
    if not isinstance(link, dict):
        return (None, None, None)
    return (link.get("url"), link.get("title"), link.get("type"))


def _link_kind(type_name):
    return LINK_KINDS.get((type_name or "").lower(), LinkKind.RESOURCE)


def _known_time_zone(name):
    name = (name or "").strip()
    if not name:
        return None
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    return name


def _time_zone_from_offsets(talks):
    """A file without a time zone name still gives UTC offsets in its event dates: the fixed
    IANA zone of the first one (``Etc/GMT-1`` is UTC+01:00) keeps local times right."""
    for talk in talks:
        offset = talk.starts_at.utcoffset() if talk.starts_at else None
        if offset is None:
            continue
        hours, remainder = divmod(int(offset.total_seconds()), 3600)
        if remainder:
            return None
        return "UTC" if hours == 0 else f"Etc/GMT{-hours:+d}"
    return None
