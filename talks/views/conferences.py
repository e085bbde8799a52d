from django.shortcuts import get_object_or_404, render

from ..freshness import catalog_last_change
from ..models import Announcement, Conference, Talk, TalkKind
from ..schedule import group_by_day_and_track, requested_day, schedule_grid
from .caching import public_page, with_last_modified
from .export_links import export_counts, export_links
from .structured_data import conference_event

# The conference page previews this many talks and links to the full, filterable list.
TALK_PREVIEW_SIZE = 30


@public_page
def home(request):
    # Lists, not querysets: every query runs here, none while the template renders.
    conferences = list(Conference.objects.newest_first().with_highlights())
    response = render(request, "talks/home.html", {"conferences": conferences})
    return with_last_modified(response, catalog_last_change())


@public_page
def conference_detail(request, conference_slug):
    conference = get_object_or_404(
        Conference.objects.for_page().with_last_change(), slug=conference_slug
    )
    talks = Talk.objects.filter(conference=conference).for_listing().in_schedule_order()
    keynotes = list(talks.keynotes())
    # The keynotes have their own section: the preview shows the other talks, each talk once.
    other_talks = talks.exclude(kind=TalkKind.KEYNOTE)
    counts = export_counts(talks)
    context = {
        "conference": conference,
        "keynotes": keynotes,
        "talks": list(other_talks[:TALK_PREVIEW_SIZE]),
        "talk_count": counts.talks,
        "other_talk_count": counts.talks - len(keynotes),
        "export_counts": counts,
        "announcements": list(
            Announcement.objects.filter(conference=conference).for_page_listing()
        ),
        "structured_data": conference_event(request, conference),
        "exports": export_links(request, conference),
    }
    response = render(request, "talks/conference_detail.html", context)
    return with_last_modified(response, conference.last_change)


@public_page
def schedule(request, conference_slug):
    conference = get_object_or_404(Conference.objects.with_last_change(), slug=conference_slug)
    talks = Talk.objects.filter(conference=conference).for_listing().in_schedule_order()
    days = group_by_day_and_track(talks)
    # A bad day still shows the schedule (at its first day), and says why, as a 400.
    day, day_problem = requested_day(days, request.GET.get("day"))
    context = {
        "conference": conference,
        "schedule": days,
        "grid": schedule_grid(days, day, conference.tzinfo),
        "day_problem": day_problem,
        "exports": export_links(request, conference),
        "export_counts": export_counts(talks),
    }
    response = render(request, "talks/schedule.html", context, status=400 if day_problem else 200)
    return with_last_modified(response, conference.last_change)
