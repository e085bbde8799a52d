"""The frab / c3voc schedule, as XML (schedule.xml) and JSON (schedule.json).

Both are written from one intermediate schedule, so they always agree, and both validate
against the c3voc schemas (``schedule.xml.xsd`` and the v1 ``schedule.json``).

How unknown values are written, without inventing any:

- Only talks with a known start are scheduled events; the frab formats have no way to place
  an event without one, so talks with no time are left out (the iCal export keeps those with
  a day as all-day events).
- An unknown room is the one placeholder room ``PLACEHOLDER_ROOM``; an unknown end is the
  duration ``UNKNOWN_DURATION`` (00:00). ``import_schedule`` reads both back as unknown.
- Every dated day of the conference is listed (its dated days and the dates of the exported
  talks), empty ones too, so a filtered export is still a valid schedule; dates between the
  conference's bounds with no day and no talk are not. Day indexes are positional (1, 2, ...),
  whatever numbering the conference uses.
- A day's bounds are 00:00 to 23:59 in the conference's time zone.
- ``timeslot_duration`` is the constant ``TIMESLOT_DURATION``: the catalog has no grid.
- The acronym and the event guids follow ``identity``; event ids are the talks' ids.
- Abstracts are plain text whatever their source format: schedule apps show them as text.
"""

import datetime
import json
import re
from collections import defaultdict
from json.encoder import encode_basestring

from django.utils import timezone
from lxml import etree

from talks.models import LinkKind, ScheduleVersion
from talks.models.base import writable_text
from talks.text import as_plain_text

from .identity import conference_acronym, talk_guid, talk_pages

PLACEHOLDER_ROOM = "Room not known"
UNKNOWN_DURATION = "00:00"
TIMESLOT_DURATION = "00:05"
GENERATOR = "conference-talks-catalog"
JSON_SCHEMA_ID = "https://c3voc.de/schedule/schema.json"

# The c3voc link types have no "video" or "code"; each catalog kind maps to its nearest type.
LINK_TYPES = {
    LinkKind.WEBSITE: "web",
    LinkKind.VIDEO: "media",
    LinkKind.PLAYLIST: "media",
    LinkKind.SLIDES: "slides",
    LinkKind.CODE: "related",
    LinkKind.BLOG: "blog",
    LinkKind.PRODUCT: "web",
    LinkKind.RESOURCE: "related",
}
# Patterns both schemas accept for an event slug and a time zone name.
EVENT_SLUG = re.compile(r"[a-z0-9_]{4,}-[a-z0-9_-]{3,}[a-z0-9]")
TIME_ZONE_NAME = re.compile(r"([A-Z][a-z]+/[A-Z][a-z]+.*)|UTC")


def schedule_json(conference, talks, base_url):
    """The schedule as c3voc ``schedule.json`` bytes (UTF-8)."""
    schedule = _schedule(conference, talks, base_url)
    conference_data = {
        "acronym": schedule["acronym"],
        "title": conference.name,
        "start": schedule["start"],
        "end": schedule["end"],
        "daysCount": len(schedule["days"]),
        "timeslot_duration": TIMESLOT_DURATION,
        **_optional_conference_fields(conference),
        "days": [
            {
                "index": day["index"],
                "date": day["date"].isoformat(),
                "day_start": day["start"].isoformat(),
                "day_end": day["end"].isoformat(),
                "rooms": {
                    room: [_json_event(event) for event in events]
                    for room, events in day["rooms"].items()
                },
            }
            for day in schedule["days"]
        ],
    }
    document = {
        "$schema": JSON_SCHEMA_ID,
        "generator": {"name": GENERATOR},
        "schedule": {
            "version": schedule["version"],
            "base_url": schedule["base_url"],
            "conference": conference_data,
        },
    }
    return indented_json(document).encode()


def indented_json(value):
    """``json.dumps(value, ensure_ascii=False, indent=2)`` for the values a schedule holds
    (dicts with string keys, lists, strings, integers, booleans, None), written directly:
    with an indent the standard library falls back to its pure-Python encoder, a fifth of
    the JSON export's time. Strings still go through its C escaping."""
    parts = []
    _write_json(value, parts, "\n")
    return "".join(parts)


