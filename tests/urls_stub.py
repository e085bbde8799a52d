"""Test-only URLconf: the project's routes plus stand-ins for the HTML pages that exports and
feeds link to (talk, announcement, speaker and conference pages), until those pages exist on
this branch. Drop it once ``talks:talk-detail`` and its siblings are real routes."""

from django.http import HttpResponse
from django.urls import include, path

from talks import urls as talks_urls


def page(request, **kwargs):
    return HttpResponse("stand-in page")


stand_in_pages = [
    path("conferences/<slug:conference>/", page, name="conference-detail"),
    path("conferences/<slug:conference>/talks/<slug:talk>/", page, name="talk-detail"),
    path(
        "conferences/<slug:conference>/announcements/<slug:slug>/",
        page,
        name="announcement-detail",
    ),
    path("speakers/<slug:slug>/", page, name="speaker-detail"),
]

urlpatterns = [
    path("", include((talks_urls.urlpatterns + stand_in_pages, "talks"))),
]
