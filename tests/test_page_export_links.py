"""The pages link to the exports and feeds, and each link answers with its format."""

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest
from lxml import etree

from talks.models import Talk
from tests.builders import make_conference, make_day, make_talk

CONF = "/conferences/dockercon-2017"
CALENDAR, XML, JSON, ATOM = (
    "text/calendar",
    "application/xml",
    "application/json",
    "application/atom+xml",
)


class Links(HTMLParser):
    """The page's <a> and <link rel="alternate"> elements, as attribute dicts."""

    def __init__(self, html):
        super().__init__()
        self.anchors, self.alternates = [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self.anchors.append(attrs)
        elif tag == "link" and attrs.get("rel") == "alternate":
            self.alternates.append(attrs)


def links_of(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return Links(response.content.decode())


def local(url):
    """A link's path and query, to follow it with the test client."""
    parts = urlsplit(url)
    assert parts.netloc in ("", "testserver"), url
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def follow(client, url, content_type):
    response = client.get(local(url))
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith(content_type), url
    return response


def export_anchors(links):
    """Links typed with an export format, by type, and the webcal subscription link."""
    typed = {a["type"]: a["href"] for a in links.anchors if a.get("type")}
    webcal = [a["href"] for a in links.anchors if a.get("href", "").startswith("webcal:")]
    return typed, webcal


def feeds(links):
    assert all(link["type"] == ATOM for link in links.alternates)
    return {link["title"]: link["href"] for link in links.alternates}


@pytest.mark.parametrize("path", [f"{CONF}/", f"{CONF}/schedule/"])
def test_conference_and_schedule_pages_link_every_export(client, dockercon, path):
    typed, webcal = export_anchors(links_of(client, path))
    assert set(typed) == {CALENDAR, XML, JSON, ATOM}
    assert typed[CALENDAR] == f"http://testserver{CONF}/schedule.ics"
    assert webcal == [f"webcal://testserver{CONF}/schedule.ics"]
    calendar = follow(client, typed[CALENDAR], CALENDAR)
    assert icalendar.Calendar.from_ical(calendar.content).walk("VEVENT")
    etree.fromstring(follow(client, typed[XML], XML).content)
    assert follow(client, typed[JSON], JSON).json()["schedule"]["conference"]["title"]
    follow(client, typed[ATOM], ATOM)


def test_talk_list_export_links_carry_its_valid_filters(client, dockercon):
    # day=9 names no day: the list ignores it, and so do its export and feed links.
    links = links_of(client, f"{CONF}/talks/?kind=keynote&day=9", status=400)
    typed, webcal = export_anchors(links)
    for url in [*typed.values(), *webcal, *feeds(links).values()]:
        assert parse_qs(urlsplit(url).query) == {"kind": ["keynote"]}, url
    calendar = follow(client, typed[CALENDAR], CALENDAR)
    summaries = sorted(
        str(event["SUMMARY"])
        for event in icalendar.Calendar.from_ical(calendar.content).walk("VEVENT")
    )
    assert summaries == ["Day 1 Keynote", "Day 2 Keynote"]
    follow(client, typed[XML], XML)
    follow(client, typed[JSON], JSON)
    feed = etree.fromstring(follow(client, typed[ATOM], ATOM).content)
    assert len(feed.findall("{http://www.w3.org/2005/Atom}entry")) == 2


def test_unfiltered_talk_list_links_the_whole_conference(client, dockercon):
    links = links_of(client, f"{CONF}/talks/")
    typed, _ = export_anchors(links)
    assert typed[CALENDAR] == f"http://testserver{CONF}/schedule.ics"
    assert list(feeds(links).values()) == [f"http://testserver{CONF}/talks/feed/"]


def test_talk_page_links_its_calendar_entry(client, dockercon):
    talk = Talk.objects.get(conference=dockercon, slug="day-1-keynote")
    (link,) = [a for a in links_of(client, talk.get_absolute_url()).anchors if a.get("type")]
    assert link["href"] == f"{CONF}/talks/day-1-keynote/calendar.ics"
    events = icalendar.Calendar.from_ical(follow(client, link["href"], CALENDAR).content)
    assert [str(event["SUMMARY"]) for event in events.walk("VEVENT")] == ["Day 1 Keynote"]


@pytest.mark.django_db
def test_an_undated_talk_has_no_calendar_link(client):
    conference = make_conference()
    undated = make_talk(conference)
    dated_day_only = make_talk(conference, day=make_day(conference))
    page = client.get(undated.get_absolute_url()).content.decode()
    assert "calendar.ics" not in page
    assert "No calendar entry: the date of this talk is not announced." in page
    assert f"{dated_day_only.get_absolute_url()}calendar.ics" in (
        client.get(dated_day_only.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", {"Announcements (Atom)": "/announcements/feed/"}),
        (
            f"{CONF}/",
            {
                "Announcements at DockerCon 2017 (Atom)": f"{CONF}/announcements/feed/",
                "Talks of DockerCon 2017 (Atom)": f"http://testserver{CONF}/talks/feed/",
            },
        ),
        (
            f"{CONF}/schedule/",
            {"Talks of DockerCon 2017 (Atom)": f"http://testserver{CONF}/talks/feed/"},
        ),
        (
            f"{CONF}/talks/?kind=keynote",
            {
                "Talks of DockerCon 2017 (filtered) (Atom)": (
                    f"http://testserver{CONF}/talks/feed/?kind=keynote"
                )
            },
        ),
        (
            f"{CONF}/announcements/",
            {"Announcements at DockerCon 2017 (Atom)": f"{CONF}/announcements/feed/"},
        ),
        (
            f"{CONF}/announcements/linuxkit/",
            {"Announcements at DockerCon 2017 (Atom)": f"{CONF}/announcements/feed/"},
        ),
        ("/speakers/ben-golub/", {"Talks by Ben Golub (Atom)": "/speakers/ben-golub/feed/"}),
    ],
)
def test_pages_announce_their_feeds_in_head(client, dockercon, path, expected):
    found = feeds(links_of(client, path))
    assert found == expected
    for url in found.values():
        feed = etree.fromstring(follow(client, url, ATOM).content)
        assert feed.findall("{http://www.w3.org/2005/Atom}entry")
