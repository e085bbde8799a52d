"""What changed in a conference's schedule, and when: versions of changes, as pretalx
publishes them and schedule apps show them (new, cancelled, moved sessions)."""

import datetime

from django.db import models
from django.utils import timezone

from .conferences import Conference
from .sources import ScheduleSource
from .talks import Talk

VERSION_NAME_MAX_LENGTH = 200


class VersionKind(models.TextChoices):
    IMPORT = "import", "Import"
    EDITS = "edits", "Edits"


class ChangeKind(models.TextChoices):
    NEW = "new", "New"
    CANCELLED = "cancelled", "Cancelled"
    RESTORED = "restored", "Restored"
    MOVED = "moved", "Moved"
    RETITLED = "retitled", "Retitled"
    SPEAKERS = "speakers", "Speakers changed"
    DELETED = "deleted", "Deleted"


class ScheduleVersionQuerySet(models.QuerySet):
    def with_changes(self):
        """Versions with their changes, in the order the changelog lists them; the changes
        of unpublished talks are nobody's business but staff's (the admin)."""
        shown = ScheduleChange.objects.exclude(talk__published=False)
        return self.prefetch_related(
            models.Prefetch("changes", queryset=shown.order_by("kind", "talk_title", "id"))
        )

    def latest_name(self, conference):
        """The name the frab exports give the schedule's current version, in one query: the
        newest version's own name (the imported file's), else when it was recorded (UTC, to
        the minute: a later version has a later name), else "1" for a schedule never
        changed since changes were recorded."""
        newest = self.filter(conference=conference).values_list("name", "created_at").first()
        if newest is None:
            return "1"
        name, created_at = newest
        return name or f"{created_at.astimezone(datetime.UTC):%Y-%m-%d %H:%M}"


class ScheduleVersion(models.Model):
    """One import's changes (named by the file's own version when it has one), or one day's
    hand edits (admin, API) of one conference."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="schedule_versions"
    )
    kind = models.CharField(max_length=10, choices=VersionKind)
    name = models.CharField(
        max_length=VERSION_NAME_MAX_LENGTH, blank=True, help_text="The file's <version>, if any."
    )
    source = models.ForeignKey(
        ScheduleSource, on_delete=models.SET_NULL, null=True, blank=True, related_name="versions"
    )
    # The day whose hand edits it groups (UTC); None for an import.
    edits_of = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScheduleVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["conference", "-created_at"], name="version_conference_newest")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "edits_of"], name="one_edits_version_a_day"
            )
        ]

    def __str__(self):
        return self.title

    @property
    def title(self):
        if self.kind == VersionKind.EDITS:
            return f"Edits of {self.edits_of:%-d %B %Y}"
        return f"Version {self.name}" if self.name else f"Import of {self.created_at:%-d %B %Y}"


class ScheduleChange(models.Model):
    """One talk's change in a version. The talk's title and slug are kept as they were, so a
    deleted talk's change still says which talk it was."""

    version = models.ForeignKey(ScheduleVersion, on_delete=models.CASCADE, related_name="changes")
    # The version's conference again: the marks that retire stored pages read it from the row.
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="+")
    talk = models.ForeignKey(
        Talk, on_delete=models.SET_NULL, null=True, blank=True, related_name="schedule_changes"
    )
    talk_title = models.CharField(max_length=300)
    talk_slug = models.SlugField(max_length=150)
    kind = models.CharField(max_length=10, choices=ChangeKind)
    before = models.CharField(max_length=500, blank=True)
    after = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["version", "kind", "talk_title", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.talk_title}"
