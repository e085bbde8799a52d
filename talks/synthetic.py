"""Synthetic catalogs at scale, for benchmarks and query-count tests.

The data is plainly fake (conferences named "Synthetic Conference N", slugs starting with
``synthetic-``) and deterministic for a given seed, so benchmark runs are comparable.
"""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .freshness import catalog_changes, retire_everything
from .long_tail import LongTail
from .models import Conference, Day, Room, Speaker, Talk, TalkKind, TalkSpeaker, Track

SLUG_PREFIX = "synthetic-"
WORDS = [
    "containers",
    "scaling",
    "tracing",
    "kernels",
    "networks",
    "storage",
    "security",
    "observability",
    "queries",
    "caching",
    "streams",
    "schedulers",
    "compilers",
    "testing",
    "types",
    "packaging",
    "deployment",
    "databases",
    "latency",
    "memory",
    "search",
    "graphs",
    "models",
    "pipelines",
    "migrations",
]


@dataclass(frozen=True)
class Scale:
    conferences: int = 1
    talks_per_conference: int = 1000
    days: int = 3
    tracks: int = 6
    rooms: int = 8
    speakers_per_talk: int = 2
    seed: int = 2017


def _title(rng):
    first, second = rng.sample(WORDS, 2)
    return f"{first.title()} and {second} in practice"


def speakers_by_talk(rng, scale):
    """For every talk of the catalog, conference by conference, the numbers (from 0) of its
    ``speakers_per_talk`` speakers: most speakers give one or two talks, a few dozens, as in
    a real catalog (``talks.long_tail``)."""
    talks = scale.conferences * scale.talks_per_conference
    tail = LongTail.for_picks(
        rng, talks * scale.speakers_per_talk, minimum=scale.speakers_per_talk + 1
    )
    return [tail.pick_distinct(scale.speakers_per_talk) for _ in range(talks)]


@transaction.atomic
@catalog_changes()
def generate_catalog(scale):
    """Replace any earlier synthetic data with a new catalog of the given scale."""
    rng = random.Random(scale.seed)
    Conference.objects.filter(slug__startswith=SLUG_PREFIX).delete()
    Speaker.objects.filter(slug__startswith=SLUG_PREFIX).delete()

    assignments = speakers_by_talk(rng, scale)
    numbers = sorted({number for numbers in assignments for number in numbers})
    created = Speaker.objects.bulk_create(
        Speaker(
            slug=f"{SLUG_PREFIX}speaker-{n + 1}",
            name=f"Synthetic Speaker {n + 1}",
            name_key=f"synthetic speaker {n + 1}",
            role="Engineer",
        )
        for n in numbers
    )
    speakers = dict(zip(numbers, created, strict=True))
    per_conference = scale.talks_per_conference
    for number in range(1, scale.conferences + 1):
        first = (number - 1) * per_conference
        talk_speakers = [
            [speakers[n] for n in talk] for talk in assignments[first : first + per_conference]
        ]
        _generate_conference(rng, scale, number, talk_speakers)
    retire_everything()  # bulk_create sends no signals


