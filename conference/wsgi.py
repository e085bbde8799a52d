"""WSGI entry point, used by gunicorn: ``gunicorn conference.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

from conference.database import refuse_missing_sqlite_files

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")

refuse_missing_sqlite_files()
application = get_wsgi_application()
