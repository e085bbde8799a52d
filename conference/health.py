"""``/healthz``: whether this process can serve, for load balancers: 200 while its database
answers, 503 when it does not. The cache (Redis) is reported in the JSON but decides nothing: the
site serves without it (``conference.cache``), so a Redis outage must not take every backend
out of rotation at once.

It is answered by a middleware near the top of the stack rather than by a view, because a load
balancer probes each backend over plain HTTP and often by IP address: the HTTPS redirect and
the ALLOWED_HOSTS check would answer 301 or 400 and take every backend out of rotation. Only the
middleware that add the security headers run before it (and exempt it from the redirect), so
its answers carry them like every other response. The answer depends on neither the host nor
the scheme, needs no session, user or template, is never stored in any cache, and names only
the class of a failure (the details, which may name hosts and users, go to the log).
"""

import logging

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers

HEALTH_PATH = "/healthz"
CACHE_PROBE_KEY = "healthz:probe"
CACHE_PROBE_VALUE = "ok"

logger = logging.getLogger(__name__)


# A table of the catalog itself: an empty or unmigrated database answers ``SELECT 1`` too, and a
# site on one fails every page.
PROBE_TABLE = "talks_conference"


def check_database():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(PROBE_TABLE)} LIMIT 1")
        cursor.fetchone()


class CacheUnavailable(Exception):
    """The cache failed and the site serves without it (``conference.cache``)."""


def check_cache():
    # A constant value: concurrent probes from other workers write the same thing.
    cache.set(CACHE_PROBE_KEY, CACHE_PROBE_VALUE, timeout=30)
    if cache.get(CACHE_PROBE_KEY) != CACHE_PROBE_VALUE:
        raise LookupError("the cache did not keep a value")
    # The resilient backend answers from memory during an outage, and says why.
    failure = getattr(cache, "failure", None)
    if failure:
        raise CacheUnavailable(failure)


def probe(name, check, failures):
    try:
        check()
    except CacheUnavailable as outage:
        # Logged by the backend when it started; here only reported.
        return f"unavailable: {outage}"
    except failures as error:
        logger.error("Health check: the %s failed: %r", name, error)
        return f"error: {type(error).__name__}"
    return "ok"


def health_response(request):
    if request.method not in ("GET", "HEAD"):
        response = JsonResponse({"detail": f"Method “{request.method}” not allowed."}, status=405)
        response["Allow"] = "GET, HEAD"
        return response
    # The cache backends raise their client library's own errors (redis.ConnectionError...).
    report = {
        "database": probe("database", check_database, DatabaseError),
        "cache": probe("cache", check_cache, Exception),
    }
    if report["database"] != "ok":
        status = "unavailable"
    else:
        status = "ok" if report["cache"] == "ok" else "degraded"
    response = JsonResponse(
        {"status": status, **report}, status=503 if status == "unavailable" else 200
    )
    add_never_cache_headers(response)
    return response


class HealthCheckMiddleware:
    """Answers ``/healthz`` below the security headers' middleware, above all others."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTH_PATH:
            return health_response(request)
        return self.get_response(request)
