"""HTTP caching of the public pages.

The pages hold nothing personal, so shared caches may keep them for a few minutes; the
ConditionalGetMiddleware adds an ETag, so a revalidating client gets a 304 without the body.
"""

from django.views.decorators.cache import cache_control

PUBLIC_MAX_AGE = 300

public_page = cache_control(public=True, max_age=PUBLIC_MAX_AGE)
