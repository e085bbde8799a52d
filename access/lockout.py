"""What a locked-out login sees (django-axes' ``AXES_LOCKOUT_CALLABLE``).

Only the admin's login form takes passwords: the API authenticates by token or by the admin's
session, and its invalid-token lockout answers in JSON (``access.throttling``).
"""

from django.conf import settings
from django.shortcuts import render

TOO_MANY_REQUESTS = 429


def lockout_response(request, original_response, credentials):
    """A polite page saying how long to wait, also in ``Retry-After``."""
    cool_off = int(settings.AXES_COOLOFF_TIME.total_seconds())
    context = {"minutes": cool_off // 60, "failure_limit": settings.AXES_FAILURE_LIMIT}
    response = render(request, "access/locked_out.html", context, status=TOO_MANY_REQUESTS)
    response["Retry-After"] = str(cool_off)
    return response
