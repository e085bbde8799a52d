"""HTTP caching of everything the catalog shows: one layer for pages, exports, feeds, the
sitemap and the API.

**For clients and shared caches.** What the catalog shows holds nothing personal, so shared
caches may store it. HTML pages are revalidated on every visit (``no-cache``), so an edit
shows at once and a revisit that finds nothing changed costs a 304; exports, feeds and the
sitemap, polled by calendar apps and feed readers, may be kept for a few minutes
(``max-age``). Each carries a Last-Modified header (``with_last_modified``) and an ETag.

**On the server**, when ``CATALOG_SERVER_CACHE`` is on, a successful answer to an anonymous
read is stored in Django's cache under its full URL, with the catalog's serial when its
rendering began and the scopes it shows (``shows()``; the catalog-wide lists when a view
declares none). A stored answer is served while no scope it shows has changed since
(``talks.freshness``: one small query), so an edit retires exactly what shows it. A retired
answer is rendered again by one request; the others meanwhile get the previous copy if the
change is a few seconds old (stale while revalidating), or wait a bounded time for the new
one, and never an error. A stored answer keeps its ETag, computed once.

The cache is an accelerator: when it fails, ``conference.cache`` answers every read with a
miss, and every request is rendered from the database.
"""

import hashlib
import time
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import set_response_etag
from django.utils.http import http_date, parse_etags
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from rest_framework.renderers import JSONRenderer

from . import freshness

EXPORT_MAX_AGE = 300
# How long an answer stays stored at most; a change retires it much sooner.
STORED_SECONDS = 60 * 60
# How long one request holds the right to render a retired answer (should it die meanwhile).
RENDER_LOCK_SECONDS = 10
# How long after a change its previous copy may still be served while it is rendered anew.
# Past it (an edit made while the cache was unreachable, say) requests wait for the new copy.
STALE_GRACE_SECONDS = 10
# How long a request waits for another one's render before rendering itself.
RENDER_WAIT_SECONDS = 1.0
RENDER_POLL_SECONDS = 0.01

_shown = ContextVar("talks_shown_scopes", default=None)


def shows(*scopes):
    """Declare the scopes (``talks.freshness``) that the answer being built shows, so that a
    change to any of them retires its stored copy. Outside a stored render it does nothing."""
    shown = _shown.get()
    if shown is not None:
        shown.update(scopes)


def shows_conference(conference_id):
    shows(freshness.conference_scope(conference_id))


def response_key(request, variant=""):
    """Where an answer to ``request`` is stored: one key per full URL (host included, since
    answers hold absolute links) and ``variant``."""
    url = hashlib.sha256(f"{variant} {request.build_absolute_uri()}".encode()).hexdigest()
    return f"talks:stored:{url}"


def replayed(content, headers):
    return HttpResponse(content, headers=headers)


# The response header that says how the store answered, for operators and load tests: the
# stored copy ("hit"), the previous copy while another request renders it anew ("stale"), a
# copy another request rendered meanwhile ("waited"), or rendered here ("miss").
STORE_HEADER = "X-Catalog-Store"


def stored_or_built(key, build, replay=replayed):
    """The answer stored under ``key`` while it is current, else ``build()``'s, stored.
    ``replay(content, headers)`` turns a stored answer into a response."""
    response, how = _stored_or_built(key, build, replay)
    response[STORE_HEADER] = how
    return response


def _stored_or_built(key, build, replay):
    entry, found = cache.get(key), "hit"
    if entry is None:
        marks = freshness.read_marks()
        if _claim(key):
            return _build_and_store(key, build, marks.version, claimed=True), "miss"
        entry, found = _wait_for(key, lambda entry: True), "waited"
        if entry is None:
            return _build_and_store(key, build, marks.version), "miss"
    version, scopes, content, headers = entry
    try:
        marks = freshness.read_marks(scopes)
    except DatabaseError:
        # Nothing can change while the database is down: the stored copy is the best answer.
        return replay(content, headers), found
    if marks.current(version, scopes):
        return replay(content, headers), found
    if _claim(key):
        return _build_and_store(key, build, marks.version, claimed=True), "miss"
    if marks.just_retired(version, scopes, STALE_GRACE_SECONDS * 1000):
        return replay(content, headers), "stale"
    changed = marks.newest(scopes)
    entry = _wait_for(
        key,
        lambda entry: entry[0] != version and entry[0][0] == marks.epoch and entry[0][1] >= changed,
    )
    if entry is not None:
        return replay(*entry[2:]), "waited"
    return _build_and_store(key, build, marks.version), "miss"


