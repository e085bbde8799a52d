"""Talks, keynotes, the order of their speakers and their links."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import OuterRef, Prefetch
from django.urls import reverse
from django.utils import timezone

from ..languages import language_code
from .base import (
    ChildManager,
    ChildNaturalKey,
    Link,
    LongTextField,
    TextFormat,
    Timestamped,
    WebAddressField,
    built_once,
    last_change,
    newest_update,
)
from .conferences import CATALOG_YEARS, Conference, Day, Room, Track
from .sources import ScheduleSource
from .speakers import Speaker

# A day of recording: longer is a typing slip (some channels publish whole-day streams).
MAX_DURATION_SECONDS = 24 * 60 * 60


class TalkStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class TalkKind(models.TextChoices):
    KEYNOTE = "keynote", "Keynote"
    SESSION = "session", "Session"
    WORKSHOP = "workshop", "Workshop"
    LIGHTNING = "lightning", "Lightning talk"
    PANEL = "panel", "Panel"
    OTHER = "other", "Other"


# A talk the calendar can place (``Talk.has_known_date``), and one the schedule files can.
KNOWN_START = models.Q(starts_at__isnull=False)
KNOWN_DATE = KNOWN_START | models.Q(day__date__isnull=False)


def stage_speakers(speakers):
    """Each talk's ``speakers`` (a Speaker queryset) in stage order, as its ``stage_speakers``
    list (``Talk.ordered_speakers``): a list per talk, not the queryset per talk a plain
    prefetch builds (a quarter of the time of fetching), ordered by the TalkSpeaker rows
    without loading them."""
    return Prefetch(
        "speakers",
        queryset=speakers.order_by("talk_roles__position", "talk_roles__id"),
        to_attr="stage_speakers",
    )


class ScheduleTalk:
    """A talk of ``TalkQuerySet.schedule_rows``: what the schedule page shows of it, and no
    more. ``day``, ``track`` and ``room`` are instances holding the columns named below."""

    # The talk's columns, then its day's, track's and room's, in the order of the query; each
    # model's in the order of its fields, as ``Model.from_db`` expects them.
    TALK = ("pk", "slug", "title", "kind", "status", "starts_at", "ends_at")
    DAY = ("id", "number", "date", "label")
    TRACK = ("id", "slug", "name")
    ROOM = ("id", "name")
    COLUMNS = (
        *TALK,
        *(f"day__{name}" for name in DAY),
        *(f"track__{name}" for name in TRACK),
        *(f"room__{name}" for name in ROOM),
    )
    __slots__ = (*TALK, "day", "track", "room", "speaker_names")

    @classmethod
    def places(cls):
        """The slices of a row of ``COLUMNS`` holding the day's, track's and room's columns."""
        day = slice(len(cls.TALK), len(cls.TALK) + len(cls.DAY))
        track = slice(day.stop, day.stop + len(cls.TRACK))
        return day, track, slice(track.stop, track.stop + len(cls.ROOM))

    def __init__(self, pk, slug, title, kind, status, starts_at, ends_at, day, track, room):
        self.pk, self.slug, self.title, self.kind, self.status = pk, slug, title, kind, status
        self.starts_at, self.ends_at = starts_at, ends_at
        self.day, self.track, self.room = day, track, room
        self.speaker_names = []  # in stage order

    @property
    def is_cancelled(self):
        return self.status == TalkStatus.CANCELLED


