from django.urls import re_path
from rest_framework.routers import DefaultRouter

from . import search, views

app_name = "api"

router = DefaultRouter()
router.register("conferences", views.ConferenceViewSet)
router.register("days", views.DayViewSet)
router.register("tracks", views.TrackViewSet)
router.register("talks", views.TalkViewSet)
router.register("keynotes", views.KeynoteViewSet)
router.register("speakers", views.SpeakerViewSet)
router.register("announcements", views.AnnouncementViewSet)
router.register("schedule-versions", views.ScheduleVersionViewSet)
router.register("topics", views.TopicViewSet)
router.register("search", search.SearchViewSet, basename="search")

# Only paths ending in a slash, so that APPEND_SLASH still redirects /api/v1/talks to /talks/.
urlpatterns = [*router.urls, re_path(r"^[\s\S]*/$", views.unknown_endpoint)]
