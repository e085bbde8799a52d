"""My schedule: the talks a reader starred, read from the ids in the URL (``?talk=3&talk=7``).

The stars live in the reader's browser (localStorage, see talks/static/talks/my-schedule.js),
which opens this page with their ids; the server keeps nothing about the reader, and the
page's address is a schedule to bookmark or share. The ids are checked by the ``talk`` filter
of TalkFilterSet, the same rule the exports apply to the calendar links offered here.
"""

from dataclasses import dataclass
from itertools import groupby
from urllib.parse import urlencode

from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse

from ..caching import public_page, with_last_modified
from ..filters import TalkFilterSet
from ..models import Conference, Talk
from .export_links import ExportLinks, export_links


@dataclass
class ConferenceSelection:
    """The starred talks of one conference, and its calendar of just those talks."""

    conference: Conference
    talks: list
    exports: ExportLinks

    @property
    def undated_count(self):
        return sum(not talk.has_known_date for talk in self.talks)


def talk_ids_query(talks):
    return urlencode([("talk", talk.pk) for talk in talks])


def by_conference(request, talks):
    selections = []
    for conference, group in groupby(talks, key=lambda talk: talk.conference):
        group = list(group)
        links = export_links(request, conference, talk_ids_query(group))
        selections.append(ConferenceSelection(conference, group, links))
    return selections


@public_page
def my_schedule(request):
    requested = request.GET.getlist("talk")
    context = {"requested": bool(requested), "selections": [], "unknown_ids": []}
    if not requested:
        return render(request, "talks/my_schedule.html", context)
    # Only the ids: the page is a selection, not a filtered list.
    data = QueryDict(mutable=True)
    data.setlist("talk", requested)
    filterset = TalkFilterSet(
        data,
        queryset=Talk.objects.for_listing().with_last_change().in_personal_schedule_order(),
    )
    if not filterset.is_valid():
        # An invalid filter is left out of the filtering: listing filterset.qs would show
        # every talk of the catalog, so the page lists none and says why.
        context["talk_errors"] = filterset.errors["talk"]
        return render(request, "talks/my_schedule.html", context, status=400)
    talks = list(filterset.qs)
    found = {talk.pk for talk in talks}
    unknown = dict.fromkeys(pk for pk in filterset.form.cleaned_data["talk"] if pk not in found)
    context.update(
        selections=by_conference(request, talks),
        unknown_ids=list(unknown),
        known_url=f"{reverse('talks:my-schedule')}?{talk_ids_query(talks)}" if talks else "",
        shown_ids=[talk.pk for talk in talks],
    )
    response = render(request, "talks/my_schedule.html", context)
    return with_last_modified(response, max((talk.last_change for talk in talks), default=None))
