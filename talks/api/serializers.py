"""What the API shows of each record, and how it validates writes.

Related records appear as nested summaries (``*SummarySerializer``) so that a client needs no
second request to show a talk's day, track or speakers. Writes take the short keys instead
(``SummaryRelatedField``) and are checked with the model's own ``full_clean()``, the same rules
as the admin and the catalog loader.
"""

from collections import Counter

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils.functional import cached_property
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from talks import changelog
from talks.fragments import fragments, render_talks, version
from talks.freshness import note_changes, read_marks
from talks.models import (
    Announcement,
    AnnouncementItem,
    AnnouncementLink,
    Conference,
    ConferenceLink,
    ConferenceSource,
    Day,
    Organization,
    ScheduleChange,
    ScheduleVersion,
    Speaker,
    SpeakerLink,
    Talk,
    TalkLink,
    TalkSpeaker,
    Timestamped,
    Topic,
    Track,
)
from talks.models import WebAddressField as WebAddressModelField

from ..languages import language_names
from ..url_patterns import UrlPattern
from .fields import (
    StrictCharField,
    StrictIntegerField,
    StrictSlugField,
    SummaryRelatedField,
    TimeZoneField,
    WebAddressField,
)
from .links import IdentityLinkField
from .renderers import encoded
from .visibility import sees_unpublished

# --- Summaries: what a record shows of the records it refers to --------------------------------


class ConferenceSummarySerializer(serializers.ModelSerializer):
    url = IdentityLinkField(view_name="api:conference-detail", lookup_field="slug")

    class Meta:
        model = Conference
        fields = ["slug", "name", "url"]


class DaySummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Day
        fields = ["id", "number", "date", "label"]


class TrackSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Track
        fields = ["id", "slug", "name"]


class OrganizationSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["slug", "name", "website"]


class SpeakerSummarySerializer(serializers.ModelSerializer):
    url = IdentityLinkField(view_name="api:speaker-detail", lookup_field="slug")
    organization = OrganizationSummarySerializer(allow_null=True)

    class Meta:
        model = Speaker
        fields = ["slug", "name", "organization", "url"]


class TopicSummarySerializer(serializers.ModelSerializer):
    url = IdentityLinkField(view_name="api:topic-detail", lookup_field="slug")

    class Meta:
        model = Topic
        fields = ["slug", "name", "url"]


class TalkSummarySerializer(serializers.ModelSerializer):
    url = IdentityLinkField(view_name="api:talk-detail")
    conference = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    day = DaySummarySerializer(allow_null=True)

    class Meta:
        model = Talk
        fields = ["id", "url", "conference", "slug", "title", "kind", "day", "starts_at"]


class AnnouncementSummarySerializer(serializers.ModelSerializer):
    url = IdentityLinkField(view_name="api:announcement-detail")

    class Meta:
        model = Announcement
        fields = ["id", "url", "slug", "title"]


def link_serializer(link_model):
    """The read-only shape shared by every kind of link."""
    meta = type("Meta", (), {"model": link_model, "fields": ["title", "url", "kind"]})
    name = f"{link_model.__name__}Serializer"
    return type(name, (serializers.ModelSerializer,), {"Meta": meta})


class ConferenceSourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConferenceSource
        fields = ["title", "author", "published", "url", "note"]


# --- Validation with the model's rules ---------------------------------------------------------


# Saves through full_clean(), so a write obeys the same rules as the admin. Many-to-many values
# are set after the row is saved, in the same transaction; a subclass handles a relation with
# an order of its own in save_many(). Every resource also shows when its record was created and
# last changed, read-only (the fields are not editable). (A comment, not a docstring: docstrings
# of serializers become descriptions in the OpenAPI schema.)
class ModelRulesSerializer(serializers.ModelSerializer):
    # Numbers stay numbers and text stays text: no coercion between JSON types.
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.SlugField: StrictSlugField,
        models.IntegerField: StrictIntegerField,
        models.SmallIntegerField: StrictIntegerField,
        models.PositiveIntegerField: StrictIntegerField,
        models.PositiveSmallIntegerField: StrictIntegerField,
        models.BigIntegerField: StrictIntegerField,
        WebAddressModelField: WebAddressField,
    }

    def get_field_names(self, declared_fields, info):
        names = super().get_field_names(declared_fields, info)
        if issubclass(self.Meta.model, Timestamped):
            names = [*names, "created_at", "updated_at"]
        return names

    def create(self, validated_data):
        return self._save(self.Meta.model(), validated_data)

    def update(self, instance, validated_data):
        return self._save(instance, validated_data)

    def _save(self, instance, validated_data):
        many = {
            field.source: validated_data.pop(field.source)
            for field in self.fields.values()
            if isinstance(field, serializers.ManyRelatedField) and field.source in validated_data
        }
        for name, value in validated_data.items():
            setattr(instance, name, value)
        try:
            instance.full_clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc
        try:
            with transaction.atomic():
                instance.save()
                for source, values in many.items():
                    self.save_many(instance, source, values)
        except IntegrityError as exc:
            # A concurrent write took the same slug between full_clean() and save().
            raise serializers.ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: ["It conflicts with a record just saved."]}
            ) from exc
        return instance

    def save_many(self, instance, source, values):
        getattr(instance, source).set(values)


