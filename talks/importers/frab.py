"""Reader of frab / c3voc / Pentabarf schedules, XML or JSON, into ``data.ScheduleData``.

Tolerant of what real files do (see ``shared/samples/README.md``), strict about shapes:
- Both XML layouts: frab's ``<day><room name><event>`` and the older Pentabarf one (FOSDEM
  2007-2012), where ``<event>`` sits in ``<day>`` and names its room in a ``<room>`` child.
- An event's identity is its guid, whatever its form, or else its id; an event listed again
  under the same identity (a break shown in two rooms) is one talk.
- A talk's date is the event's own ``<date>`` when it has one (wafer writes ``<day date>`` a
  day early); otherwise its day's date, or the next calendar date for a start before the day's
  start or the conference's ``day_change`` (events after midnight belong to the night before).
- What our exports write for unknown values reads back as unknown: the placeholder room is no
  room and a 00:00 duration is no end.
- An empty ``<person>`` is no speaker, and of a ``{language: text}`` value (pretalx) one
  language is kept per conference (``_Translations``), each with a line in the report.
- A value of the wrong shape (a list where text belongs, text where a list belongs) or out of
  range is an error naming the event and the field, never data. Every event that cannot become
  a talk is collected with its reason: ``ScheduleData.left_out``.

XML is parsed without resolving entities, loading DTDs or touching the network, and a file
with a document type declaration (the carrier of entity tricks) is refused outright.
"""

import datetime
import hashlib
import json
import re
import zoneinfo
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from django.utils.text import slugify
from lxml import etree

from talks import files
from talks.exports.frab import PLACEHOLDER_ROOM
from talks.models import LinkKind
from talks.models.changelog import VERSION_NAME_MAX_LENGTH
from talks.models.conferences import CATALOG_YEARS
from talks.text import join_texts

from .data import (
    ConferenceData,
    EventError,
    ImportFailure,
    LeftOut,
    LinkData,
    ScheduleData,
    TalkData,
    person_name,
    talk_kind,
    unstorable_characters_note,
    without_unstorable_characters,
)

LINK_KINDS = {
    "media": LinkKind.VIDEO,
    "slides": LinkKind.SLIDES,
    "web": LinkKind.WEBSITE,
    "blog": LinkKind.BLOG,
}
DURATION = re.compile(r"(\d{1,3}):(\d{2})(?::(\d{2}))?")
# Dates a real conference can have; others are typing slips or attacks on date arithmetic.
FIRST_YEAR, LAST_YEAR = CATALOG_YEARS[0], CATALOG_YEARS[-1]
IDENTITY_MAX_LENGTH = 255


def read_schedule(path, *, conference_slug=None, raw=None, limits=files.DEFAULT_LIMITS):
    """Read a frab schedule, JSON or XML (see ``_is_json``), from ``path`` or from ``raw``
    bytes fetched elsewhere (``path`` then names them), refused past its ``limits``."""
    if raw is None:
        try:
            raw = files.read_bytes(path, limits.bytes)
        except files.FileRefused as exc:
            raise ImportFailure(path, str(exc)) from exc
    reader = _JsonReader if _is_json(str(path), raw) else _XmlReader
    data = reader(path, raw, conference_slug, limits.values).read()
    data.conference.digest = hashlib.sha256(raw).hexdigest()
    return data


def _is_json(name, raw):
    """A ``.json`` or ``.xml`` name says what the file claims to be, so a broken one is
    reported as broken in that format; any other name is told by its first character."""
    suffix = Path(name.split("?")[0]).suffix.lower()
    if suffix in (".json", ".xml"):
        return suffix == ".json"
    return raw.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] in (b"{", b"[")


@dataclass
class _Day:
    """What an event without a date of its own takes from the ``<day>`` it is listed in."""

    date: datetime.date | None
    # Starts earlier than this clock time are after midnight: the next calendar date.
    turns_at: datetime.time | None = None


