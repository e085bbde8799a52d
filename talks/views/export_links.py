"""Links from the pages to the exports and feeds of a conference, carrying the page's query.

One place builds them, so the conference page, the schedule, the talk list (with its filters)
and My schedule (with talk ids) all point at the same URLs the exports answer.
"""

from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse

from ..models.talks import KNOWN_DATE, KNOWN_START


@dataclass(frozen=True)
class ExportLinks:
    """Absolute URLs: calendar apps and feed readers are handed them outside the page."""

    ics: str
    webcal: str
    xml: str
    json: str
    feed: str


@dataclass(frozen=True)
class ExportCounts:
    """How many talks a selection holds, and how many of them each export can place: the
    calendar needs a date, the schedule files a start time."""

    talks: int
    dated: int
    timed: int


def export_counts(talks):
    """The ExportCounts of the ``talks`` queryset, in one query."""
    counts = talks.order_by().aggregate(
        talks=Count("pk", distinct=True),
        dated=Count("pk", filter=KNOWN_DATE, distinct=True),
        timed=Count("pk", filter=KNOWN_START, distinct=True),
    )
    return ExportCounts(**counts)


def as_webcal(url):
    """The same address under ``webcal:``, which makes browsers hand it to a calendar app."""
    return "webcal:" + url.split(":", 1)[1]


def export_links(request, conference, query=""):
    """The exports and the talks feed of ``conference``, each with ``query`` (filters or ids)."""

    def absolute(path):
        return request.build_absolute_uri(f"{path}?{query}" if query else path)

    def schedule(extension):
        kwargs = {"conference": conference.slug, "extension": extension}
        return absolute(reverse("talks:schedule-export", kwargs=kwargs))

    ics = schedule("ics")
    return ExportLinks(
        ics=ics,
        webcal=as_webcal(ics),
        xml=schedule("xml"),
        json=schedule("json"),
        feed=absolute(reverse("talks:conference-talks-feed", args=[conference.slug])),
    )