# --- The resources -----------------------------------------------------------------------------


class ConferenceSerializer(ModelRulesSerializer):
    url = IdentityLinkField(view_name="api:conference-detail", lookup_field="slug")
    links = link_serializer(ConferenceLink)(many=True, read_only=True)
    sources = ConferenceSourceSerializer(many=True, read_only=True)
    days = DaySummarySerializer(many=True, read_only=True)
    tracks = TrackSummarySerializer(many=True, read_only=True)
    time_zone = TimeZoneField(
        required=False, help_text=Conference._meta.get_field("time_zone").help_text
    )

    class Meta:
        model = Conference
        fields = [
            "url",
            "slug",
            "name",
            "kind",
            "tagline",
            "description",
            "venue",
            "city",
            "region",
            "country",
            "time_zone",
            "start_date",
            "end_date",
            "website",
            "attendance",
            "note",
            "sources",
            "links",
            "days",
            "tracks",
        ]


def conference_field():
    return SummaryRelatedField(
        ConferenceSummarySerializer, lookup_field="slug", queryset=Conference.objects.all()
    )


class DaySerializer(ModelRulesSerializer):
    url = IdentityLinkField(view_name="api:day-detail")
    conference = conference_field()

    class Meta:
        model = Day
        fields = ["id", "url", "conference", "number", "date", "label", "description"]


class TrackSerializer(ModelRulesSerializer):
    url = IdentityLinkField(view_name="api:track-detail")
    conference = conference_field()

    class Meta:
        model = Track
        fields = ["id", "url", "conference", "slug", "name", "description"]


class TalkRows:
    """A page of talks read as (id, conference id) rows rather than as records: the records,
    with everything they show, are fetched from ``records`` only for the rows whose JSON no
    fragment holds yet (``FragmentListSerializer``). Building the models of a page of 50 talks
    with their speakers was two thirds of the API list's time."""

    def __init__(self, rows, records):
        self.rows = rows
        self.records = records


class FragmentListSerializer(serializers.ListSerializer):
    # A list whose records are each turned into JSON once per version of what they show
    # (talks.fragments): the marks of their scopes for TalkRows, the child's shown_versions()
    # for records. Turning talks into JSON was half of a page of 50. Links differ by host and
    # keep a requested format (a ".json" suffix, a "?format=" parameter), so both are in the
    # key; so is the catalog's epoch, which retire_stored_responses renews after rows were
    # written behind the signals.
    def to_representation(self, data):
        request = self.context.get("request")
        links = (
            (
                request.build_absolute_uri("/"),
                self.context.get("format"),
                request.query_params.get(api_settings.URL_FORMAT_OVERRIDE),
            )
            if request
            else None
        )
        child = self.child
        if isinstance(data, TalkRows):
            return render_talks(
                data.rows,
                data.records,
                lambda talk: encoded(child.to_representation(talk)),
                (type(child), links),
            )
        records = list(data.all() if isinstance(data, models.manager.BaseManager) else data)
        shared = (type(child), links, read_marks().epoch)
        return fragments.render_each(
            records,
            lambda record: (*shared, child.shown_versions(record)),
            lambda record: encoded(child.to_representation(record)),
        )


