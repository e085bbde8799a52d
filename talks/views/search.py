import re

from django import forms
from django.shortcuts import redirect, render

from ..caching import public_page
from ..languages import language_code
from ..models import Conference, Talk, Topic, Track
from ..search import search_catalog
from ..search.forms import SearchForm
from .pagination import paginate
from .talk_filters import language_choices, without_empty_values

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")
RESULTS_PER_PAGE = 20
# Past this many conferences a select is too long to use: the filter takes the slug instead.
CONFERENCE_CHOICES_MAX = 50
# The topics offered: the most talked about (one asked for by its slug is added).
TOPIC_CHOICES_MAX = 200


@public_page
def search(request):
    # The GET form sends every field, empty or not: redirect to the short URL worth sharing.
    short_query = without_empty_values(request.GET)
    if short_query is not None:
        return redirect(f"{request.path}?{short_query}" if short_query else request.path)
    form = _dressed(SearchForm(request.GET))
    form.is_valid()  # an invalid filter is left out and reported, the others still apply
    hits = search_catalog(form.query, form.filters)
    page, page_problem = paginate(request, hits, RESULTS_PER_PAGE)
    context = {
        "form": form,
        "query": form.query.strip(),
        "hits": hits,
        "page": page,
        "page_problem": page_problem,
        "errors": form.errors,
    }
    status = 400 if form.errors or page_problem else 200
    # No Last-Modified: the newest change among the hits would cost a query over all of them
    # (the ETag of ConditionalGetMiddleware still answers a revisit with a 304).
    return render(request, "talks/search.html", context, status=status)


def _dressed(form):
    """Selects for conference and year (from the catalog) and for kind, so nobody types them."""
    conferences = list(Conference.objects.newest_first()[: CONFERENCE_CHOICES_MAX + 1])
    if len(conferences) <= CONFERENCE_CHOICES_MAX:
        form.fields["conference"].widget = forms.Select(
            choices=[("", "Any conference")] + [(c.slug, c.name) for c in conferences]
        )
    else:
        form.fields["conference"].help_text = "The slug in the address of the conference's page."
    years = Conference.objects.dates("start_date", "year", order="DESC")
    form.fields["year"].widget = forms.Select(
        choices=[("", "Any year")] + [(str(day.year), str(day.year)) for day in years]
    )
    form.fields["track"].widget = forms.Select(choices=_track_choices(form))
    topics = list(
        Topic.objects.most_talked_about()
        .filter(talk_count__gt=0)
        .values_list("slug", "name")[:TOPIC_CHOICES_MAX]
    )
    asked = _asked_slug(form, "topic")
    if asked and asked not in dict(topics):
        topics += Topic.objects.filter(slug=asked).values_list("slug", "name")
    form.fields["topic"].widget = forms.Select(choices=[("", "Any topic"), *topics])
    # The language asked for stays chosen however it was written ("en", "English").
    asked = form.data.get("language", "")
    asked_code = language_code(asked)
    languages = [
        (asked if code == asked_code else code, name)
        for code, name in language_choices(Talk.objects.all())
    ]
    form.fields["language"].widget = forms.Select(choices=[("", "Any language"), *languages])
    form.fields["q"].widget.input_type = "search"
    form.label_suffix = ""
    return form


def _asked_slug(form, name):
    """The slug the address gives for ``name``, or "" when it is no slug: a value with NUL or
    markup is never looked up (the form reports it)."""
    value = form.data.get(name, "")
    return value if SLUG.fullmatch(value) else ""


def _track_choices(form):
    """The tracks of the conference asked for; without one, the field says to choose one."""
    slug = _asked_slug(form, "conference")
    tracks = list(Track.objects.filter(conference__slug=slug).values_list("slug", "name"))
    if not tracks:
        form.fields["track"].help_text = (
            "Choose a conference first: its tracks are listed here."
            if not slug
            else "This conference has no tracks."
        )
        return [("", "Any track")]
    return [("", "Any track"), *tracks]
