"""What every catalog model builds on: validators, the URL field, natural keys and links."""

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


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


class TextFormat(models.TextChoices):
    """How a long text (an abstract) is written in its source."""

    PLAIN = "plain", "Plain text"
    MARKDOWN = "markdown", "Markdown"
    HTML = "html", "HTML"


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


class Timestamped(models.Model):
    """When a record was created and last changed: feeds, sitemaps and Last-Modified headers
    say when something changed from these, never from a talk's own date.

    ``updated_at`` is set on every ``save()``; writers that know nothing changed do not save.
    Django's ``auto_now`` is not used because fixtures (``loaddata``) save raw and would leave
    it empty.
    """

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, update_fields=None, **kwargs):
        self.updated_at = timezone.now()
        if update_fields is not None:
            update_fields = {*update_fields, "updated_at"}
        super().save(*args, update_fields=update_fields, **kwargs)

    def lock_unchanged_since(self, version):
        """Whether the stored record still has ``updated_at == version``; if so, its row stays
        locked until the current transaction ends, so no one can save it in between.

        A compare-and-swap for editors who read a record and write it back later (API If-Match,
        admin change forms): call it inside the transaction that saves or deletes the record.
        """
        unchanged = type(self)._base_manager.filter(pk=self.pk, updated_at=version)
        # A no-op UPDATE: it takes the row's write lock and re-reads the version under it.
        return unchanged.update(updated_at=models.F("updated_at")) == 1