def _write_json(value, parts, newline):
    if isinstance(value, str):
        parts.append(encode_basestring(value))
    elif isinstance(value, dict | list) and value:
        inner = newline + "  "
        items = value.items() if isinstance(value, dict) else enumerate(value)
        parts.append("{" if isinstance(value, dict) else "[")
        for position, (key, item) in enumerate(items):
            parts.append("," + inner if position else inner)
            if isinstance(value, dict):
                parts += [encode_basestring(key), ": "]
            _write_json(item, parts, inner)
        parts.append(newline + ("}" if isinstance(value, dict) else "]"))
    else:  # numbers, booleans, None, and empty dicts and lists, as json writes them
        parts.append(json.dumps(value))


def schedule_xml(conference, talks, base_url):
    """The schedule as frab ``schedule.xml`` bytes (UTF-8)."""
    schedule = _schedule(conference, talks, base_url)
    root = etree.Element("schedule")
    etree.SubElement(root, "generator", name=GENERATOR)
    _text(root, "version", schedule["version"])
    head = etree.SubElement(root, "conference")
    _text(head, "title", conference.name)
    _text(head, "acronym", schedule["acronym"])
    _text(head, "start", schedule["start"])
    _text(head, "end", schedule["end"])
    _text(head, "days", str(len(schedule["days"])))
    _text(head, "timeslot_duration", TIMESLOT_DURATION)
    _text(head, "base_url", schedule["base_url"])
    # The XML schema takes any time zone name; the JSON one only its pattern.
    _text(head, "time_zone_name", conference.time_zone)
    if _website(conference):
        _text(head, "url", _website(conference))
    for day in schedule["days"]:
        day_element = etree.SubElement(
            root,
            "day",
            index=str(day["index"]),
            date=day["date"].isoformat(),
            start=day["start"].isoformat(),
            end=day["end"].isoformat(),
        )
        for room, events in day["rooms"].items():
            room_element = etree.SubElement(day_element, "room", name=writable_text(room))
            for event in events:
                _xml_event(room_element, event)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _schedule(conference, talks, base_url):
    tz = conference.tzinfo
    acronym = conference_acronym(conference)
    # The days that exist and the dates of the talks, never every date between the
    # conference's bounds: the work stays proportional to what the catalog holds.
    dates = set(conference.days.filter(date__isnull=False).values_list("date", flat=True))
    events_by_date = defaultdict(list)
    pages = talk_pages(conference, base_url)
    for talk in talks:
        # frab has no cancelled state: schedule apps drop an event the file no longer lists.
        if talk.starts_at is None or talk.is_cancelled:
            continue
        event = _event(talk, tz, acronym, pages)
        events_by_date[event["date"].date()].append(event)
        dates.add(event["date"].date())
    days = []
    for index, date in enumerate(sorted(dates), start=1):
        rooms = defaultdict(list)
        for event in sorted(events_by_date[date], key=lambda e: (e["date"], e["title"])):
            rooms[event["room"]].append(event)
        days.append(
            {
                "index": index,
                "date": date,
                "start": datetime.datetime.combine(date, datetime.time(0, 0), tz),
                "end": datetime.datetime.combine(date, datetime.time(23, 59), tz),
                "rooms": dict(sorted(rooms.items(), key=_room_order)),
            }
        )
    return {
        # The changelog's current version, so schedule apps can tell a changed schedule.
        "version": ScheduleVersion.objects.latest_name(conference),
        "acronym": acronym,
        "base_url": base_url.rstrip("/") + "/",
        "start": _bound(min, conference.start_date, days),
        "end": _bound(max, conference.end_date, days),
        "days": days,
    }


def _bound(pick, conference_date, days):
    """The schedule's first or last date: the conference's own, widened to its days."""
    dates = [day["date"] for day in days] + ([conference_date] if conference_date else [])
    return pick(dates).isoformat() if dates else ""