class _Reader:
    def __init__(self, path, raw, conference_slug, max_values):
        self.path, self.raw, self.conference_slug = path, raw, conference_slug
        self.max_values = max_values
        self.talks, self.left_out, self.repeats, self.notes = [], [], [], []
        self.seen = {}
        self.events_found = 0
        self.day_change = None
        self.base_url = ""
        self.acronym = ""
        # The conference's language, for texts a file gives in several (see ``_Translations``).
        self.language = None
        # The schedule's own <version>: the name of the changes this import records.
        self.version = ""

    def fail(self, reason, element=None):
        raise ImportFailure(self.path, reason, element)

    # --- the conference -------------------------------------------------------------------
    def conference(self, head, day_dates):
        translations = _Translations(self.language)
        title = self.head_text(head, "title", translations)
        acronym = self.acronym = self.head_text(head, "acronym", translations)
        # The first characters make the slug: a title of megabytes costs no more than a short one.
        slug = self.conference_slug or slugify(acronym[:100]) or slugify(title[:100])
        if not slug:
            self.fail("the conference has neither an acronym nor a title", "conference")
        self.conference_slug = slug
        zone = self.head_text(head, "time_zone_name", translations)
        if zone and not _known_time_zone(zone):
            self.notes.append(f"conference: time_zone_name “{zone}” is not an IANA zone, ignored")
            zone = ""
        self.base_url = self.head_text(head, "base_url", translations)
        day_change = self.head_text(head, "day_change", translations)
        self.day_change = self.clock(day_change, "conference day_change")
        website = self.head_text(head, "url", translations) or self.base_url
        start = self.file_date(self.head_text(head, "start", translations), "conference start")
        end = self.file_date(self.head_text(head, "end", translations), "conference end")
        self.notes.extend(translations.notes("conference"))
        return ConferenceData(
            source=str(self.path),
            slug=slug[:100].strip("-"),
            name=title or acronym or slug,
            time_zone=zone or None,
            start_date=start,
            end_date=end,
            website=website if website.startswith(("http://", "https://")) else "",
            day_dates=[d for d in (self.file_date(v, "day date") for v in day_dates) if d],
            version=self.version,
        )

    def head_text(self, head, name, translations):
        value = head.get(name)
        if value is None:
            return ""
        if _is_translated(value):
            return translations.pick(name, value)
        if isinstance(value, bool | list | dict):
            self.fail(f"expected text, found {_shape(value)}", f"conference {name}")
        return str(value).strip()

    def file_date(self, value, element):
        try:
            return _date(value)
        except EventError as exc:
            self.fail(exc.reason, element)

    def clock(self, value, element):
        if not value:
            return None
        try:
            return datetime.time.fromisoformat(value)
        except ValueError:
            self.fail(f"“{value}” is not a time (HH:MM)", element)

    def day_context(self, date_value, start_value, where):
        """What an event without a date takes from its day: the date, and the day's start
        (frab's ``<day start>``, c3voc's ``day_start``) as the clock time before which a start
        is after midnight, when that start lies on the day's own date."""
        date = self.file_date(date_value, f"{where} date")
        start = start_value if isinstance(start_value, str) else ""
        try:
            moment = datetime.datetime.fromisoformat(start) if start else None
        except ValueError:
            self.fail(f"“{start}” is not an ISO date-time", f"{where} start")
        turns_at = moment.time() if moment and moment.date() == date else None
        return _Day(date, turns_at)

    # --- events ---------------------------------------------------------------------------
    def event(self, element, fields, day):
        """Read one event into ``self.talks``, or list it as a repeat or as left out."""
        self.events_found += 1
        try:
            talk, notes = self.talk(element, fields, day)
        except EventError as exc:
            self.left_out.append(LeftOut(element, exc.reason))
            return
        if talk.guid in self.seen:
            self.repeats.append(LeftOut(element, f"same identity as {self.seen[talk.guid]}"))
            return
        self.seen[talk.guid] = element
        self.talks.append(talk)
        self.notes.extend(notes)

    def talk(self, element, fields, day):
        """The event's ``TalkData`` and the report lines about values it does not keep."""
        translations = _Translations(self.language)
        text = _Fields(fields, translations)
        title = text.get("title")
        if not title:
            raise EventError("the event has no title", "title")
        starts_at = self.start(text, day)
        duration = _duration(text.get("duration"))
        if starts_at and duration:
            try:
                ends_at = starts_at + duration
            except OverflowError:
                raise EventError("the end is past the last date there is", "duration") from None
        else:
            ends_at = None
        room = text.get("room")
        abstract, abstract_format = join_texts(text.get("abstract"), text.get("description"))
        speakers, nameless = _people(fields.get("persons"))
        page_url = text.get("url")
        talk = TalkData(
            source=str(self.path),
            element=element,
            guid=self.identity(text),
            title=title,
            subtitle=text.get("subtitle"),
            language=text.get("language"),
            slug_hint=self.slug_hint(text.get("slug")),
            kind=talk_kind(text.get("type")),
            starts_at=starts_at,
            ends_at=ends_at,
            room=room if room and room != PLACEHOLDER_ROOM else None,
            track=text.get("track") or None,
            abstract=abstract,
            abstract_format=abstract_format,
            speakers=list(dict.fromkeys(speakers)),
            links=[
                *self.links(fields.get("links"), "links", translations),
                *self.links(fields.get("attachments"), "attachments", translations),
            ],
            page_url=self.absolute(page_url) if page_url else "",
        )
        where = f"{element} “{title}”"
        notes = translations.notes(where)
        if nameless:
            notes.append(
                f"{where}: persons: {nameless} without a name left out (an empty entry is no "
                "speaker)"
            )
        return talk, notes

    def identity(self, text):
        identity = text.get("guid") or text.get("id")
        if not identity:
            raise EventError("the event has neither a guid nor an id", "guid")
        if len(identity) > IDENTITY_MAX_LENGTH:
            raise EventError(f"longer than {IDENTITY_MAX_LENGTH} characters", "guid")
        return identity

    def start(self, text, day):
        value = text.get("date")
        day_date = day.date
        if value:
            try:
                moment = datetime.datetime.fromisoformat(value)
            except ValueError:
                raise EventError(f"“{value}” is not an ISO date-time", "date") from None
            _check_year(moment, "date")
            if len(value) > 10:
                try:
                    moment.astimezone(datetime.UTC)
                except OverflowError:
                    raise EventError(f"“{value}” is out of range", "date") from None
                return moment
            day_date = moment.date()
        start = text.get("start")
        if not start or day_date is None:
            return None
        try:
            clock = datetime.time.fromisoformat(start)
        except ValueError:
            raise EventError(f"“{start}” is not a time (HH:MM)", "start") from None
        # Only a date taken from the <day> moves past midnight; the event's own date is its own.
        turns_at = None if value else (day.turns_at or self.day_change)
        if turns_at and clock < turns_at and day_date.year < LAST_YEAR:
            day_date += datetime.timedelta(days=1)
        # Naive: local to the conference, whose time zone the writer settles.
        return datetime.datetime.combine(day_date, clock.replace(tzinfo=None))

    def slug_hint(self, event_slug):
        """Our exports and frab prefix event slugs with the acronym; the rest names the talk."""
        prefix = f"{self.acronym}-".lower() if self.acronym else None
        if prefix and event_slug.lower().startswith(prefix):
            return slugify(event_slug[len(prefix) :])
        return ""

    def links(self, value, name, translations):
        """Links and attachments as ``LinkData``; a relative address is read against the
        file's ``base_url`` (frab writes attachments as ``/system/...``)."""
        if value is None:
            return []
        if not isinstance(value, list):
            raise EventError(f"expected a list of links, found {_shape(value)}", name)
        links = []
        for item in value:
            if isinstance(item, str):
                url, title, kind = item, "", ""
            elif isinstance(item, dict):
                url, title, kind = (item.get(key) for key in ("url", "title", "type"))
            else:
                raise EventError(f"expected a link, found {_shape(item)}", name)
            fields = _Fields(
                {"url": url, "title": title, "type": kind}, translations, prefix=f"{name}: "
            )
            url = fields.get("url")
            if url:
                links.append(
                    LinkData(
                        url=self.absolute(url),
                        title=fields.get("title"),
                        kind=LINK_KINDS.get(fields.get("type").lower(), LinkKind.RESOURCE),
                    )
                )
        return links

    def absolute(self, url):
        return urljoin(self.base_url, url) if self.base_url else url

    def schedule(self, conference):
        if conference.time_zone is None:
            conference.time_zone = _time_zone_from_offsets(self.talks)
            if conference.time_zone:
                self.notes.append(
                    "conference: the file names no time zone; its times carry a UTC offset, "
                    f"kept as {conference.time_zone} (give --time-zone for the real one)"
                )
        return ScheduleData(
            conference=conference,
            talks=self.talks,
            events_found=self.events_found,
            left_out=self.left_out,
            repeats=self.repeats,
            notes=self.notes,
        )


