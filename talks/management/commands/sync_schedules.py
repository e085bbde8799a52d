from django.core.management.base import BaseCommand, CommandError

from talks.files import add_limit_options, limits
from talks.importers.sync import SyncRunning, sync_sources
from talks.models import ScheduleSource


class Command(BaseCommand):
    help = (
        "Fetch every conference's schedule sources again (or one conference's) and import "
        "those that changed, one transaction each; a line per source. Run it every few "
        "minutes from cron or a systemd timer."
    )
    # As the import commands: run beside the web workers, often (talks.management.importing).
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--conference", metavar="SLUG", help="Only this conference.")
        add_limit_options(parser)

    def handle(self, *args, conference, max_size, max_values, **options):
        sources = ScheduleSource.objects.select_related("conference").order_by(
            "conference__slug", "location"
        )
        if conference:
            sources = sources.filter(conference__slug=conference)
            if not sources.exists():
                raise CommandError(f"No schedule source for a conference “{conference}”.")
        file_limits = limits(max_size, max_values)
        outcomes = []
        try:
            for outcome in sync_sources(sources, file_limits):
                outcomes.append(outcome)
                source = outcome.source
                line = f"{source.conference.slug} ({source.location}): {outcome.line}"
                self.stdout.write(self.style.ERROR(line) if outcome.failed else line)
        except SyncRunning as exc:
            raise CommandError(f"{exc}; nothing was synced.") from exc
        failed = [outcome for outcome in outcomes if outcome.failed]
        if failed:
            raise CommandError(f"{len(failed)} of {len(outcomes)} sources failed (listed above).")
        self.stdout.write(f"{len(outcomes)} sources checked.")
