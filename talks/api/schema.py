"""OpenAPI details that drf-spectacular cannot infer: error responses, anonymous reads and the
two shapes of a ``SummaryRelatedField``."""

import re

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import extend_schema_field
from rest_framework.permissions import SAFE_METHODS

from talks.filters import (
    DAY_NUMBER_MAX_DIGITS,
    SLUG_MAX_LENGTH,
    TALK_ID_MAX_DIGITS,
    TALK_IDS_MAX,
    DayFilter,
    SlugFilter,
    TalkIdsFilter,
)

# What Django's SlugField and validate_slug accept, written the way OpenAPI states a pattern.
SLUG = {"type": "string", "pattern": r"^[-a-zA-Z0-9_]+$", "maxLength": SLUG_MAX_LENGTH}
# Database ids: BigAutoField, from 1.
RECORD_ID = {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}

# A day is a number or an ISO date; without this the schema would take the type of Day's id.
extend_schema_field(
    {
        "anyOf": [
            {"type": "string", "pattern": f"^[0-9]{{1,{DAY_NUMBER_MAX_DIGITS}}}$"},
            {"type": "string", "format": "date"},
        ],
        "description": "A day number (e.g. 2) or an ISO date (e.g. 2017-04-19).",
    }
)(DayFilter)
extend_schema_field(SLUG)(SlugFilter)
extend_schema_field(
    {
        "type": "array",
        "items": {"type": "integer", "minimum": 0, "maximum": 10**TALK_ID_MAX_DIGITS - 1},
        "maxItems": TALK_IDS_MAX,
    }
)(TalkIdsFilter)

NO_FILTER = {"type": "string", "maxLength": 0, "description": "Empty: no filter."}


def ordering_schema(choices):
    """``ordering`` as a pattern rather than an array of an enum: the API reads one string of
    comma-separated fields with empty parts skipped, and an empty value is no ordering, which
    an array parameter cannot state (clients and fuzzers read ``ordering=`` as a string)."""
    field = "|".join(re.escape(choice) for choice in sorted(choices, key=len, reverse=True))
    return {"type": "string", "pattern": f"^(?:{field})?(?:,(?:{field})?)*$"}


DETAIL_ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "What went wrong."}},
    "required": ["detail"],
}
VALIDATION_ERROR = {
    "type": "object",
    "description": (
        "Each key names the offending parameter or field (``non_field_errors`` for a rule "
        "across fields) and lists the reasons; a body that is not valid JSON is reported "
        "under ``detail``."
    ),
    "additionalProperties": {
        "oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]
    },
    "example": {"day": ["Enter a day number (e.g. 2) or an ISO date (e.g. 2017-04-19)."]},
}


class CatalogAutoSchema(AutoSchema):
    """Adds the error responses every operation can give and marks reads as anonymous."""

    def get_auth(self):
        auths = super().get_auth()
        if self.method in SAFE_METHODS and {} not in auths:
            # Reads need no credentials (DjangoModelPermissionsOrAnonReadOnly).
            auths.append({})
        return auths

    def _get_filter_parameters(self):
        # The filters are those of the web form, which sends every field, empty ones too: an
        # empty value means "no filter".
        parameters = super()._get_filter_parameters()
        filters = getattr(getattr(self.view, "filterset_class", None), "base_filters", {})
        for parameter in parameters:
            schema = parameter["schema"]
            max_length = getattr(filters.get(parameter["name"]), "extra", {}).get("max_length")
            if max_length and schema.get("type") == "string":
                schema["maxLength"] = max_length
            if schema.get("type") == "array" and "enum" in schema["items"]:
                parameter["schema"] = ordering_schema(schema["items"]["enum"])
                parameter.pop("explode", None)
                parameter.pop("style", None)
            elif schema.get("type") != "array":
                parameter["schema"] = {"anyOf": [schema, NO_FILTER]}
        return parameters

    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        for code, description, component in self._error_responses():
            bodies.setdefault(
                code,
                {
                    "description": description,
                    "content": {"application/json": {"schema": component.ref}},
                },
            )
        return bodies

    def _error_responses(self):
        writes = self.method not in SAFE_METHODS
        lists = self._is_list_view()
        if writes or lists:
            reason = "Invalid fields in the body." if writes else "Invalid query parameters."
            yield "400", f"{reason} The body names each one and why.", self._error("Validation")
        if writes:
            yield "401", "No credentials, or invalid ones.", self._error("Detail")
            yield (
                "403",
                "The user lacks the model permission for this write.",
                self._error("Detail"),
            )
        else:
            yield "401", "Invalid credentials (reads need none).", self._error("Detail")
        not_found = "A page past the last one." if lists else "No such record."
        yield "404", not_found, self._error("Detail")

    def _error(self, kind):
        component = ResolvedComponent(
            name=f"{kind}Error",
            type=ResolvedComponent.SCHEMA,
            object=f"{kind}Error",
            schema=VALIDATION_ERROR if kind == "Validation" else DETAIL_ERROR,
        )
        self.registry.register_on_missing(component)
        return component


class SummaryRelatedFieldSchema(OpenApiSerializerFieldExtension):
    """Responses show the nested summary; requests send the key (id or slug)."""

    target_class = "talks.api.fields.SummaryRelatedField"

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return dict(RECORD_ID if self.target.lookup_field == "pk" else SLUG)
        return auto_schema.resolve_serializer(self.target.summary, direction).ref


def _python_whitespace():
    spaces = [chr(code) for code in range(0x110000) if chr(code).isspace()]
    return "".join(f"\\u{ord(space):04x}" for space in spaces)


# Text is trimmed with str.strip(), whose whitespace (e.g. U+001D) is not the regex \s of
# OpenAPI: a required text must hold one character outside Python's whitespace.
NOT_ONLY_WHITESPACE = f"[^{_python_whitespace()}]"


class StrictCharFieldSchema(OpenApiSerializerFieldExtension):
    """A required text says in the schema that whitespace alone is blank."""

    target_class = "talks.api.fields.StrictCharField"

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if direction == "request" and not self.target.allow_blank:
            schema["pattern"] = NOT_ONLY_WHITESPACE
        return schema