class _Fields:
    """An event's values as text, refusing shapes that are not text."""

    def __init__(self, values, translations, prefix=""):
        self.values, self.translations, self.prefix = values, translations, prefix

    def get(self, name):
        value = self.values.get(name)
        if value is None:
            return ""
        if _is_translated(value):
            return self.translations.pick(f"{self.prefix}{name}", value)
        if isinstance(value, bool | list | dict):
            raise EventError(f"expected text, found {_shape(value)}", f"{self.prefix}{name}")
        return str(value).strip()


def _is_translated(value):
    """Newer pretalx versions write some texts (track, type, room names) as {language: text}."""
    return isinstance(value, dict) and all(isinstance(text, str) for text in value.values())


class _Translations:
    """One text of each {language: text} value of a record, and which languages' texts were
    left out (the catalog keeps one language per text), for a line in the report.

    The text kept is the conference's language's, else English's, else the first given. The
    conference's language, not each event's, so that a track or room named in several
    languages is one track or room for all its talks."""

    def __init__(self, language):
        self.language = language
        self.left_out = []

    def pick(self, field, value):
        texts = {key: text.strip() for key, text in value.items() if text.strip()}
        if not texts:
            return ""
        kept = _chosen_language(texts, self.language)
        # A language whose text is the kept one's loses nothing.
        others = [key for key, text in texts.items() if text != texts[kept]]
        if others:
            self.left_out.append(f"{field} in {', '.join(others)} (kept: {kept})")
        return texts[kept]

    def notes(self, where):
        if not self.left_out:
            return []
        return [f"{where}: other languages left out: {'; '.join(self.left_out)}"]


