from talks.importers.pyvideo import read_event_folder
from talks.management.importing import ImportCommand


class Command(ImportCommand):
    unit = "talks"
    help = (
        "Import one event folder of the pyvideo data format (category.json, videos/*.json) "
        "as a conference with its talks, speakers and video links, in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")
        super().add_arguments(parser)

    def handle(self, *args, directory, skip_invalid, dry_run, **options):
        self.import_data(
            directory,
            lambda: read_event_folder(directory),
            skip_invalid=skip_invalid,
            dry_run=dry_run,
        )