class TalkSerializer(ModelRulesSerializer):
    url = IdentityLinkField(view_name="api:talk-detail")
    html_url = serializers.SerializerMethodField()
    conference = conference_field()
    day = SummaryRelatedField(
        DaySummarySerializer, queryset=Day.objects.all(), required=False, allow_null=True
    )
    track = SummaryRelatedField(
        TrackSummarySerializer, queryset=Track.objects.all(), required=False, allow_null=True
    )
    room = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)
    speakers = SummaryRelatedField(
        SpeakerSummarySerializer,
        lookup_field="slug",
        queryset=Speaker.objects.all(),
        many=True,
        required=False,
        source="ordered_speakers",
        help_text="In stage order; write a list of speaker slugs.",
    )
    topics = TopicSummarySerializer(
        many=True, read_only=True, source="topic_list", help_text="By name; edited in the admin."
    )
    language_name = serializers.SerializerMethodField(
        help_text="The language by name (“English”), whatever code the source wrote."
    )

    class Meta:
        model = Talk
        fields = [
            "id",
            "url",
            "html_url",
            "conference",
            "slug",
            "title",
            "subtitle",
            "language",
            "language_name",
            "kind",
            "status",
            "cancelled_at",
            "published",
            "day",
            "track",
            "starts_at",
            "ends_at",
            "duration",
            "room",
            "abstract",
            "abstract_format",
            "speakers",
            "topics",
            "video_url",
            "slides_url",
            "code_url",
        ]
        list_serializer_class = FragmentListSerializer

    @staticmethod
    def shown_versions(talk):
        """The versions of everything a talk's representation shows (FragmentListSerializer)."""
        return (
            version(talk),
            version(talk.conference),
            version(talk.day),
            version(talk.track),
            version(talk.room),
            tuple((version(s), version(s.organization)) for s in talk.ordered_speakers),
            tuple(version(topic) for topic in talk.topic_list),
        )

    @cached_property
    def talk_pages(self):
        request = self.context["request"]
        return UrlPattern(
            lambda conference, talk: request.build_absolute_uri(
                reverse("talks:talk-detail", args=[conference, talk])
            ),
            arity=2,
        )

    @extend_schema_field(OpenApiTypes.STR)
    def get_language_name(self, talk):
        return language_names(talk.language)

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, talk):
        # The URL of Talk.get_absolute_url(), filled in rather than reversed for every row.
        return self.talk_pages.fill(talk.conference.slug, talk.slug)

    def validate_speakers(self, speakers):
        # A speaker has one place on stage (TalkSpeaker is unique per talk and speaker).
        repeated = [slug for slug, n in Counter(s.slug for s in speakers).items() if n > 1]
        if repeated:
            listed = ", ".join(f"“{slug}”" for slug in repeated)
            raise serializers.ValidationError(f"Each speaker may appear once; {listed} repeats.")
        return speakers

    def save_many(self, instance, source, values):
        if source != "ordered_speakers":
            return super().save_many(instance, source, values)
        before = list(instance.talk_speakers.values_list("speaker_id", flat=True))
        instance.talk_speakers.all().delete()
        TalkSpeaker.objects.bulk_create(
            TalkSpeaker(talk=instance, speaker=speaker, position=position)
            for position, speaker in enumerate(values, start=1)
        )
        # bulk_create sends no signals: the new speakers' pages list this talk now.
        note_changes(talks=[instance.pk], speaker_pages=[speaker.pk for speaker in values])
        changelog.speakers_changed(instance, before, [speaker.pk for speaker in values])
        return None


class TalkDetailSerializer(TalkSerializer):
    links = link_serializer(TalkLink)(many=True, read_only=True)
    announcements = AnnouncementSummarySerializer(many=True, read_only=True)

    class Meta(TalkSerializer.Meta):
        fields = [*TalkSerializer.Meta.fields, "links", "announcements", "note"]


