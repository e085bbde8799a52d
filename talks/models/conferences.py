"""Conferences and their parts: links, days, tracks and rooms."""

import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import OuterRef, Prefetch
from django.db.models.functions import Coalesce
from django.urls import reverse

from .base import (
    ChildManager,
    ChildNaturalKey,
    CompiledValues,
    Link,
    LongTextField,
    Timestamped,
    WebAddressField,
    built_once,
    last_change,
    newest_update,
    row_count,
    validate_time_zone,
)

# From the first day to the last: a year at most. Longer is a typing slip, or an attempt to
# make every schedule page and export of the conference enormous.
MAX_LENGTH = datetime.timedelta(days=365)
# Years a conference's dates may have: others are typing slips, and dates at the ends of
# Python's range break time-zone arithmetic on the pages and exports.
CATALOG_YEARS = range(1900, 3000)

# How many of the talks a change would put off their day its refusal names.
NAMED_TALKS = 3

# Far above the largest trade fairs; a bigger figure is a typing slip (and would not fit an
# integer column on PostgreSQL).
MAX_ATTENDANCE = 1_000_000


class ConferenceKind(models.TextChoices):
    CONFERENCE = "conference", "Conference"
    # A meetup or a channel: it recurs over years, its days are the dates it recorded talks.
    SERIES = "series", "Series"


class ConferenceQuerySet(models.QuerySet):
    def newest_first(self):
        # The primary key last, so that pages of the list neither repeat nor skip one.
        return self.order_by(models.F("start_date").desc(nulls_last=True), "name", "pk")

    def ended_before(self, day):
        """Conferences over before ``day``, the latest to end first (a conference without an
        end date ends on its start date; one with neither is in neither list)."""
        return (
            self.annotate(last_day=Coalesce("end_date", "start_date"))
            .filter(last_day__lt=day)
            .order_by(models.F("last_day").desc(), "name")
        )

    def not_ended_by(self, day):
        """Conferences still running on ``day`` or still to come, the soonest first."""
        return (
            self.annotate(last_day=Coalesce("end_date", "start_date"))
            .filter(last_day__gte=day)
            .order_by("start_date", "name")
        )

    def with_talk_count(self):
        from .talks import Talk

        return self.annotate(talk_count=row_count(Talk.objects.filter(conference=OuterRef("pk"))))

    def with_highlights(self, shown):
        """Each conference with ``talk_count``, ``keynote_count``, ``announcement_count`` and,
        as ``keynote_list`` and ``announcement_list``, its first ``shown`` keynotes and
        announcements: however many a conference has, a card of it stays small."""
        from .announcements import Announcement
        from .talks import Talk

        talks = Talk.objects.filter(conference=OuterRef("pk"))
        return self.annotate(
            talk_count=row_count(talks),
            keynote_count=row_count(talks.keynotes()),
            announcement_count=row_count(Announcement.objects.filter(conference=OuterRef("pk"))),
        ).prefetch_related(
            Prefetch(
                "talks",
                queryset=Talk.objects.keynotes().select_related("day").in_schedule_order()[:shown],
                to_attr="keynote_list",
            ),
            Prefetch(
                "announcements",
                queryset=Announcement.objects.select_related("talk").order_by(
                    "position", "title", "pk"
                )[:shown],
                to_attr="announcement_list",
            ),
        )

    def with_days_and_tracks(self):
        """What a talk list's filters offer."""
        return self.prefetch_related("days", "tracks")

    def for_detail(self):
        """All a conference page and its API resource show of the conference itself."""
        return self.with_days_and_tracks().prefetch_related("links", "sources")

    def with_counted_days_and_tracks(self):
        """Each day and track with ``talk_count``: the pages say how many talks each holds,
        and link only those that hold some."""
        return self.prefetch_related(
            Prefetch("days", queryset=Day.objects.with_talk_count()),
            Prefetch("tracks", queryset=Track.objects.with_talk_count()),
        )

    def for_page(self):
        """As ``for_detail``, with counted days and tracks: the conference page."""
        return self.with_counted_days_and_tracks().prefetch_related("links", "sources")

    def with_last_change(self):
        """Each conference with ``last_change``: the newest change to it or to anything it holds
        (days, tracks, rooms, talks, announcements, the speakers of its talks), the date of its
        pages and exports."""
        return self.annotate(last_change=self._last_change())

    @staticmethod
    @built_once
    def _last_change():
        from .announcements import Announcement
        from .speakers import Speaker
        from .talks import Talk

        parts = (Day, Track, Room, Talk, Announcement)
        return last_change(
            *(
                newest_update(part._default_manager.filter(conference=OuterRef("pk")))
                for part in parts
            ),
            newest_update(Speaker.objects.filter(talks__conference=OuterRef("pk"))),
        )


