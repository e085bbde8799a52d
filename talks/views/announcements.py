from django.shortcuts import get_object_or_404, render

from ..models import Announcement, Conference
from .caching import public_page


@public_page
def announcement_list(request, conference_slug):
    conference = get_object_or_404(Conference, slug=conference_slug)
    context = {
        "conference": conference,
        "announcements": Announcement.objects.filter(conference=conference).for_page_listing(),
    }
    return render(request, "talks/announcement_list.html", context)


@public_page
def announcement_detail(request, conference_slug, announcement_slug):
    announcement = get_object_or_404(
        Announcement.objects.for_page_detail(),
        conference__slug=conference_slug,
        slug=announcement_slug,
    )
    context = {"conference": announcement.conference, "announcement": announcement}
    return render(request, "talks/announcement_detail.html", context)
