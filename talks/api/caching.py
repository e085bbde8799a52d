"""Anonymous API reads kept in the server-side cache, under the catalog's version.

The same store as the pages (``talks.views.caching``): on when ``CATALOG_SERVER_CACHE`` is,
every copy retired at once by any change to the catalog. Unlike the pages, the lookup happens
inside the view, in the ``list`` and ``retrieve`` handlers (``StoredResponseMixin``; a
viewset with a handler of its own, such as the search, calls ``stored_or_built``), so that
DRF's ``initial()`` has already authenticated the client, checked permissions and counted the
request against the rate limits: a stored answer costs a client the same allowance as a fresh
one (see ``access.throttling``).

Only anonymous requests answered in JSON are stored: what an authenticated client reads is
never shared, and the browsable HTML pages carry a session's CSRF token. A stored detail
keeps its record's ETag and answers a matching If-None-Match with a 304, as ``retrieve`` does;
a stored list keeps the ETag the ConditionalGetMiddleware gave the original.
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from rest_framework.renderers import JSONRenderer

from talks.views.caching import SERVER_CACHE_SECONDS, stored_response_key, with_etag

from .concurrency import none_match

# What a stored answer repeats of the original response's headers; DRF's finalize_response()
# adds Allow and Vary to the copy again.
KEPT_HEADERS = ("Content-Type", "ETag")


class StoredResponses:
    """For a viewset whose handlers answer from the cache through ``stored_or_built``. It adds
    no handler itself, so the router gives the viewset no route it does not have."""

    def stored_or_built(self, handler, request, *args, **kwargs):
        """The stored answer to ``request`` if there is one, else ``handler``'s, stored."""
        key = self._stored_response_key(request)
        if key is None:
            return handler(request, *args, **kwargs)
        stored = cache.get(key)
        if stored is not None:
            content, headers = stored
            etag = headers.get("ETag")
            if etag and none_match(request.headers.get("If-None-Match"), etag):
                return HttpResponseNotModified(headers={"ETag": etag})
            return HttpResponse(content, headers=headers)
        response = handler(request, *args, **kwargs)
        if response.status_code == 200:
            # Stored once rendered, with the headers finalize_response() gives it (a detail's
            # ETag) or, for a list, the ETag the ConditionalGetMiddleware would compute anew
            # on every request.
            response.add_post_render_callback(lambda rendered: self._store(key, rendered))
        return response

    def _store(self, key, rendered):
        with_etag(rendered)
        headers = {name: rendered[name] for name in KEPT_HEADERS if rendered.has_header(name)}
        cache.set(key, (rendered.content, headers), SERVER_CACHE_SECONDS)

    def _stored_response_key(self, request):
        shared = (
            settings.CATALOG_SERVER_CACHE
            and request.method in ("GET", "HEAD")
            and not request.user.is_authenticated
            and request.auth is None
            and isinstance(request.accepted_renderer, JSONRenderer)
        )
        # The media type as accepted, parameters included: "; indent=4" changes the body.
        return (
            stored_response_key(request, f"api {request.accepted_media_type}") if shared else None
        )


class StoredResponseMixin(StoredResponses):
    """For a catalog viewset: its lists and details answered from the cache when they can be."""

    def list(self, request, *args, **kwargs):
        return self.stored_or_built(super().list, request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self.stored_or_built(super().retrieve, request, *args, **kwargs)
