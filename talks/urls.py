from django.urls import path, re_path

from . import feeds
from .caching import public_export
from .sitemaps import sitemap_index, sitemap_section
from .views import (
    announcements,
    changelog,
    conferences,
    exports,
    media,
    my_schedule,
    search,
    speakers,
    talks,
    topics,
    web_app,
)

app_name = "talks"

# --- The public HTML pages (see README, "Pages") -----------------------------------------------
urlpatterns = [
    # Exports and feeds first: /conferences/<conf>/talks/feed/ must not be read as a talk slug.
    # Like the pages, they hold nothing personal; unlike them, caches may keep them a while.
    re_path(
        r"^conferences/(?P<conference>[-\w]+)/schedule\.(?P<extension>ics|xml|json)$",
        exports.schedule,
        name="schedule-export",
    ),
    path(
        "conferences/<slug:conference>/talks/<slug:talk>/calendar.ics",
        exports.talk_calendar,
        name="talk-calendar",
    ),
    path(
        "announcements/feed/", public_export(feeds.AnnouncementsFeed()), name="announcements-feed"
    ),
    path(
        "conferences/<slug:conference>/announcements/feed/",
        public_export(feeds.ConferenceAnnouncementsFeed()),
        name="conference-announcements-feed",
    ),
    path(
        "conferences/<slug:conference>/talks/feed/",
        public_export(feeds.ConferenceTalksFeed()),
        name="conference-talks-feed",
    ),
    path(
        "speakers/<slug:slug>/feed/", public_export(feeds.SpeakerTalksFeed()), name="speaker-feed"
    ),
    path(
        "conferences/<slug:conference>/changes/feed/",
        public_export(feeds.ScheduleChangesFeed()),
        name="schedule-changes-feed",
    ),
    path("", conferences.home, name="home"),
    path("conferences/", conferences.conference_list, name="conference-list"),
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
        "conferences/<slug:conference_slug>/changes/",
        changelog.schedule_changes,
        name="schedule-changes",
    ),
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
    # Subjects across every conference (pyvideo's tags, folded and merged).
    path("topics/", topics.topic_list, name="topic-list"),
    path("topics/<slug:topic_slug>/", topics.topic_detail, name="topic-detail"),
    # One ranked search over talks, speakers and conferences (talks.search).
    path("search/", search.search, name="search"),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemap_section, name="sitemap-section"),
    path("manifest.webmanifest", web_app.manifest, name="web-app-manifest"),
    # Video stills copied by fetch_thumbnails, from any storage backend.
    path("media/thumbnails/<str:name>", media.still, name="still"),
    # Starred talks, kept in the reader's browser (issue 5).
    path("my-schedule/", my_schedule.my_schedule, name="my-schedule"),
]
