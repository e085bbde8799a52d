"""Error responses for the whole site: JSON under ``/api/``, friendly HTML pages elsewhere.

DRF answers the errors it raises itself in JSON; these cover the rest, which Django answers
through its error handlers (``handler400`` ... ``handler500`` in ``conference/urls.py``): an
unknown path, a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``, a disallowed host, too many query
parameters, an unexpected exception. With debug on, Django answers a suspicious request (the
last three) with its HTML debug page instead of ``handler400``; under ``/api/``,
``ApiBadRequestMiddleware`` answers it in JSON first, so the API's errors are JSON in
development and in the tests too.

A database outage (the server is down, unreachable or refuses connections) is not a bug of
ours but a temporary state: it answers 503 with Retry-After, on pages and in the API.
"""

import logging
import sys

import redis
from django.conf import settings
from django.core.exceptions import (
    DisallowedHost,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
)
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.views import defaults

API_PREFIX = "/api/"
RETRY_AFTER_SECONDS = 30

logger = logging.getLogger(__name__)


def is_api(request):
    return request.path_info.startswith(API_PREFIX)


def api_error(status, detail):
    """An error in the shape DRF gives its own: ``{"detail": "..."}``."""
    return JsonResponse({"detail": detail}, status=status)


def error_page(template, status, context):
    """An HTML error page that runs no context processor, so rendering it needs no database."""
    return HttpResponse(render_to_string(template, context), status=status)


def is_database_outage(error):
    """The database, or the shared cache (Redis) that pages, rate limits and lockouts use,
    cannot be reached: a 503 to retry, not a 500."""
    return isinstance(
        error,
        OperationalError | InterfaceError | redis.exceptions.ConnectionError | redis.TimeoutError,
    )


def outage_response(request, error):
    logger.error("Database or cache unavailable, answering 503 for %s: %r", request.path, error)
    if is_api(request):
        response = api_error(503, "The catalog's database is unavailable. Try again shortly.")
    else:
        response = error_page("503.html", 503, {"request": request})
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseOutageMiddleware:
    """Turns a database outage during a view, or while its TemplateResponse renders, into a 503.

    Errors raised in other middleware (a session saved during an outage) reach
    ``server_error`` instead, which answers them the same way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_outage(exception):
            return outage_response(request, exception)
        return None


class ApiBadRequestMiddleware:
    """Under ``/api/``: a request Django finds suspicious answers ``handler400``'s JSON whether
    debug is on or off. Its host and query string are read here, before any other middleware
    or view reads them; what a view raises later is caught in ``process_exception``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_api(request):
            try:
                request.get_host()
                request.GET  # noqa: B018  parsed now: more than DATA_UPLOAD_MAX_NUMBER_FIELDS
            except SuspiciousOperation as error:
                return suspicious_request(request, error)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_api(request) and isinstance(exception, SuspiciousOperation):
            return suspicious_request(request, exception)
        return None


def suspicious_request(request, error):
    # Logged as Django logs the ones it answers itself.
    logging.getLogger(f"django.security.{type(error).__name__}").error(str(error))
    return bad_request(request, error)


def api_bad_request_detail(exception):
    if isinstance(exception, TooManyFieldsSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        return f"The request has more than {limit:,} parameters."
    if isinstance(exception, DisallowedHost):
        return "The Host header names a host this site does not serve."
    return "Bad request."


def bad_request(request, exception):
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        detail = f"The request body is larger than the limit of {limit:,} bytes."
        if is_api(request):
            return api_error(413, detail)
        return error_page("400.html", 413, {"title": "Request too large", "message": detail})
    if is_api(request):
        return api_error(400, api_bad_request_detail(exception))
    # Without the request: its host may be the very thing that is wrong.
    return error_page("400.html", 400, {"title": "Bad request"})


def permission_denied(request, exception):
    if is_api(request):
        return api_error(403, "You do not have permission to perform this action.")
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if is_api(request):
        return api_error(404, "Not found.")
    return defaults.page_not_found(request, exception)


def server_error(request):
    # Django calls this while handling the exception, so it is still available here.
    error = sys.exc_info()[1]
    if is_database_outage(error):
        return outage_response(request, error)
    if is_api(request):
        return api_error(500, "A server error occurred.")
    return defaults.server_error(request)
