from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "access"
    verbose_name = "API access"

    def ready(self):
        from . import checks, schema  # noqa: F401  register a deployment check, the token scheme
