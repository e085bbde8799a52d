"""OpenAPI details that drf-spectacular cannot infer: error responses, anonymous reads and the
two shapes of a ``SummaryRelatedField``."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent, build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.permissions import SAFE_METHODS

from talks.filters import DayFilter

# A day is a number or an ISO date; without this the schema would take the type of Day's id.
extend_schema_field(
    {"type": "string", "description": "A day number (e.g. 2) or an ISO date (e.g. 2017-04-19)."}
)(DayFilter)

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
            return build_basic_type(
                OpenApiTypes.INT if self.target.lookup_field == "pk" else OpenApiTypes.STR
            )
        return auto_schema.resolve_serializer(self.target.summary, direction).ref
