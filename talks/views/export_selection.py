"""The talks a request asks an export or feed for: the shared talk filters, checked."""

from django.http import HttpResponseBadRequest

from talks.filters import TalkFilterSet


class InvalidFilters(Exception):
    """A filter value is malformed or names nothing in the conference."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__(self.message)

    @property
    def message(self):
        lines = [f"{name}: {' '.join(messages)}" for name, messages in self.errors.items()]
        return "Invalid filter.\n" + "\n".join(lines) + "\n"

    def response(self):
        return HttpResponseBadRequest(self.message, content_type="text/plain; charset=utf-8")


def requested_talks(request, conference, talks):
    """Talks of ``conference`` matching the request's filters, ready for an export: ``talks``
    is a queryset with the related rows the export writes (``Talk.objects.for_export()``)."""
    filterset = TalkFilterSet(request.GET, queryset=talks, conference=conference)
    if not filterset.is_valid():
        raise InvalidFilters(filterset.errors)
    return filterset.qs


def base_url(request):
    return request.build_absolute_uri("/").rstrip("/")
