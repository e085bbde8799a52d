from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe

from ..caching import public_page, shows, shows_conference, with_last_modified
from ..filters import TalkFilterSet
from ..fragments import render_talks
from ..freshness import frame_scope, read_marks, talk_scope, talk_scopes
from ..models import Conference, Talk
from ..related import related_talk_rows
from ..templatetags.talk_items import TalkItems
from .export_links import export_counts, export_links
from .frames import framed, page_parts
from .pagination import paginate
from .structured_data import talk_event
from .talk_filters import (
    FORM_FIELDS,
    active_filters,
    canonical_query,
    dress_form,
    field_group,
    scoped_choices,
    valid_filters,
    without_empty_values,
)

TALKS_PER_PAGE = 20


@public_page
def talk_list(request, conference_slug):
    # The GET form sends every field, empty or not: redirect to the short URL worth sharing.
    short_query = without_empty_values(request.GET)
    if short_query is not None:
        return redirect(f"{request.path}?{short_query}" if short_query else request.path)
    conference = get_object_or_404(
        Conference.objects.with_counted_days_and_tracks(), slug=conference_slug
    )
    shows_conference(conference.pk)
    filterset = TalkFilterSet(
        request.GET,
        queryset=Talk.objects.for_talk_items().in_schedule_order(),
        conference=conference,
    )
    choices = scoped_choices(conference)
    form = dress_form(filterset.form, choices)
    # Invalid values are left out of the filtering (django-filter filters on the cleaned data
    # only), so the page still lists talks, and says which value it ignored and why. The page
    # is read as rows, and each talk's item is kept on its own (render_talks): after an edit,
    # only the edited talk is read and rendered again.
    rows = filterset.qs.values_list("pk", "conference_id")
    page, page_problem = paginate(request, rows, TALKS_PER_PAGE)
    talk_items = TalkItems()
    items = render_talks(
        page.object_list,
        filterset.queryset,
        lambda talk: talk_items.item(talk, heading_level=3),
        shared=("talk item", 3),
    )
    export_query = valid_filters(request.GET, filterset.errors).urlencode()
    context = {
        "conference": conference,
        "form": form,
        "form_fields": [field_group(form[name]) for name in FORM_FIELDS],
        "filter_errors": filterset.errors,
        "active_filters": active_filters(filterset, choices, request.GET),
        "page": page,
        "talk_items": mark_safe("".join(items)),  # escaped by TalkItems
        "page_problem": page_problem,
        "canonical_query": canonical_query(request.GET, filterset.errors, page),
        "export_query": export_query,
        "exports": export_links(request, conference, export_query),
        "export_counts": export_counts(filterset.qs),
    }
    status = 400 if filterset.errors or page_problem else 200
    response = render(request, "talks/talk_list.html", context, status=status)
    return with_last_modified(response, conference.newest_change())


@public_page
def talk_detail(request, conference_slug, talk_slug):
    found = (
        Talk.objects.filter(conference__slug=conference_slug, slug=talk_slug)
        .values_list("pk", "conference_id")
        .first()
    )
    if found is None:
        raise Http404("No such talk.")
    talk_id, conference_id = found
    scopes = (talk_scope(talk_id), frame_scope(conference_id))
    shows(*scopes)
    # Read before the talk is: a change committed meanwhile has a newer mark (talks.freshness).
    marks = read_marks(scopes)
    key = ("talk page", request.build_absolute_uri("/"), talk_id, marks.epoch, marks.newest(scopes))
    response, page = framed(
        request, key, lambda: talk_page(request, talk_id), after_content=watch_next
    )
    return with_last_modified(response, page["last_change"])


def watch_next(page):
    """The talks related to the page's (found when its fragment was built), each item kept
    under its own talk's marks: a related talk edited shows its new title here at once."""
    rows = page.get("related", [])
    if not rows:
        return ""
    shows(*(scope for row in rows for scope in talk_scopes(*row)))
    talk_items = TalkItems()
    items = render_talks(
        rows,
        Talk.objects.for_talk_items(),
        lambda talk: talk_items.item(talk, heading_level=3),
        shared=("talk item", 3),
    )
    return mark_safe(  # items escaped by TalkItems
        '<section class="watch-next" aria-labelledby="watch-next">\n'
        '<h2 id="watch-next">What to watch next</h2>\n'
        f'<ul class="talk-list">{"".join(items)}</ul>\n</section>'
    )


def talk_page(request, talk_id):
    """What a talk page shows of its talk: its fragment (``frames``)."""
    # Deleted since its id was read: the same 404 as a talk never there.
    talk = get_object_or_404(Talk.objects.for_detail(), pk=talk_id)
    context = {
        "conference": talk.conference,
        "talk": talk,
        "structured_data": talk_event(request, talk),
    }
    return {
        "parts": page_parts(request, "talks/talk_detail.html", context),
        "status": 200,
        "last_change": talk.shown_last_change,
        "related": related_talk_rows(talk),
    }
