"""API fields of our own: relations that read as nested summaries and write as a short key;
web addresses that are normalised on write; text and whole numbers that take only their own
JSON type."""

import zoneinfo

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.functional import cached_property
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from talks.models.web_addresses import normalize_url


class SummaryRelatedField(serializers.RelatedField):
    """Shows a related record as a nested summary; accepts its key (id or slug) on writes.

    A client reads everything it needs without a second request and writes the short key it
    already holds. The OpenAPI schema shows both shapes (see ``schema.SummaryRelatedFieldSchema``).
    One summary serializer shows every related record: the field belongs to one serializer,
    which serves one response, so a page of 50 talks builds its summaries' fields once.
    """

    default_error_messages = {
        "does_not_exist": "No {model} with {lookup} “{value}”.",
        "incorrect_type": "Expected the {lookup} of a {model}, got {data_type}.",
        "blank": "Give the {lookup} of a {model}, or null for none.",
    }

    def __init__(self, summary, lookup_field="pk", **kwargs):
        self.summary = summary
        self.lookup_field = lookup_field
        super().__init__(**kwargs)

    @property
    def lookup_label(self):
        return "id" if self.lookup_field == "pk" else self.lookup_field

    @property
    def lookup_type(self):
        return int if self.lookup_field == "pk" else str

    def run_validation(self, data=serializers.empty):
        # DRF reads "" as null for a relation; the schema says a key or null, so "" is refused.
        if data == "":
            self.fail(
                "blank",
                model=self.get_queryset().model._meta.verbose_name,
                lookup=self.lookup_label,
            )
        return super().run_validation(data)

    def use_pk_only_optimization(self):
        return False

    @cached_property
    def summary_serializer(self):
        return self.summary(context=self.context)

    def to_representation(self, value):
        return self.summary_serializer.to_representation(value)

    def to_internal_value(self, data):
        queryset = self.get_queryset()
        model = queryset.model._meta.verbose_name
        if isinstance(data, bool) or not isinstance(data, self.lookup_type):
            self.fail(
                "incorrect_type",
                model=model,
                lookup=self.lookup_label,
                data_type=type(data).__name__,
            )
        try:
            key = self._checked_key(queryset.model, data)
            return queryset.get(**{self.lookup_field: key})
        except (ObjectDoesNotExist, DjangoValidationError):
            self.fail("does_not_exist", model=model, lookup=self.lookup_label, value=data)

    def _checked_key(self, model, data):
        # A key that the column could not hold (a slug with a NUL byte, an id beyond the
        # integer range) names nothing; checked here, because the database would raise.
        meta = model._meta
        column = meta.pk if self.lookup_field == "pk" else meta.get_field(self.lookup_field)
        key = column.to_python(data)
        column.run_validators(key)
        return key


class StrictCharField(serializers.CharField):
    """Text that must arrive as a JSON string. DRF's ``CharField`` stores ``12`` or ``true`` as
    their text, although the schema says string: a client sending a number has a bug."""

    default_error_messages = {"not_text": "Expected text (a JSON string), got {data_type}."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_text", data_type=json_type(data))
        # The schema's maxLength counts what is sent, before the spaces around are trimmed.
        if self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length, length=len(data))
        return super().to_internal_value(data)


class StrictSlugField(StrictCharField, serializers.SlugField):
    pass


class StrictIntegerField(serializers.IntegerField):
    """A whole number that must arrive as a JSON number: DRF's ``IntegerField`` also takes
    ``"12"`` and ``12.0``, which the schema (type integer) does not allow."""

    default_error_messages = {
        "not_integer": "Expected a whole number (a JSON integer), got {data_type}."
    }

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("not_integer", data_type=json_type(data))
        return super().to_internal_value(data)


TIME_ZONES = sorted(zoneinfo.available_timezones())
TIME_ZONES_SET = frozenset(TIME_ZONES)


@extend_schema_field({"type": "string", "enum": TIME_ZONES})
class TimeZoneField(StrictCharField):
    """An IANA time zone name, listed in the schema. Only the names the time zone database
    lists: ``zoneinfo`` would also load file names such as ``posixrules``."""

    default_error_messages = {"unknown_zone": "“{value}” is not a known IANA time zone."}

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value not in TIME_ZONES_SET:
            self.fail("unknown_zone", value=value)
        return value


def json_type(value):
    """The JSON name of a parsed value's type, for error messages."""
    if value is None:
        return "null"
    for kind, name in ((bool, "a boolean"), (int | float, "a number"), (str, "text")):
        if isinstance(value, kind):
            return name
    return "a list" if isinstance(value, list) else "an object"


# "format: uri" alone would allow any scheme, no host, or a user name: only http(s) to a
# host. Spaces around the address are trimmed.
@extend_schema_field(
    {
        "type": "string",
        "format": "uri",
        "pattern": r"^\s*[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#@]+(?:[/?#]|\s*$)",
    }
)
class WebAddressField(StrictCharField):
    """A model ``WebAddressField`` in the API: normalised on write as the model normalises it,
    so a 400 names the field. DRF's own ``URLField`` would refuse a space or a non-ASCII host
    that has a valid encoded form."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            return normalize_url(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
