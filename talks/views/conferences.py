from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from ..caching import public_page, shows_conference, with_last_modified
from ..filters import ConferenceFilterSet
from ..freshness import catalog_last_change
from ..models import Announcement, Conference, Talk, TalkKind
from ..schedule import group_by_day_and_track, listed_days, requested_day, schedule_grid
from .export_links import export_counts, export_links
from .pagination import paginate
from .structured_data import conference_event
from .talk_filters import canonical_query, conference_filter_form, field_group

# The conference page previews this many talks and links to the full, filterable list.
TALK_PREVIEW_SIZE = 30
# It lists this many keynotes and announcements, and links to the rest.
CONFERENCE_HIGHLIGHTS = 30
# The home page: a few recent and coming conferences with a few highlights each, then every
# conference in short, a page at a time.
HOME_CONFERENCES = 3
HOME_HIGHLIGHTS = 5
CONFERENCES_PER_PAGE = 50
# The filters /conferences/ offers; the API's ``search`` and ``ordering`` still work there.
CONFERENCE_FILTERS = ("year", "kind")


@public_page
def home(request):
    today = timezone.localdate()
    highlighted = Conference.objects.with_highlights(HOME_HIGHLIGHTS)
    page, page_problem = paginate(
        request, Conference.objects.newest_first().with_talk_count(), CONFERENCES_PER_PAGE
    )
    # Lists, not querysets: every query runs here, none while the template renders.
    context = {
        "recent": list(highlighted.ended_before(today)[:HOME_CONFERENCES]),
        "upcoming": list(highlighted.not_ended_by(today)[:HOME_CONFERENCES]),
        "page": page,
        "page_problem": page_problem,
    }
    response = render(request, "talks/home.html", context, status=400 if page_problem else 200)
    return with_last_modified(response, catalog_last_change())


@public_page
def conference_list(request):
    """Every conference and series in short (dates, place, talk count), newest first, a page
    at a time, filtered by year and kind: the list the home page ends with, at the address
    every conference's own starts with."""
    filterset = ConferenceFilterSet(
        request.GET, Conference.objects.newest_first().with_talk_count(), request=request
    )
    page, page_problem = paginate(request, filterset.qs, CONFERENCES_PER_PAGE)
    form = conference_filter_form(filterset.form)
    context = {
        "page": page,
        "page_problem": page_problem,
        "form_fields": [field_group(form[name]) for name in CONFERENCE_FILTERS],
        "filtered": any(request.GET.get(name) for name in CONFERENCE_FILTERS),
        "filter_errors": filterset.errors,
        "canonical_query": canonical_query(request.GET, filterset.errors, page),
    }
    status = 400 if filterset.errors or page_problem else 200
    response = render(request, "talks/conference_list.html", context, status=status)
    return with_last_modified(response, catalog_last_change())


@public_page
def conference_detail(request, conference_slug):
    conference = get_object_or_404(Conference.objects.for_page(), slug=conference_slug)
    shows_conference(conference.pk)
    talks = Talk.objects.filter(conference=conference).for_talk_items().in_schedule_order()
    keynotes = talks.keynotes()
    # The keynotes have their own section: the preview shows the other talks, each talk once.
    other_talks = talks.exclude(kind=TalkKind.KEYNOTE)
    announcements = Announcement.objects.filter(conference=conference)
    counts = export_counts(talks)
    keynote_count = keynotes.count()
    context = {
        "conference": conference,
        "keynotes": list(keynotes[:CONFERENCE_HIGHLIGHTS]),
        "keynote_count": keynote_count,
        "talks": list(other_talks[:TALK_PREVIEW_SIZE]),
        "talk_count": counts.talks,
        "other_talk_count": counts.talks - keynote_count,
        "export_counts": counts,
        "announcements": list(announcements.for_page_listing()[:CONFERENCE_HIGHLIGHTS]),
        "announcement_count": announcements.count(),
        "structured_data": conference_event(request, conference),
        "exports": export_links(request, conference),
    }
    response = render(request, "talks/conference_detail.html", context)
    return with_last_modified(response, conference.newest_change())


@public_page
def schedule(request, conference_slug):
    conference = get_object_or_404(Conference, slug=conference_slug)
    shows_conference(conference.pk)
    talks = Talk.objects.filter(conference=conference)
    days = group_by_day_and_track(talks.in_schedule_order().schedule_rows())
    # A bad day still shows the schedule (at its first day), and says why, as a 400.
    day, day_problem = requested_day(days, request.GET.getlist("day"))
    grid = schedule_grid(days, day, conference.tzinfo)
    context = {
        "conference": conference,
        "schedule": listed_days(days, grid),
        "grid": grid,
        "day_problem": day_problem,
        "exports": export_links(request, conference),
        "export_counts": export_counts(talks),
    }
    response = render(request, "talks/schedule.html", context, status=400 if day_problem else 200)
    return with_last_modified(response, conference.newest_change())
