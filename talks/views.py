from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.html import escape

from .models import Conference, Talk


def home(request):
    return render(request, "talks/home.html", {"conferences": Conference.objects.all()})


def talk_detail(request, conference, talk):
    # Placeholder so that the API's html_url resolves; the HTML pages replace it.
    talk = get_object_or_404(Talk, conference__slug=conference, slug=talk)
    return HttpResponse(f"<h1>{escape(talk.title)}</h1>")
