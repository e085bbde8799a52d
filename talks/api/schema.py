"""OpenAPI details that drf-spectacular cannot infer: error responses, anonymous reads, ETags
and preconditions, and the two shapes of a ``SummaryRelatedField``."""

import re

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework.permissions import SAFE_METHODS

from talks.filters import (
    DAY_NUMBER_MAX_DIGITS,
    SLUG_MAX_LENGTH,
    TALK_ID_MAX_DIGITS,
    TALK_IDS_MAX,
    DayFilter,
    SlugFilter,
    TalkIdsFilter,
    YearFilter,
)
from talks.models.conferences import CATALOG_YEARS

from .concurrency import WRITE_METHODS, VersionedRecordMixin

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
extend_schema_field({"type": "integer", "minimum": CATALOG_YEARS[0], "maximum": CATALOG_YEARS[-1]})(
    YearFilter
)
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
PRECONDITION_ERROR = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "What went wrong."},
        "etag": {"type": "string", "description": "The record's current ETag."},
    },
    "required": ["detail", "etag"],
}
ERROR_SCHEMAS = {
    "Validation": VALIDATION_ERROR,
    "Detail": DETAIL_ERROR,
    "PreconditionFailed": PRECONDITION_ERROR,
}


def etag_header(*codes):
    return OpenApiParameter(
        "ETag",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=list(codes),
        description=(
            "The record's version and a digest of this body; send it in If-Match to change the "
            "record."
        ),
    )


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=(
        "The ETag of the record as it was read: the change is made only if no one changed the "
        "record itself since (412 otherwise; the summaries of other records shown in it do not "
        "count); `*` matches any version."
    ),
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="ETags the client holds: 304, with no body, if one is the current version.",
)


class CatalogAutoSchema(AutoSchema):
    """Adds the error responses every operation can give and marks reads as anonymous."""

    def get_auth(self):
        auths = super().get_auth()
        if self.method in SAFE_METHODS and {} not in auths:
            # Reads need no credentials (DjangoModelPermissionsOrAnonReadOnly).
            auths.append({})
        return auths

    def get_override_parameters(self):
        return [*super().get_override_parameters(), *self._precondition_parameters()]

    def _precondition_parameters(self):
        if not isinstance(self.view, VersionedRecordMixin) or self._is_list_view():
            return []
        if self.method == "POST":
            return [etag_header(201)]
        if self.method == "GET":
            return [IF_NONE_MATCH, etag_header(200, 304)]
        if self.method == "DELETE":
            return [IF_MATCH, etag_header(412)]
        return [IF_MATCH, etag_header(200, 412)]

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
            response = {"description": description}
            if component:
                response["content"] = {"application/json": {"schema": component.ref}}
            if headers := self._get_response_headers_for_code(code):
                response["headers"] = headers
            bodies.setdefault(code, response)
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
                "The user lacks the model permission for this write, or the token is read-only.",
                self._error("Detail"),
            )
        else:
            yield "401", "Invalid credentials (reads need none).", self._error("Detail")
        not_found = "A page past the last one." if lists else "No such record."
        yield "404", not_found, self._error("Detail")
        yield (
            "429",
            "Too many requests from this client, or too many invalid tokens from its address; "
            "Retry-After gives the seconds to wait.",
            self._error("Detail"),
        )
        if isinstance(self.view, VersionedRecordMixin) and not lists:
            yield from self._precondition_responses()

    def _precondition_responses(self):
        if self.method == "GET":
            yield "304", "If-None-Match names the current version: not modified.", None
        elif self.method in WRITE_METHODS:
            yield (
                "412",
                "If-Match names an older version: someone changed the record since it was "
                "read. Nothing was changed; the body and the ETag header give the current one.",
                self._error("PreconditionFailed"),
            )
            yield (
                "428",
                "The site requires If-Match on every change and none was sent.",
                self._error("Detail"),
            )

    def _error(self, kind):
        component = ResolvedComponent(
            name=f"{kind}Error",
            type=ResolvedComponent.SCHEMA,
            object=f"{kind}Error",
            schema=ERROR_SCHEMAS[kind],
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
