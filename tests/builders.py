"""Small builders for test data: each returns a saved, valid object with sensible defaults."""

import datetime
import itertools

from django.db import connection
from django.utils import timezone

from talks.freshness import catalog_changes
from talks.models import Announcement, Conference, Day, Speaker, Talk, TalkSpeaker, Track

_sequence = itertools.count(1)


def make_conference(**fields):
    n = next(_sequence)
    fields = {
        "slug": f"conf-{n}",
        "name": f"Conference {n}",
        "time_zone": "Europe/Paris",
        "start_date": datetime.date(2024, 5, 6),
        "end_date": datetime.date(2024, 5, 8),
        **fields,
    }
    return Conference.objects.create(**fields)


def make_day(conference, number=1, **fields):
    if "date" not in fields and conference.start_date:
        fields["date"] = conference.start_date + datetime.timedelta(days=number - 1)
    return Day.objects.create(conference=conference, number=number, **fields)


def make_track(conference, slug="main", **fields):
    fields.setdefault("name", slug.replace("-", " ").title())
    return Track.objects.create(conference=conference, slug=slug, **fields)


def make_speaker(name=None, **fields):
    name = name or f"Speaker {next(_sequence)}"
    return Speaker.objects.create(name=name, slug=Speaker.unique_slug_for(name), **fields)


def make_talk(conference, title=None, speakers=(), **fields):
    title = title or f"Talk {next(_sequence)}"
    fields.setdefault("slug", f"talk-{next(_sequence)}")
    talk = Talk.objects.create(conference=conference, title=title, **fields)
    for position, speaker in enumerate(speakers, start=1):
        TalkSpeaker.objects.create(talk=talk, speaker=speaker, position=position)
    return talk


@catalog_changes()
def make_catalog(talk_count, speakers_per_talk=2):
    """A conference with days, tracks, rooms-free talks and speakers, for query-count tests."""
    conference = make_conference()
    days = [make_day(conference, number) for number in (1, 2, 3)]
    tracks = [make_track(conference, slug) for slug in ("main", "black-belt")]
    speakers = [make_speaker() for _ in range(talk_count + speakers_per_talk)]
    tz = conference.tzinfo
    for index in range(talk_count):
        day = days[index % len(days)]
        starts_at = timezone.make_aware(
            datetime.datetime.combine(day.date, datetime.time(9 + index % 8)), tz
        )
        make_talk(
            conference,
            day=day,
            track=tracks[index % len(tracks)],
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(minutes=45),
            speakers=speakers[index : index + speakers_per_talk],
        )
    return conference


# --- Announcements (added for the page tests) -----------------------------------------------


def make_announcement(conference, talk=None, presenters=(), **fields):
    n = next(_sequence)
    fields = {"slug": f"announcement-{n}", "title": f"Announcement {n}", **fields}
    announcement = Announcement.objects.create(conference=conference, talk=talk, **fields)
    announcement.presenters.set(presenters)
    return announcement


def token_header(user, scope="write"):
    """The Authorization header value of a new API token of ``user``."""
    from access.models import ApiToken

    _, key = ApiToken.objects.issue(user, scope=scope)
    return f"Token {key}"


def refresh_planner_statistics():
    """After bulk-creating thousands of rows: on PostgreSQL, ANALYZE. The rows were inserted in
    the test's own transaction, which autovacuum cannot see, so without fresh statistics the
    planner takes the tables for as empty as an earlier test left them and plans nested scans
    that run for minutes. A deployment's autovacuum keeps its statistics current."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# The read of the change marks (talks.freshness) that every stored answer starts with: a
# replayed one costs that query alone, a rendered one that query more than its own.
MARKS_QUERY = 1