# Stands in for a conference's id while its last change's query is compiled (CompiledValues).
_ANY_ID = 7306149218503
_LAST_CHANGE = CompiledValues(
    lambda pk: Conference.objects.filter(pk=pk).with_last_change().values_list("last_change")[:1],
    _ANY_ID,
)


class ConferenceManager(models.Manager.from_queryset(ConferenceQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Conference(Timestamped, models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=20,
        choices=ConferenceKind,
        default=ConferenceKind.CONFERENCE,
        db_index=True,
        help_text="A conference lasts at most 366 days; a series (a meetup, a channel) "
        "recurs over any number of years.",
    )
    tagline = models.CharField(max_length=300, blank=True)
    description = LongTextField(blank=True)
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
    attendance = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_ATTENDANCE)],
        help_text="How many people attended, as the sources give it; empty when unknown. "
        "Say in the note where sources disagree.",
    )
    note = LongTextField(blank=True, help_text="Editorial note, e.g. where a source was corrected.")

    objects = ConferenceManager()

    # An import rewrites the talks in the conference's new zone, so it checks them once they
    # are rewritten (talks/importers/writer.py) rather than at the times they had before.
    checks_talks_on_zone_change = True

    class Meta:
        ordering = [models.F("start_date").desc(nulls_last=True), "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("talks:conference-detail", args=[self.slug])

    def newest_change(self):
        """``with_last_change()``'s value for this conference, from a query compiled once:
        the date of its pages and exports."""
        [(newest,)] = _LAST_CHANGE.rows(self.pk)
        return newest

    def natural_key(self):
        return (self.slug,)

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    def clean(self):
        errors = {}
        for field in ("start_date", "end_date"):
            value = getattr(self, field)
            if value and value.year not in CATALOG_YEARS:
                errors[field] = (
                    f"Dates run from {CATALOG_YEARS[0]} to {CATALOG_YEARS[-1]}: "
                    "no conference happened or will happen outside them."
                )
        if errors:
            raise ValidationError(errors)
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The conference cannot end before it starts."})
        if self.lasts_too_long():
            raise ValidationError(
                {
                    "end_date": f"A conference lasts at most {MAX_LENGTH.days + 1} days; "
                    "one that recurs over years is a series (its kind)."
                }
            )
        self._check_days_within_dates()
        self._check_talks_stay_on_their_days()

    @property
    def is_series(self):
        return self.kind == ConferenceKind.SERIES

    def lasts_too_long(self):
        """A conference's days are few enough to list and export; a series' only hold the
        dates it recorded talks, however many years apart."""
        if self.is_series or not (self.start_date and self.end_date):
            return False
        return self.end_date - self.start_date > MAX_LENGTH

    def _check_talks_stay_on_their_days(self):
        """A new time zone moves every talk's local start: each must still fall on its day."""
        if self._state.adding or not self.checks_talks_on_zone_change:
            return
        if "time_zone" in self.get_deferred_fields():
            return
        stored = Conference.objects.filter(pk=self.pk).values_list("time_zone", flat=True).first()
        if stored in (None, self.time_zone):
            return
        try:
            off_day = self.talks_off_their_days()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            return  # the field's own validator names the problem
        if off_day:
            raise ValidationError({"time_zone": off_day_message(off_day, self.tzinfo)})

    def talks_off_their_days(self):
        """``(title, start)`` of each dated talk that, in this conference's zone, does not
        start on its day's date, in start order."""
        from .talks import Talk

        tzinfo = self.tzinfo
        dated = Talk.everything.filter(conference=self, starts_at__isnull=False).exclude(
            day__date=None
        )
        rows = dated.order_by("starts_at", "pk").values_list("title", "starts_at", "day__date")
        return [(title, start) for title, start, date in rows if local_date(start, tzinfo) != date]

    def _check_days_within_dates(self):
        """New dates must still hold the conference's days, or its pages and backups break."""
        if self._state.adding or not (self.start_date or self.end_date):
            return
        days = self.days.filter(date__isnull=False)
        for field, beyond in (("start_date", "date__lt"), ("end_date", "date__gt")):
            bound = getattr(self, field)
            outside = bound and days.filter(**{beyond: bound}).first()
            if outside:
                raise ValidationError(
                    {field: f"{outside.title} ({outside.date}) would fall outside."}
                )


def local_date(moment, tzinfo):
    # A start near the ends of the catalog's years may have no local time in some zones.
    try:
        return moment.astimezone(tzinfo).date()
    except OverflowError:
        return None


def off_day_message(off_day, tzinfo):
    """Why a change is refused: how many talks would start off their day, naming the first."""
    named = "; ".join(
        f"“{title}” ({start.astimezone(tzinfo):%Y-%m-%d %H:%M})"
        for title, start in off_day[:NAMED_TALKS]
    )
    more = f" and {len(off_day) - NAMED_TALKS} more" if len(off_day) > NAMED_TALKS else ""
    talks = (
        "1 talk would start off its day"
        if len(off_day) == 1
        else (f"{len(off_day)} talks would start off their days")
    )
    return f"{talks}, at local times: {named}{more}. Move them to their days first."


class ConferenceLink(Link):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="links")

    natural_key_fields = ("conference", "url")
    objects = ChildManager()

    class Meta(Link.Meta):
        constraints = [
            models.UniqueConstraint(fields=["conference", "url"], name="unique_conference_link")
        ]


