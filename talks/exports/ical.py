"""iCalendar (RFC 5545) export of talks, written with the icalendar package.

How unknown values are written, without inventing any:

- A talk with a known start is a timed event in the conference's time zone (the calendar
  carries its VTIMEZONE). With a known end it has a DTEND; with an unknown end it has none,
  which RFC 5545 reads as an event ending when it starts.
- A talk whose day has a date but whose time is unknown is an all-day event on that date.
- A talk with no dated day and no start is left out: a calendar cannot hold an undated event.
- An unknown room leaves LOCATION to what is known of the venue (venue, city), or out.

DESCRIPTION is text: an abstract written in Markdown or HTML goes in as plain text.

UIDs are the talk's event guid (``identity.talk_guid``), stable across exports, so a
subscribed calendar updates its events instead of duplicating them. DTSTAMP is the time of
the export, as RFC 5545 asks for a published calendar; LAST-MODIFIED is the talk's last change.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from icalendar import Calendar, Event, Timezone

from ..text import as_plain_text
from ..url_patterns import UrlPattern
from .identity import talk_guid, talk_pages

PRODUCT_ID = "-//Conference Talks Catalog//Talk calendar//EN"

# RFC 5545 folds lines longer than 75 octets; the icalendar package folds before the 75th.
FOLD_AFTER = 74


@dataclass(frozen=True)
class _Shared:
    """What every event of one export has in common, worked out once per export rather than
    once per talk (a profile of a 2,000-talk calendar showed it, see docs/performance.md): the
    conference's time zone, the DTSTAMP property (the same for all) and the talk page URLs,
    reversed once and filled in with each talk's slug."""

    conference: object
    tzinfo: datetime.tzinfo
    dtstamp: object
    talk_pages: UrlPattern

    @classmethod
    def of(cls, conference, base_url, stamp):
        stamp_holder = Event()
        stamp_holder.add("dtstamp", stamp)
        return cls(
            conference=conference,
            tzinfo=conference.tzinfo,
            dtstamp=stamp_holder["DTSTAMP"],
            talk_pages=talk_pages(conference, base_url),
        )


def calendar_bytes(conference, talks, base_url, *, generated_at=None):
    """The talks of ``conference`` (a queryset from ``Talk.objects.for_calendar()``) as .ics."""
    shared = _Shared.of(conference, base_url, generated_at or timezone.now())
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", conference.name)
    calendar.add("x-wr-timezone", conference.time_zone)
    years, tzids = set(), set()
    for talk in talks:
        event = _event(shared, talk)
        if event is not None:
            calendar.add_component(event)
            start = event["DTSTART"]
            years.add(start.dt.year)
            tzids.add(start.params.get("TZID"))
    # UTC times end in "Z" and need no VTIMEZONE; all-day events name no zone. (As
    # add_missing_timezones() would, without walking every property of every event again.)
    for tzid in sorted(tzids - {None, "UTC"}):
        # Transitions of the years the events fall in keep the VTIMEZONE short.
        calendar.subcomponents.insert(
            0,
            Timezone.from_tzid(
                tzid,
                first_date=datetime.date(min(years), 1, 1),
                last_date=datetime.date(max(years) + 1, 1, 1),
            ),
        )
    # As calendar.to_ical() writes it, with our own folding of the lines (see _folded).
    return b"\r\n".join(_folded(line) for line in calendar.content_lines() if line) + b"\r\n"


def _folded(line):
    """``line`` (a ``Contentline``) as its ``to_ical()`` writes it, folded. The package folds
    character by character, a third of the export's time in a profile (docs/performance.md);
    an ASCII line, each character an octet, is cut in slices to the same bytes: 74 octets a
    line, a backslash or caret escape never left at the end of one."""
    if not line.isascii():
        return line.to_ical()
    pieces, start = [], 0
    while len(line) - start > FOLD_AFTER:
        end = start + FOLD_AFTER
        if line[end - 1] in "\\^":
            end -= 1
        pieces.append(line[start:end])
        start = end
    pieces.append(line[start:])
    return "\r\n ".join(pieces).encode()


def _event(shared, talk):
    event = Event()
    if talk.starts_at is not None:
        event.add("dtstart", timezone.localtime(talk.starts_at, shared.tzinfo))
        if talk.ends_at is not None:
            event.add("dtend", timezone.localtime(talk.ends_at, shared.tzinfo))
    elif talk.day is not None and talk.day.date is not None:
        event.add("dtstart", talk.day.date)
        event.add("dtend", talk.day.date + datetime.timedelta(days=1))
    else:
        return None
    url = shared.talk_pages.fill(talk.slug)
    event.add("uid", str(talk_guid(talk)))
    event.add("dtstamp", shared.dtstamp)
    event.add("last-modified", talk.updated_at)
    if talk.is_cancelled:
        # RFC 5545's own word, so a subscribed calendar shows the cancellation instead of
        # keeping the event; the summary says it to calendars that ignore STATUS.
        event.add("status", "CANCELLED")
        event.add("summary", f"Cancelled: {talk.title}")
    else:
        event.add("summary", talk.title)
    event.add("description", _description(talk, url))
    event.add("url", url)
    location = _location(shared.conference, talk)
    if location:
        event.add("location", location)
    event.add("categories", [label for label in (talk.get_kind_display(), _track(talk)) if label])
    return event


def _track(talk):
    return talk.track.name if talk.track else ""


def _description(talk, url):
    parts = []
    speakers = ", ".join(speaker.name for speaker in talk.ordered_speakers)
    if speakers:
        parts.append(f"Speakers: {speakers}")
    abstract = as_plain_text(talk.abstract, talk.abstract_format)
    if abstract:
        parts.append(abstract)
    parts.append(url)
    return "\n\n".join(parts)


def _location(conference, talk):
    place = [talk.room.name] if talk.room else []
    place += [part for part in (conference.venue, conference.city) if part]
    return ", ".join(place)
