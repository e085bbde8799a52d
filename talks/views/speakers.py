from django.shortcuts import get_object_or_404, render

from ..freshness import catalog_last_change
from ..models import Speaker
from .caching import public_page, with_last_modified
from .pagination import paginate

SPEAKERS_PER_PAGE = 50


@public_page
def speaker_list(request):
    page, page_problem = paginate(request, Speaker.objects.for_listing(), SPEAKERS_PER_PAGE)
    context = {"page": page, "page_problem": page_problem}
    response = render(
        request, "talks/speaker_list.html", context, status=400 if page_problem else 200
    )
    return with_last_modified(response, catalog_last_change())


@public_page
def speaker_detail(request, speaker_slug):
    speaker = get_object_or_404(Speaker.objects.for_detail().with_last_change(), slug=speaker_slug)
    response = render(request, "talks/speaker_detail.html", {"speaker": speaker})
    return with_last_modified(response, speaker.last_change)
