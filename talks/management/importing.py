"""What the import commands share: reading, one atomic write, progress and the summary."""

from django.core.management.base import BaseCommand, CommandError

from talks.importers.data import ImportFailure
from talks.importers.writer import write_schedule


class ImportCommand(BaseCommand):
    unit = "talks"

    def import_data(self, source, read, **write_options):
        """``read()`` returns the validated plain data; a failure leaves the database as it was."""
        try:
            data = read()
            self.stdout.write(f"Read {len(data.talks)} {self.unit} of {data.conference.name}.")
            report = write_schedule(data, progress=self.progress, **write_options)
        except ImportFailure as exc:
            raise CommandError(f"{exc}\nNothing was imported.") from exc
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Imported {source} as {data.conference.slug}."))

    def progress(self, done, total):
        self.stdout.write(f"  {done}/{total} {self.unit} written")
