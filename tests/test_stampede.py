"""No stampede (issue 16, point 2): when a stored answer is retired and many requests want it at
once, one of them renders it; the others get the previous copy meanwhile, or wait a bounded
time for the new one, and none gets an error."""

import threading
import time

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.test import Client, RequestFactory

from talks import caching
from talks.caching import STORE_HEADER
from talks.views import talks as talk_views
from tests.builders import make_conference, make_talk

pytestmark = pytest.mark.django_db(transaction=True)

REQUESTS = 8
RENDER_SECONDS = 0.3


@pytest.fixture
def talk(db):
    return make_talk(make_conference(slug="busy"), title="First title")


@pytest.fixture
def renders(monkeypatch):
    """Each render of a talk page, counted; a slow one, so that all requests arrive during it."""
    counted, lock = [], threading.Lock()
    framed = talk_views.framed

    def slow_render(*args, **kwargs):
        with lock:
            counted.append(time.monotonic())
        time.sleep(RENDER_SECONDS)
        return framed(*args, **kwargs)

    monkeypatch.setattr(talk_views, "framed", slow_render)
    return counted


def page_of(talk):
    return f"/conferences/{talk.conference.slug}/talks/{talk.slug}/"


def fetch_together(url):
    """``REQUESTS`` clients asking for ``url`` at the same moment, each in its own thread (and
    database connection); their responses."""
    start = threading.Barrier(REQUESTS)
    responses = [None] * REQUESTS

    def fetch(index):
        client = Client()
        client.get("/healthz")  # the client loads its middleware (whitenoise scans files)
        start.wait()
        try:
            responses[index] = client.get(url)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=fetch, args=(i,)) for i in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def retitle(talk, title):
    talk.title = title
    talk.save()


def test_a_retired_page_is_rendered_once_and_the_others_get_the_previous_copy(talk, renders):
    url = page_of(talk)
    Client().get(url)
    retitle(talk, "Second title")
    renders.clear()

    responses = fetch_together(url)

    assert len(renders) == 1
    assert all(response.status_code == 200 for response in responses)
    pages = [response.content.decode() for response in responses]
    assert sum("Second title" in page for page in pages) == 1, "the one that rendered it"
    assert sorted(r[STORE_HEADER] for r in responses) == ["miss", *["stale"] * (REQUESTS - 1)]
    assert all("First title" in page for page in pages if "Second title" not in page)
    assert "Second title" in Client().get(url).content.decode()
    assert len(renders) == 1, "stored once rendered"


def test_a_page_never_stored_is_rendered_once_and_the_others_wait_for_it(talk, renders):
    responses = fetch_together(page_of(talk))

    assert len(renders) == 1
    assert all(response.status_code == 200 for response in responses)
    assert len({response.content for response in responses}) == 1
    assert sorted(r[STORE_HEADER] for r in responses) == ["miss", *["waited"] * (REQUESTS - 1)]


def test_past_the_grace_the_others_wait_for_the_new_copy_instead(talk, renders, monkeypatch):
    # A change older than the grace: made while the cache was unreachable, say. Nothing stored
    # before it may be served again.
    monkeypatch.setattr(caching, "STALE_GRACE_SECONDS", 0)
    url = page_of(talk)
    Client().get(url)
    retitle(talk, "Second title")
    renders.clear()

    responses = fetch_together(url)

    assert len(renders) == 1
    assert all("Second title" in response.content.decode() for response in responses)


def test_a_render_slower_than_the_wait_is_done_again_rather_than_waited_for(
    talk, renders, monkeypatch
):
    monkeypatch.setattr(caching, "RENDER_WAIT_SECONDS", RENDER_SECONDS / 3)
    responses = fetch_together(page_of(talk))

    assert all(response.status_code == 200 for response in responses)
    assert 1 < len(renders) <= REQUESTS


# --- The previous copy, and only the one just retired ---------------------------------------------


def stored_copy(talk):
    return cache.get(caching.response_key(RequestFactory().get(page_of(talk))))


def another_request_renders(talk):
    cache.add(f"{caching.response_key(RequestFactory().get(page_of(talk)))}:render", 1, 10)


def test_a_copy_that_missed_an_older_change_is_not_served_stale(talk, monkeypatch):
    monkeypatch.setattr(caching, "RENDER_WAIT_SECONDS", 0.05)
    url = page_of(talk)
    Client().get(url)
    retitle(talk, "Changed long ago")
    with connection.cursor() as cursor:  # five minutes ago, and never rendered since
        cursor.execute("UPDATE talks_changemark SET changed_ms = changed_ms - 300000")
    retitle(talk, "Changed just now")
    another_request_renders(talk)

    response = Client().get(url)

    assert response[STORE_HEADER] == "miss"
    assert "Changed just now" in response.content.decode()


def test_a_waiting_request_never_takes_back_the_copy_it_found_retired(talk, monkeypatch):
    monkeypatch.setattr(caching, "RENDER_WAIT_SECONDS", 0.05)
    url = page_of(talk)
    Client().get(url)
    # A database restored from an older backup counts lower than the stored copy.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE talks_changemark SET serial = 0, changed_ms = 0 WHERE scope <> 'epoch'"
        )
    another_request_renders(talk)

    assert Client().get(url)[STORE_HEADER] == "miss"
