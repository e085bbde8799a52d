from django.shortcuts import get_object_or_404, render

from ..models import Speaker
from .caching import public_page
from .pagination import paginate

SPEAKERS_PER_PAGE = 50


@public_page
def speaker_list(request):
    page, page_problem = paginate(request, Speaker.objects.for_listing(), SPEAKERS_PER_PAGE)
    context = {"page": page, "page_problem": page_problem}
    return render(request, "talks/speaker_list.html", context, status=400 if page_problem else 200)


@public_page
def speaker_detail(request, speaker_slug):
    speaker = get_object_or_404(Speaker.objects.for_detail(), slug=speaker_slug)
    return render(request, "talks/speaker_detail.html", {"speaker": speaker})
