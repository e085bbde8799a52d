"""Catalog search (issue 10, point 4): one ranked search over talks, speakers and conferences,
on the page /search/ and in the API, with the same results on SQLite and PostgreSQL."""

import datetime

import pytest
from django.db import connection
from django.test import Client

from talks.models import Speaker, Talk, TalkKind
from talks.search import SearchFilters, search_catalog
from talks.search.trigrams import word_similarity
from tests.builders import make_conference, make_speaker, make_talk, make_track

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own triggers")


@pytest.fixture
def catalog(db):
    """Two conferences in two years, with talks, tracks and speakers of distinct words."""
    container_days = make_conference(
        slug="container-days",
        name="Container Days",
        tagline="Orchestration in practice",
        city="Hamburg",
        start_date=datetime.date(2023, 9, 11),
        end_date=datetime.date(2023, 9, 13),
    )
    pycon = make_conference(
        slug="pycon-lille",
        name="PyCon Lille",
        city="Lille",
        start_date=datetime.date(2024, 5, 6),
        end_date=datetime.date(2024, 5, 8),
    )
    ops = make_track(container_days, "ops", name="Operations")
    mónica = make_speaker("Diogo Mónica", role="Security lead")
    ada = make_speaker("Ada Lovelace", bio="Wrote about engines and containers.")
    make_talk(
        container_days,
        "Securing containers",
        slug="securing",
        kind=TalkKind.KEYNOTE,
        abstract="How to sign images.",
        speakers=[mónica],
    )
    make_talk(
        container_days,
        "Image signing",
        slug="signing",
        track=ops,
        abstract="Signatures for every container registry and image.",
        speakers=[ada],
    )
    make_talk(pycon, "Typing in Python", slug="typing", abstract="Go and Rust compared, briefly.")
    return {"container-days": container_days, "pycon": pycon, "ops": ops}


def found(query, filters=None):
    hits = search_catalog(query, filters)
    return [(hit.kind, hit.record.pk) for hit in hits[: hits.count()]]


def titles(query, filters=None):
    """The titles and names found for ``query``, exact matches only (near-misses, looked for
    when nothing matches, are tested on their own)."""
    hits = search_catalog(query, filters)
    if hits.count() and hits.near_misses:
        return []
    return [str(hit.record) for hit in hits[: hits.count()]]


# --- What matches ------------------------------------------------------------------------------


def test_talks_speakers_and_conferences_are_found_together(catalog):
    assert set(titles("container")) == {
        "Container Days",  # conference name
        "Ada Lovelace",  # biography
        "Securing containers",  # title
        "Image signing",  # abstract
    }


def test_a_title_match_ranks_above_an_abstract_match(catalog):
    talks = [
        title for title in titles("image") if title in ("Securing containers", "Image signing")
    ]
    assert talks == ["Image signing", "Securing containers"]


def test_every_word_must_match_in_any_field(catalog):
    assert titles("securing sign") == ["Securing containers"]
    assert titles("securing python") == []


def test_words_match_the_start_of_words_from_three_letters(catalog):
    assert "Typing in Python" in titles("pyth")
    assert "Typing in Python" in titles("go")  # a whole word
    assert titles("ty") == []  # too short to be a prefix of "typing"


def test_case_and_accents_are_ignored(catalog):
    assert titles("MONICA") == titles("mónica") == ["Diogo Mónica"]


def test_query_syntax_is_read_as_words(catalog):
    for query in ['container OR "x', "title:container", "NEAR(container", "contai* -x", "&|!:*"]:
        search_catalog(query).count()  # no syntax error on either engine
    assert titles('"Securing" AND (containers)') == []  # "and" is a word to match too
    assert titles("securing: containers!") == ["Securing containers"]


def test_no_words_no_hits(catalog):
    assert found("") == found("  ") == found("!?") == []


