import pytest
from django.core.cache import cache
from django.urls import resolve
from lxml import etree

from talks.models import Announcement, Speaker
from tests.builders import make_conference, make_day, make_talk, make_track

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = etree.fromstring(response.content)
    return {entry.findtext(f"{ATOM}title"): entry for entry in feed.iter(f"{ATOM}entry")}


def test_all_announcements(client, dockercon):
    found = entries(client.get("/announcements/feed/"))

    assert "LinuxKit (DockerCon 2017)" in found
    assert len(found) == 4
    link = found["LinuxKit (DockerCon 2017)"].find(f"{ATOM}link").get("href")
    assert link == "http://testserver/conferences/dockercon-2017/announcements/linuxkit/"
    # Made in the Day 1 keynote: the entry carries that talk's start, nothing invented.
    published = found["LinuxKit (DockerCon 2017)"].findtext(f"{ATOM}published")
    assert published == "2017-04-18T14:05:00+00:00"


def test_conference_announcements(client, dockercon):
    other = make_conference(slug="other-2024")
    Announcement.objects.create(conference=other, slug="elsewhere", title="Elsewhere")

    found = entries(client.get("/conferences/dockercon-2017/announcements/feed/"))

    assert set(found) == {
        "LinuxKit",
        "The Moby Project",
        "Linux containers on Windows hosts",
        "Oracle images in the Docker Store",
    }
    assert client.get("/conferences/nope/announcements/feed/").status_code == 404


def test_conference_talks_accept_the_talk_filters(client, dockercon):
    every = entries(client.get("/conferences/dockercon-2017/talks/feed/"))
    black_belt = entries(client.get("/conferences/dockercon-2017/talks/feed/?track=black-belt"))

    assert len(every) == 4
    assert set(black_belt) == {
        "Container Performance Analysis",
        "Deep Dive in Docker Overlay Networks",
    }
    entry = black_belt["Container Performance Analysis"]
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Brendan Gregg"
    assert entry.find(f"{ATOM}published") is None  # no known date, none invented


def test_invalid_talk_filter_is_a_400_naming_it(client, dockercon):
    response = client.get("/conferences/dockercon-2017/talks/feed/?track=nope")

    assert response.status_code == 400
    assert "track:" in response.content.decode()


def test_speaker_feed_lists_their_talks_across_conferences(client, dockercon):
    other = make_conference(slug="other-2024")
    golub = Speaker.objects.get(slug="ben-golub")
    make_talk(
        other, "Later talk", day=make_day(other, 1), track=make_track(other), speakers=[golub]
    )

    found = entries(client.get("/speakers/ben-golub/feed/"))

    assert set(found) == {
        "Day 1 Keynote (DockerCon 2017)",
        "Day 2 Keynote (DockerCon 2017)",
        f"Later talk ({other.name})",
    }
    assert client.get("/speakers/nobody/feed/").status_code == 404


def test_summaries_are_text_so_markup_in_a_plain_abstract_stays_text(client, db):
    conference = make_conference(slug="escape-2024")
    make_talk(conference, "Markup", abstract="<script>alert(1)</script>")

    response = client.get("/conferences/escape-2024/talks/feed/")

    summary = entries(response)["Markup"].find(f"{ATOM}summary")
    assert summary.get("type") == "text"
    assert summary.text == "<script>alert(1)</script>"
    assert b"<script>" not in response.content


def test_the_talk_feed_route_wins_over_a_talk_slug():
    """Pages of talks live at talks/<slug>/; the feed must not be read as a talk named feed."""
    match = resolve("/conferences/dockercon-2017/talks/feed/", urlconf="conference.urls")

    assert match.view_name == "talks:conference-talks-feed"


def test_announcement_feeds_run_constant_queries(client, dockercon, django_assert_max_num_queries):
    talk = dockercon.talks.get(slug="day-1-keynote")
    Announcement.objects.bulk_create(
        Announcement(conference=dockercon, slug=f"news-{n}", title=f"News {n}", talk=talk)
        for n in range(300)
    )
    for url in ("/announcements/feed/", "/conferences/dockercon-2017/announcements/feed/"):
        with django_assert_max_num_queries(6):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/announcements/feed/",
        "/conferences/dockercon-2017/talks/feed/",
        "/speakers/ben-golub/feed/",
    ],
)
def test_a_feed_reaches_the_server_in_one_piece(client, dockercon, url):
    """A WSGI server sends each piece of a response in its own system call."""
    response = client.get(url)

    assert response.status_code == 200
    assert len(list(response)) == 1


def test_a_feed_of_undated_talks_stays_the_same_between_requests(client, dockercon):
    """Its dates are the records' last changes (tests/test_record_dates.py), not the time of
    the request, so an unchanged catalog gives the same feed (and ETag) every time."""
    response = client.get("/speakers/brendan-gregg/feed/")
    cache.clear()
    assert client.get("/speakers/brendan-gregg/feed/").content == response.content


@pytest.mark.parametrize(
    "url",
    [
        "/announcements/feed/",
        "/conferences/dockercon-2017/announcements/feed/",
        "/conferences/dockercon-2017/talks/feed/",
        "/speakers/brendan-gregg/feed/",
    ],
)
def test_every_entry_has_the_updated_element_atom_requires(client, dockercon, url):
    feed = etree.fromstring(client.get(url).content)
    items = feed.findall(f"{ATOM}entry")
    assert items
    for entry in items:
        assert entry.find(f"{ATOM}updated") is not None
        assert entry.find(f"{ATOM}id") is not None
        assert entry.find(f"{ATOM}title").text


def test_feed_summaries_keep_lists_as_lines_of_text(client, dockercon):
    found = entries(client.get("/conferences/dockercon-2017/talks/feed/"))
    summary = found["Day 1 Keynote"].findtext(f"{ATOM}summary")
    assert "\n- Tools should get out of the way.\n" in summary