def _claim(key):
    return cache.add(f"{key}:render", 1, RENDER_LOCK_SECONDS)


def _wait_for(key, current):
    deadline = time.monotonic() + RENDER_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(RENDER_POLL_SECONDS)
        entry = cache.get(key)
        if entry is not None and current(entry):
            return entry
    return None


def _build_and_store(key, build, version, claimed=False):
    shown = set()
    token = _shown.set(shown)
    try:
        response = build()
    except BaseException:
        if claimed:
            cache.delete(f"{key}:render")
        raise
    finally:
        _shown.reset(token)

    def store(rendered):
        if rendered.status_code == 200 and not rendered.streaming:
            with_etag(rendered)
            scopes = tuple(sorted(shown)) or (freshness.CATALOG,)
            entry = (version, scopes, rendered.content, dict(rendered.headers))
            cache.set(key, entry, STORED_SECONDS)
        if claimed:
            cache.delete(f"{key}:render")

    if getattr(response, "is_rendered", True):
        store(response)
    else:  # a TemplateResponse (the sitemap, the API's answers) is stored once rendered
        response.add_post_render_callback(store)
    return response


def with_etag(response):
    """``response`` with the ETag the ConditionalGetMiddleware would give it, so that a stored
    copy carries it and is not hashed again on every request (0.9 ms for a 275 KB export)."""
    return response if response.has_header("ETag") else set_response_etag(response)


def with_last_modified(response, last_change):
    """``response`` with a Last-Modified header saying ``last_change`` (left out when None: a
    page showing no record has no date to give)."""
    if last_change is not None:
        response.headers["Last-Modified"] = http_date(last_change.timestamp())
    return response


# --- Pages, exports, feeds, the sitemap -------------------------------------------------------


def _stored(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.CATALOG_SERVER_CACHE or request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        return stored_or_built(response_key(request), lambda: view(request, *args, **kwargs))

    return wrapper


def public_page(view):
    """An HTML page: read-only (GET and HEAD; anything else is a 405), stored, revalidated on
    every visit."""
    return require_safe(cache_control(public=True, no_cache=True)(_stored(view)))


def public_export(view):
    """An export, feed or sitemap: like ``public_page``, but caches may keep it a few minutes."""
    return require_safe(cache_control(public=True, max_age=EXPORT_MAX_AGE)(_stored(view)))


# --- The API ----------------------------------------------------------------------------------


def listed_etags(header):
    # parse_etags() gives [] for a malformed header: it then matches nothing.
    return parse_etags(header) if header else []


def none_match(header, etag):
    """Whether an If-None-Match ``header`` names ``etag``; weakly compared: W/"x" names "x"."""
    listed = listed_etags(header)
    return "*" in listed or etag in {tag.removeprefix("W/") for tag in listed}


class StoredResponses:
    """For a viewset whose handlers answer from the store through ``stored_or_built``. It adds
    no handler itself, so the router gives the viewset no route it does not have.

    The lookup happens inside the handler, so DRF's ``initial()`` has already authenticated
    the client, checked permissions and counted the request against the rate limits: a
    stored answer costs a client the same allowance as a fresh one (``access.throttling``).
    Only anonymous requests answered in JSON are stored: what an authenticated client reads
    is never shared, and the browsable HTML pages carry a session's CSRF token. A stored
    answer with an ETag (a detail's record ETag, a list's content hash) answers a matching
    If-None-Match with a 304, as ``retrieve`` does."""

    def stored_or_built(self, handler, request, *args, **kwargs):
        shared = (
            settings.CATALOG_SERVER_CACHE
            and request.method in ("GET", "HEAD")
            and not request.user.is_authenticated
            and request.auth is None
            and isinstance(request.accepted_renderer, JSONRenderer)
        )
        if not shared:
            return handler(request, *args, **kwargs)
        # The media type as accepted, parameters included: "; indent=4" changes the body.
        key = response_key(request, f"api {request.accepted_media_type}")

        def replay(content, headers):
            etag = headers.get("ETag")
            if etag and none_match(request.headers.get("If-None-Match"), etag):
                return HttpResponseNotModified(headers={"ETag": etag})
            return HttpResponse(content, headers=headers)

        return stored_or_built(key, lambda: handler(request, *args, **kwargs), replay)
