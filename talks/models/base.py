"""What every catalog model builds on: validators, the URL field, natural keys and links."""

import functools
import re
import unicodedata
import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import Count, Max, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone

from .web_addresses import normalize_url


def validate_time_zone(value):
    try:
        zoneinfo.ZoneInfo(value)
    # OSError: a long or odd name becomes a file path that the OS refuses (e.g. too long).
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ValidationError(f"“{value}” is not a known IANA time zone.") from exc


class WebAddressFormField(forms.URLField):
    """Assumes https:// when an editor leaves the scheme out, then normalises (see
    ``normalize_url``, which is the one check: Django's ``URLValidator`` would refuse a space
    or a curly quote before it could be encoded)."""

    default_validators = []

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_url(value) if value else value


class WebAddressField(models.URLField):
    """An absolute http(s) URL, normalised by ``full_clean()`` (so by the admin, the API and
    the loaders alike) to its RFC 3986 form, or refused with the reason.

    Normalising happens in ``clean()``, not ``to_python()``: the latter also runs on every
    query value and save, where an odd string must not raise.
    """

    default_validators = []

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 500)
        super().__init__(*args, **kwargs)

    def clean(self, value, model_instance):
        value = self.to_python(value)
        if value not in self.empty_values:
            value = normalize_url(value)
        return super().clean(value, model_instance)

    def formfield(self, **kwargs):
        return super().formfield(
            **{"form_class": WebAddressFormField, "assume_scheme": "https", **kwargs}
        )


# Long texts (abstracts, bios, descriptions, notes) are capped: a page, feed or export built from
# a record stays bounded however the record was written (admin, API, loader, importer).
LONG_TEXT_MAX_LENGTH = 100_000


class LongTextField(models.TextField):
    """A text field whose length is checked by model validation, forms and the API alike
    (a plain TextField's max_length only sizes the form widget)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", LONG_TEXT_MAX_LENGTH)
        super().__init__(*args, **kwargs)

    @property
    def validators(self):
        return [*super().validators, MaxLengthValidator(self.max_length)]


class TextFormat(models.TextChoices):
    """How a long text (an abstract) is written in its source."""

    PLAIN = "plain", "Plain text"
    MARKDOWN = "markdown", "Markdown"
    HTML = "html", "HTML"
    RST = "rst", "reStructuredText"


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


# Unicode's explicit directional formatting characters (UAX #9): an embedding, override or
# isolate, and the character that closes each kind.
DIRECTION_OPENERS = {
    **dict.fromkeys("\u202a\u202b\u202d\u202e", "\u202c"),  # LRE RLE LRO RLO, closed by PDF
    **dict.fromkeys("\u2066\u2067\u2068", "\u2069"),  # LRI RLI FSI, closed by PDI
}
DIRECTION_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")


def validate_closed_directions(value):
    """Refuses a text whose direction controls do not pair up within it. Pages show a name,
    title or label inline, next to other text: an override left open there (a speaker named
    "Ada\u202e") reverses whatever follows it on the line, the next speaker's name, the date,
    the rest of the tab's title, so one record could make another read as it pleases."""
    open_controls = []
    for match in DIRECTION_CONTROL.finditer(value):
        char = match.group()
        if char in DIRECTION_OPENERS:
            open_controls.append(char)
        elif open_controls and DIRECTION_OPENERS[open_controls[-1]] == char:
            open_controls.pop()
        else:
            open_controls.append(char)  # a closer with nothing of its kind to close
            break
    if open_controls:
        char = open_controls[-1]
        raise ValidationError(
            f"The direction control U+{ord(char):04X} ({unicodedata.name(char).lower()}) is not "
            "paired within this text: it would change the direction of the text a page shows "
            "around it. Remove it, or pair each embedding, override or isolate with its closer.",
            code="unpaired_direction_control",
        )


# What XML 1.0 cannot hold besides NUL (refused on its own, with Django's message): the other
# C0 controls but tab, line feed and carriage return, surrogates and U+FFFE, U+FFFF.
NOT_XML_CHARACTER = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# NUL and the rest: every character a catalog text refuses as unwritable.
UNSTORABLE_CHARACTER = re.compile(f"\x00|{NOT_XML_CHARACTER.pattern}")


def writable_text(value):
    """``value`` without the characters validation refuses, for the XML exports and feeds:
    rows written around validation (``loaddata``, raw SQL) may still hold one, and lxml and
    Django's feed writer raise on it, which was a 500."""
    return UNSTORABLE_CHARACTER.sub("", value) if isinstance(value, str) else value


def validate_xml_characters(value):
    """Refuses a character the frab XML export and the Atom feeds cannot write: lxml and
    Django's feed writer raise on one, so a title holding a vertical tab made them a 500."""
    found = NOT_XML_CHARACTER.search(value)
    if found:
        raise ValidationError(
            f"The character U+{ord(found.group()):04X} is not allowed: "
            "the XML exports and feeds cannot carry it.",
            code="not_xml_character",
        )


class CatalogRecord(models.Model):
    """What every catalog record's validation adds to its fields' own: no NUL character in
    any text, nor another character XML cannot carry (``validate_xml_characters``), and no
    direction control left open (``validate_closed_directions``). PostgreSQL
    cannot store a NUL in text (SQLite can), so without this a NUL was a
    500 on one database and stored on the other; checked here, the admin, the API, the
    loaders and the importers all refuse it the same way (DRF and Django's form fields say it
    in the same words). Here rather than as a validator on each field: validators are part of
    a field's migration state, and every text field of every model would change."""

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.error_dict
        refuse_null = ProhibitNullCharactersValidator()
        for field in self._meta.concrete_fields:
            value = getattr(self, field.attname)
            if field.name in errors or (exclude and field.name in exclude):
                continue
            if isinstance(value, str):
                try:
                    refuse_null(value)
                    validate_xml_characters(value)
                    validate_closed_directions(value)
                except ValidationError as error:
                    errors[field.name] = error.error_list
        if errors:
            raise ValidationError(errors)