def test_the_index_follows_every_kind_of_write(catalog):
    talk = Talk.objects.get(slug="typing")
    talk.title = "Gradual typing"
    talk.save()
    assert titles("gradual") == ["Gradual typing"]
    Talk.objects.filter(slug="typing").update(title="Static analysis")
    assert titles("gradual") == []
    assert titles("static") == ["Static analysis"]
    Talk.objects.bulk_create(
        [Talk(conference=catalog["pycon"], slug="bulk", title="Bulk loaded walrus")]
    )
    assert titles("walrus") == ["Bulk loaded walrus"]
    Speaker.objects.filter(name="Ada Lovelace").delete()
    assert "Ada Lovelace" not in titles("ada")
    catalog["pycon"].delete()
    assert titles("walrus") == []


@on_sqlite
def test_missing_sync_triggers_are_recreated_and_the_index_rebuilt(catalog):
    from talks.search.sqlite import ensure_index_sync

    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER talks_talk_search_update")
        cursor.execute("DROP TRIGGER talks_talk_names_update")
    Talk.objects.filter(slug="typing").update(title="Unindexed title")
    assert titles("unindexed") == []
    assert search_catalog("unindexxed").count() == 0  # nor as a near-miss
    ensure_index_sync(connection)
    assert titles("unindexed") == ["Unindexed title"]
    near = search_catalog("unindexxed")
    assert [str(hit.record) for hit in near[:1]] == ["Unindexed title"]
    Talk.objects.filter(slug="typing").update(title="Indexed again")
    assert titles("indexed") == ["Indexed again"]


def test_near_misses_are_found_when_nothing_matches(catalog):
    hits = search_catalog("securign")
    assert hits.count() == 1
    assert hits.near_misses
    assert [str(hit.record) for hit in hits[:1]] == ["Securing containers"]
    hits = search_catalog("lovelase ada")  # across words, a speaker's name
    assert [str(hit.record) for hit in hits[: hits.count()]] == ["Ada Lovelace"]
    assert hits.near_misses


@pytest.mark.parametrize(
    ("words", "text", "similarity"),
    [  # as PostgreSQL 15's pg_trgm word_similarity() gives them
        ("word", "two words", 0.8),
        ("securign", "Securing containers", 0.6666667),
        ("kubernetse", "Kubernetes at scale", 0.72727275),
        ("container security", "Securing containers", 0.6818182),
        ("securing", "Securing containers", 1.0),
        ("xyz", "abc", 0.0),
    ],
)
def test_sqlite_measures_similarity_as_pg_trgm_does(words, text, similarity):
    assert word_similarity(words, text) == pytest.approx(similarity, abs=1e-6)


def test_near_misses_are_kept_for_typos_not_for_other_words(catalog):
    for query in ("qwertyuiop", "containxyzq", "se", "sec"):  # too far, or too short
        hits = search_catalog(query)
        assert hits.count() == 0 or not hits.near_misses, query
    # Exact matches, when there are any, are all there is.
    hits = search_catalog("containers")
    assert hits.count() >= 1
    assert not hits.near_misses


def test_a_filtered_search_finds_its_near_misses_among_many_elsewhere(catalog):
    crowded = make_conference(slug="crowded")
    Talk.objects.bulk_create(
        Talk(conference=crowded, slug=f"securing-{n}", title=f"Securing x{n}") for n in range(300)
    )
    filters = SearchFilters(conference=catalog["container-days"])
    hits = search_catalog("securign", filters)
    assert [str(hit.record) for hit in hits[: hits.count()]] == ["Securing containers"]


def test_near_misses_follow_the_filters_and_the_writes(catalog):
    pycon = SearchFilters(conference=catalog["pycon"])
    assert search_catalog("securign", pycon).count() == 0
    Talk.objects.filter(slug="typing").update(title="Securing Python")  # no signal, raw update
    hits = search_catalog("securign", pycon)
    assert [str(hit.record) for hit in hits[: hits.count()]] == ["Securing Python"]


# --- Filters -----------------------------------------------------------------------------------


