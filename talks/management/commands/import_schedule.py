import zoneinfo

from django.core.management.base import BaseCommand, CommandError

from talks.importers.data import ImportFailure
from talks.importers.frab import read_schedule
from talks.importers.writer import write_schedule


class Command(BaseCommand):
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
                zoneinfo.ZoneInfo(time_zone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
                raise CommandError(f"--time-zone: “{time_zone}” is not an IANA time zone") from exc
        try:
            data = read_schedule(file, conference_slug=conference)
            self.stdout.write(f"Read {len(data.talks)} events of {data.conference.name}.")
            report = write_schedule(data, time_zone=time_zone, progress=self.progress)
        except ImportFailure as exc:
            raise CommandError(f"{exc}\nNothing was imported.") from exc
        write_report(self.stdout, report)
        self.stdout.write(self.style.SUCCESS(f"Imported {file} as {data.conference.slug}."))

    def progress(self, done, total):
        self.stdout.write(f"  {done}/{total} events written")


def write_report(stdout, report):
    for line in report.lines():
        stdout.write(line)
