from django.shortcuts import get_object_or_404, render

from ..caching import public_page, shows, with_last_modified
from ..filters import SpeakerFilterSet
from ..freshness import catalog_last_change, conference_scope, speaker_scope
from ..models import Speaker, Talk
from .pagination import paginate

SPEAKERS_PER_PAGE = 50
# Each speaker in the list shows their newest few talks and links to the rest on their page.
TALKS_PER_LISTED_SPEAKER = 5
TALKS_PER_SPEAKER_PAGE = 50
# A speaker page names the newest announcements they made; each conference lists all of its.
ANNOUNCEMENTS_PER_SPEAKER_PAGE = 20


@public_page
def speaker_list(request):
    filterset = SpeakerFilterSet(
        request.GET,
        queryset=Speaker.objects.for_listing(TALKS_PER_LISTED_SPEAKER).order_by("name", "pk"),
    )
    # An unknown conference is left out of the filtering, and the page says so (as talk lists).
    page, page_problem = paginate(request, filterset.qs, SPEAKERS_PER_PAGE)
    context = {
        "page": page,
        "page_problem": page_problem,
        "filter_errors": filterset.errors,
        "conference": filterset.form.named_conference,
        "talks_per_speaker": TALKS_PER_LISTED_SPEAKER,
    }
    status = 400 if filterset.errors or page_problem else 200
    response = render(request, "talks/speaker_list.html", context, status=status)
    return with_last_modified(response, catalog_last_change())


@public_page
def speaker_detail(request, speaker_slug):
    speaker = get_object_or_404(
        Speaker.objects.for_detail(ANNOUNCEMENTS_PER_SPEAKER_PAGE).with_last_change(),
        slug=speaker_slug,
    )
    talks = Talk.objects.filter(talk_speakers__speaker=speaker).for_talk_items().in_speaker_order()
    page, page_problem = paginate(request, talks, TALKS_PER_SPEAKER_PAGE)
    shown = [*page.object_list, *speaker.recent_announcements]
    shows(speaker_scope(speaker.pk), *{conference_scope(row.conference_id) for row in shown})
    context = {"speaker": speaker, "page": page, "page_problem": page_problem}
    response = render(
        request, "talks/speaker_detail.html", context, status=400 if page_problem else 200
    )
    return with_last_modified(response, speaker.last_change)
