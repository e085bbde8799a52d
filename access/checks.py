"""A deployment check: the API's rate limits and invalid-token lockout need a shared cache.

They count in ``CACHES["default"]``. Local memory (the default without ``REDIS_URL``) is one
per process, so behind gunicorn with several workers every worker counts on its own and a
client gets as many times the limit as there are workers. The admin login lockout is not
affected: without Redis, django-axes counts in the database (``AXES_HANDLER``).
"""

from django.conf import settings
from django.core.checks import Tags, Warning, register
from rest_framework.settings import api_settings

# Backends whose entries no other process sees (the dummy one keeps none at all).
PER_PROCESS_CACHES = frozenset(
    {
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
    }
)


@register(Tags.security, Tags.caches, deploy=True)
def check_limits_share_their_counts(app_configs, **kwargs):
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.DEBUG or backend not in PER_PROCESS_CACHES:
        return []
    rates = [scope for scope, rate in api_settings.DEFAULT_THROTTLE_RATES.items() if rate]
    # The lockout has no off switch (DJANGO_LOGIN_FAILURE_LIMIT is at least 1).
    limits = (
        f"rate limits ({', '.join(rates)}) and invalid-token lockout count"
        if rates
        else "invalid-token lockout counts"
    )
    return [
        Warning(
            f"The API's {limits} in a cache of this process only "
            f"({backend.rsplit('.', 1)[-1]}): with several worker processes each counts on "
            "its own, so a client gets the limit once per worker.",
            hint="Set REDIS_URL to a Redis server that every worker shares "
            "(e.g. redis://127.0.0.1:6379/0).",
            id="access.W001",
        )
    ]