def _language_tag(text):
    return text.strip().lower().replace("_", "-")


def _chosen_language(keys, preferred):
    """The key to keep of a {language: text} value: ``preferred``'s or else English's (``de``
    also matches ``de-formal`` or ``de_DE``), else the first."""
    tags = {key: _language_tag(key) for key in keys}
    for wanted in filter(None, (preferred, "en")):
        same = [key for key, tag in tags.items() if tag == wanted]
        related = [key for key, tag in tags.items() if tag.split("-")[0] == wanted.split("-")[0]]
        if same or related:
            return (same or related)[0]
    return next(iter(keys))


def _file_language(days):
    """The language most of the file's events are given in (the first one an event names,
    for ``de, en``): the conference's, as near as a frab file tells, since it has no field
    for it. Shapes are checked later, when the events are read."""
    counts = Counter()
    for day in days:
        rooms = day.get("rooms") if isinstance(day, dict) else None
        for events in rooms.values() if isinstance(rooms, dict) else ():
            for event in events if isinstance(events, list) else ():
                language = event.get("language") if isinstance(event, dict) else None
                if isinstance(language, str) and _language_tag(language.split(",")[0]):
                    counts[_language_tag(language.split(",")[0])] += 1
    return counts.most_common(1)[0][0] if counts else None


