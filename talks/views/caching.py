"""HTTP and server-side caching of the public pages, exports and feeds.

They hold nothing personal, so shared caches may store them. HTML pages are revalidated on
every visit (``no-cache``), so an edit shows at once and a revisit that finds nothing changed
costs a 304; exports, feeds and the sitemap, polled by calendar apps and feed readers, may be
kept for a few minutes (``max-age``). Each carries a Last-Modified header, the newest
``updated_at`` of the records it shows (``with_last_modified``; feeds and the sitemap set
theirs themselves), and the ConditionalGetMiddleware adds an ETag, so a revalidating client
gets a 304 without the body for either.
On the server, when ``CATALOG_SERVER_CACHE`` is on (a cache shared by all processes), a
successful response is kept in Django's cache under the catalog's version
(``talks.freshness``) and the full URL, so a repeated request skips the queries and
rendering, and any change to the catalog retires every stored copy at once. A stored copy
keeps its ETag, computed once, rather than being hashed again on every request.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import set_response_etag
from django.utils.http import http_date
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from talks.freshness import catalog_version

EXPORT_MAX_AGE = 300
SERVER_CACHE_SECONDS = 60 * 60


def stored_response_key(request, variant=""):
    """Where a response to ``request`` is stored under the current catalog version: one key
    per full URL (host included, since responses hold absolute links) and ``variant``."""
    url = hashlib.sha256(f"{variant} {request.build_absolute_uri()}".encode()).hexdigest()
    return f"talks:response:{catalog_version()}:{url}"


def _stored_response(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.CATALOG_SERVER_CACHE or request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        key = stored_response_key(request)
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming:
                if getattr(response, "is_rendered", True):
                    cache.set(key, with_etag(response), SERVER_CACHE_SECONDS)
                else:  # a TemplateResponse (e.g. the sitemap) can be stored once rendered
                    response.add_post_render_callback(
                        lambda rendered: cache.set(key, with_etag(rendered), SERVER_CACHE_SECONDS)
                    )
        return response

    return wrapper


def with_etag(response):
    """``response`` with the ETag the ConditionalGetMiddleware would give it, so that a stored
    copy carries it and is not hashed again on every request (0.9 ms for a 275 KB export)."""
    return response if response.has_header("ETag") else set_response_etag(response)


def public_page(view):
    """An HTML page: read-only (GET and HEAD; anything else is a 405), stored, revalidated on
    every visit."""
    return require_safe(cache_control(public=True, no_cache=True)(_stored_response(view)))


def public_export(view):
    """An export, feed or sitemap: like ``public_page``, but caches may keep it a few minutes."""
    return require_safe(cache_control(public=True, max_age=EXPORT_MAX_AGE)(_stored_response(view)))


def with_last_modified(response, last_change):
    """``response`` with a Last-Modified header saying ``last_change`` (left out when None: a
    page showing no record has no date to give)."""
    if last_change is not None:
        response.headers["Last-Modified"] = http_date(last_change.timestamp())
    return response