def _room_order(item):
    name = item[0]
    return (name == PLACEHOLDER_ROOM, name)


def _optional_conference_fields(conference):
    fields = {}
    if TIME_ZONE_NAME.fullmatch(conference.time_zone):
        fields["time_zone_name"] = conference.time_zone
    if _website(conference):
        fields["url"] = _website(conference)
    return fields


def _website(conference):
    return conference.website if conference.website.startswith(("http://", "https://")) else None


def _event(talk, tz, acronym, pages):
    starts_at = timezone.localtime(talk.starts_at, tz)
    links = [
        (talk.video_url, "Video", LinkKind.VIDEO),
        (talk.slides_url, "Slides", LinkKind.SLIDES),
    ]
    links.append((talk.code_url, "Code", LinkKind.CODE))
    links += [(link.url, link.title, link.kind) for link in talk.export_links]
    return {
        "id": talk.pk,
        "guid": str(talk_guid(talk)),
        "date": starts_at,
        "ends_at": timezone.localtime(talk.ends_at, tz) if talk.ends_at else None,
        "duration": _duration(talk),
        "room": talk.room.name if talk.room else PLACEHOLDER_ROOM,
        "slug": _event_slug(talk, acronym),
        "url": pages.fill(talk.slug),
        "title": talk.title,
        "subtitle": talk.subtitle,
        "language": talk.language,
        "track": talk.track.name if talk.track else None,
        "type": talk.kind,
        "abstract": as_plain_text(talk.abstract, talk.abstract_format),
        "persons": [(speaker.pk, speaker.name) for speaker in talk.ordered_speakers],
        "links": [
            {"url": url, "title": title or url, "type": LINK_TYPES[kind]}
            for url, title, kind in links
            if url
        ],
    }


def _duration(talk):
    if talk.ends_at is None:
        return UNKNOWN_DURATION
    minutes = int((talk.ends_at - talk.starts_at).total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _event_slug(talk, acronym):
    slug = f"{acronym}-{talk.slug.lower()}"
    return slug if EVENT_SLUG.fullmatch(slug) else f"{acronym}-talk-{talk.pk}"


def _json_event(event):
    data = {
        "id": event["id"],
        "guid": event["guid"],
        "date": event["date"].isoformat(),
        "start": f"{event['date']:%H:%M}",
        "duration": event["duration"],
        "room": event["room"],
        "slug": event["slug"],
        "url": event["url"],
        "title": event["title"],
        "subtitle": event["subtitle"] or None,
        "track": event["track"],
        "type": event["type"],
        "language": event["language"] or None,
        "abstract": event["abstract"],
        "persons": [{"id": pk, "public_name": name} for pk, name in event["persons"]],
        "links": event["links"],
    }
    if event["ends_at"] is not None:
        data["end"] = event["ends_at"].isoformat()
    return data


def _xml_event(room_element, event):
    guid = writable_text(event["guid"])
    element = etree.SubElement(room_element, "event", id=str(event["id"]), guid=guid)
    _text(element, "date", event["date"].isoformat())
    _text(element, "start", f"{event['date']:%H:%M}")
    _text(element, "duration", event["duration"])
    _text(element, "room", event["room"])
    _text(element, "slug", event["slug"])
    _text(element, "url", event["url"])
    _text(element, "title", event["title"])
    for optional in ("subtitle", "language"):
        if event[optional]:
            _text(element, optional, event[optional])
    _text(element, "track", event["track"] or "")
    _text(element, "type", event["type"])
    _text(element, "abstract", event["abstract"])
    persons = etree.SubElement(element, "persons")
    for pk, name in event["persons"]:
        _text(persons, "person", name).set("id", str(pk))
    links = etree.SubElement(element, "links")
    for link in event["links"]:
        _text(links, "link", link["title"]).attrib.update(
            {"href": writable_text(link["url"]), "type": link["type"]}
        )


def _text(parent, tag, value):
    element = etree.SubElement(parent, tag)
    element.text = writable_text(value)
    return element