class _JsonReader(_Reader):
    def read(self):
        try:
            document = files.load_json(self.raw, self.max_values)
        except files.FileRefused as exc:
            self.fail(str(exc))
        except UnicodeDecodeError as exc:
            self.fail(f"not UTF-8 text: {exc}")
        except json.JSONDecodeError as exc:
            self.fail(f"malformed JSON: {exc.msg}", f"line {exc.lineno}, column {exc.colno}")
        except RecursionError:
            self.fail("the JSON is nested too deeply to be a schedule")
        except ValueError as exc:  # e.g. a number of more than 4,300 digits
            self.fail(f"a value in the JSON cannot be read: {exc}")
        document, removed = without_unstorable_characters(document, self.raw)
        if removed:
            self.notes.append(unstorable_characters_note("file", removed))
        schedule = document.get("schedule") if isinstance(document, dict) else None
        head = schedule.get("conference") if isinstance(schedule, dict) else None
        if not isinstance(head, dict):
            self.fail("expected an object with schedule.conference", "schedule")
        days = head.get("days")
        if not isinstance(days, list):
            self.fail(f"expected a list of days, found {_shape(days)}", "schedule.conference.days")
        # c3voc JSON writes base_url beside the conference, frab XML inside it.
        outer_base = schedule.get("base_url")
        if isinstance(outer_base, str) and not head.get("base_url"):
            head = {**head, "base_url": outer_base}
        self.language = _file_language(days)
        self.version = _version_name(schedule.get("version"))
        conference = self.conference(
            head, [day.get("date") for day in days if isinstance(day, dict)]
        )
        for index, day in enumerate(days):
            where = f"schedule.conference.days[{index}]"
            rooms = day.get("rooms") if isinstance(day, dict) else None
            if not isinstance(rooms, dict):
                self.fail(f"expected a day object with rooms, found {_shape(day)}", where)
            context = self.day_context(day.get("date"), day.get("day_start"), where)
            for room_name, events in rooms.items():
                if not isinstance(events, list):
                    self.fail(
                        f"expected a list of events, found {_shape(events)}",
                        f"{where}.rooms[{room_name!r}]",
                    )
                for position, event in enumerate(events):
                    element = f"{where}.rooms[{room_name!r}][{position}]"
                    if not isinstance(event, dict):
                        self.events_found += 1
                        self.left_out.append(
                            LeftOut(element, f"expected an event object, found {_shape(event)}")
                        )
                        continue
                    identity = (
                        event.get("guid") if event.get("guid") is not None else event.get("id")
                    )
                    element += f" (event {identity})"
                    fields = {**event, "room": event.get("room") or room_name}
                    self.event(element, fields, context)
        return self.schedule(conference)


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
            files.check_xml(self.raw, self.max_values)
            root = etree.fromstring(self.raw, parser)
        except files.FileRefused as exc:
            self.fail(str(exc))
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
        day_elements = root.findall("day")
        self.version = _version_name(root.findtext("version"))
        conference = self.conference(
            {child.tag: (child.text or "") for child in head if isinstance(child.tag, str)},
            [day.get("date") for day in day_elements],
        )
        read = set()
        for day in day_elements:
            context = self.day(day)
            # frab nests events in <room name>; Pentabarf (FOSDEM 2007-2012) lists them in <day>.
            for event in day.xpath("room/event | event"):
                read.add(event)
                self.event(_xml_element(event), self.xml_fields(event), context)
        for event in root.iter("event"):
            if event not in read:
                self.events_found += 1
                self.left_out.append(
                    LeftOut(_xml_element(event), "not inside a <day> or a <day><room>")
                )
        return self.schedule(conference)

    def day(self, day):
        where = f"line {day.sourceline}: <day>"
        return self.day_context(day.get("date"), day.get("start"), where)

    def xml_fields(self, event):
        fields = {
            name: _text(event, name)
            for name in (
                "date",
                "start",
                "duration",
                "room",
                "title",
                "subtitle",
                "type",
                "track",
                "language",
                "slug",
                "url",
            )
        } | {name: _markup(event, name) for name in ("abstract", "description")}
        parent = event.getparent()
        return fields | {
            "id": event.get("id"),
            "guid": event.get("guid"),
            "room": fields["room"] or (parent.get("name") if parent.tag == "room" else ""),
            # Bare <person> lists and <speakers><speaker> are read too.
            "persons": [
                "".join(p.itertext())
                for p in event.xpath("persons/person | person | speakers/speaker")
            ],
            "links": [
                {"url": link.get("href"), "title": link.text, "type": link.get("type")}
                for link in event.iterfind("links/link")
            ],
            "attachments": [
                {"url": link.get("href"), "title": link.text, "type": link.get("type")}
                for link in event.iterfind("attachments/attachment")
            ],
        }


