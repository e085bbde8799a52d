"""The API's viewsets: each wires a QuerySet method, a FilterSet and a serializer.

Permissions, authentication, filtering and pagination are configured once, in
``REST_FRAMEWORK`` (conference/settings.py): anonymous clients read, and writes need a user
with the Django model permission for the write. Every viewset gives its records an ETag and
honours If-Match (``concurrency.VersionedRecordMixin``), and answers anonymous reads from the
server-side store when it can (``StoredResponseMixin``).
"""

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from talks.caching import StoredResponses, shows, shows_conference
from talks.filters import (
    AnnouncementFilterSet,
    ConferenceFilterSet,
    DayFilterSet,
    ScheduleVersionFilterSet,
    SpeakerFilterSet,
    TalkFilterSet,
    TopicFilterSet,
    TrackFilterSet,
)
from talks.freshness import record_scopes
from talks.models import (
    Announcement,
    Conference,
    Day,
    Keynote,
    ScheduleVersion,
    Speaker,
    Talk,
    Topic,
    Track,
)

from . import serializers
from .concurrency import VersionedRecordMixin
from .deletion import (
    CONFIRM_PARAMETER,
    CONFIRM_SCHEMA_PARAMETER,
    CONFLICT_SCHEMA_RESPONSE,
    refuse_unconfirmed_cascade,
)
from .pagination import ConferenceMajorTalks
from .visibility import sees_unpublished


