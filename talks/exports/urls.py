"""Routes of the exports and feeds, included by ``talks.urls`` (namespace ``talks``).

Like the pages, they hold nothing personal; unlike them, caches may keep them a few minutes.
"""

from django.urls import path, re_path

from talks import feeds
from talks.views.caching import public_export

from . import views

urlpatterns = [
    re_path(
        r"^conferences/(?P<conference>[-\w]+)/schedule\.(?P<extension>ics|xml|json)$",
        views.schedule,
        name="schedule-export",
    ),
    path(
        "conferences/<slug:conference>/talks/<slug:talk>/calendar.ics",
        views.talk_calendar,
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
]
