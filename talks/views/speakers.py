from django.http import Http404
from django.shortcuts import get_object_or_404, render

from ..caching import public_page, shows, with_last_modified
from ..filters import SpeakerFilterSet
from ..freshness import catalog_last_change, read_marks, speaker_page_scopes
from ..models import Speaker, SpeakerAlias, Talk
from .frames import framed, page_parts
from .pagination import paginate
from .redirects import moved_permanently

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
    speaker_id = Speaker.objects.filter(slug=speaker_slug).values_list("pk", flat=True).first()
    if speaker_id is None:
        alias = SpeakerAlias.objects.filter(slug=speaker_slug).select_related("speaker").first()
        if alias is None:
            raise Http404("No such speaker.")
        # Merged into another speaker: the address moved for good.
        return moved_permanently(request, alias.speaker.get_absolute_url())
    scopes = speaker_page_scopes(speaker_id)
    shows(*scopes)
    # Read before the speaker is: a change committed meanwhile has a newer mark.
    marks = read_marks(scopes)
    key = (
        "speaker page",
        request.build_absolute_uri(),
        speaker_id,
        marks.epoch,
        marks.newest(scopes),
    )
    response, page = framed(request, key, lambda: speaker_page(request, speaker_id))
    return with_last_modified(response, page["last_change"])


def speaker_page(request, speaker_id):
    """What a speaker's page shows of them: its fragment (``frames``)."""
    # Deleted since its id was read: the same 404 as a speaker never there.
    speaker = get_object_or_404(
        Speaker.objects.for_detail(ANNOUNCEMENTS_PER_SPEAKER_PAGE).with_last_change(),
        pk=speaker_id,
    )
    talks = Talk.objects.filter(talk_speakers__speaker=speaker).for_talk_items().in_speaker_order()
    page, page_problem = paginate(request, talks, TALKS_PER_SPEAKER_PAGE)
    context = {"speaker": speaker, "page": page, "page_problem": page_problem}
    return {
        "parts": page_parts(request, "talks/speaker_detail.html", context),
        "status": 400 if page_problem else 200,
        "last_change": speaker.last_change,
    }
