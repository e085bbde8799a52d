"""A conference's schedule changes (``talks.changelog``): the versions, newest first."""

from django.shortcuts import get_object_or_404, render

from ..caching import public_page, shows_conference, with_last_modified
from ..models import Conference, ScheduleVersion
from .pagination import paginate

VERSIONS_PER_PAGE = 20


@public_page
def schedule_changes(request, conference_slug):
    conference = get_object_or_404(Conference, slug=conference_slug)
    shows_conference(conference.pk)
    versions = ScheduleVersion.objects.filter(conference=conference).with_changes()
    page, page_problem = paginate(request, versions, VERSIONS_PER_PAGE)
    context = {"conference": conference, "page": page, "page_problem": page_problem}
    response = render(
        request, "talks/schedule_changes.html", context, status=400 if page_problem else 200
    )
    return with_last_modified(response, conference.newest_change())
