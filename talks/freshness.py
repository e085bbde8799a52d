"""The catalog's version, a token that changes whenever any catalog row changes, and the
time of its last change.

Cached pages, exports and feeds are stored under the current version, so a change anywhere
(admin, API, loaders, imports) makes every cached copy unreachable at once; nothing has to know
which pages a row appears on. The token lives in the shared cache, so with REDIS_URL all
processes see the same version.

Saves, deletes and many-to-many changes bump the version through signals. ``bulk_create()``,
``QuerySet.update()`` and raw SQL send no signals: code using them calls
``bump_catalog_version()`` itself.

``catalog_last_change()`` is the newest ``updated_at`` of all catalog records: the date of the
pages that list the whole catalog (home, speakers, sitemap). Deletions leave no timestamp behind,
so a page that lost a row keeps its date; its ETag changes all the same.
"""

import uuid

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from talks.models.base import Timestamped, newest_update_row

VERSION_KEY = "talks:catalog-version"


def catalog_version():
    return cache.get_or_set(VERSION_KEY, lambda: uuid.uuid4().hex, timeout=None)


def bump_catalog_version():
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def catalog_last_change():
    """The newest ``updated_at`` of any catalog record, None for an empty catalog; one query."""
    newest = [
        newest_update_row(model._default_manager.all())
        for model in apps.get_app_config("talks").get_models()
        if issubclass(model, Timestamped) and not model._meta.proxy
    ]
    first, *others = newest
    return max(filter(None, first.union(*others, all=True)), default=None)


def _catalog_changed(sender, **kwargs):
    if sender._meta.app_label != "talks":
        return
    bump_catalog_version()
    # A request between this change and its commit may cache what it still reads as the old
    # data under the new version; bumping again once committed retires that copy.
    transaction.on_commit(bump_catalog_version)


def connect_signals():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_catalog_changed, dispatch_uid=f"talks-freshness-{signal!r}")
