from django.core.management.base import BaseCommand, CommandError

from talks.importers.data import ImportFailure
from talks.importers.pyvideo import read_event_folder
from talks.importers.writer import write_schedule

from .import_schedule import write_report


class Command(BaseCommand):
    help = (
        "Import one event folder of the pyvideo data format (category.json, videos/*.json) "
        "as a conference with its talks, speakers and video links, in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")

    def handle(self, *args, directory, **options):
        try:
            data = read_event_folder(directory)
            self.stdout.write(f"Read {len(data.talks)} talks of {data.conference.name}.")
            report = write_schedule(data, progress=self.progress)
        except ImportFailure as exc:
            raise CommandError(f"{exc}\nNothing was imported.") from exc
        write_report(self.stdout, report)
        self.stdout.write(self.style.SUCCESS(f"Imported {directory} as {data.conference.slug}."))

    def progress(self, done, total):
        self.stdout.write(f"  {done}/{total} talks written")