def _xml_element(event):
    return f"line {event.sourceline}: <event id={event.get('id')!r} guid={event.get('guid')!r}>"


def _text(element, name):
    """The whole text of ``name``, the text inside any elements in it included."""
    child = element.find(name)
    return "" if child is None else "".join(child.itertext()).strip()


def _markup(element, name):
    """The content of ``name`` with elements written inside it (unescaped HTML in an abstract)
    kept as markup, never cut at the first tag."""
    child = element.find(name)
    if child is None:
        return ""
    inner = (child.text or "") + "".join(
        etree.tostring(part, encoding="unicode", with_tail=True) for part in child
    )
    return inner.strip()


def _shape(value):
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _people(value):
    """Speaker names from frab persons (objects with a public name, or plain names), and how
    many entries name nobody: an empty ``<person></person>``, as some site generators write
    for a talk without a speaker, is no speaker rather than a broken event."""
    if value is None:
        return [], 0
    if not isinstance(value, list):
        raise EventError(f"expected a list of people, found {_shape(value)}", "persons")
    names, nameless = [], 0
    for person in value:
        if isinstance(person, dict):
            raw = person.get("public_name") or person.get("full_public_name") or person.get("name")
        else:
            raw = person
        if raw is None:
            raw = ""
        if not isinstance(raw, str):
            raise EventError(f"expected a name, found {_shape(raw)}", "persons")
        name = person_name(raw)
        if name:
            names.append(name)
        else:
            nameless += 1
    return names, nameless


def _date(value):
    if not value:
        return None
    if not isinstance(value, str):
        raise EventError(f"expected an ISO date, found {_shape(value)}")
    try:
        date = datetime.date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise EventError(f"“{value}” is not an ISO date") from None
    _check_year(date)
    return date


def _check_year(moment, field_name=None):
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise EventError(
            f"{moment.isoformat()[:10]} is out of range ({FIRST_YEAR} to {LAST_YEAR})", field_name
        )


def _duration(value):
    if not value:
        return None
    match = DURATION.fullmatch(value)
    if not match:
        raise EventError(f"“{value}” is not a duration (HH:MM or HH:MM:SS)", "duration")
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    if minutes >= 60 or seconds >= 60:
        raise EventError(f"“{value}” is not a duration: minutes and seconds run to 59", "duration")
    return datetime.timedelta(hours=hours, minutes=minutes, seconds=seconds) or None


def _known_time_zone(name):
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


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


def _version_name(value):
    """A schedule's ``version`` as the name of a changelog version: text or a number, cut to
    the field's length; anything else names nothing."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return ""
    return " ".join(str(value).split())[:VERSION_NAME_MAX_LENGTH]
