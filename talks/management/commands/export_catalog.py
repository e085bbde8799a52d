from django.core.management.base import BaseCommand, CommandError

from talks.catalog_export import all_records, catalog_yaml, conference_records
from talks.models import Conference


class Command(BaseCommand):
    help = (
        "Write one conference, or with --all the whole catalog (a backup: every conference, "
        "speaker and organization), as catalog YAML that load_catalog accepts."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", metavar="SLUG", nargs="?")
        parser.add_argument("--all", action="store_true", help="Export the whole catalog.")
        parser.add_argument("-o", "--output", metavar="FILE", help="Write here, not to stdout.")

    def handle(self, *args, slug, all, output, **options):
        if all == bool(slug):
            raise CommandError("Name one conference SLUG, or give --all (not both).")
        if all:
            text, what = catalog_yaml(all_records(), "--all"), "the whole catalog"
        else:
            conference = Conference.objects.filter(slug=slug).first()
            if conference is None:
                raise CommandError(f"No conference with slug “{slug}”.")
            text, what = catalog_yaml(conference_records(conference), slug), str(conference)
        if output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(text)
            self.stderr.write(f"Wrote {what} to {output}.")
        else:
            self.stdout.write(text, ending="")
