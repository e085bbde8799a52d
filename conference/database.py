"""Refuse to run on a SQLite database file that does not exist.

SQLite creates a missing file on first connection, so a mistyped ``DATABASE_URL`` or a site
started before ``migrate`` would serve from an empty database and fail on every page. The
entry points (``manage.py``, ``wsgi.py``, ``asgi.py``) call this first; ``manage.py`` skips it
for the commands that create the database or do not use it. The test runners create their own
databases and never go through these entry points.
"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Commands that create the database, or run without reading it.
COMMANDS_WITHOUT_DATABASE = {
    "migrate",
    "makemigrations",
    "squashmigrations",
    "test",
    "collectstatic",
    "findstatic",
    "compilemessages",
    "makemessages",
    "diffsettings",
    "startapp",
    "startproject",
    "help",
    "version",
    "--help",
    "-h",
    "--version",
}


def missing_sqlite_files():
    for alias, database in settings.DATABASES.items():
        if database["ENGINE"] != "django.db.backends.sqlite3":
            continue
        name = str(database["NAME"])
        in_memory = name == ":memory:" or "mode=memory" in name
        if not in_memory and not Path(name).exists():
            yield alias, name


def refuse_missing_sqlite_files():
    missing = next(missing_sqlite_files(), None)
    if missing:
        alias, name = missing
        raise ImproperlyConfigured(
            f"The SQLite database file {name} (database {alias!r}) does not exist. Create it "
            f"with `python manage.py migrate`, or check DATABASE_URL if it names the wrong file."
        )
