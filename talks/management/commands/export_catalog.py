from django.core.management.base import BaseCommand, CommandError

from talks.catalog_export import catalog_yaml
from talks.models import Conference


class Command(BaseCommand):
    help = "Write one conference as catalog YAML that load_catalog accepts."

    def add_arguments(self, parser):
        parser.add_argument("slug", metavar="SLUG")
        parser.add_argument("-o", "--output", metavar="FILE", help="Write here, not to stdout.")

    def handle(self, *args, slug, output, **options):
        conference = Conference.objects.filter(slug=slug).first()
        if conference is None:
            raise CommandError(f"No conference with slug “{slug}”.")
        text = catalog_yaml(conference)
        if output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(text)
            self.stderr.write(f"Wrote {conference} to {output}.")
        else:
            self.stdout.write(text, ending="")
