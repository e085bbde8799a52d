from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def _sync_search_index(using, **kwargs):
    connection = connections[using]
    if connection.vendor == "sqlite":
        from .search.sqlite import ensure_index_sync

        ensure_index_sync(connection)


class TalksConfig(AppConfig):
    name = "talks"
    verbose_name = "Conference talks catalog"

    def ready(self):
        from .freshness import connect_signals

        connect_signals()
        # After every migrate (and test database flush): see talks.search.sqlite.
        post_migrate.connect(_sync_search_index, sender=self, dispatch_uid="talks-search-sync")
