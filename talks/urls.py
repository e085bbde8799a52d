from django.urls import include, path

from .sitemaps import sitemap_index, sitemap_section
from .views import announcements, conferences, my_schedule, search, speakers, talks, web_app

app_name = "talks"

# --- The public HTML pages (see README, "Pages") -----------------------------------------------
urlpatterns = [
    # Exports and feeds first: /conferences/<conf>/talks/feed/ must not be read as a talk slug.
    path("", include("talks.exports.urls")),
    path("", conferences.home, name="home"),
    path(
        "conferences/<slug:conference_slug>/",
        conferences.conference_detail,
        name="conference-detail",
    ),
    path("conferences/<slug:conference_slug>/talks/", talks.talk_list, name="talk-list"),
    path(
        "conferences/<slug:conference_slug>/talks/<slug:talk_slug>/",
        talks.talk_detail,
        name="talk-detail",
    ),
    path("conferences/<slug:conference_slug>/schedule/", conferences.schedule, name="schedule"),
    path(
        "conferences/<slug:conference_slug>/announcements/",
        announcements.announcement_list,
        name="announcement-list",
    ),
    path(
        "conferences/<slug:conference_slug>/announcements/<slug:announcement_slug>/",
        announcements.announcement_detail,
        name="announcement-detail",
    ),
    path("speakers/", speakers.speaker_list, name="speaker-list"),
    path("speakers/<slug:speaker_slug>/", speakers.speaker_detail, name="speaker-detail"),
    # One ranked search over talks, speakers and conferences (talks.search).
    path("search/", search.search, name="search"),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemap_section, name="sitemap-section"),
    path("manifest.webmanifest", web_app.manifest, name="web-app-manifest"),
    # Starred talks, kept in the reader's browser (issue 5).
    path("my-schedule/", my_schedule.my_schedule, name="my-schedule"),
]
