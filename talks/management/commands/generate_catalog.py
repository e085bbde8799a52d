from django.core.management.base import BaseCommand, CommandError

from talks.synthetic import SLUG_PREFIX, Scale, generate_catalog


class Command(BaseCommand):
    help = (
        "Generate synthetic conferences, talks and speakers for benchmarks, replacing earlier "
        f"synthetic data (slugs starting with '{SLUG_PREFIX}'). Real data is left alone."
    )

    def add_arguments(self, parser):
        defaults = Scale()
        parser.add_argument("--conferences", type=int, default=defaults.conferences)
        parser.add_argument(
            "--talks", type=int, default=defaults.talks_per_conference, help="talks per conference"
        )
        parser.add_argument("--days", type=int, default=defaults.days)
        parser.add_argument("--tracks", type=int, default=defaults.tracks)
        parser.add_argument("--rooms", type=int, default=defaults.rooms)
        parser.add_argument("--speakers-per-talk", type=int, default=defaults.speakers_per_talk)
        parser.add_argument("--seed", type=int, default=defaults.seed)

    def handle(self, *args, **options):
        scale = Scale(
            conferences=options["conferences"],
            talks_per_conference=options["talks"],
            days=options["days"],
            tracks=options["tracks"],
            rooms=options["rooms"],
            speakers_per_talk=options["speakers_per_talk"],
            seed=options["seed"],
        )
        if (
            min(
                scale.conferences,
                scale.talks_per_conference,
                scale.days,
                scale.tracks,
                scale.rooms,
                scale.speakers_per_talk,
            )
            < 1
        ):
            raise CommandError("Every count must be at least 1.")
        generate_catalog(scale)
        total = scale.conferences * scale.talks_per_conference
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {scale.conferences} conference(s) with {total} talks "
                f"(slugs {SLUG_PREFIX}1 ... {SLUG_PREFIX}{scale.conferences})."
            )
        )
