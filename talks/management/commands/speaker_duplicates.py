"""Speakers who may be one person: names equal but for accents ("Adam Stevko", "Adam Števko"),
which an import never merges on its own, and names equal but for case, spacing or quote
marks that are still apart (written before imports folded them, or by hand)."""

from django.core.management.base import BaseCommand
from django.db.models import Count

from talks.models import Speaker
from talks.models.speakers import without_accents


class Command(BaseCommand):
    help = (
        "List speakers whose names differ only in accents (or only in case, spacing or quote "
        "marks): candidates for one person, to merge in the admin (Speakers, “Merge the "
        "selected speakers”) after checking. Changes nothing."
    )

    def handle(self, *args, verbosity, **options):
        groups = {}
        speakers = Speaker.objects.annotate(talk_total=Count("talk_roles")).order_by("name", "pk")
        for speaker in speakers.only("slug", "name", "name_key").iterator(chunk_size=2000):
            groups.setdefault(without_accents(speaker.name_key), []).append(speaker)
        candidates = [group for group in groups.values() if len(group) > 1]
        for group in candidates:
            same_key = len({speaker.name_key for speaker in group}) == 1
            why = "same name but for case, spacing or quotes" if same_key else "accents differ"
            listed = " · ".join(
                f"{speaker.name} ({speaker.slug}, {speaker.talk_total} "
                f"talk{'' if speaker.talk_total == 1 else 's'})"
                for speaker in group
            )
            self.stdout.write(f"{listed}  [{why}]")
        self.stdout.write(
            f"{len(candidates)} group{'' if len(candidates) == 1 else 's'} of possible "
            f"duplicates among {sum(len(group) for group in groups.values())} speakers."
            + ("" if not candidates else " Merge those that are one person in the admin.")
        )