class TalkQuerySet(models.QuerySet):
    """Each method returns talks with exactly the related rows one kind of page needs."""

    def keynotes(self):
        return self.filter(kind=TalkKind.KEYNOTE)

    def scheduled(self):
        """The talks that are to happen (or happened): not cancelled."""
        return self.filter(status=TalkStatus.SCHEDULED)

    def in_schedule_order(self):
        """As the pages list a conference's talks: by day and start, those without either
        last (on every database), then by title."""
        return self.order_by(*self._schedule_order())

    def in_catalog_order(self):
        """Conferences as the catalog lists them (newest first), each's talks in schedule
        order; the primary key last, so that pages of a list neither repeat nor skip a talk."""
        return self.order_by(
            models.F("conference__start_date").desc(nulls_last=True),
            "conference__name",
            "conference_id",
            *self._schedule_order(),
            "pk",
        )

    def in_speaker_order(self):
        """As a speaker's page lists their talks: newest conference first, each in schedule
        order; the primary key last, so that pages neither repeat nor skip a talk."""
        return self.order_by(
            models.F("conference__start_date").desc(nulls_last=True),
            "conference__slug",
            *self._schedule_order(),
            "pk",
        )

    @staticmethod
    def _schedule_order():
        return (
            models.F("day__number").asc(nulls_last=True),
            models.F("starts_at").asc(nulls_last=True),
            "title",
        )

    def with_speakers(self):
        return self.prefetch_related(stage_speakers(Speaker.objects.select_related("organization")))

    def for_listing(self):
        """Talks with their conference, day, track, room and ordered speakers."""
        return self.select_related("conference", "day", "track", "room").with_speakers()

    def with_topics(self):
        """Talks with their topics by name, as ``named_topics`` (``Talk.topic_list``)."""
        from .topics import Topic

        return self.prefetch_related(
            Prefetch("topics", queryset=Topic.objects.order_by("name"), to_attr="named_topics")
        )

    def schedule_rows(self):
        """The talks as the schedule page shows them, as a list of ScheduleTalk: their day,
        track and room, and their speakers' names, in two queries. A busy day shows every one
        of a thousand talks, and building model instances for them (four a talk, with the day,
        track and room) was half of the page's time; here the rows are tuples, and each day,
        track and room is built once however many talks it holds (docs/performance.md,
        "Schedule grid")."""
        places = {}  # (model, pk) -> the one instance of that day, track or room

        def place(model, names, values):
            if values[0] is None:
                return None
            key = (model, values[0])
            if key not in places:
                places[key] = model.from_db(self.db, names, values)
            return places[key]

        day, track, room = ScheduleTalk.places()
        talks = {}
        for row in self.values_list(*ScheduleTalk.COLUMNS):
            talks[row[0]] = ScheduleTalk(
                *row[: day.start],
                place(Day, ScheduleTalk.DAY, row[day]),
                place(Track, ScheduleTalk.TRACK, row[track]),
                place(Room, ScheduleTalk.ROOM, row[room]),
            )
        # The talks' own query as a subquery: a conference of ten thousand talks would
        # otherwise pass ten thousand parameters. A talk added since the first query may have
        # speakers here: it is not on this page, nor are they.
        speakers = TalkSpeaker.objects.filter(talk__in=self.order_by().values("pk"))
        for talk_id, name in speakers.values_list("talk_id", "speaker__name"):  # stage order
            if talk_id in talks:
                talks[talk_id].speaker_names.append(name)
        return list(talks.values())

    def for_talk_items(self):
        """Talks with only what a list of talk items shows (``talk_items`` in
        talks/templatetags/talk_items.py): their conference, day, track and speakers, with the
        columns shown. Whole rows of all of them took half of a speaker page's time."""
        return (
            self.select_related("conference", "day", "track")
            .only(
                "slug",
                "title",
                "kind",
                "status",
                "starts_at",
                "ends_at",
                "duration",
                "thumbnail",
                "thumbnail_width",
                "thumbnail_height",
                "conference__slug",
                "conference__name",
                "conference__time_zone",
                "day__number",
                "day__label",
                "day__date",
                "track__slug",
                "track__name",
            )
            .prefetch_related(
                stage_speakers(
                    Speaker.objects.select_related("organization").only(
                        "slug", "name", "organization__name"
                    )
                )
            )
        )

    def for_calendar(self):
        """Talks with everything the calendar export and the feeds write (not their links):
        their conference, day, track and room, and their speakers' names as a list per talk
        (``stage_speakers``; a third of an export's time went to prefetching otherwise)."""
        return (
            self.select_related("conference", "day", "track", "room")
            .prefetch_related(stage_speakers(Speaker.objects.only("name")))
            .in_schedule_order()
        )

    def for_export(self):
        """Talks with everything the schedule exports write: ``for_calendar()`` and their
        links, as a list per talk (``export_links``), like the speakers."""
        return self.for_calendar().prefetch_related(
            Prefetch("links", queryset=TalkLink.objects.all(), to_attr="export_links")
        )

    def for_detail(self):
        from .announcements import Announcement

        return (
            self.for_listing()
            .with_topics()
            .prefetch_related(
                "links",
                Prefetch("announcements", queryset=Announcement.objects.order_by("position", "id")),
            )
        )

    def with_last_change(self):
        """Each talk with ``last_change``: the newest change to it, its conference, day, track,
        room, speakers or the announcements made in it, the date of its page."""
        return self.annotate(last_change=self._last_change())

    @staticmethod
    @built_once
    def _last_change():
        from .announcements import Announcement

        return last_change(
            "conference__updated_at",
            "day__updated_at",
            "track__updated_at",
            "room__updated_at",
            newest_update(Speaker.objects.filter(talk_roles__talk=OuterRef("pk"))),
            newest_update(Announcement.objects.filter(talk=OuterRef("pk"))),
        )

    # --- My schedule (issue 5): starred talks of any conferences on one page ---------------
    def in_personal_schedule_order(self):
        """Grouped by conference (newest first), then in each conference's schedule order."""
        return self.order_by(
            models.F("conference__start_date").desc(nulls_last=True),
            "conference__name",
            "conference_id",
            models.F("day__number").asc(nulls_last=True),
            models.F("starts_at").asc(nulls_last=True),
            "title",
        )


