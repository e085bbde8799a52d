from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "access"
    verbose_name = "API access"

    def ready(self):
        from . import schema  # noqa: F401  registers the token scheme with drf-spectacular
