from django.apps import AppConfig
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


def _sync_search_index(using, **kwargs):
    connection = connections[using]
    if connection.vendor == "sqlite":
        from .search.sqlite import ensure_index_sync

        ensure_index_sync(connection)


def _add_search_functions(connection, **kwargs):
    if connection.vendor == "sqlite":
        from .search.sqlite import add_similarity_function

        add_similarity_function(connection)


class TalksConfig(AppConfig):
    name = "talks"
    verbose_name = "Conference talks catalog"

    def catalog_models(self):
        """The models whose rows are the catalog: all of the app's but its change marks, its
        changelog (the history of the schedules, written by the changes themselves) and its
        command locks."""
        from .models import ChangeMark, CommandLock, ScheduleChange, ScheduleVersion

        kept_beside = (ChangeMark, CommandLock, ScheduleChange, ScheduleVersion)
        return [model for model in self.get_models() if model not in kept_beside]

    def ready(self):
        from . import changelog, freshness

        freshness.connect_signals()
        changelog.connect_signals()
        # After every migrate (and test database flush): see talks.search.sqlite.
        post_migrate.connect(_sync_search_index, sender=self, dispatch_uid="talks-search-sync")
        # The near-misses' similarity, which SQLite lacks (talks.search.sqlite).
        connection_created.connect(_add_search_functions, dispatch_uid="talks-search-functions")
