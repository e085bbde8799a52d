"""Navigation that says what lies behind it: days and tracks with their talk counts (an empty
one is no link), exports that say how many talks they hold and are not offered empty, and each
talk shown once on the conference page."""

import datetime
import re

import pytest

from talks.models import TalkKind
from tests.builders import make_conference, make_day, make_talk, make_track


@pytest.fixture
def conference(db):
    conference = make_conference(slug="navconf")
    day_1, day_2 = make_day(conference, 1), make_day(conference, 2)
    make_track(conference, "empty-track", name="Empty Track")
    main = make_track(conference, "main")
    later = make_track(conference, "later")
    start = datetime.datetime(2024, 5, 6, 9, tzinfo=datetime.UTC)
    make_talk(conference, "Opening Keynote", kind=TalkKind.KEYNOTE, day=day_1, starts_at=start)
    make_talk(conference, "Morning Session", day=day_1, track=main)
    make_talk(conference, "Someday Session", track=later)
    assert day_2.talks.count() == 0
    return conference


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_conference_page_counts_days_and_tracks_and_links_only_non_empty_ones(client, conference):
    html = page(client, "/conferences/navconf/")
    days = html[html.index('id="days"') : html.index('id="tracks"')]
    assert 'href="/conferences/navconf/talks/?day=1">Day 1</a>' in days
    assert "2 talks" in days
    assert "?day=2" not in days
    assert re.search(r"<li>Day 2: .*?no talks", days)
    tracks = html[html.index('id="tracks"') : html.index('id="keynotes"')]
    assert "?track=empty-track" not in tracks
    assert re.search(r"<li>Empty Track <span class=\"muted\">· no talks", tracks)
    assert re.search(r'\?track=main">Main</a> <span class="muted">· 1 talk\b', tracks)


def test_conference_page_shows_each_talk_once(client, conference):
    html = page(client, "/conferences/navconf/")
    for title in ("Opening Keynote", "Morning Session", "Someday Session"):
        assert html.count(f">{title}</a>") == 1, title
    assert "Browse and filter all 3 talks" in html


def test_schedule_headings_count_their_talks(client, conference):
    html = page(client, "/conferences/navconf/schedule/")
    assert re.search(r'id="day-1">.*?· 2 talks', html)
    assert re.search(r"Main</a> <span class=\"muted\">· 1 talk\b", html)


def test_talk_list_filters_count_talks_and_cannot_pick_an_empty_one(client, conference):
    html = page(client, "/conferences/navconf/talks/")
    assert re.search(r'<option value="1">Day 1, Mon 6 May \(2 talks\)</option>', html)
    assert re.search(r'<option value="2" disabled>Day 2, Tue 7 May \(no talks\)</option>', html)
    assert '<option value="main">Main (1 talk)</option>' in html
    assert '<option value="empty-track" disabled>Empty Track (no talks)</option>' in html
    # A shared link to an empty day still shows that day as chosen.
    chosen = page(client, "/conferences/navconf/talks/?day=2")
    assert '<option value="2" selected>Day 2, Tue 7 May (no talks)</option>' in chosen


def test_exports_say_how_many_talks_they_hold(client, conference):
    html = page(client, "/conferences/navconf/")
    assert "2 of 3 talks have a date" in html
    assert "1 of 3 talks has a start time" in html
    assert 'Atom feed of the talks</a> <span class="muted">(3 talks)' in html
    assert "webcal:" in html


def test_no_calendar_is_offered_for_talks_without_a_date(client, conference):
    html = page(client, "/conferences/navconf/talks/?track=later")
    assert "webcal:" not in html
    assert "schedule.ics" not in html
    assert "No calendar to subscribe to: no talk here has a date yet." in html
    assert "No schedule files: no talk here has a start time yet." in html
    assert 'Atom feed of these talks</a> <span class="muted">(1 talk)' in html


@pytest.mark.parametrize(
    "url",
    [
        "/conferences/navconf/talks/?q=nothing-matches-this",
        "/conferences/emptyconf/",
        "/conferences/emptyconf/schedule/",
    ],
)
def test_no_exports_are_offered_for_an_empty_selection(client, conference, url):
    make_conference(slug="emptyconf")
    html = page(client, url)
    assert 'class="exports"' not in html
    assert "webcal:" not in html
