"""Records rendered once and reused (issue 16, point 3): a talk page renders only the site's
frame around its stored fragment, an API list reuses each talk's JSON, and an edit renders
again only what it changed. A fragment's key holds the versions of all it shows, so none is
ever stale."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.renderers import JSONRenderer

from talks.fragments import FragmentCache, fragments
from talks.models import Speaker, Talk
from tests.builders import make_conference, make_speaker, make_talk

# The talk's id, then its marks, then the marks of the talks it suggests (each kept as an
# item): all a talk page asks once its fragment is kept.
TALK_PAGE_FROM_FRAGMENT = 3


@pytest.fixture(autouse=True)
def no_stored_answers(settings):
    """Every request is answered afresh: what is measured is the fragments alone."""
    settings.CATALOG_SERVER_CACHE = False


@pytest.fixture
def talks(db):
    conference = make_conference(slug="frag")
    ada = make_speaker("Ada Lovelace")
    return [
        make_talk(conference, title="Engines", speakers=[ada]),
        make_talk(conference, title="Looms", speakers=[ada]),
    ]


def page(talk):
    return f"/conferences/{talk.conference.slug}/talks/{talk.slug}/"


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_a_talk_page_renders_its_talk_once(client, talks):
    first_count, first = queries_of(client, page(talks[0]))
    again_count, again = queries_of(client, page(talks[0]))
    assert again == first
    assert again_count == TALK_PAGE_FROM_FRAGMENT < first_count


def test_an_edit_renders_again_its_own_talk_only(client, talks):
    for talk in talks:
        client.get(page(talk))
    talks[0].title = "Analytical engines"
    talks[0].save()

    count, edited = queries_of(client, page(talks[0]))
    assert "Analytical engines" in edited
    assert count > TALK_PAGE_FROM_FRAGMENT
    # The other talk's page is kept; only its suggestion of the edited talk is read again
    # (the talk and its speakers).
    assert queries_of(client, page(talks[1]))[0] == TALK_PAGE_FROM_FRAGMENT + 2


def test_a_talk_list_keeps_each_talk_and_an_edit_reads_again_only_its_own(client, talks):
    url = "/conferences/frag/talks/"
    client.get(url)
    talks[1].title = "Jacquard looms"
    talks[1].save()

    with CaptureQueriesContext(connection) as edited:
        page = client.get(url).content.decode()
    assert "Jacquard looms" in page
    assert "Engines" in page
    # The speakers of the talks read again: the edited one only.
    [talks_read] = [
        q["sql"]
        for q in edited.captured_queries
        if "talks_talkspeaker" in q["sql"] and "IN (" in q["sql"]
    ]
    assert f"IN ({talks[1].pk})" in talks_read


def test_a_speakers_edit_renders_their_talks_again(client, talks):
    shown = [page(talk) for talk in talks] + ["/conferences/frag/talks/"]
    for url in shown:
        client.get(url)
    speaker = Speaker.objects.get(name="Ada Lovelace")
    speaker.name = "Augusta Ada King"
    speaker.save()
    for url in shown:
        assert "Augusta Ada King" in client.get(url).content.decode()


def test_a_write_behind_the_signals_shows_once_retired(client, talks):
    client.get(page(talks[0]))
    Talk.objects.filter(pk=talks[0].pk).update(title="Written by raw SQL")
    assert "Written by raw SQL" not in client.get(page(talks[0])).content.decode()

    call_command("retire_stored_responses", verbosity=0)

    assert "Written by raw SQL" in client.get(page(talks[0])).content.decode()


def test_an_api_list_reuses_each_talks_json_and_follows_every_change(client, talks):
    url = "/api/v1/talks/?conference=frag"
    first = client.get(url).json()
    assert client.get(url).json() == first
    speaker = Speaker.objects.get(name="Ada Lovelace")
    speaker.name = "Augusta Ada King"
    speaker.save()

    renamed = client.get(url).json()
    fragments.clear()
    assert client.get(url).json() == renamed
    names = {s["name"] for talk in renamed["results"] for s in talk["speakers"]}
    assert names == {"Augusta Ada King"}


def test_an_api_list_reads_only_the_talks_no_fragment_holds(client, talks):
    url = "/api/v1/talks/?conference=frag"
    client.get(url)
    with CaptureQueriesContext(connection) as kept:
        client.get(url)
    # The conference named, the count, the page's rows and their marks; no talk is read.
    assert not [q for q in kept.captured_queries if '"talks_talkspeaker"' in q["sql"]]
    talks[1].title = "Jacquard looms"
    talks[1].save()

    with CaptureQueriesContext(connection) as edited:
        titles = [talk["title"] for talk in client.get(url).json()["results"]]
    assert titles == ["Engines", "Jacquard looms"]
    [speakers_read] = [q["sql"] for q in edited.captured_queries if "talks_talkspeaker" in q["sql"]]
    assert f"IN ({talks[1].pk})" in speakers_read


def test_a_page_spliced_from_kept_json_is_the_json_drf_writes(client, talks):
    talks[0].title = "Moteurs \u2028 “analytiques” </script>"
    talks[0].save()
    url = "/api/v1/talks/?conference=frag"
    client.get(url)
    kept = client.get(url)
    assert kept.content == JSONRenderer().render(kept.json())
    assert talks[0].title in [talk["title"] for talk in kept.json()["results"]]


def test_fragments_are_per_host_since_they_hold_absolute_links(client, talks):
    url = "/api/v1/talks/?conference=frag"
    local = client.get(url, HTTP_HOST="localhost").json()["results"][0]["url"]
    other = client.get(url, HTTP_HOST="127.0.0.1").json()["results"][0]["url"]
    assert local.startswith("http://localhost/")
    assert other.startswith("http://127.0.0.1/")


def test_the_store_is_bounded_and_forgets_the_coldest_first():
    store = FragmentCache(capacity=2)
    renders = []

    def render(value):
        renders.append(value)
        return value.upper()

    assert store.render_each(["a", "b"], str, render) == ["A", "B"]
    store.render_each(["a"], str, render)  # "a" is now the most recent
    store.render_each(["c"], str, render)  # forgets "b"
    assert store.render_each(["a", "b", "c"], str, render) == ["A", "B", "C"]
    assert renders == ["a", "b", "c", "b"]


def test_an_api_speaker_list_follows_their_talks_and_links(client, talks):
    url = "/api/v1/speakers/"
    client.get(url)
    talks[1].title = "Jacquard looms"
    talks[1].save()
    Speaker.objects.get(name="Ada Lovelace").links.create(url="https://example.org/ada")

    [ada] = client.get(url).json()["results"]
    assert "Jacquard looms" in [talk["title"] for talk in ada["talks"]]
    assert [link["url"] for link in ada["links"]] == ["https://example.org/ada"]
    fragments.clear()
    assert client.get(url).json()["results"] == [ada]


@pytest.mark.parametrize(
    ("formatted", "plain"),
    [
        ("/api/v1/talks/?format=json", "/api/v1/talks/"),
        ("/api/v1/talks.json", "/api/v1/talks/"),
        ("/api/v1/speakers.json", "/api/v1/speakers/"),
    ],
)
def test_a_requested_format_stays_in_its_own_fragments(client, talks, formatted, plain):
    assert client.get(formatted).status_code == 200
    links = [record["url"] for record in client.get(plain).json()["results"]]
    assert links
    assert not [link for link in links if "format=" in link or ".json" in link]
