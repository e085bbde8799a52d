"""Speakers and their links."""

from django.db import models
from django.db.models import OuterRef, Prefetch
from django.urls import reverse
from django.utils.text import slugify

from .base import ChildManager, Link, LongTextField, Timestamped, last_change, newest_update
from .organizations import Organization


class SpeakerQuerySet(models.QuerySet):
    def for_listing(self):
        """Speakers with their organization and talks (each with its conference)."""
        from .talks import Talk

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
        from .announcements import Announcement
        from .talks import Talk

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
        from .talks import TalkSpeaker

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

    def with_last_change(self):
        """Each speaker with ``last_change``: the newest change to them, their organization,
        their talks or the announcements they made, the date of their page."""
        from .announcements import Announcement
        from .talks import Talk

        return self.annotate(
            last_change=last_change(
                "organization__updated_at",
                newest_update(Talk.objects.filter(talk_speakers__speaker=OuterRef("pk"))),
                newest_update(Announcement.objects.filter(presenters=OuterRef("pk"))),
            )
        )


class SpeakerManager(models.Manager.from_queryset(SpeakerQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Speaker(Timestamped, models.Model):
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
    bio = LongTextField(blank=True)
    note = LongTextField(blank=True)

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
    def unique_slug_for(cls, name, taken=None):
        """slugify(name), with a numeric suffix only when another speaker already has it.

        ``taken``, a set of the slugs in use, spares a query per candidate when many speakers
        are named at once (imports); the slug returned is added to it.
        """
        base = slugify(name) or "speaker"
        in_use = taken.__contains__ if taken is not None else cls._slug_in_use
        slug, suffix = base, 2
        while in_use(slug):
            slug, suffix = f"{base}-{suffix}", suffix + 1
        if taken is not None:
            taken.add(slug)
        return slug

    @classmethod
    def _slug_in_use(cls, slug):
        return cls.objects.filter(slug=slug).exists()


class SpeakerLink(Link):
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="links")

    natural_key_fields = ("speaker", "url")
    objects = ChildManager()

    class Meta(Link.Meta):
        constraints = [
            models.UniqueConstraint(fields=["speaker", "url"], name="unique_speaker_link")
        ]
