"""Routes of the exports and feeds, included by ``talks.urls`` (namespace ``talks``)."""

from django.urls import path, re_path

from talks import feeds

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
    path("announcements/feed/", feeds.AnnouncementsFeed(), name="announcements-feed"),
    path(
        "conferences/<slug:conference>/announcements/feed/",
        feeds.ConferenceAnnouncementsFeed(),
        name="conference-announcements-feed",
    ),
    path(
        "conferences/<slug:conference>/talks/feed/",
        feeds.ConferenceTalksFeed(),
        name="conference-talks-feed",
    ),
    path("speakers/<slug:slug>/feed/", feeds.SpeakerTalksFeed(), name="speaker-feed"),
]
