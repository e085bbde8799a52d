from django.core.management.base import BaseCommand

from talks.freshness import retire_everything


class Command(BaseCommand):
    help = (
        "Retire every response the server has stored (pages, exports, feeds, API reads): run it "
        "after restoring the database from a backup, or after writing rows behind the site's "
        "back (raw SQL). The next request for each renders it anew."
    )

    def handle(self, *args, **options):
        retire_everything()
        self.stdout.write(self.style.SUCCESS("Every stored response is retired."))
