"""Every export and talk feed runs a constant number of queries, whatever the talk count."""

import datetime

from talks.models import Room, Speaker, Talk, TalkLink, TalkSpeaker
from tests.builders import make_conference, make_day, make_track, refresh_planner_statistics

# The frab exports read the changelog's current version: one query more than the others.
MAX_QUERIES = 10
# Each URL with a talk of the large catalog its answer must hold.
URLS = [
    ("/conferences/{slug}/schedule.ics", b"Talk 2999"),
    ("/conferences/{slug}/schedule.xml", b"Talk 2999"),
    ("/conferences/{slug}/schedule.json", b"Talk 2999"),
    ("/conferences/{slug}/schedule.json?track=main&day=2", b"Talk 2998"),
    ("/conferences/{slug}/talks/feed/", b"Talk 2999"),
]


def bulk_catalog(talk_count):
    """A conference of ``talk_count`` timed talks with rooms, tracks, two speakers and a link
    each, written with bulk_create so thousands take a second."""
    conference = make_conference()
    days = [make_day(conference, number) for number in (1, 2, 3)]
    tracks = [make_track(conference, "main"), make_track(conference, "black-belt")]
    rooms = [Room.objects.create(conference=conference, name=f"Room {n}") for n in (1, 2)]
    speakers = Speaker.objects.bulk_create(
        Speaker(name=f"Speaker {n}", slug=f"bulk-speaker-{conference.pk}-{n}")
        for n in range(talk_count + 1)
    )
    talks = []
    for n in range(talk_count):
        day = days[n % 3]
        start = datetime.datetime.combine(day.date, datetime.time(9 + n % 9), conference.tzinfo)
        talks.append(
            Talk(
                conference=conference,
                slug=f"talk-{n}",
                title=f"Talk {n}",
                day=day,
                track=tracks[n % 2],
                room=rooms[n % 2] if n % 5 else None,
                starts_at=start,
                ends_at=start + datetime.timedelta(minutes=30) if n % 4 else None,
            )
        )
    talks = Talk.objects.bulk_create(talks)
    TalkSpeaker.objects.bulk_create(
        TalkSpeaker(talk=talk, speaker=speakers[n + offset], position=offset)
        for n, talk in enumerate(talks)
        for offset in (0, 1)
    )
    TalkLink.objects.bulk_create(
        TalkLink(talk=talk, url=f"https://slides.example.org/{n}", kind="slides")
        for n, talk in enumerate(talks)
    )
    refresh_planner_statistics()
    return conference


def test_export_query_count_does_not_grow_with_talks(client, db, django_assert_max_num_queries):
    few, many = bulk_catalog(5), bulk_catalog(3000)
    for url, marker in URLS:
        for conference in (few, many):
            with django_assert_max_num_queries(MAX_QUERIES):
                response = client.get(url.format(slug=conference.slug))
            assert response.status_code == 200
        assert response.content.count(marker) == 1, url


def test_speaker_feed_and_per_talk_calendar_are_constant(client, db, django_assert_max_num_queries):
    conference = bulk_catalog(200)
    speaker = Speaker.objects.get(name="Speaker 7")
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(f"/speakers/{speaker.slug}/feed/").status_code == 200
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(f"/conferences/{conference.slug}/talks/talk-7/calendar.ics")
    assert response.status_code == 200
