"""``/api/v1/search/``: the catalog search of ``/search/`` (``talks.search``), in JSON.

The parameters are those of the page, checked by the same form: an invalid one is a 400 naming
it. Hits come in rank order, paginated like every list.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError

from access.permissions import TokenScopeAllows
from talks.caching import StoredResponses
from talks.filters import SEARCH_MAX_LENGTH
from talks.models import TalkKind
from talks.models.conferences import CATALOG_YEARS
from talks.search import search_catalog
from talks.search.base import KIND_CHOICES
from talks.search.forms import SearchForm

from .schema import NO_FILTER, SLUG


class SearchHitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=KIND_CHOICES, help_text="What the hit is.")
    id = serializers.IntegerField(source="record.pk")
    url = serializers.SerializerMethodField(help_text="The record in the API.")
    html_url = serializers.SerializerMethodField(help_text="The record's page.")
    title = serializers.CharField(source="record.__str__", help_text="Title or name.")
    title_html = serializers.CharField(
        source="title", help_text="The title, escaped HTML with the matching words in <mark>."
    )
    snippet_html = serializers.CharField(
        source="snippet",
        help_text="Words around the first match in the text, escaped HTML with matches in <mark>.",
    )
    score = serializers.FloatField(help_text="Higher ranks first; comparable within one search.")

    def get_url(self, hit) -> str:
        return self.context["request"].build_absolute_uri(hit.api_url)

    def get_html_url(self, hit) -> str:
        return self.context["request"].build_absolute_uri(hit.html_url)


def _optional(schema):
    return {"anyOf": [schema, NO_FILTER]}


SEARCH_PARAMETERS = [
    OpenApiParameter(
        "q",
        {"type": "string", "maxLength": SEARCH_MAX_LENGTH},
        description="Words to find; each must match (a word of 3+ letters also matches words it "
        "begins). Empty: no hits.",
    ),
    OpenApiParameter("conference", _optional(SLUG), description="Conference (slug)."),
    OpenApiParameter(
        "year",
        _optional({"type": "integer", "minimum": CATALOG_YEARS[0], "maximum": CATALOG_YEARS[-1]}),
        description="Year of the conference.",
    ),
    OpenApiParameter(
        "kind",
        _optional({"type": "string", "enum": TalkKind.values}),
        description="Kind of talk.",
    ),
    OpenApiParameter("track", _optional(SLUG), description="Track (slug)."),
    OpenApiParameter("topic", _optional(SLUG), description="Topic (slug)."),
    OpenApiParameter(
        "language",
        _optional({"type": "string", "maxLength": 100}),
        description="Language: a code (en, eng) or a name (English).",
    ),
]


class SearchViewSet(StoredResponses, viewsets.GenericViewSet):
    """One ranked search over talks, speakers and conferences. Speakers and conferences pass
    the filters through their talks; the conference filter also keeps that conference, the
    year filter the conferences of that year."""

    serializer_class = SearchHitSerializer
    # Read only, for anyone: there is no model to hold permissions for.
    permission_classes = [TokenScopeAllows]
    filter_backends = []

    @extend_schema(parameters=SEARCH_PARAMETERS, responses=SearchHitSerializer(many=True))
    def list(self, request):
        # Anonymous searches are stored like the other lists: a popular one, repeated, costs
        # a cache read instead of a full-text query; under the catalog version, so any change
        # to the catalog retires every stored search with the rest.
        return self.stored_or_built(self._search, request)

    def _search(self, request):
        form = SearchForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        page = self.paginate_queryset(search_catalog(form.query, form.filters))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