def _generate_conference(rng, scale, number, talk_speakers):
    start = datetime.date(2000, 1, 1) + datetime.timedelta(days=30 * number)
    conference = Conference.objects.create(
        slug=f"{SLUG_PREFIX}{number}",
        name=f"Synthetic Conference {number}",
        description="Generated data for benchmarks.",
        time_zone="Europe/Berlin",
        start_date=start,
        end_date=start + datetime.timedelta(days=scale.days - 1),
    )
    days = Day.objects.bulk_create(
        Day(conference=conference, number=n, date=start + datetime.timedelta(days=n - 1))
        for n in range(1, scale.days + 1)
    )
    tracks = Track.objects.bulk_create(
        Track(conference=conference, slug=f"track-{n}", name=f"Track {n}")
        for n in range(1, scale.tracks + 1)
    )
    rooms = Room.objects.bulk_create(
        Room(conference=conference, name=f"Room {n}") for n in range(1, scale.rooms + 1)
    )
    talks = []
    for n in range(1, scale.talks_per_conference + 1):
        day = rng.choice(days)
        local_start = datetime.datetime.combine(day.date, datetime.time(rng.randrange(9, 18)))
        starts_at = timezone.make_aware(local_start, conference.tzinfo)
        talks.append(
            Talk(
                conference=conference,
                slug=f"talk-{n}",
                title=f"{_title(rng)} ({n})",
                kind=TalkKind.KEYNOTE if n <= scale.days else TalkKind.SESSION,
                day=day,
                track=rng.choice(tracks),
                room=rng.choice(rooms),
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(minutes=rng.choice((25, 40, 55))),
                abstract=" ".join(rng.choices(WORDS, k=40)),
            )
        )
    talks = Talk.objects.bulk_create(talks)
    TalkSpeaker.objects.bulk_create(
        TalkSpeaker(talk=talk, speaker=speaker, position=position)
        for talk, speakers in zip(talks, talk_speakers, strict=True)
        for position, speaker in enumerate(speakers, 1)
    )
    return conference


@transaction.atomic
@catalog_changes()
def generate_room_grid(rooms=30, talks=900, days=1, tracks=8, seed=2017):
    """A conference whose ``rooms`` each hold back-to-back talks of 15 to 30 minutes (a short
    break now and then) from 08:00, as a busy multi-room schedule does, for the schedule
    grid's benchmark and tests. Replaces an earlier one; returns it."""
    rng = random.Random(seed)
    slug = f"{SLUG_PREFIX}grid"
    Conference.objects.filter(slug=slug).delete()
    Speaker.objects.filter(slug__startswith=f"{slug}-").delete()
    start = datetime.date(2001, 2, 3)
    conference = Conference.objects.create(
        slug=slug,
        name="Synthetic Grid Conference",
        time_zone="Europe/Brussels",
        start_date=start,
        end_date=start + datetime.timedelta(days=days - 1),
    )
    day_rows = Day.objects.bulk_create(
        Day(conference=conference, number=n, date=start + datetime.timedelta(days=n - 1))
        for n in range(1, days + 1)
    )
    track_rows = Track.objects.bulk_create(
        Track(conference=conference, slug=f"track-{n}", name=f"Track {n}")
        for n in range(1, tracks + 1)
    )
    room_rows = Room.objects.bulk_create(
        Room(conference=conference, name=f"Room {n:02}") for n in range(1, rooms + 1)
    )
    speakers = Speaker.objects.bulk_create(
        Speaker(slug=f"{slug}-speaker-{n}", name=f"Grid Speaker {n}", name_key=f"grid speaker {n}")
        for n in range(1, talks + 1)
    )
    rows = []
    per_slot = -(-talks // (rooms * days))  # talks per room and day, rounded up
    for day in day_rows:
        for room in room_rows:
            track = rng.choice(track_rows)  # a room mostly keeps its track, as devrooms do
            clock = timezone.make_aware(
                datetime.datetime.combine(day.date, datetime.time(8)), conference.tzinfo
            )
            for _ in range(per_slot):
                if len(rows) == talks:
                    break
                length = datetime.timedelta(minutes=rng.choice((15, 20, 25, 30)))
                n = len(rows) + 1
                rows.append(
                    Talk(
                        conference=conference,
                        slug=f"talk-{n}",
                        title=f"{_title(rng)} ({n})",
                        day=day,
                        track=track if rng.random() < 0.9 else rng.choice(track_rows),
                        room=room,
                        starts_at=clock,
                        ends_at=clock + length,
                    )
                )
                clock += length + datetime.timedelta(minutes=rng.choice((0, 0, 0, 5, 10)))
    Talk.objects.bulk_create(rows)
    TalkSpeaker.objects.bulk_create(
        TalkSpeaker(talk=talk, speaker=speaker, position=1)
        for talk, speaker in zip(rows, speakers, strict=True)
    )
    retire_everything()  # bulk_create sends no signals
    return conference