class ChildNaturalKey(CatalogRecord):
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


class Timestamped(CatalogRecord):
    """When a record was created and last changed: feeds, sitemaps and Last-Modified headers
    say when something changed from these, never from a talk's own date.

    ``updated_at`` is set on every ``save()``; writers that know nothing changed do not save.
    Django's ``auto_now`` is not used because fixtures (``loaddata``) save raw and would leave
    it empty.
    """

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Indexed: the newest change of a whole table (``catalog_last_change``, on every page that
    # lists the catalog) is then read from the index's end instead of a scan of every row.
    updated_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)

    # Fields computed from another on every save, as {field: (source field, function)}: a
    # name's key, a language's code. ``fill_derived()`` sets them; loaders that compare a row
    # with the stored one call it first, and raw loads (fixtures) get it from a signal.
    derived_fields = {}

    class Meta:
        abstract = True

    def save(self, *args, update_fields=None, **kwargs):
        self.updated_at = timezone.now()
        self.fill_derived()
        if update_fields is not None:
            derived = {name for name, (source, _) in self.derived_fields.items()}
            update_fields = {*update_fields, "updated_at", *derived}
        super().save(*args, update_fields=update_fields, **kwargs)

    def fill_derived(self):
        for name, (source, derive) in self.derived_fields.items():
            setattr(self, name, derive(getattr(self, source)))

    def lock_unchanged_since(self, version):
        """Whether the stored record still has ``updated_at == version``; if so, its row stays
        locked until the current transaction ends, so no one can save it in between.

        A compare-and-swap for editors who read a record and write it back later (API If-Match,
        admin change forms): call it inside the transaction that saves or deletes the record.
        """
        unchanged = type(self)._base_manager.filter(pk=self.pk, updated_at=version)
        # A no-op UPDATE: it takes the row's write lock and re-reads the version under it.
        return unchanged.update(updated_at=models.F("updated_at")) == 1


def newest_update_row(queryset):
    """A query of one row: the newest ``updated_at`` among the rows of ``queryset``, or NULL."""
    # Grouping on a constant alone makes Django write one aggregate and no GROUP BY.
    return (
        queryset.order_by()
        .annotate(whole=Value(1))
        .values("whole")
        .annotate(newest=Max("updated_at"))
        .values_list("newest", flat=True)
    )


def newest_update(queryset):
    """``newest_update_row`` as a subquery inside another query, e.g. with ``OuterRef``."""
    return Subquery(newest_update_row(queryset))


def row_count(queryset):
    """How many rows ``queryset`` has, as a subquery inside another query (with ``OuterRef``):
    counting several relations of one record this way joins none of them to another."""
    rows = (
        queryset.order_by()
        .annotate(whole=Value(1))
        .values("whole")
        .annotate(count=Count("pk"))
        .values_list("count", flat=True)
    )
    return Coalesce(Subquery(rows), 0)


def built_once(build):
    """``build``, a function of no arguments returning a query expression, made to build it on
    its first call only. Building the subqueries of a ``last_change`` annotation costs several
    times what running them does (2.3 ms for a conference's six, against 0.4 ms of SQL); one
    instance serves every query, as Django resolves a copy of an expression into each."""
    return functools.cache(build)


def last_change(*shown):
    """When a record's page last changed: its own ``updated_at`` or, if later, that of the
    records shown with it (``newest_update`` subqueries, or paths such as ``conference__updated_at``
    through foreign keys, which may be NULL).

    Used as ``annotate(last_change=last_change(...))`` by each QuerySet's ``with_last_change()``,
    so a page, its Last-Modified header and its sitemap entry agree, at no extra query.
    """
    # Coalesce: SQLite's MAX() of several values is NULL as soon as one of them is.
    return Greatest("updated_at", *(Coalesce(part, "updated_at") for part in shown))


class CompiledValues:
    """A ``values_list`` query compiled to SQL once per database connection, then run with new
    values: compiling the subqueries of a ``last_change`` costs ten times what running them
    does (1.6 ms against 0.15 for a conference's), on every page that shows a date.

    ``build(*placeholders)`` returns the query with each placeholder where a value goes; each
    must reach the SQL parameters as it is (an id, a slug), so that it can be found there.
    """

    def __init__(self, build, *placeholders):
        self.build, self.placeholders = build, placeholders

    def rows(self, *values, using=DEFAULT_DB_ALIAS):
        compiler, sql, params, positions = self._compiled(connections[using])
        params = list(params)
        for value, places in zip(values, positions, strict=True):
            for place in places:
                params[place] = value
        with compiler.connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        return list(compiler.results_iter(results=[fetched], tuple_expected=True))

    def _compiled(self, connection):
        compiled = connection.__dict__.setdefault("talks_compiled_values", {})
        if self not in compiled:
            queryset = self.build(*self.placeholders)
            compiler = queryset.query.get_compiler(connection=connection)
            sql, params = compiler.as_sql()
            positions = [
                [place for place, param in enumerate(params) if param == placeholder]
                for placeholder in self.placeholders
            ]
            if not all(positions):
                raise ValueError(f"A placeholder does not reach the SQL of {queryset.query}")
            compiled[self] = (compiler, sql, params, positions)
        return compiled[self]


@receiver(pre_save)
def _fill_derived_of_raw_rows(sender, instance, raw, **kwargs):
    # loaddata writes rows raw, without save(): a fixture carries no derived values.
    if raw and isinstance(instance, Timestamped):
        instance.fill_derived()
