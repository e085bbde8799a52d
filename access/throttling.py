"""Rate limits of the API, counted in the shared cache (``CACHES["default"]``).

DRF runs throttles in ``APIView.initial()``, after authentication and permissions and before
the handler, so every request that reaches an API view counts, whatever answers it: a
``304 Not Modified``, or a response kept in a cache. A server-side cache of API responses must
therefore live inside the view (after ``initial()``), never wrap it the way the page cache
(``talks.caching``) wraps the HTML views.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from rest_framework import throttling
from rest_framework.exceptions import Throttled
from rest_framework.settings import api_settings

from .network import client_ip


class CatalogRateMixin:
    """Client addresses as ``access.network`` finds them; rates read when a request comes, so
    that a changed ``REST_FRAMEWORK`` setting (the tests) takes effect."""

    def get_ident(self, request):
        return client_ip(request)

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonymousRateThrottle(CatalogRateMixin, throttling.AnonRateThrottle):
    """``DJANGO_THROTTLE_ANON``: requests without credentials, per client address."""


class UserRateThrottle(CatalogRateMixin, throttling.UserRateThrottle):
    """``DJANGO_THROTTLE_USER``: authenticated requests, per user."""

    def get_cache_key(self, request, view):
        # DRF's version counts anonymous requests here too; they have their own rate.
        if not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)


class InvalidTokenLockout:
    """After ``AXES_FAILURE_LIMIT`` invalid tokens from one address, every token from it is
    refused with a 429 for ``AXES_COOLOFF_TIME``: the login lockout's rule, for tokens, which
    carry no username to key on."""

    def __init__(self, request):
        address = client_ip(request)
        self.failures_key = f"access:invalid-tokens:{address}"
        self.lockout_key = f"access:token-lockout:{address}"
        self.cool_off = settings.AXES_COOLOFF_TIME

    def check(self):
        """Raise ``Throttled`` while the address is locked out."""
        locked_until = cache.get(self.lockout_key)
        if locked_until is not None:
            wait = max(1, round((locked_until - timezone.now()).total_seconds()))
            raise Throttled(wait, detail="Too many invalid tokens from this address.")

    def record_failure(self):
        seconds = int(self.cool_off.total_seconds())
        cache.add(self.failures_key, 0, seconds)
        try:
            failures = cache.incr(self.failures_key)
        except ValueError:  # expired between add() and incr()
            failures = 1
            cache.set(self.failures_key, failures, seconds)
        if failures >= settings.AXES_FAILURE_LIMIT:
            cache.set(self.lockout_key, timezone.now() + self.cool_off, seconds)
            cache.delete(self.failures_key)
