"""My schedule (/my-schedule/): the starred talks named by the ids in its address."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest
from django.urls import reverse

from talks.filters import TALK_IDS_MAX
from talks.models import Talk
from tests.builders import (
    MARKS_QUERY,
    make_catalog,
    make_conference,
    make_day,
    make_speaker,
    make_talk,
)

URL = "/my-schedule/"


def my_schedule(client, *ids, **extra):
    query = "&".join(f"talk={pk}" for pk in ids)
    return client.get(f"{URL}?{query}" if query else URL, **extra)


def listed_titles(response):
    return re.findall(r'class="talk-title"><a href="[^"]+">([^<]+)</a>', response.content.decode())


def calendar_urls(response):
    return [
        unescape(url)
        for url in re.findall(r"data-calendar-url>([^<]+)<", response.content.decode())
    ]


def test_route_name():
    assert reverse("talks:my-schedule") == URL


@pytest.mark.django_db
def test_the_ids_in_the_address_list_those_talks_with_their_facts(client, dockercon):
    keynote = Talk.objects.get(conference=dockercon, slug="day-1-keynote")
    overlay = Talk.objects.get(slug="deep-dive-in-docker-overlay-networks")
    response = my_schedule(client, overlay.pk, keynote.pk)
    assert response.status_code == 200
    assert listed_titles(response) == ["Day 1 Keynote", "Deep Dive in Docker Overlay Networks"]
    page = response.content.decode()
    assert f'href="{keynote.get_absolute_url()}"' in page
    assert f'href="{overlay.get_absolute_url()}"' in page
    assert "DockerCon 2017" in page
    assert "Laurent Bernaille" in page  # a speaker
    assert 'datetime="2017-04-18"' in page  # the keynote's day
    assert '<meta name="robots" content="noindex">' in page


@pytest.mark.django_db
def test_an_unknown_time_shows_as_not_announced(client):
    conference = make_conference()
    talk = make_talk(conference, title="Someday", speakers=[make_speaker("Ada Lovelace")])
    page = my_schedule(client, talk.pk).content.decode()
    assert "Day not announced" in page
    assert "time not announced" in page
    assert "Ada Lovelace" in page
    assert "1 of these talks has no announced date, so the calendar leaves it out." in page


@pytest.mark.django_db
def test_each_conference_gets_a_calendar_url_with_its_own_talk_ids(client):
    first, second = make_conference(name="First"), make_conference(name="Second")
    a, b = make_talk(first, day=make_day(first)), make_talk(first)
    c = make_talk(second, day=make_day(second))
    response = my_schedule(client, a.pk, c.pk, b.pk)
    urls = calendar_urls(response)
    assert len(urls) == 2
    by_path = {urlsplit(url).path: parse_qs(urlsplit(url).query) for url in urls}
    # In the page's order: a (day 1) before b (day not announced).
    assert by_path == {
        f"/conferences/{first.slug}/schedule.ics": {"talk": [str(a.pk), str(b.pk)]},
        f"/conferences/{second.slug}/schedule.ics": {"talk": [str(c.pk)]},
    }
    assert all(url.startswith("http://testserver/conferences/") for url in urls)
    webcal_urls = [
        unescape(url) for url in re.findall(r'href="(webcal:[^"]+)"', response.content.decode())
    ]
    assert webcal_urls == [url.replace("http:", "webcal:", 1) for url in urls]


@pytest.mark.django_db
def test_the_calendar_url_answers_a_calendar_of_the_starred_talks(client, dockercon):
    starred = list(Talk.objects.filter(conference=dockercon, day__isnull=False).order_by("pk")[:3])
    response = my_schedule(client, *(talk.pk for talk in starred))
    (url,) = calendar_urls(response)
    calendar = client.get(url.removeprefix("http://testserver"))
    assert calendar.status_code == 200
    assert calendar["Content-Type"].startswith("text/calendar")
    events = icalendar.Calendar.from_ical(calendar.content).walk("VEVENT")
    assert sorted(str(event["SUMMARY"]) for event in events) == sorted(t.title for t in starred)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["talk=abc", "talk=", "talk=1&talk=-2", "talk=<script>x</script>", "talk=1.5"]
)
def test_malformed_ids_answer_400_with_the_page_and_a_message(client, dockercon, query):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400
    page = response.content.decode()
    assert "This address could not be used" in page
    assert "Enter talk ids as whole numbers" in page
    assert "<script>x" not in page
    assert listed_titles(response) == []  # never the whole catalog


@pytest.mark.django_db
def test_too_many_ids_answer_400(client, dockercon):
    response = client.get(URL, {"talk": [str(n) for n in range(1, TALK_IDS_MAX + 2)]})
    assert response.status_code == 400
    assert f"Choose at most {TALK_IDS_MAX} talks." in response.content.decode()


@pytest.mark.django_db
def test_unknown_ids_are_named_and_left_out(client, dockercon):
    keynote = Talk.objects.get(conference=dockercon, slug="day-1-keynote")
    response = my_schedule(client, keynote.pk, 987654, 987654)
    assert response.status_code == 200
    page = response.content.decode()
    assert "No talk in the catalog has the id 987654" in page
    assert f'href="{URL}?talk={keynote.pk}"' in page
    assert 'data-unknown-ids="987654"' in page
    assert listed_titles(response) == ["Day 1 Keynote"]
    assert all("987654" not in url for url in calendar_urls(response))


@pytest.mark.django_db
def test_only_unknown_ids_say_so(client, dockercon):
    response = my_schedule(client, 987654, 987655)
    assert response.status_code == 200
    page = response.content.decode()
    assert "No talk in the catalog has the ids 987654, 987655" in page
    assert "None of these talks is in the catalog." in page
    assert calendar_urls(response) == []


@pytest.mark.django_db
def test_without_ids_the_page_explains_starring_and_the_hand_made_address(client):
    response = my_schedule(client)
    assert response.status_code == 200
    page = response.content.decode()
    assert "No starred talks yet." in page
    assert "Starring needs JavaScript" in page  # in <noscript>
    assert "/my-schedule/?talk=3&amp;talk=7" in page
    assert "noindex" not in page


@pytest.mark.django_db
def test_other_parameters_do_not_filter_the_selection(client, dockercon):
    keynote = Talk.objects.get(conference=dockercon, slug="day-1-keynote")
    response = client.get(f"{URL}?talk={keynote.pk}&track=black-belt&day=9")
    assert response.status_code == 200
    assert listed_titles(response) == ["Day 1 Keynote"]


@pytest.mark.django_db
def test_the_site_navigation_links_to_my_schedule(client):
    assert (
        f'<a href="{URL}" id="my-schedule-link">My schedule</a>' in client.get("/").content.decode()
    )


@pytest.mark.django_db
@pytest.mark.parametrize("size", [5, 80])
def test_query_count_does_not_grow_with_the_starred_talks(
    client, django_assert_max_num_queries, size
):
    conferences = [make_catalog(size // 2), make_catalog(size - size // 2)]
    ids = list(Talk.objects.filter(conference__in=conferences).values_list("pk", flat=True))
    with django_assert_max_num_queries(2 + MARKS_QUERY):
        response = my_schedule(client, *ids)
    assert response.status_code == 200
    assert len(listed_titles(response)) == size
    assert len(calendar_urls(response)) == 2
