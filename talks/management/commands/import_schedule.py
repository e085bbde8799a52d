from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from talks.importers.frab import read_schedule
from talks.management.importing import ImportCommand
from talks.models import validate_time_zone


class Command(ImportCommand):
    unit = "events"

    help = (
        "Import a frab schedule (XML or JSON, as written by pretalx, frab, wafer, pentabarf) "
        "into the catalog, in one transaction. Re-importing updates talks by event guid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")
        parser.add_argument(
            "--conference",
            metavar="SLUG",
            help="Slug of the conference to import into (default: from the file's acronym).",
        )
        parser.add_argument(
            "--time-zone",
            metavar="ZONE",
            help="IANA time zone of the conference, for files that name none (e.g. FOSDEM's).",
        )

    def handle(self, *args, file, conference, time_zone, **options):
        if time_zone:
            try:
                validate_time_zone(time_zone)
            except ValidationError as exc:
                raise CommandError(f"--time-zone: {' '.join(exc.messages)}") from exc
        self.import_data(
            file, lambda: read_schedule(file, conference_slug=conference), time_zone=time_zone
        )
