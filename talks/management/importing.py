"""What the import commands share: reading, one atomic write, progress and the report.

The report always says how many events the source held and how many talks were written; an
import that would leave any event out fails, naming each, unless ``--skip-invalid`` is given,
and then each skipped event is listed. Success is never reported while events were dropped.
"""

from django.core.management.base import BaseCommand, CommandError

from talks.importers.data import ImportFailure
from talks.importers.writer import write_schedule


class ImportCommand(BaseCommand):
    unit = "events"
    # Imports re-run every few minutes while a conference is live, beside the web workers:
    # Django's system checks load every view to check the URLs, half of a small import's CPU.
    # They run with every deploy (check --deploy, migrate), not with every import.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid events when some cannot be imported, listing each left out.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read and check everything, report what would be written (naming every "
            "talk), write nothing.",
        )
        parser.add_argument(
            "--prune",
            action="store_true",
            help="Delete the talks an earlier import of the same source wrote that the source "
            "no longer lists, instead of marking them cancelled.",
        )

    def import_data(
        self, source, read, *, skip_invalid=False, dry_run=False, verbosity=1, **write_options
    ):
        """``read()`` returns the plain data; a failure leaves the database as it was."""
        try:
            data = read()
            name = data.conference.name[:200]
            self.stdout.write(f"Read {data.events_found} {self.unit} of {name} from {source}.")
            report = write_schedule(
                data,
                skip_invalid=skip_invalid,
                dry_run=dry_run,
                progress=self.progress,
                **write_options,
            )
        except ImportFailure as exc:
            raise CommandError(f"{exc}\nNothing was imported.") from exc
        for line in report.lines(name_every_talk=dry_run or verbosity >= 2):
            self.stdout.write(line)
        summary = report.summary(self.unit)
        if dry_run:
            self.stdout.write(f"Dry run: {summary} Nothing was written.")
        elif report.left_out:
            self.stdout.write(
                self.style.WARNING(
                    f"Imported {source} as {data.conference.slug} without the "
                    f"{len(report.left_out)} events listed above: {summary}"
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Imported {source} as {data.conference.slug}: {summary}")
            )
        return report

    def progress(self, done, total):
        self.stdout.write(f"  {done}/{total} talks written")
