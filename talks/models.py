"""The catalog's domain: conferences and what happened at them.

Every model has a natural key, so that fixtures and catalog YAML carry no database ids and
loading the same file twice updates rows instead of duplicating them. Validity rules live in
``clean()`` so that the admin, the API and the loaders all share them.
"""

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify


def validate_time_zone(value):
    try:
        zoneinfo.ZoneInfo(value)
    # OSError: a long or odd name becomes a file path that the OS refuses (e.g. too long).
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ValidationError(f"“{value}” is not a known IANA time zone.") from exc


class WebAddressField(models.URLField):
    """A URL whose form field assumes https:// when an editor leaves the scheme out."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 500)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class LinkKind(models.TextChoices):
    WEBSITE = "website", "Website"
    VIDEO = "video", "Video"
    PLAYLIST = "playlist", "Playlist"
    SLIDES = "slides", "Slides"
    CODE = "code", "Code"
    BLOG = "blog", "Blog post"
    PRODUCT = "product", "Product page"
    RESOURCE = "resource", "Resource"


class ChildManager(models.Manager):
    """Looks up a ``ChildNaturalKey`` record by its parent's natural key and its own field."""

    def get_by_natural_key(self, *key):
        parent_field, own_field = self.model.natural_key_fields
        parent_model = self.model._meta.get_field(parent_field).related_model
        parent = parent_model._default_manager.get_by_natural_key(*key[:-1])
        return self.get(**{parent_field: parent, own_field: key[-1]})


class ChildNaturalKey(models.Model):
    """A record unique within its parent: its natural key is (*parent's key, own field).

    Serialization orders records after the ones their foreign keys point to on its own, so no
    ``natural_key.dependencies`` are needed.
    """

    natural_key_fields = ("conference", "slug")

    class Meta:
        abstract = True

    def natural_key(self):
        parent_field, own_field = self.natural_key_fields
        return (*getattr(self, parent_field).natural_key(), getattr(self, own_field))


class Link(ChildNaturalKey):
    """A titled, ordered link owned by one parent record (see the concrete subclasses)."""

    title = models.CharField(max_length=200, blank=True)
    url = WebAddressField()
    kind = models.CharField(max_length=20, choices=LinkKind, default=LinkKind.RESOURCE)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self):
        return self.title or self.url


# --- Organizations -----------------------------------------------------------------------------


class OrganizationManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Organization(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    website = WebAddressField(blank=True)

    objects = OrganizationManager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


# --- Conferences -------------------------------------------------------------------------------


class ConferenceQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by(models.F("start_date").desc(nulls_last=True), "name")

    def with_highlights(self):
        """Each conference with ``keynote_list``, ``announcement_list`` and ``talk_count``."""
        return self.annotate(talk_count=models.Count("talks")).prefetch_related(
            Prefetch(
                "talks",
                queryset=Talk.objects.keynotes().select_related("day").in_schedule_order(),
                to_attr="keynote_list",
            ),
            Prefetch(
                "announcements",
                queryset=Announcement.objects.select_related("talk"),
                to_attr="announcement_list",
            ),
        )

    def for_detail(self):
        return self.prefetch_related("days", "tracks", "links")


class ConferenceManager(models.Manager.from_queryset(ConferenceQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Conference(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    tagline = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    venue = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=100, blank=True)
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text="IANA name of the local time zone, e.g. America/Chicago.",
    )
    start_date = models.DateField(null=True, blank=True, db_index=True)
    end_date = models.DateField(null=True, blank=True)
    website = WebAddressField(blank=True)
    note = models.TextField(
        blank=True, help_text="Editorial note, e.g. where a source was corrected."
    )

    objects = ConferenceManager()

    class Meta:
        ordering = [models.F("start_date").desc(nulls_last=True), "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("talks:conference-detail", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The conference cannot end before it starts."})


class ConferenceLink(Link):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="links")

    natural_key_fields = ("conference", "url")
    objects = ChildManager()

    class Meta(Link.Meta):
        constraints = [
            models.UniqueConstraint(fields=["conference", "url"], name="unique_conference_link")
        ]


class ConferencePartQuerySet(models.QuerySet):
    """Days and tracks: shown with the conference they belong to."""

    def for_listing(self):
        return self.select_related("conference")


ConferencePartManager = ChildManager.from_queryset(ConferencePartQuerySet, "ConferencePartManager")


class Day(ChildNaturalKey):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="days")
    number = models.PositiveSmallIntegerField(
        help_text="The conference's own numbering (a workshop pre-day may be Day 0)."
    )
    date = models.DateField(null=True, blank=True, db_index=True)
    label = models.CharField(max_length=100, blank=True, help_text="e.g. “Workshops”.")
    description = models.TextField(blank=True)

    natural_key_fields = ("conference", "number")
    objects = ConferencePartManager()

    class Meta:
        ordering = ["conference", "number"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "number"], name="unique_day_number"),
            models.UniqueConstraint(fields=["conference", "date"], name="unique_day_date"),
        ]

    def __str__(self):
        return f"{self.conference}: {self.title}"

    @property
    def title(self):
        name = f"Day {self.number}"
        return f"{name} ({self.label})" if self.label else name

    def clean(self):
        conference = self.conference if self.conference_id else None
        if conference and self.date:
            outside = (conference.start_date and self.date < conference.start_date) or (
                conference.end_date and self.date > conference.end_date
            )
            if outside:
                raise ValidationError(
                    {"date": f"The date must fall within the dates of {conference}."}
                )


