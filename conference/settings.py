"""Settings of the Conference Talks Catalog, read from the environment.

Development needs no configuration: with ``DJANGO_DEBUG=1`` the site runs on a SQLite file in
``var/``. Production sets ``DJANGO_DEBUG=0`` (the default), ``DJANGO_SECRET_KEY``,
``DJANGO_ALLOWED_HOSTS`` and ``DATABASE_URL``; the README lists every variable.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from conference import security_headers

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0, not {value!r}")


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name, default, minimum=0):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if not value.isdigit() or int(value) < minimum:
        raise ImproperlyConfigured(f"{name} must be a whole number from {minimum}, not {value!r}")
    return int(value)


# DRF's notation: a number of requests per second, minute, hour or day.
THROTTLE_RATE = re.compile(r"[0-9]+/(s|sec|second|m|min|minute|h|hour|d|day)")


def env_throttle_rate(name, default):
    """A DRF throttle rate such as ``60/minute``, or None for ``off``."""
    value = os.environ.get(name) or default
    if value.lower() == "off":
        return None
    if not THROTTLE_RATE.fullmatch(value):
        raise ImproperlyConfigured(
            f"{name} must be a rate such as 60/minute or 1000/hour, or off; not {value!r}"
        )
    return value


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off; "
            "set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "development-only-insecure-key-never-use-in-production"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "rest_framework",
    "knox",
    "axes",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "talks",
    "access",
]

MIDDLEWARE = [
    # The security headers first, so that every response carries them: /healthz and static
    # files too (answered by the health check and whitenoise, right below them).
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Load balancers probe /healthz over plain HTTP, often by IP (conference/health.py): it is
    # answered before the host is read, and SECURE_REDIRECT_EXEMPT spares it the redirect.
    "conference.health.HealthCheckMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages, exports and feeds, compressed for clients that accept gzip (static files come
    # compressed from whitenoise, above; not the API: conference/compression.py). Outside
    # ConditionalGetMiddleware, so that the ETag is that of the content, made weak; Django pads
    # the gzip header with random bytes against BREACH.
    "conference.compression.CatalogGZipMiddleware",
    # Before any middleware reads the host or the query string (conference/errors.py).
    "conference.errors.ApiBadRequestMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Late, so that it sees a login refused during a lockout and answers the lockout page.
    "axes.middleware.AxesMiddleware",
    # Last, so that every middleware above also sees its 503 (conference/errors.py).
    "conference.errors.DatabaseOutageMiddleware",
]

ROOT_URLCONF = "conference.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "conference.wsgi.application"

DEFAULT_SQLITE = BASE_DIR / "var" / "catalog.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Write-ahead logging: readers never wait for a writer (an import, an editor's save), nor
    # a writer for readers; in the default rollback journal, a commit locked every page out.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
# Redis is an accelerator: short timeouts, and a pause after a failure during which each
# process answers from its own memory (conference/cache.py). The site keeps serving without it.
CACHES = {
    "default": (
        {
            "BACKEND": "conference.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": env_int("REDIS_CONNECT_TIMEOUT_MS", 50, minimum=1) / 1000,
                "socket_timeout": env_int("REDIS_TIMEOUT_MS", 50, minimum=1) / 1000,
            },
            "PAUSE_SECONDS": env_int("REDIS_PAUSE_SECONDS", 5, minimum=1),
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Keep rendered pages, exports, feeds and API reads in the cache until the catalog changes
# what they show (talks/caching.py). Whether a stored copy is current is checked against the
# change marks in the database, so a per-process cache would be correct too; it is on by
# default with Redis only because one shared store is what makes it pay.
CATALOG_SERVER_CACHE = env_bool("DJANGO_SERVER_CACHE", bool(REDIS_URL))

# Whether the fetches the site makes (schedule sources, from the admin or the command line)
# may reach a loopback, private or link-local address. Off: an editor who can name a source
# must not make the server read its internal network.
CATALOG_ALLOW_PRIVATE_SOURCES = env_bool("CATALOG_ALLOW_PRIVATE_SOURCES", False)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Thumbnails copied by fetch_thumbnails, through the storage API (a local folder by default;
# any storage backend in production), and served from this origin (talks/views/media.py).
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("CATALOG_MEDIA_ROOT") or BASE_DIR / "var" / "media")
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
if DEBUG:
    # Development serves files straight from the apps; an empty root keeps whitenoise quiet.
    STATIC_ROOT.mkdir(exist_ok=True)

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Absolute links in feeds and exports built outside a request (management commands).
CATALOG_BASE_URL = os.environ.get("CATALOG_BASE_URL", "http://127.0.0.1:8000")

# Security: strict unless running the development server.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Load balancers probe /healthz over plain HTTP (conference/health.py).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_HTTPONLY = True
# No inline script or style on any response; conference/security_headers.py has the policies.
CONTENT_SECURITY_POLICY = security_headers.content_security_policy(
    os.environ.get("DJANGO_CSP_EXTRA_SOURCES", "")
)
PERMISSIONS_POLICY = security_headers.PERMISSIONS_POLICY
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's default logging gives "django" a console handler of its own under DEBUG and
        # lets it propagate to the root's: every line ("Not Found: ...") printed twice. Here it
        # has none and reaches the console through the root only.
        "django": {"handlers": []},
        # Configured again because configuring "django" resets its children: runserver's
        # request lines keep their timestamp and are printed once.
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}

# --- Abuse limits: client addresses, login lockout, API tokens ---------------------------------
# How many proxies of our own stand in front of the site and append to X-Forwarded-For (see
# access/network.py). 0 trusts only the connection's address, which a client cannot forge.
CATALOG_NUM_PROXIES = env_int("DJANGO_NUM_PROXIES", 0)

# django-axes: after AXES_FAILURE_LIMIT wrong passwords for one username from one address, that
# pair is refused, even with the right password, until AXES_COOLOFF_TIME has passed without a
# further try. The same limit and cool-off apply to invalid API tokens, per address.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner on every manage.py command
AXES_CLIENT_IP_CALLABLE = "access.network.client_ip"
AXES_LOCKOUT_CALLABLE = "access.lockout.lockout_response"
# Failures are counted where every process sees them: in the shared cache (Redis), else in the
# database, since a per-process memory cache would give each worker its own count.
AXES_HANDLER = (
    "axes.handlers.cache.AxesCacheHandler"
    if REDIS_URL
    else "axes.handlers.database.AxesDatabaseHandler"
)

# django-rest-knox: tokens are stored as a digest, expire, and carry a scope (access.ApiToken).
KNOX_TOKEN_MODEL = "access.ApiToken"
REST_KNOX = {"AUTO_REFRESH": False}  # an expiry is final: use cannot keep a leaked token alive

# --- JSON API (Django REST framework, drf-spectacular) -----------------------------------------
# One place for the API's behaviour: anonymous clients read; writes need a user with the Django
# model permission, by a write token (sent as "Authorization: Token <key>") or by session with
# CSRF. Token first, so that an anonymous write answers 401 with a WWW-Authenticate header.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "access.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "access.permissions.TokenScopeAllows",
        "rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly",
    ],
    # Per client address when anonymous, per user when authenticated, counted in the shared
    # cache. "off" in the environment turns one of them off.
    "DEFAULT_THROTTLE_CLASSES": [
        "access.throttling.AnonymousRateThrottle",
        "access.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_throttle_rate("DJANGO_THROTTLE_ANON", "60/minute"),
        "user": env_throttle_rate("DJANGO_THROTTLE_USER", "600/minute"),
    },
    "DEFAULT_FILTER_BACKENDS": ["talks.api.filtering.CatalogFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "talks.api.pagination.CatalogPagination",
    # JSON bodies only: nested relations have no faithful form encoding.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "talks.api.renderers.JSONRenderer",
        "talks.api.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "talks.api.schema.CatalogAutoSchema",
}

# Lost updates: PUT, PATCH and DELETE honour If-Match whenever a client sends it (412 when
# stale). On, a change without If-Match is refused (428), so no client can write blind.
CATALOG_API_REQUIRE_IF_MATCH = env_bool("DJANGO_API_REQUIRE_IF_MATCH", False)

SPECTACULAR_SETTINGS = {
    "TITLE": "Conference Talks Catalog API",
    "DESCRIPTION": (
        "Conferences, days, tracks, talks, keynotes, speakers and announcements. Reads are "
        "open to anonymous clients; writes need a token or session of a user with the model "
        "permission. Lists are paginated (page, page_size up to 100) and filtered with the same "
        "filters as the web pages; an invalid filter value answers 400 naming the parameter."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Tags and operation ids by resource (talks_list, talks_retrieve...), not all under "v1".
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Request and response shapes differ (nested summaries out, keys in).
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "TalkKindEnum": "talks.models.TalkKind",
        "LinkKindEnum": "talks.models.LinkKind",
        "TextFormatEnum": "talks.models.TextFormat",
        "SearchHitKindEnum": "talks.search.base.KIND_CHOICES",
    },
    # Swagger UI from drf-spectacular-sidecar's static files: no request leaves the site.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No validator badge: Swagger UI would load it from validator.swagger.io.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}