class ConferenceSource(ChildNaturalKey):
    """Where the catalog's facts about a conference come from: a post, a schedule, a fact
    sheet. Records say in their own notes where they depart from a source."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(max_length=300)
    author = models.CharField(max_length=200, blank=True)
    published = models.DateField(null=True, blank=True)
    url = WebAddressField(blank=True)
    note = LongTextField(blank=True, help_text="What the catalog takes from this source.")
    position = models.PositiveSmallIntegerField(default=0)

    natural_key_fields = ("conference", "title")
    objects = ChildManager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "title"], name="unique_conference_source")
        ]

    def __str__(self):
        return self.title


class ConferencePartQuerySet(models.QuerySet):
    """Days and tracks: shown with the conference they belong to."""

    def for_listing(self):
        return self.select_related("conference")

    def with_talk_count(self):
        return self.annotate(
            talk_count=models.Count("talks", filter=models.Q(talks__published=True))
        )


ConferencePartManager = ChildManager.from_queryset(ConferencePartQuerySet, "ConferencePartManager")


class Day(Timestamped, ChildNaturalKey):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="days")
    number = models.PositiveSmallIntegerField(
        help_text="The conference's own numbering (a workshop pre-day may be Day 0)."
    )
    date = models.DateField(null=True, blank=True, db_index=True)
    label = models.CharField(max_length=100, blank=True, help_text="e.g. “Workshops”.")
    description = LongTextField(blank=True)

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
        self._check_talks_stay_on_this_day()

    def _check_talks_stay_on_this_day(self):
        """A new date must still be the local date of every talk that starts on this day."""
        if self._state.adding or not self.date or not self.conference_id:
            return
        stored = Day.objects.filter(pk=self.pk).values_list("date", flat=True).first()
        if stored in (None, self.date):
            return
        tzinfo = self.conference.tzinfo
        rows = (
            self.talks.filter(starts_at__isnull=False)
            .order_by("starts_at", "pk")
            .values_list("title", "starts_at")
        )
        off_day = [
            (title, start) for title, start in rows if local_date(start, tzinfo) != self.date
        ]
        if off_day:
            raise ValidationError({"date": off_day_message(off_day, tzinfo)})


class Track(Timestamped, ChildNaturalKey):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="tracks")
    slug = models.SlugField(max_length=100)
    name = models.CharField(max_length=200)
    description = LongTextField(blank=True)

    natural_key_fields = ("conference", "slug")
    objects = ConferencePartManager()

    class Meta:
        ordering = ["conference", "name"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "slug"], name="unique_track_slug")
        ]

    def __str__(self):
        return self.name


class Room(Timestamped, ChildNaturalKey):
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
