from django.core.management.base import CommandError
from django.template.defaultfilters import pluralize

from talks.files import add_limit_options, limits
from talks.importers.data import ImportFailure
from talks.importers.pyvideo import NO_PUBLISH_FILE, read_event_folder, read_withheld_ids
from talks.importers.pyvideo_tree import (
    Checkout,
    CheckoutReport,
    import_event_folders,
    is_event_folder,
)
from talks.management.importing import ImportCommand

BAR_WIDTH = 30


class Command(ImportCommand):
    unit = "talks"
    help = (
        "Import pyvideo data: one event folder (category.json, videos/*.json) as a conference "
        "with its talks, speakers and video links, or the root of a pyvideo data checkout, "
        "every event folder in it, one transaction per conference."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")
        super().add_arguments(parser)
        add_limit_options(parser)

    def handle(
        self,
        *args,
        directory,
        verbosity,
        max_size,
        max_values,
        skip_invalid,
        dry_run,
        prune,
        **options,
    ):
        file_limits = limits(max_size, max_values)
        write_options = {"skip_invalid": skip_invalid, "dry_run": dry_run, "prune": prune}
        if is_event_folder(directory):
            self.import_data(
                directory,
                lambda: read_event_folder(directory, file_limits),
                verbosity=verbosity,
                **write_options,
            )
            return
        try:
            checkout = Checkout.at(directory)
            withheld_ids = read_withheld_ids(checkout.root, file_limits)
        except ImportFailure as exc:
            raise CommandError(f"{exc}\nNothing was imported.") from exc
        self.import_checkout(
            checkout, directory, verbosity, file_limits, withheld_ids, write_options
        )

    def import_checkout(
        self, checkout, directory, verbosity, file_limits, withheld_ids, write_options
    ):
        count = len(checkout.events)
        self.stdout.write(f"Importing {count} event folders of {directory}.")
        if withheld_ids:
            self.stdout.write(
                f"{NO_PUBLISH_FILE} withholds {len(withheld_ids)} video ids: they are not "
                "imported, and hidden where an earlier import published them."
            )
        if checkout.not_events:
            names = ", ".join(path.name for path in checkout.not_events)
            self.stdout.write(
                f"Not event folders (no category.json and videos/), left alone: {names}"
            )
        live = self.stdout.isatty() and verbosity > 0
        summary = CheckoutReport()
        outcomes = import_event_folders(checkout.events, file_limits, withheld_ids, **write_options)
        for done, outcome in enumerate(outcomes, start=1):
            summary.add(outcome)
            if verbosity > 0 or outcome.failure:
                self.show_progress(
                    live, f"{done:>{len(str(count))}}/{count}", done / count, outcome
                )
        if live:
            self.stdout.write("")
        verb = "Would import" if write_options["dry_run"] else "Imported"
        self.stdout.write(
            f"{verb} {summary.imported} of {count} conferences, {summary.talks} talks read."
        )
        for line in summary.total.lines(name_every_talk=write_options["dry_run"] or verbosity >= 2):
            self.stdout.write(line)
        if write_options["dry_run"]:
            self.stdout.write("Dry run: nothing was written.")
        if summary.broken:
            listed = "\n".join(f"  {o.folder.name}: {o.failure}" for o in summary.broken)
            raise CommandError(
                f"{len(summary.broken)} of {count} event folders were not imported "
                f"(their conferences are unchanged):\n{listed}"
            )

    def show_progress(self, live, position, fraction, outcome):
        """A line per folder, or on a terminal one bar redrawn in place; a broken folder and
        the notes of an imported one get lines of their own, which stay on screen."""
        name = outcome.folder.name
        if outcome.failure:
            self.line(
                live, self.style.ERROR(f"[{position}] {name}: not imported: {outcome.failure}")
            )
            return
        if live:
            filled = round(BAR_WIDTH * fraction)
            bar = "#" * filled + "." * (BAR_WIDTH - filled)
            self.stdout.write(f"\r[{bar}] {position} {name}\x1b[K", ending="")
            self.stdout.flush()
        else:
            self.stdout.write(
                f"[{position}] {name}: {outcome.talks} talk{pluralize(outcome.talks)}"
            )
        for note in outcome.report.notes:
            self.line(live, f"    {name}: {note}")

    def line(self, live, text):
        """A line of its own, also when the progress bar is drawn on the current one."""
        self.stdout.write(f"\r\x1b[K{text}" if live else text)
