"""Announcements made on stage, with their links and listed items."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Prefetch
from django.urls import reverse

from .base import (
    ChildManager,
    ChildNaturalKey,
    Link,
    LongTextField,
    Timestamped,
    WebAddressField,
    last_change,
    newest_update,
)
from .conferences import Conference
from .organizations import Organization
from .speakers import Speaker
from .talks import Talk


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

    def with_last_change(self):
        """Each announcement with ``last_change``: the newest change to it, its conference, its
        talk, presenters or partners, the date of its page."""
        return self.annotate(
            last_change=last_change(
                "conference__updated_at",
                "talk__updated_at",
                newest_update(Speaker.objects.filter(announcements=OuterRef("pk"))),
                newest_update(Organization.objects.filter(announcements=OuterRef("pk"))),
            )
        )


AnnouncementManager = ChildManager.from_queryset(AnnouncementQuerySet, "AnnouncementManager")


class Announcement(Timestamped, ChildNaturalKey):
    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="announcements"
    )
    slug = models.SlugField(max_length=150)
    title = models.CharField(max_length=300)
    summary = LongTextField(blank=True)
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
    note = LongTextField(blank=True, help_text="Editorial note, e.g. where a source was corrected.")

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

    @property
    def public_talk(self):
        """The talk it was made in, unless that talk is unpublished: public pages name it."""
        talk = self.talk
        return talk if talk is not None and talk.published else None

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
    description = LongTextField(blank=True)
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