class StoredResponseMixin(StoredResponses):
    """For a catalog viewset: its lists and details answered from the store when they can be
    (``talks.caching``). A detail shows its record's scopes; a list narrowed to one conference
    (``?conference=``) shows that conference; any other list the whole catalog."""

    lists_one_conference = True  # False where a conference's records show others (speakers)

    def list(self, request, *args, **kwargs):
        return self.stored_or_built(self._list, request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self.stored_or_built(super().retrieve, request, *args, **kwargs)

    def _list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        filterset = getattr(self, "filterset", None)
        conference = filterset and getattr(filterset.form, "named_conference", None)
        if conference is not None and self.lists_one_conference:
            shows_conference(conference.pk)
        return response

    def get_object(self):
        record = super().get_object()
        shows(*record_scopes(record))
        return record


# Slugs and ids as the URL accepts them: anything else is a 404 before any query runs.
SLUG_PATTERN = r"[-a-zA-Z0-9_]+"
ID_PATTERN = r"[0-9]+"


@extend_schema_view(
    destroy=extend_schema(
        parameters=[CONFIRM_SCHEMA_PARAMETER],
        responses={204: None, 409: CONFLICT_SCHEMA_RESPONSE},
    )
)
class ConferenceViewSet(StoredResponseMixin, VersionedRecordMixin, viewsets.ModelViewSet):
    """Conferences, each with its links, days and tracks. Looked up by slug."""

    queryset = Conference.objects.for_detail()
    serializer_class = serializers.ConferenceSerializer
    filterset_class = ConferenceFilterSet
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN

    def perform_destroy(self, instance):
        refuse_unconfirmed_cascade(instance, self.request.query_params.get(CONFIRM_PARAMETER))
        super().perform_destroy(instance)


class DayViewSet(StoredResponseMixin, VersionedRecordMixin, viewsets.ModelViewSet):
    """The days of each conference, in the conference's own numbering."""

    queryset = Day.objects.for_listing()
    serializer_class = serializers.DaySerializer
    filterset_class = DayFilterSet
    lookup_value_regex = ID_PATTERN


class TrackViewSet(StoredResponseMixin, VersionedRecordMixin, viewsets.ModelViewSet):
    """The tracks of each conference."""

    queryset = Track.objects.for_listing()
    serializer_class = serializers.TrackSerializer
    filterset_class = TrackFilterSet
    lookup_value_regex = ID_PATTERN


class TalkListDetailMixin:
    """A list shows each talk in short, through ``for_listing()``; one talk, read or written,
    shows everything, through ``for_detail()``. Shared by talks and keynotes, so a keynote
    reads exactly as the same talk does under ``talks``."""

    filterset_class = TalkFilterSet
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        # Talk, or the Keynote proxy with managers of its own; staff who may view talks see
        # the unpublished ones too (only anonymous answers are ever stored).
        model = self.queryset.model
        talks = model.everything if sees_unpublished(self.request) else model.objects
        # A list comes in the pages' order unless ``ordering`` asks for another.
        if self.action == "list":
            return talks.for_listing().with_topics().in_catalog_order()
        return talks.for_detail()

    def get_serializer_class(self):
        if self.action == "list":
            return serializers.TalkSerializer
        return serializers.TalkDetailSerializer

    def paginate_queryset(self, queryset):
        # In catalog order (no ``ordering`` asked for), a page is read from the conferences
        # it spans rather than by sorting every talk; the talks of one conference are few
        # enough to sort, and counting per conference would only add work.
        in_catalog_order = (
            queryset.query.order_by == self.queryset.in_catalog_order().query.order_by
        )
        rows = queryset.prefetch_related(None).values_list("pk", "conference_id")
        if in_catalog_order and not self.request.query_params.get("conference"):
            rows = ConferenceMajorTalks(rows)
        page = super().paginate_queryset(rows)
        return None if page is None else serializers.TalkRows(page, queryset)


class TalkViewSet(
    StoredResponseMixin, VersionedRecordMixin, TalkListDetailMixin, viewsets.ModelViewSet
):
    """Talks of every kind, with their day, track, room and speakers in stage order."""

    queryset = Talk.objects.for_listing()


class KeynoteViewSet(
    StoredResponseMixin, VersionedRecordMixin, TalkListDetailMixin, viewsets.ReadOnlyModelViewSet
):
    """The keynotes: the talks of kind ``keynote``. Write them through ``talks``."""

    queryset = Keynote.objects.for_listing()


# A speaker in a list embeds their newest few talks, a speaker's own record more: a page of
# 100 speakers, or one speaker of 1,000 talks, stays well under 200 KB. ``talks_url`` has all.
TALKS_PER_LISTED_SPEAKER = 3
TALKS_PER_SPEAKER = 50


class SpeakerViewSet(StoredResponseMixin, VersionedRecordMixin, viewsets.ModelViewSet):
    """Speakers across conferences, each with their newest talks, how many they gave and a
    link to all of them. Looked up by slug."""

    queryset = Speaker.objects.all()
    lists_one_conference = False  # each speaker shows their newest talks, from any conference
    serializer_class = serializers.SpeakerSerializer
    filterset_class = SpeakerFilterSet
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN

    def get_queryset(self):
        shown = TALKS_PER_LISTED_SPEAKER if self.action == "list" else TALKS_PER_SPEAKER
        return Speaker.objects.for_api(shown)


class AnnouncementViewSet(StoredResponseMixin, VersionedRecordMixin, viewsets.ModelViewSet):
    """What was announced on stage: the talk it was made in, presenters, partners, links, items."""

    queryset = Announcement.objects.for_api()
    serializer_class = serializers.AnnouncementSerializer
    filterset_class = AnnouncementFilterSet
    lookup_value_regex = ID_PATTERN


class ScheduleVersionViewSet(StoredResponseMixin, viewsets.ReadOnlyModelViewSet):
    """Each conference's schedule changes, newest first: one version per import, one per day
    of edits by hand, each with its changes (new, cancelled, restored, moved, retitled,
    speakers changed, deleted). Read-only: the changes record themselves."""

    queryset = ScheduleVersion.objects.select_related("conference").with_changes()
    serializer_class = serializers.ScheduleVersionSerializer
    filterset_class = ScheduleVersionFilterSet
    lookup_value_regex = ID_PATTERN


class TopicViewSet(StoredResponseMixin, viewsets.ReadOnlyModelViewSet):
    """Topics across every conference, the most talked about first, each with its number of
    talks and a link to them. Read-only: topics come from imports and the admin."""

    queryset = Topic.objects.most_talked_about().filter(talk_count__gt=0)
    lists_one_conference = False
    serializer_class = serializers.TopicSerializer
    filterset_class = TopicFilterSet
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN


@csrf_exempt  # it changes nothing, and a write to a wrong path should be a 404 too, not a 403
def unknown_endpoint(request, *args, **kwargs):
    # Any other path under /api/v1/ (e.g. /talks/abc/) answers like the API's own 404s, in JSON.
    return JsonResponse({"detail": "Not found."}, status=404)