class Track(ChildNaturalKey):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="tracks")
    slug = models.SlugField(max_length=100)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    natural_key_fields = ("conference", "slug")
    objects = ConferencePartManager()

    class Meta:
        ordering = ["conference", "name"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "slug"], name="unique_track_slug")
        ]

    def __str__(self):
        return self.name


class Room(ChildNaturalKey):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(max_length=200)

    natural_key_fields = ("conference", "name")
    objects = ChildManager()

    class Meta:
        ordering = ["conference", "name"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "name"], name="unique_room_name")
        ]

    def __str__(self):
        return self.name


# --- Speakers ----------------------------------------------------------------------------------


class SpeakerQuerySet(models.QuerySet):
    def for_listing(self):
        """Speakers with their organization and talks (each with its conference)."""
        return self.select_related("organization").prefetch_related(
            Prefetch(
                "talks",
                queryset=Talk.objects.select_related("conference").order_by(
                    models.F("conference__start_date").desc(nulls_last=True), "title"
                ),
            )
        )

    def for_detail(self):
        """A speaker with links, talks across conferences and the announcements they made."""
        return self.select_related("organization").prefetch_related(
            "links",
            Prefetch(
                "talks",
                queryset=Talk.objects.for_listing().order_by(
                    models.F("conference__start_date").desc(nulls_last=True),
                    "conference__slug",
                    models.F("day__number").asc(nulls_last=True),
                    models.F("starts_at").asc(nulls_last=True),
                    "title",
                ),
            ),
            Prefetch(
                "announcements",
                queryset=Announcement.objects.select_related("conference", "talk"),
            ),
        )

    def for_api(self):
        """A speaker with organization, links and talk places in schedule order (the API)."""
        return self.select_related("organization").prefetch_related(
            "links",
            Prefetch(
                "talk_roles",
                queryset=TalkSpeaker.objects.select_related(
                    "talk__conference", "talk__day", "talk__track"
                ).order_by(
                    models.F("talk__conference__start_date").desc(nulls_last=True),
                    models.F("talk__day__number").asc(nulls_last=True),
                    models.F("talk__starts_at").asc(nulls_last=True),
                    "talk__title",
                ),
            ),
        )


