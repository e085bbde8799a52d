"""Settings for the test suite: the project's settings in development mode, made faster.

DATABASE_URL is still honoured, so the same suite runs on SQLite and on PostgreSQL.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from conference.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Each test process keeps its own cache in memory, even when the shell sets REDIS_URL: the
# parallel workers (pytest-xdist) must not share one, since every test clears it. Within a
# process it is shared by all, so the server-side cache is safe here.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CATALOG_SERVER_CACHE = True
# The tests serve schedules from a local HTTP server (tests/test_sync_schedules.py checks the
# refusal with it turned off).
CATALOG_ALLOW_PRIVATE_SOURCES = True