def test_conference_filter_keeps_its_talks_speakers_and_itself(catalog):
    filters = SearchFilters(conference=catalog["pycon"])
    assert titles("container", filters) == []
    assert titles("python", filters) == ["Typing in Python"]
    filters = SearchFilters(conference=catalog["container-days"])
    assert set(titles("container", filters)) == {
        "Container Days",
        "Ada Lovelace",
        "Securing containers",
        "Image signing",
    }


def test_year_kind_and_track_filters(catalog):
    assert set(titles("container", SearchFilters(year=2024))) == set()
    assert "Container Days" in titles("container", SearchFilters(year=2023))
    assert set(titles("container", SearchFilters(kind=TalkKind.KEYNOTE))) == {
        "Container Days",  # holds a keynote
        "Securing containers",
    }
    assert set(titles("container", SearchFilters(track="ops"))) == {
        "Container Days",
        "Ada Lovelace",  # speaks in that track
        "Image signing",
    }


# --- The page ----------------------------------------------------------------------------------


def test_the_page_without_words_offers_the_box(catalog, client):
    response = client.get("/search/")
    assert response.status_code == 200
    assert b'role="search"' in response.content
    assert b"results for" not in response.content


def test_the_page_lists_ranked_hits_with_marked_words(catalog, client):
    response = client.get("/search/", {"q": "sign"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "2 results for “sign”" in body
    assert "How to <mark>sign</mark> images." in body
    assert body.index("Image <mark>signing</mark>") < body.index("Securing containers")
    assert 'href="/conferences/container-days/talks/signing/"' in body


def test_highlighting_escapes_the_text_around_the_marks(catalog, client):
    make_talk(
        catalog["pycon"],
        "<script>alert(1)</script> walrus & <b>friends</b>",
        abstract="<img src=x onerror=alert(2)> walrus",
    )
    response = client.get("/search/", {"q": "walrus <script>"})
    body = response.content.decode()
    assert "<script>alert" not in body
    assert "<img src=x" not in body
    assert (
        "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt; <mark>walrus</mark>"
        in body
    )
    api = client.get("/api/v1/search/", {"q": "walrus"}).json()["results"][0]
    assert api["title"] == "<script>alert(1)</script> walrus & <b>friends</b>"
    assert "&lt;script&gt;" in api["title_html"]
    assert "<mark>walrus</mark>" in api["snippet_html"]


def test_the_page_says_which_parameter_it_ignored(catalog, client):
    response = client.get("/search/", {"q": "container", "year": "20x4", "track": "nope"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "<strong>year</strong>: Enter a year from 1900 to 2999" in body
    assert "<strong>track</strong>: No track “nope”." in body
    assert "4 results for “container”" in body  # the valid parts still apply


def test_the_form_s_empty_fields_redirect_to_the_short_address(catalog, client):
    response = client.get("/search/", {"q": "container", "year": "", "kind": ""})
    assert response.status_code == 302
    assert response["Location"] == "/search/?q=container"


def test_the_page_is_paginated(catalog, client):
    for number in range(25):
        make_talk(catalog["pycon"], f"Walrus operator {number}")
    first = client.get("/search/", {"q": "walrus"}).content.decode()
    second = client.get("/search/", {"q": "walrus", "page": 2}).content.decode()
    assert "25 results" in first
    assert first.count('class="search-hit"') == 20
    assert second.count('class="search-hit"') == 5
    past = client.get("/search/", {"q": "walrus", "page": 9})
    assert past.status_code == 400
    assert "There is no page 9" in past.content.decode()


def test_titles_holding_the_words_come_first_and_pages_cross_into_the_rest(catalog, client):
    for number in range(15):
        make_talk(catalog["pycon"], f"Walrus {number}")
    for number in range(10):
        make_talk(catalog["pycon"], f"Operator {number}", abstract="The walrus operator.")
    hits = search_catalog("walrus")
    assert hits.count() == 25
    first, second = hits[0:20], hits[20:40]
    names = [str(hit.record) for hit in first + second]
    assert len(set(names)) == 25
    assert all(name.startswith("Walrus") for name in names[:15])
    assert all(name.startswith("Operator") for name in names[15:])
    assert [str(hit.record) for hit in hits[14:17]] == names[14:17]


def test_a_search_shows_the_best_hits_up_to_its_limit(catalog, client, monkeypatch):
    monkeypatch.setattr("talks.search.base.MAX_HITS", 4)
    for number in range(6):
        make_talk(catalog["pycon"], f"Walrus {number}", abstract="walrus " * number)
    hits = search_catalog("walrus")
    assert hits.count() == 4
    assert hits.more_than_shown
    body = client.get("/search/", {"q": "walrus"}).content.decode()
    assert "More than 4 results for “walrus”" in body
    assert client.get("/api/v1/search/", {"q": "walrus"}).json()["count"] == 4
    assert not search_catalog("python").more_than_shown


def test_every_page_has_the_search_box_in_its_header(catalog, client):
    body = client.get("/").content.decode()
    assert 'action="/search/"' in body
    assert '<label for="site-search-q"' in body


@pytest.mark.parametrize("talk_count", [5, 40])
def test_query_count_does_not_grow_with_hits(
    catalog, client, django_assert_max_num_queries, talk_count
):
    speakers = [make_speaker(f"Walrus fan {n}") for n in range(3)]
    for number in range(talk_count):
        make_talk(catalog["pycon"], f"Walrus {number}", speakers=speakers)
    with django_assert_max_num_queries(13):
        response = Client().get("/search/", {"q": "walrus", "conference": "pycon-lille"})
    assert response.status_code == 200
    with django_assert_max_num_queries(9):
        response = Client().get("/api/v1/search/", {"q": "walrus", "page_size": 100})
    assert response.status_code == 200


# --- The API -----------------------------------------------------------------------------------


def test_the_api_gives_the_same_ranked_hits(catalog, client):
    response = client.get("/api/v1/search/", {"q": "container", "page_size": 2})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    assert len(body["results"]) == 2
    assert body["next"]
    hit = body["results"][0]
    assert set(hit) == {
        "kind",
        "id",
        "url",
        "html_url",
        "title",
        "title_html",
        "snippet_html",
        "score",
    }
    expected = found("container")
    assert [(hit["kind"], hit["id"]) for hit in body["results"]] == expected[:2]
    second = client.get(body["next"]).json()["results"]
    assert [(hit["kind"], hit["id"]) for hit in second] == expected[2:]


def test_api_hits_link_to_their_records(catalog, client):
    results = client.get("/api/v1/search/", {"q": "mónica"}).json()["results"]
    assert results[0]["url"] == "http://testserver/api/v1/speakers/diogo-monica/"
    assert results[0]["html_url"] == "http://testserver/speakers/diogo-monica/"
    assert client.get(results[0]["url"]).status_code == 200


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"q": "x", "conference": "nope"}, "conference"),
        ({"q": "x", "year": "1800"}, "year"),
        ({"q": "x", "year": " 2023"}, "year"),
        ({"q": "x", "kind": "poster"}, "kind"),
        ({"q": "x", "track": "<b>"}, "track"),
        ({"q": "x" * 201}, "q"),
        ({"q": "x", "page": "0"}, "page"),
    ],
)
def test_the_api_answers_400_naming_the_parameter(catalog, client, query, parameter):
    response = client.get("/api/v1/search/", query)
    assert response.status_code == 400
    assert parameter in response.json()


def test_the_api_refuses_a_repeated_parameter(catalog, client):
    response = client.get("/api/v1/search/?q=container&q=python")
    assert response.status_code == 400
    assert response.json() == {"q": ["Give this parameter once."]}


def test_the_api_page_past_the_end_is_a_404(catalog, client):
    assert client.get("/api/v1/search/", {"q": "container", "page": 9}).status_code == 404


def test_the_schema_states_the_search_parameters(catalog, client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    parameters = {p["name"] for p in schema["paths"]["/api/v1/search/"]["get"]["parameters"]}
    assert parameters == {
        *("q", "conference", "year", "kind", "track", "topic", "language", "page", "page_size")
    }