class SpeakerManager(models.Manager.from_queryset(SpeakerQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Speaker(models.Model):
    slug = models.SlugField(
        max_length=100, unique=True, help_text="slugify(name), with a suffix only on a clash."
    )
    name = models.CharField(max_length=200, db_index=True)
    role = models.CharField(max_length=200, blank=True, help_text="Role or job title.")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="speakers",
    )
    bio = models.TextField(blank=True)
    note = models.TextField(blank=True)

    objects = SpeakerManager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("talks:speaker-detail", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    @classmethod
    def unique_slug_for(cls, name):
        """slugify(name), with a numeric suffix only when another speaker already has it."""
        base = slugify(name) or "speaker"
        slug, suffix = base, 2
        while cls.objects.filter(slug=slug).exists():
            slug, suffix = f"{base}-{suffix}", suffix + 1
        return slug


class SpeakerLink(Link):
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="links")

    natural_key_fields = ("speaker", "url")
    objects = ChildManager()

    class Meta(Link.Meta):
        constraints = [
            models.UniqueConstraint(fields=["speaker", "url"], name="unique_speaker_link")
        ]


# --- Talks -------------------------------------------------------------------------------------


class TalkKind(models.TextChoices):
    KEYNOTE = "keynote", "Keynote"
    SESSION = "session", "Session"
    WORKSHOP = "workshop", "Workshop"
    LIGHTNING = "lightning", "Lightning talk"
    PANEL = "panel", "Panel"
    OTHER = "other", "Other"


class TalkQuerySet(models.QuerySet):
    """Each method returns talks with exactly the related rows one kind of page needs."""

    def keynotes(self):
        return self.filter(kind=TalkKind.KEYNOTE)

    def in_schedule_order(self):
        return self.order_by(
            models.F("day__number").asc(nulls_last=True),
            models.F("starts_at").asc(nulls_last=True),
            "title",
        )

    def with_speakers(self):
        return self.prefetch_related(
            Prefetch(
                "talk_speakers",
                queryset=TalkSpeaker.objects.select_related("speaker__organization"),
            )
        )

    def for_listing(self):
        """Talks with their conference, day, track, room and ordered speakers."""
        return self.select_related("conference", "day", "track", "room").with_speakers()

    def for_export(self):
        """Talks with everything the calendar and schedule exports and feeds write."""
        return self.for_listing().prefetch_related("links").in_schedule_order()

    def for_detail(self):
        return self.for_listing().prefetch_related(
            "links",
            Prefetch("announcements", queryset=Announcement.objects.order_by("position", "id")),
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


class Talk(ChildNaturalKey):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="talks")
    slug = models.SlugField(max_length=150)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=TalkKind, default=TalkKind.SESSION)
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
    abstract = models.TextField(blank=True)
    speakers = models.ManyToManyField(
        Speaker, through="TalkSpeaker", related_name="talks", blank=True
    )
    video_url = WebAddressField("video URL", blank=True)
    slides_url = WebAddressField("slides URL", blank=True)
    code_url = WebAddressField("code URL", blank=True)
    guid = models.UUIDField(
        null=True,
        blank=True,
        help_text="Identity in an imported schedule (the frab event guid), kept for re-imports.",
    )
    note = models.TextField(
        blank=True, help_text="Editorial note, e.g. where a source was corrected."
    )

    objects = TalkManager()

    class Meta:
        ordering = ["conference", "day__number", "starts_at", "title"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "slug"], name="unique_talk_slug"),
            models.UniqueConstraint(fields=["conference", "guid"], name="unique_talk_guid"),
        ]
        indexes = [
            models.Index(fields=["conference", "kind"], name="talk_conference_kind"),
            models.Index(fields=["conference", "starts_at"], name="talk_conference_start"),
            models.Index(fields=["title"], name="talk_title"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("talks:talk-detail", args=[self.conference.slug, self.slug])

    @property
    def is_keynote(self):
        return self.kind == TalkKind.KEYNOTE

    @property
    def local_starts_at(self):
        if self.starts_at is None:
            return None
        return timezone.localtime(self.starts_at, self.conference.tzinfo)

    @property
    def local_ends_at(self):
        if self.ends_at is None:
            return None
        return timezone.localtime(self.ends_at, self.conference.tzinfo)

    @property
    def has_known_date(self):
        """A start time, or a day with a date: what a calendar entry needs."""
        return self.starts_at is not None or (self.day is not None and self.day.date is not None)

    @property
    def ordered_speakers(self):
        """Speakers in stage order; uses the prefetch of ``TalkQuerySet.with_speakers``."""
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


class Keynote(Talk):
    """The talks of kind keynote: the same table, with an admin and API endpoint of their own."""

    objects = KeynoteManager()

    class Meta:
        proxy = True

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


# --- Announcements -----------------------------------------------------------------------------


class AnnouncementQuerySet(models.QuerySet):
    def for_listing(self):
        return self.select_related("conference", "talk__day", "talk__conference").prefetch_related(
            "partners", "presenters"
        )

    def for_detail(self):
        return self.for_listing().prefetch_related("links", "items")

    # The HTML pages also show each presenter's organization.
    def for_page_listing(self):
        return self.select_related("conference", "talk__day", "talk__conference").prefetch_related(
            "partners",
            Prefetch("presenters", queryset=Speaker.objects.select_related("organization")),
        )

    def for_page_detail(self):
        return self.for_page_listing().prefetch_related("links", "items")

    def for_api(self):
        """Everything the API shows of an announcement, in lists and details alike."""
        return self.select_related(
            "conference", "talk__day", "talk__conference", "talk__track"
        ).prefetch_related(
            "partners",
            Prefetch("presenters", queryset=Speaker.objects.select_related("organization")),
            "links",
            "items",
        )


AnnouncementManager = ChildManager.from_queryset(AnnouncementQuerySet, "AnnouncementManager")


class Announcement(ChildNaturalKey):
    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="announcements"
    )
    slug = models.SlugField(max_length=150)
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    talk = models.ForeignKey(
        Talk,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="announcements",
        help_text="The talk or keynote it was announced in.",
    )
    presenters = models.ManyToManyField(
        Speaker, related_name="announcements", blank=True, help_text="Who announced it on stage."
    )
    partners = models.ManyToManyField(
        Organization,
        related_name="announcements",
        blank=True,
        help_text="Organizations behind it or partnering in it.",
    )
    position = models.PositiveSmallIntegerField(default=0)
    note = models.TextField(
        blank=True, help_text="Editorial note, e.g. where a source was corrected."
    )

    objects = AnnouncementManager()

    class Meta:
        ordering = ["conference", "position", "title"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "slug"], name="unique_announcement_slug")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("talks:announcement-detail", args=[self.conference.slug, self.slug])

    def clean(self):
        if self.talk_id and self.conference_id and self.talk.conference_id != self.conference_id:
            raise ValidationError(
                {"talk": f"{self.talk} belongs to {self.talk.conference}, not to this conference."}
            )


class AnnouncementLink(Link):
    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="links")

    natural_key_fields = ("announcement", "url")
    objects = ChildManager()

    class Meta(Link.Meta):
        constraints = [
            models.UniqueConstraint(fields=["announcement", "url"], name="unique_announcement_link")
        ]


class AnnouncementItem(ChildNaturalKey):
    """One listed element of an announcement, e.g. a certified image or a project component."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="items")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    url = WebAddressField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    natural_key_fields = ("announcement", "name")
    objects = ChildManager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "name"], name="unique_announcement_item"
            )
        ]

    def __str__(self):
        return self.name
