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

from talks.feeds import LATEST_SPEAKER_TALKS
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
from talks.views.conferences import CONFERENCE_HIGHLIGHTS
from tests.builders import (
    make_announcement,
    make_catalog,
    make_conference,
    make_speaker,
    make_talk,
    refresh_planner_statistics,
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
    refresh_planner_statistics()
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


# --- The bounded lists, on small catalogs -------------------------------------------------------


def test_the_speaker_list_filters_by_conference(client, db):
    conference = make_catalog(3, speakers_per_talk=1)
    elsewhere = make_speaker("Zoe Elsewhere")
    make_talk(make_conference(), speakers=[elsewhere])
    page = client.get(f"/speakers/?conference={conference.slug}").content.decode()
    assert f'Speakers of <a href="/conferences/{conference.slug}/">{conference.name}</a>' in page
    assert "3 speakers of" in page
    assert "Zoe Elsewhere" not in page
    assert "Zoe Elsewhere" in client.get("/speakers/").content.decode()


@pytest.mark.parametrize("value", ["nope", "<b>x</b>"])
def test_an_unknown_conference_is_a_400_naming_the_parameter_and_lists_everyone(client, db, value):
    make_talk(make_conference(), speakers=[make_speaker("Zoe Elsewhere")])
    response = client.get("/speakers/", {"conference": value})
    page = response.content.decode()
    assert response.status_code == 400
    assert "<strong>conference</strong>:" in page
    assert "This filter was ignored." in page
    assert "Zoe Elsewhere" in page
    assert "<b>x</b>" not in page
    assert client.get("/api/v1/speakers/", {"conference": value}).json().keys() == {"conference"}


def test_home_shows_recent_and_coming_conferences_and_pages_the_rest(client, db):
    today = timezone.localdate()
    for offset in range(-60, 0, 1):
        make_conference(
            name=f"Past {offset}",
            start_date=today + datetime.timedelta(offset - 1),
            end_date=today + datetime.timedelta(offset),
        )
    make_conference(name="Running now", start_date=today, end_date=today + datetime.timedelta(1))
    make_conference(name="Coming soon", start_date=today + datetime.timedelta(9), end_date=None)
    make_conference(name="Undated", start_date=None, end_date=None)
    page = client.get("/").content.decode()
    upcoming, recent, every = (
        page.split('id="upcoming"')[1].split('id="recent"')[0],
        page.split('id="recent"')[1].split('id="all-conferences"')[0],
        page.split('id="all-conferences"')[1],
    )
    assert upcoming.index("Running now") < upcoming.index("Coming soon")
    shown = [name for name in ("Past -1", "Past -2", "Past -3", "Past -4") if name in recent]
    assert shown == ["Past -1", "Past -2", "Past -3"]
    assert every.count('<li><a href="/conferences/') == 50
    assert "Page 1 of 2" in every
    second = client.get("/?page=2").content.decode().split('id="all-conferences"')[1]
    assert second.count('<li><a href="/conferences/') == 13
    assert "Undated" in second
    response = client.get("/?page=9")
    assert response.status_code == 400
    assert "There is no page 9" in response.content.decode()


def test_the_speaker_feed_has_the_newest_talks_only(client, db):
    speaker = make_speaker("Aaron Prolific")
    old, new = (
        make_conference(start_date=datetime.date(2020, 1, 1), end_date=None),
        make_conference(),
    )
    for _ in range(LATEST_SPEAKER_TALKS):
        make_talk(new, speakers=[speaker])
    make_talk(old, title="An old talk", speakers=[speaker])
    feed = client.get(f"/speakers/{speaker.slug}/feed/").content.decode()
    assert feed.count("<entry>") == LATEST_SPEAKER_TALKS
    assert "An old talk" not in feed


def test_the_conference_page_links_to_keynotes_and_announcements_it_leaves_out(client, db):
    conference = make_conference()
    for _ in range(CONFERENCE_HIGHLIGHTS + 1):
        make_talk(conference, kind=TalkKind.KEYNOTE)
        make_announcement(conference)
    page = client.get(f"/conferences/{conference.slug}/").content.decode()
    count = CONFERENCE_HIGHLIGHTS + 1
    assert f'?kind=keynote">All {count} keynotes</a>' in page
    assert f'/announcements/">All {count} announcements</a>' in page
    assert f'href="/speakers/?conference={conference.slug}"' in page
