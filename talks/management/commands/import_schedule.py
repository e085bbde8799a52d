from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from talks.files import add_limit_options, limits
from talks.importers.fetch import fetch_if_changed, is_web_address
from talks.importers.frab import read_schedule
from talks.management.importing import ImportCommand
from talks.models import validate_time_zone


class Command(ImportCommand):
    help = (
        "Import a schedule (frab or Pentabarf XML, frab/c3voc JSON, as written by pretalx, "
        "frab, wafer, pentabarf) from a file or an http(s) URL, in one transaction. "
        "Re-importing updates talks by event guid (or id), and marks cancelled (or with "
        "--prune deletes) the talks it wrote that the file no longer lists."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", metavar="FILE_OR_URL")
        parser.add_argument(
            "--conference",
            metavar="SLUG",
            help="Slug of the conference to import into (default: from the file's acronym).",
        )
        parser.add_argument(
            "--time-zone",
            metavar="ZONE",
            help="IANA time zone of the conference; required when the file names none "
            "and the conference is not in the catalog yet (e.g. FOSDEM's Europe/Brussels).",
        )
        super().add_arguments(parser)
        add_limit_options(parser)

    def handle(
        self,
        *args,
        source,
        conference,
        time_zone,
        skip_invalid,
        dry_run,
        prune,
        verbosity,
        max_size,
        max_values,
        **options,
    ):
        if time_zone:
            try:
                validate_time_zone(time_zone)
            except ValidationError as exc:
                raise CommandError(f"--time-zone: {' '.join(exc.messages)}") from exc

        file_limits = limits(max_size, max_values)

        def read():
            if not is_web_address(source):
                return read_schedule(source, conference_slug=conference, limits=file_limits)
            fetched = fetch_if_changed(source, max_bytes=file_limits.bytes)
            data = read_schedule(
                source, conference_slug=conference, raw=fetched.body, limits=file_limits
            )
            # Kept on the source, so that sync_schedules asks with them next time.
            data.conference.etag = fetched.etag
            data.conference.last_modified = fetched.last_modified
            return data

        self.import_data(
            source,
            read,
            time_zone=time_zone,
            skip_invalid=skip_invalid,
            dry_run=dry_run,
            prune=prune,
            verbosity=verbosity,
        )
