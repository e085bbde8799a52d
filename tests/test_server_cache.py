"""Pages, exports and feeds are kept in the server's cache until what they show changes."""

from unittest.mock import patch

import pytest
from django.core.management import call_command

from talks.models import Talk
from tests.builders import MARKS_QUERY

TALK = "/conferences/dockercon-2017/talks/day-1-keynote/"


@pytest.mark.parametrize(
    "url",
    [
        "/",
        TALK,
        "/conferences/dockercon-2017/schedule/",
        "/conferences/dockercon-2017/schedule.json",
        "/conferences/dockercon-2017/talks/feed/",
        "/sitemap.xml",
    ],
)
def test_a_repeated_request_runs_only_the_freshness_check(
    client, dockercon, url, django_assert_num_queries
):
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(MARKS_QUERY):
        again = client.get(url)
    assert again.content == first.content


@pytest.mark.parametrize("url", [TALK, "/conferences/dockercon-2017/schedule.json", "/sitemap.xml"])
def test_a_stored_copy_keeps_its_etag_instead_of_being_hashed_again(client, dockercon, url):
    first = client.get(url)
    with patch("django.middleware.http.set_response_etag") as hashing:
        again = client.get(url)
        revalidated = client.get(url, headers={"If-None-Match": first["ETag"]})

    hashing.assert_not_called()
    assert again["ETag"] == first["ETag"]
    assert revalidated.status_code == 304


def test_a_change_anywhere_retires_the_stored_copies(client, dockercon):
    assert "Day 1 Keynote" in client.get(TALK).content.decode()
    talk = Talk.objects.get(slug="day-1-keynote")
    talk.title = "Opening Keynote"
    talk.save()
    assert "Opening Keynote" in client.get(TALK).content.decode()


def test_speaker_order_changes_retire_stored_copies_too(client, dockercon):
    def own_part(page):  # not the suggestions after it: Ben Golub gave the day 2 keynote too
        return page.split('class="watch-next"')[0]

    assert 'href="/speakers/ben-golub/"' in own_part(client.get(TALK).content.decode())
    Talk.objects.get(slug="day-1-keynote").speakers.clear()
    assert 'href="/speakers/ben-golub/"' not in own_part(client.get(TALK).content.decode())


def test_generated_data_retires_stored_copies(client, dockercon):
    assert "Synthetic" not in client.get("/").content.decode()
    call_command("generate_catalog", "--talks", "3", verbosity=0)
    assert "Synthetic Conference 1" in client.get("/").content.decode()


def test_error_answers_are_not_stored(client, dockercon):
    url = "/conferences/dockercon-2017/talks/?day=abc"
    assert client.get(url).status_code == 400
    response = client.get(url)
    assert response.status_code == 400
    assert response.context is not None, "rendered again, not replayed from the cache"


def test_absolute_links_follow_the_host(client, dockercon):
    url = "/conferences/dockercon-2017/schedule.json"
    client.get(url, HTTP_HOST="localhost")
    body = client.get(url, HTTP_HOST="127.0.0.1").content.decode()
    assert "http://127.0.0.1/" in body
    assert "http://localhost/" not in body


def test_without_a_shared_cache_no_answer_is_stored(client, dockercon, settings):
    settings.CATALOG_SERVER_CACHE = False
    # A page not kept as a fragment either (talks.fragments: a write behind the signals
    # shows there once the catalog is retired, tests/test_fragments.py).
    url = "/conferences/dockercon-2017/schedule/"
    client.get(url)
    Talk.objects.filter(slug="day-1-keynote").update(title="Changed behind the signals")
    assert "Changed behind the signals" in client.get(url).content.decode()
