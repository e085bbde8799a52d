"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

from conference.database import refuse_missing_sqlite_files

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")

refuse_missing_sqlite_files()
application = get_asgi_application()
