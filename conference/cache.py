"""Redis as an accelerator, never a dependency: a cache backend that cannot make a request wait
long or fail.

Django's RedisCache, with two changes:

- **Short timeouts, no retries.** Connecting and each reply are bounded by tens of
  milliseconds (``REDIS_CONNECT_TIMEOUT``, ``REDIS_TIMEOUT``): a Redis that is stopped,
  unreachable, or hung with its socket still accepting (a frozen process) costs a request that
  long, not until the client gives up.
- **A circuit breaker.** After a failure the backend leaves Redis alone for a few seconds
  (``REDIS_PAUSE_SECONDS``), so that requests do not each pay the timeout, and answers from a
  local-memory cache of this process instead: stored pages are kept per process (they are
  still checked against the database's change marks, so none is ever stale), and the API's
  rate limits and the login lockouts count per process. The outage is logged once when it
  starts and once when Redis answers again; ``/healthz`` reports it (``failure``).

Every Redis error is caught here, so no caller needs to: a read misses, a write is kept locally.
"""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_SECONDS = 0.05
DEFAULT_PAUSE_SECONDS = 5.0
# Entries each process keeps while Redis is away: stored pages and counters, bounded.
FALLBACK_ENTRIES = 2000


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = {
            "socket_connect_timeout": DEFAULT_TIMEOUT_SECONDS,
            "socket_timeout": DEFAULT_TIMEOUT_SECONDS,
            **params.get("OPTIONS", {}),
        }
        super().__init__(server, {**params, "OPTIONS": options})
        self.pause_seconds = params.get("PAUSE_SECONDS", DEFAULT_PAUSE_SECONDS)
        # One per process, whatever the thread (Django gives each thread its own backend).
        self.fallback = LocMemCache(
            "conference-cache-fallback",
            {"TIMEOUT": params.get("TIMEOUT", 300), "OPTIONS": {"MAX_ENTRIES": FALLBACK_ENTRIES}},
        )
        self.failure = None  # the class of the error that took Redis out, while it is out
        self._paused_until = 0.0

    def _redis_or_fallback(self, name, *args, **kwargs):
        if time.monotonic() < self._paused_until:
            return getattr(self.fallback, name)(*args, **kwargs)
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except (RedisError, OSError) as error:
            self._pause(error)
            return getattr(self.fallback, name)(*args, **kwargs)
        if self.failure is not None:
            logger.warning("The cache (Redis) answers again after %s.", self.failure)
            self.failure = None
        return result

    def _pause(self, error):
        self._paused_until = time.monotonic() + self.pause_seconds
        if self.failure is None:
            logger.error(
                "The cache (Redis) failed (%r): serving without it, from this process's memory, "
                "retrying every %s s; rate limits and login lockouts count per process meanwhile.",
                error,
                self.pause_seconds,
            )
        self.failure = type(error).__name__

    def add(self, *args, **kwargs):
        return self._redis_or_fallback("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._redis_or_fallback("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._redis_or_fallback("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._redis_or_fallback("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._redis_or_fallback("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._redis_or_fallback("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._redis_or_fallback("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._redis_or_fallback("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._redis_or_fallback("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._redis_or_fallback("delete_many", *args, **kwargs)

    def clear(self):
        return self._redis_or_fallback("clear")
