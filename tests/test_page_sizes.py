"""Nothing unbounded on a page (issue 11, point 4): at any catalog size, every HTML page, feed
and API response stays under 200 KB, except the documents that are a whole conference by
design (its schedule page, exports and talk feed).

The catalog below is large where each page could grow: 300 conferences, 3,000 speakers, one
conference of 4,000 talks with 200 keynotes and 200 announcements, and two speakers who gave
1,000 of those talks together and presented all of the announcements. Before the pages were
bounded, the home page, the speaker list, the speaker's page and feed, the conference page and
the API's speaker list and speaker record each exceeded 200 KB on it (267 KB to 1.1 MB).
"""

import datetime

import pytest
from django.utils import timezone
from django.utils.text import slugify

from talks.models import (
    Announcement,
    Conference,
    Day,
    Organization,
    Speaker,
    Talk,
    TalkKind,
    TalkSpeaker,
    Track,
)

MAX_BYTES = 200 * 1024
PROLIFIC = "aaron-prolific"
PROLIFIC_TALKS = 1000
BIG = "big-conference"
TAGLINE = "Two days of talks about containers, clouds and the software that runs on them."
ABSTRACT = "What we learnt running this in production for three years, and what we would change."


def _talks(conference, day, track, count, kind=TalkKind.SESSION, prefix="talk"):
    starts_at = timezone.make_aware(
        datetime.datetime.combine(day.date, datetime.time(9)), conference.tzinfo
    )
    return [
        Talk(
            conference=conference,
            slug=f"{prefix}-{n}",
            title=f"Running containers in production, lesson {n}",
            kind=kind,
            day=day,
            track=track,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(minutes=45),
            abstract=ABSTRACT,
        )
        for n in range(count)
    ]


@pytest.fixture
def big_catalog(db):
    organization = Organization.objects.create(slug="docker", name="Docker")
    first = datetime.date(2000, 3, 1)
    Conference.objects.bulk_create(
        Conference(
            slug=f"conference-{n}",
            name=f"Container Conference {n}",
            tagline=TAGLINE,
            city="Austin",
            country="United States",
            venue="Convention Center",
            start_date=first + datetime.timedelta(days=30 * n),
            end_date=first + datetime.timedelta(days=30 * n + 1),
        )
        for n in range(300)
    )
    big = Conference.objects.create(
        slug=BIG,
        name="The Big Conference",
        tagline=TAGLINE,
        start_date=datetime.date(2024, 5, 6),
        end_date=datetime.date(2024, 5, 7),
    )
    day = Day.objects.create(conference=big, number=1, date=big.start_date)
    track = Track.objects.create(conference=big, slug="main", name="Main")
    # Both first in the speaker list, which is in name order.
    prolific = [
        Speaker.objects.create(
            slug=slugify(name), name=name, role="Engineer", organization=organization
        )
        for name in ("Aaron Prolific", "Abel Prolific")
    ]
    speakers = Speaker.objects.bulk_create(
        Speaker(
            slug=f"speaker-{n}", name=f"Speaker {n}", role="Engineer", organization=organization
        )
        for n in range(3000)
    )
    talks = Talk.objects.bulk_create(
        _talks(big, day, track, PROLIFIC_TALKS - 200)
        + _talks(big, day, track, 200, TalkKind.KEYNOTE, "keynote")
        + _talks(big, day, track, len(speakers), prefix="other")
    )
    lineups = [prolific] * PROLIFIC_TALKS + [[speaker] for speaker in speakers]
    TalkSpeaker.objects.bulk_create(
        TalkSpeaker(talk=talk, speaker=speaker, position=position)
        for talk, lineup in zip(talks, lineups, strict=True)
        for position, speaker in enumerate(lineup, start=1)
    )
    announcements = Announcement.objects.bulk_create(
        Announcement(
            conference=big, slug=f"announcement-{n}", title=f"Announcement {n}", talk=talks[0]
        )
        for n in range(200)
    )
    Announcement.presenters.through.objects.bulk_create(
        Announcement.presenters.through(announcement=announcement, speaker=speaker)
        for announcement in announcements
        for speaker in prolific
    )
    return big


def oversized(client, urls):
    sizes = {url: len(client.get(url).content) for url in urls}
    return {url: size for url, size in sizes.items() if size >= MAX_BYTES}


def test_pages_and_feeds_stay_under_200_kb(client, big_catalog):
    talk = Talk.objects.filter(conference=big_catalog).first()
    urls = [
        "/",
        "/?page=2",
        "/speakers/",
        f"/speakers/?conference={BIG}",
        f"/speakers/{PROLIFIC}/",
        f"/speakers/{PROLIFIC}/?page=20",
        f"/speakers/{PROLIFIC}/feed/",
        f"/conferences/{BIG}/",
        f"/conferences/{BIG}/talks/",
        f"/conferences/{BIG}/talks/?speaker={PROLIFIC}",
        talk.get_absolute_url(),
        "/announcements/feed/",
        "/my-schedule/",
    ]
    assert oversized(client, urls) == {}


def test_api_responses_stay_under_200_kb(client, big_catalog):
    lists = ["conferences", "days", "tracks", "talks", "keynotes", "speakers", "announcements"]
    urls = [f"/api/v1/{name}/?page_size=100" for name in lists] + [
        f"/api/v1/talks/?speaker={PROLIFIC}&page_size=100",
        f"/api/v1/speakers/?conference={BIG}&page_size=100",
        f"/api/v1/speakers/{PROLIFIC}/",
        f"/api/v1/conferences/{BIG}/",
    ]
    assert oversized(client, urls) == {}


def test_a_prolific_speaker_links_to_all_their_talks(client, big_catalog):
    speaker = client.get(f"/api/v1/speakers/{PROLIFIC}/").json()
    assert speaker["talk_count"] == PROLIFIC_TALKS
    assert len(speaker["talks"]) == 50
    assert speaker["talks_url"] == f"http://testserver/api/v1/talks/?speaker={PROLIFIC}"
    assert client.get(speaker["talks_url"]).json()["count"] == PROLIFIC_TALKS
    listed = client.get("/api/v1/speakers/?page_size=1").json()["results"][0]
    assert (listed["slug"], listed["talk_count"], len(listed["talks"])) == (PROLIFIC, 1000, 3)
    page = client.get(f"/speakers/{PROLIFIC}/?page=20").content.decode()
    assert "Page 20 of 20" in page
    assert page.count('class="talk-item"') == 50
    assert "All 1000 talks by Aaron Prolific" in client.get("/speakers/").content.decode()
