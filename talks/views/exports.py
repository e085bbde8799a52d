"""Export views: thin wiring of a conference, the requested talks and one exporter
(``talks.exports``, which knows no HTTP)."""

from django.http import HttpResponse, HttpResponseNotFound
from django.shortcuts import get_object_or_404

from ..caching import public_export, shows, shows_conference, with_last_modified
from ..exports import frab, ical
from ..freshness import frame_scope, talk_scope
from ..models import Conference, Talk
from .export_selection import InvalidFilters, base_url, requested_talks

# Exporter, content type, and the talks with the related rows that exporter writes.
FORMATS = {
    "ics": (ical.calendar_bytes, "text/calendar; charset=utf-8", Talk.objects.for_calendar),
    "xml": (frab.schedule_xml, "application/xml; charset=utf-8", Talk.objects.for_export),
    "json": (frab.schedule_json, "application/json", Talk.objects.for_export),
}


def _export_response(body, content_type, filename):
    response = HttpResponse(body, content_type=content_type)
    # Inline, so calendar apps subscribe to the URL instead of importing a download once.
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@public_export
def schedule(request, conference, extension):
    conference = get_object_or_404(Conference, slug=conference)
    shows_conference(conference.pk)
    exporter, content_type, talks_for = FORMATS[extension]
    try:
        talks = requested_talks(request, conference, talks_for())
    except InvalidFilters as exc:
        return exc.response()
    body = exporter(conference, talks, base_url(request))
    response = _export_response(body, content_type, f"{conference.slug}.{extension}")
    return with_last_modified(response, conference.newest_change())


@public_export
def talk_calendar(request, conference, talk):
    talk = get_object_or_404(
        Talk.objects.select_related("conference", "day").with_last_change(),
        conference__slug=conference,
        slug=talk,
    )
    shows(talk_scope(talk.pk), frame_scope(talk.conference_id))
    if not talk.has_known_date:
        # RFC 5545 wants at least one event in a calendar; an undated talk has none to give.
        return HttpResponseNotFound(
            "This talk has no known date, so it has no calendar entry.\n",
            content_type="text/plain; charset=utf-8",
        )
    talks = Talk.objects.for_calendar().filter(pk=talk.pk)
    body = ical.calendar_bytes(talk.conference, talks, base_url(request))
    response = _export_response(body, FORMATS["ics"][1], f"{talk.conference.slug}-{talk.slug}.ics")
    return with_last_modified(response, talk.last_change)
