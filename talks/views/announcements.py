from django.shortcuts import get_object_or_404, render

from ..caching import public_page, shows_conference, with_last_modified
from ..models import Announcement, Conference


@public_page
def announcement_list(request, conference_slug):
    conference = get_object_or_404(Conference, slug=conference_slug)
    shows_conference(conference.pk)
    context = {
        "conference": conference,
        "announcements": Announcement.objects.filter(conference=conference).for_page_listing(),
    }
    response = render(request, "talks/announcement_list.html", context)
    return with_last_modified(response, conference.newest_change())


@public_page
def announcement_detail(request, conference_slug, announcement_slug):
    announcement = get_object_or_404(
        Announcement.objects.for_page_detail().with_last_change(),
        conference__slug=conference_slug,
        slug=announcement_slug,
    )
    shows_conference(announcement.conference_id)
    context = {"conference": announcement.conference, "announcement": announcement}
    response = render(request, "talks/announcement_detail.html", context)
    return with_last_modified(response, announcement.last_change)