TalkManager = ChildManager.from_queryset(TalkQuerySet, "TalkManager")


class PublishedTalkManager(TalkManager):
    """The talks anyone may see: every public page, export, feed, sitemap, search and
    anonymous API read starts from ``Talk.objects``, so a talk unpublished is hidden from all
    of them at once. Imports, the admin, backups, validation and related managers use
    ``Talk.everything`` (the default manager)."""

    def get_queryset(self):
        return super().get_queryset().filter(published=True)


class Talk(Timestamped, ChildNaturalKey):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="talks")
    slug = models.SlugField(max_length=150)
    title = models.CharField(max_length=300)
    subtitle = models.CharField(max_length=500, blank=True)
    language = models.CharField(
        max_length=100, blank=True, help_text="As the source gives it, e.g. “en” or “de, en”."
    )
    language_code = models.CharField(
        max_length=3,
        blank=True,
        db_index=True,
        editable=False,
        help_text="ISO 639-3 code of its (first) language, read from “language”: the filter.",
    )
    kind = models.CharField(max_length=20, choices=TalkKind, default=TalkKind.SESSION)
    status = models.CharField(
        max_length=10,
        choices=TalkStatus,
        default=TalkStatus.SCHEDULED,
        help_text="A cancelled talk keeps its page, which says so; schedules leave it out.",
    )
    cancelled_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When it was cancelled."
    )
    source = models.ForeignKey(
        ScheduleSource,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="talks",
        help_text="The schedule it was imported from: imports touch only their own talks.",
    )
    withdrawn = models.BooleanField(
        default=False,
        editable=False,
        help_text="Cancelled because its source no longer lists it; restored if it comes back.",
    )
    published = models.BooleanField(
        default=True,
        help_text="An unpublished talk is hidden from every public page, export, feed, search "
        "and anonymous API read; staff see it in the admin and the API.",
    )
    withheld = models.BooleanField(
        default=False,
        editable=False,
        help_text="Unpublished because its source withholds it (pyvideo's NO_PUBLISH.json); "
        "published again when the source no longer does.",
    )
    day = models.ForeignKey(
        Day, on_delete=models.SET_NULL, null=True, blank=True, related_name="talks"
    )
    track = models.ForeignKey(
        Track, on_delete=models.SET_NULL, null=True, blank=True, related_name="talks"
    )
    room = models.ForeignKey(
        Room, on_delete=models.SET_NULL, null=True, blank=True, related_name="talks"
    )
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    duration = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_DURATION_SECONDS)],
        help_text="Length of its recording in seconds, as the source gives it (pyvideo); "
        "without it, a talk's length is its slot's, from start to end.",
    )
    abstract = LongTextField(blank=True)
    abstract_format = models.CharField(
        max_length=10,
        choices=TextFormat,
        default=TextFormat.PLAIN,
        help_text="How the abstract is written: pages render it, text outputs strip it.",
    )
    speakers = models.ManyToManyField(
        Speaker, through="TalkSpeaker", related_name="talks", blank=True
    )
    topics = models.ManyToManyField(
        "talks.Topic", through="talks.TalkTopic", related_name="talks", blank=True
    )
    video_url = WebAddressField("video URL", blank=True)
    thumbnail_url = WebAddressField(
        "thumbnail URL",
        blank=True,
        help_text="A still of the video on its host, as the source gives it; fetch_thumbnails "
        "copies it here, so pages load nothing from the host.",
    )
    thumbnail = models.FileField(
        upload_to="thumbnails/", blank=True, editable=False, help_text="Our copy, re-encoded."
    )
    thumbnail_source = models.CharField(
        max_length=500, blank=True, editable=False, help_text="The URL our copy was made from."
    )
    thumbnail_width = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    thumbnail_height = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    slides_url = WebAddressField("slides URL", blank=True)
    code_url = WebAddressField("code URL", blank=True)
    # NULL, not "", for talks that have no source: the unique constraint ignores NULLs.
    guid = models.CharField(  # noqa: DJ001
        max_length=255,
        null=True,
        blank=True,
        help_text=(
            "Identity of the event in the schedule it was imported from (its guid, or its id "
            "when it has none); re-imports match on it."
        ),
    )
    note = LongTextField(blank=True, help_text="Editorial note, e.g. where a source was corrected.")

    everything = TalkManager()
    objects = PublishedTalkManager()
    derived_fields = {"language_code": ("language", lambda language: language_code(language))}

    class Meta:
        default_manager_name = "everything"
        ordering = ["conference", "day__number", "starts_at", "title"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "slug"], name="unique_talk_slug"),
            models.UniqueConstraint(fields=["conference", "guid"], name="unique_talk_guid"),
        ]
        indexes = [
            models.Index(fields=["conference", "kind"], name="talk_conference_kind"),
            models.Index(fields=["conference", "starts_at"], name="talk_conference_start"),
            models.Index(fields=["title"], name="talk_title"),
            models.Index(fields=["conference", "status"], name="talk_conference_status"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Cancelling dates itself, whoever cancels (admin, API, import); restoring clears it.
        if self.status == TalkStatus.CANCELLED:
            self.cancelled_at = self.cancelled_at or timezone.now()
        else:
            self.cancelled_at, self.withdrawn = None, False
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("talks:talk-detail", args=[self.conference.slug, self.slug])

    @property
    def is_cancelled(self):
        return self.status == TalkStatus.CANCELLED

    @property
    def is_keynote(self):
        return self.kind == TalkKind.KEYNOTE

    @property
    def local_starts_at(self):
        if self.starts_at is None:
            return None
        return timezone.localtime(self.starts_at, self.conference.tzinfo)

    @property
    def still_url(self):
        """Our copy of its video's still, served from this origin; "" without one."""
        if not self.thumbnail:
            return ""
        return reverse("talks:still", args=[self.thumbnail.name.rsplit("/", 1)[-1]])

    @property
    def length(self):
        """Its length as a timedelta: the recording's, else the slot's; None if unknown."""
        if self.duration is not None:
            return datetime.timedelta(seconds=self.duration)
        if self.starts_at and self.ends_at and self.ends_at > self.starts_at:
            return self.ends_at - self.starts_at
        return None

    @property
    def local_ends_at(self):
        if self.ends_at is None:
            return None
        return timezone.localtime(self.ends_at, self.conference.tzinfo)

    @property
    def has_known_date(self):
        """A start time, or a day with a date: what a calendar entry needs (``KNOWN_DATE``)."""
        return self.starts_at is not None or (self.day is not None and self.day.date is not None)

    @property
    def shown_last_change(self):
        """``with_last_change()``'s value, read from the rows ``for_detail()`` fetched with the
        talk rather than by subqueries (compiling them was a third of a talk page's time)."""
        shown = [self.conference, self.day, self.track, self.room, *self.ordered_speakers]
        shown += self.announcements.all()
        return max([self.updated_at, *(row.updated_at for row in shown if row is not None)])

    @property
    def topic_list(self):
        """Its topics by name: prefetched by ``with_topics()``, else read now."""
        if hasattr(self, "named_topics"):
            return self.named_topics
        return list(self.topics.order_by("name"))

    @property
    def ordered_speakers(self):
        """Speakers in stage order; uses the prefetch of ``TalkQuerySet.with_speakers``, or the
        list ``stage_speakers`` prefetches."""
        if "stage_speakers" in self.__dict__:
            return self.stage_speakers
        return [talk_speaker.speaker for talk_speaker in self.talk_speakers.all()]

    def clean(self):
        errors = {}
        conference_id = self.conference_id
        for field in ("day", "track", "room"):
            related = getattr(self, field) if getattr(self, f"{field}_id") else None
            if related is not None and related.conference_id != conference_id:
                errors[field] = (
                    f"{related} belongs to {related.conference}, not to this talk's conference."
                )
        for field in ("starts_at", "ends_at"):
            value = getattr(self, field)
            if value and value.year not in CATALOG_YEARS:
                errors[field] = f"Times run from {CATALOG_YEARS[0]} to {CATALOG_YEARS[-1]}."
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = "The end must come after the start."
        if self.ends_at and not self.starts_at:
            errors["ends_at"] = "An end time needs a start time."
        if conference_id:
            # Pages show local times: a time that has none (e.g. 9999-12-31 23:30 UTC in a
            # zone east of UTC) would break them.
            for field in ("starts_at", "ends_at"):
                try:
                    getattr(self, f"local_{field}")
                except OverflowError:
                    errors[field] = "This time is out of range in the conference's time zone."
        if (
            "day" not in errors
            and "starts_at" not in errors
            and self.starts_at
            and self.day_id
            and self.day.date
            and conference_id
            and self.local_starts_at.date() != self.day.date
        ):
            errors["starts_at"] = (
                f"The start ({self.local_starts_at:%Y-%m-%d %H:%M} local time) "
                f"is not on {self.day.title}, {self.day.date:%Y-%m-%d}."
            )
        if errors:
            raise ValidationError(errors)


class KeynoteManager(TalkManager):
    def get_queryset(self):
        return super().get_queryset().keynotes()


class PublishedKeynoteManager(KeynoteManager):
    def get_queryset(self):
        return super().get_queryset().filter(published=True)


class Keynote(Talk):
    """The talks of kind keynote: the same table, with an admin and API endpoint of their own."""

    everything = KeynoteManager()
    objects = PublishedKeynoteManager()

    class Meta:
        proxy = True
        default_manager_name = "everything"

    def save(self, *args, **kwargs):
        self.kind = TalkKind.KEYNOTE
        super().save(*args, **kwargs)


class TalkSpeakerManager(models.Manager):
    def get_by_natural_key(self, conference_slug, talk_slug, speaker_slug):
        return self.get(
            talk__conference__slug=conference_slug, talk__slug=talk_slug, speaker__slug=speaker_slug
        )


class TalkSpeaker(models.Model):
    """A speaker's place on a talk; ``position`` keeps the order they appeared in."""

    talk = models.ForeignKey(Talk, on_delete=models.CASCADE, related_name="talk_speakers")
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="talk_roles")
    position = models.PositiveSmallIntegerField(default=0)
    credited_as = models.CharField(
        max_length=200,
        blank=True,
        help_text="The name as the imported source credits it; a speaker is named by the "
        "spelling most of their talks credit.",
    )

    objects = TalkSpeakerManager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["talk", "speaker"], name="unique_talk_speaker")
        ]

    def __str__(self):
        return f"{self.speaker} on {self.talk}"

    def natural_key(self):
        return (*self.talk.natural_key(), *self.speaker.natural_key())


class TalkLink(Link):
    """Links beyond the video, slides and code, e.g. a second recording or a related page."""

    talk = models.ForeignKey(Talk, on_delete=models.CASCADE, related_name="links")

    natural_key_fields = ("talk", "url")
    objects = ChildManager()

    class Meta(Link.Meta):
        constraints = [models.UniqueConstraint(fields=["talk", "url"], name="unique_talk_link")]
