"""The API's filter backend: django-filter's, keeping the FilterSet it used on the view, so
that a list knows the conference its ``conference`` parameter named (``talks.api.views``)."""

from django_filters.rest_framework import DjangoFilterBackend


class CatalogFilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        view.filterset = super().get_filterset(request, queryset, view)
        return view.filterset
