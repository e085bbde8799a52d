"""schema.org Event data (JSON-LD) for conference and talk pages.

Only known facts go in: a missing date, time or place is left out, never guessed. The
templates render these dicts with the ``json_ld`` filter, which escapes them for a script tag.
Descriptions are plain text: schema.org reads them as text, not markup.
"""

from ..lengths import iso_duration
from ..text import as_plain_text

SCHEMA_CONTEXT = "https://schema.org"
OFFLINE = "https://schema.org/OfflineEventAttendanceMode"
SCHEDULED = "https://schema.org/EventScheduled"
CANCELLED = "https://schema.org/EventCancelled"


def _place(name, conference):
    address = {
        key: value
        for key, value in (
            ("addressLocality", conference.city),
            ("addressRegion", conference.region),
            ("addressCountry", conference.country),
        )
        if value
    }
    place = {"@type": "Place"}
    if name:
        place["name"] = name
    if address:
        place["address"] = {"@type": "PostalAddress", **address}
    return place if len(place) > 1 else None


def _without_empty(data):
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def conference_event(request, conference):
    return _without_empty(
        {
            "@context": SCHEMA_CONTEXT,
            "@type": "EventSeries" if conference.is_series else "Event",
            "name": conference.name,
            "url": request.build_absolute_uri(conference.get_absolute_url()),
            "description": conference.tagline or conference.description,
            "startDate": conference.start_date and conference.start_date.isoformat(),
            "endDate": conference.end_date and conference.end_date.isoformat(),
            "eventAttendanceMode": OFFLINE,
            "location": _place(conference.venue, conference),
            "sameAs": conference.website,
        }
    )


def _talk_start(talk):
    # A known time wins; a known day alone still dates the talk honestly.
    if talk.starts_at:
        return talk.local_starts_at.isoformat()
    if talk.day and talk.day.date:
        return talk.day.date.isoformat()
    return None


def talk_event(request, talk):
    conference = talk.conference
    room = talk.room.name if talk.room else ""
    venue = ", ".join(part for part in (room, conference.venue) if part)
    return _without_empty(
        {
            "@context": SCHEMA_CONTEXT,
            "@type": "Event",
            "name": talk.title,
            "url": request.build_absolute_uri(talk.get_absolute_url()),
            "description": as_plain_text(talk.abstract, talk.abstract_format),
            "startDate": _talk_start(talk),
            "endDate": talk.ends_at and talk.local_ends_at.isoformat(),
            "eventAttendanceMode": OFFLINE,
            # Search engines show a cancelled event as such instead of as coming.
            "eventStatus": CANCELLED if talk.is_cancelled else SCHEDULED,
            "location": _place(venue, conference),
            "performer": [
                {
                    "@type": "Person",
                    "name": speaker.name,
                    "url": request.build_absolute_uri(speaker.get_absolute_url()),
                }
                for speaker in talk.ordered_speakers
            ],
            "keywords": ", ".join(topic.name for topic in talk.topic_list),
            "duration": iso_duration(talk.length),
            "image": talk.still_url and request.build_absolute_uri(talk.still_url),
            "superEvent": {
                "@type": "Event",
                "name": conference.name,
                "url": request.build_absolute_uri(conference.get_absolute_url()),
            },
        }
    )
