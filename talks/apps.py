from django.apps import AppConfig


class TalksConfig(AppConfig):
    name = "talks"
    verbose_name = "Conference talks catalog"

    def ready(self):
        from .freshness import connect_signals

        connect_signals()
