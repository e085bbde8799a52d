from django.core.management.base import BaseCommand, CommandError

from talks.catalog import CatalogError, load_catalog
from talks.files import add_limit_options, limits


class Command(BaseCommand):
    help = (
        "Load catalog YAML (Django's format with natural keys) with full model validation, "
        "in one transaction: any bad record leaves the database unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        add_limit_options(parser)

    def handle(self, *args, files, max_size, max_values, **options):
        try:
            report = load_catalog(files, limits(max_size, max_values))
        except CatalogError as exc:
            raise CommandError(f"{exc}\nNothing was loaded.") from exc
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Loaded {', '.join(files)}."))
