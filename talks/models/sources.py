"""Where a conference's schedule comes from: the sources its imports read, what their last
fetch found, and the lock that keeps two syncs from running at once."""

from django.db import models

from .base import ChildManager, ChildNaturalKey
from .conferences import Conference

LOCATION_MAX_LENGTH = 1000


class SourceKind(models.TextChoices):
    SCHEDULE = "schedule", "Schedule (frab, Pentabarf, c3voc JSON)"
    PYVIDEO = "pyvideo", "pyvideo event folder"


class ScheduleSource(ChildNaturalKey):
    """A schedule file or address that imports fill a conference from. Each imported talk
    remembers its source, so that importing the source again cancels (or, asked to, deletes)
    the talks it no longer lists, and never touches a talk added by hand or by another
    source."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="schedule_sources"
    )
    location = models.CharField(
        max_length=LOCATION_MAX_LENGTH,
        help_text="An http(s) address, or the path of a file or pyvideo folder on the server.",
    )
    kind = models.CharField(max_length=10, choices=SourceKind, default=SourceKind.SCHEDULE)
    # What the last import read: a sync with the same answer skips it without parsing.
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    digest = models.CharField(
        max_length=64, blank=True, editable=False, help_text="SHA-256 of the bytes last imported."
    )
    checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_result = models.CharField(max_length=1000, blank=True, editable=False)

    natural_key_fields = ("conference", "location")
    objects = ChildManager()

    class Meta:
        ordering = ["conference", "location"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "location"], name="unique_schedule_source"
            )
        ]

    def __str__(self):
        return self.location


class CommandLock(models.Model):
    """A lease that one run of a command holds (``sync_schedules``), in the database so that
    it holds across processes and hosts; a holder that died leaves it to expire."""

    name = models.CharField(max_length=100, primary_key=True)
    holder = models.CharField(max_length=200)
    expires_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} (held by {self.holder} until {self.expires_at:%Y-%m-%d %H:%M})"