class SpeakerSerializer(ModelRulesSerializer):
    url = IdentityLinkField(view_name="api:speaker-detail", lookup_field="slug")
    organization = SummaryRelatedField(
        OrganizationSummarySerializer,
        lookup_field="slug",
        queryset=Organization.objects.all(),
        required=False,
        allow_null=True,
    )
    links = link_serializer(SpeakerLink)(many=True, read_only=True)
    talks = serializers.SerializerMethodField(
        help_text="Their newest talks, newest conference first: a few in a list, more in a "
        "speaker's own record; talks_url lists them all."
    )
    talk_count = serializers.SerializerMethodField(help_text="How many talks they gave in all.")
    talks_url = serializers.SerializerMethodField(
        help_text="All their talks: the talk list filtered by this speaker."
    )

    class Meta:
        model = Speaker
        fields = [
            "url",
            "slug",
            "name",
            "role",
            "organization",
            "bio",
            "links",
            "talks",
            "talk_count",
            "talks_url",
        ]
        list_serializer_class = FragmentListSerializer

    @staticmethod
    def shown_versions(speaker):
        """The versions of everything a speaker's representation shows (FragmentListSerializer)."""
        return (
            version(speaker),
            version(speaker.organization),
            getattr(speaker, "talk_count", 0),
            tuple((link.url, link.title, link.kind) for link in speaker.links.all()),
            tuple(
                (version(talk), version(talk.conference), version(talk.day))
                for talk in getattr(speaker, "recent_talks", [])
            ),
        )

    @extend_schema_field(TalkSummarySerializer(many=True))
    def get_talks(self, speaker):
        # Through the recent_talks prefetch of Speaker.objects.for_api(); a speaker just
        # created through the API has none.
        return self.talk_summaries.to_representation(getattr(speaker, "recent_talks", []))

    @extend_schema_field(OpenApiTypes.INT)
    def get_talk_count(self, speaker):
        return getattr(speaker, "talk_count", 0)

    @extend_schema_field(OpenApiTypes.URI)
    def get_talks_url(self, speaker):
        return self.speaker_talks.fill(speaker.slug)

    @cached_property
    def talk_summaries(self):
        # One for all the speakers of a response, not one per speaker.
        return TalkSummarySerializer(many=True, context=self.context)

    @cached_property
    def speaker_talks(self):
        request = self.context["request"]
        talk_list = request.build_absolute_uri(reverse("api:talk-list"))
        return UrlPattern(lambda slug: f"{talk_list}?speaker={slug}")


class TopicSerializer(serializers.ModelSerializer):
    url = IdentityLinkField(view_name="api:topic-detail", lookup_field="slug")
    html_url = serializers.HyperlinkedIdentityField(
        view_name="talks:topic-detail", lookup_field="slug", lookup_url_kwarg="topic_slug"
    )
    talk_count = serializers.IntegerField(read_only=True, help_text="Its published talks.")
    talks_url = serializers.SerializerMethodField(
        help_text="Its talks: the talk list filtered by this topic."
    )

    class Meta:
        model = Topic
        fields = ["url", "html_url", "slug", "name", "talk_count", "talks_url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_talks_url(self, topic):
        talk_list = self.context["request"].build_absolute_uri(reverse("api:talk-list"))
        return f"{talk_list}?topic={topic.slug}"


class AnnouncementItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AnnouncementItem
        fields = ["name", "description", "url"]


class AnnouncementSerializer(ModelRulesSerializer):
    url = IdentityLinkField(view_name="api:announcement-detail")
    conference = conference_field()
    talk = SummaryRelatedField(
        TalkSummarySerializer,
        queryset=Talk.everything.all(),
        required=False,
        allow_null=True,
        help_text="The talk or keynote it was announced in.",
    )
    presenters = SummaryRelatedField(
        SpeakerSummarySerializer,
        lookup_field="slug",
        queryset=Speaker.objects.all(),
        many=True,
        required=False,
    )
    partners = SummaryRelatedField(
        OrganizationSummarySerializer,
        lookup_field="slug",
        queryset=Organization.objects.all(),
        many=True,
        required=False,
    )
    links = link_serializer(AnnouncementLink)(many=True, read_only=True)
    items = AnnouncementItemSerializer(many=True, read_only=True)

    class Meta:
        model = Announcement
        fields = [
            "id",
            "url",
            "conference",
            "slug",
            "title",
            "summary",
            "talk",
            "presenters",
            "partners",
            "position",
            "links",
            "items",
            "note",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        hidden = instance.talk_id and instance.public_talk is None
        if hidden and not sees_unpublished(self.context.get("request")):
            data["talk"] = None  # made in a talk the reader may not see
        return data


class ScheduleChangeSerializer(serializers.ModelSerializer):
    talk = serializers.HyperlinkedRelatedField(
        view_name="api:talk-detail",
        read_only=True,
        help_text="The talk's API record; null once the talk is deleted.",
    )

    class Meta:
        model = ScheduleChange
        fields = ["kind", "talk", "talk_title", "talk_slug", "before", "after", "created_at"]


class ScheduleVersionSerializer(serializers.ModelSerializer):
    conference = ConferenceSummarySerializer(read_only=True)
    title = serializers.CharField(read_only=True, help_text="As the changes page heads it.")
    changes = ScheduleChangeSerializer(many=True, read_only=True)

    class Meta:
        model = ScheduleVersion
        fields = ["id", "conference", "kind", "name", "title", "edits_of", "created_at", "changes"]
