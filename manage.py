#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    from conference.database import COMMANDS_WITHOUT_DATABASE, refuse_missing_sqlite_files

    command = sys.argv[1] if len(sys.argv) > 1 else "help"
    if command not in COMMANDS_WITHOUT_DATABASE:
        try:
            refuse_missing_sqlite_files()
        except ImproperlyConfigured as error:
            sys.exit(f"ImproperlyConfigured: {error}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
