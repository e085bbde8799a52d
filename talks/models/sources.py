"""Where a conference's schedule comes from: the sources its imports read."""

from django.db import models

from .base import ChildManager, ChildNaturalKey
from .conferences import Conference

LOCATION_MAX_LENGTH = 1000


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
