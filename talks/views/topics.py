"""Topics across the catalog: every topic with its talk count, and each topic's talks from
every conference, newest conference first, filtered like a conference's talk list."""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render

from ..caching import public_page, with_last_modified
from ..filters import SEARCH_MAX_LENGTH, TalkFilterSet
from ..freshness import catalog_last_change
from ..models import Conference, Talk, Topic, TopicAlias
from .pagination import paginate
from .redirects import moved_permanently
from .talk_filters import (
    ChoicesWithCounts,
    SearchBox,
    active_filters,
    canonical_query,
    dress_form,
    field_group,
    without_empty_values,
)

TOPICS_PER_PAGE = 100
TALKS_PER_TOPIC_PAGE = 50
# The filters a topic's page offers: the conference is a choice among those with its talks.
TOPIC_FORM_FIELDS = ("q", "conference", "kind", "status")
# Past this many conferences on a topic, the conference filter is a text field for the slug.
CONFERENCE_CHOICES_MAX = 200


@public_page
def topic_list(request):
    """Every topic with published talks, the most talked about first; ``q`` finds topics by
    words of their names."""
    # NUL cannot be stored in text, nor looked for (PostgreSQL refuses it): it is no word.
    words = request.GET.get("q", "")[:SEARCH_MAX_LENGTH].replace("\x00", " ").split()
    topics = Topic.objects.most_talked_about().filter(talk_count__gt=0)
    for word in words:
        topics = topics.filter(Q(name__icontains=word) | Q(key__icontains=word))
    page, page_problem = paginate(request, topics, TOPICS_PER_PAGE)
    context = {"page": page, "page_problem": page_problem, "q": " ".join(words)}
    response = render(
        request, "talks/topic_list.html", context, status=400 if page_problem else 200
    )
    return with_last_modified(response, catalog_last_change())


@public_page
def topic_detail(request, topic_slug):
    topic = Topic.objects.filter(slug=topic_slug).first()
    if topic is None:
        alias = TopicAlias.objects.filter(slug=topic_slug).select_related("topic").first()
        if alias is None:
            raise Http404("No such topic.")
        # A topic merged into another: its address moved for good.
        return moved_permanently(request, alias.topic.get_absolute_url())
    on_topic = Talk.objects.filter(talk_topics__topic=topic)
    if not on_topic.exists():
        raise Http404("No published talk on this topic.")  # nor any word of its name shown
    short_query = without_empty_values(request.GET)
    if short_query is not None:
        return redirect(f"{request.path}?{short_query}" if short_query else request.path)
    filterset = TalkFilterSet(
        request.GET, queryset=on_topic.for_talk_items().in_catalog_order(), request=request
    )
    choices = _topic_choices(on_topic)
    form = _dress_topic_form(filterset.form, choices)
    page, page_problem = paginate(request, filterset.qs, TALKS_PER_TOPIC_PAGE)
    context = {
        "topic": topic,
        "form_fields": [field_group(form[name]) for name in TOPIC_FORM_FIELDS],
        "filter_errors": filterset.errors,
        "active_filters": active_filters(filterset, choices, request.GET),
        "page": page,
        "page_problem": page_problem,
        "canonical_query": canonical_query(request.GET, filterset.errors, page),
    }
    status = 400 if filterset.errors or page_problem else 200
    response = render(request, "talks/topic_detail.html", context, status=status)
    return with_last_modified(response, catalog_last_change())


def _topic_choices(on_topic):
    """The conferences holding the topic's talks (None when too many to list), with counts."""
    conferences = list(
        Conference.objects.filter(pk__in=on_topic.values("conference_id"))
        .newest_first()
        .values_list("slug", "name")[: CONFERENCE_CHOICES_MAX + 1]
    )
    return {
        "conference": conferences if len(conferences) <= CONFERENCE_CHOICES_MAX else None,
        "talk_counts": {},
    }


def _dress_topic_form(form, choices):
    """The talk list's dressing (kind, status, search), and the conference as a select."""
    dress_form(
        form,
        {"day": [], "track": [], "speaker": [], "topic": [], "language": [], "talk_counts": {}},
    )
    conference = form.fields["conference"]
    conference.label = "Conference"
    if choices["conference"] is not None:
        conference.help_text = ""
        conference.widget = ChoicesWithCounts([("", "Any conference"), *choices["conference"]], {})
    form.fields["q"].widget = SearchBox(attrs=form.fields["q"].widget.attrs)
    return form
