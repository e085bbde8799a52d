"""API fields of our own: relations that read as nested summaries and write as a short key;
web addresses that are normalised on write."""

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.functional import cached_property
from drf_spectacular.types import OpenApiTypes
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


@extend_schema_field(OpenApiTypes.URI)
class WebAddressField(serializers.CharField):
    """A model ``WebAddressField`` in the API: normalised on write as the model normalises it,
    so a 400 names the field. DRF's own ``URLField`` would refuse a space or a non-ASCII host
    that has a valid encoded form."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            return normalize_url(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
