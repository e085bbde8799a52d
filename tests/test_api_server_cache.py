"""Anonymous API reads are kept in the server-side cache until the catalog changes; they still
count against the rate limits, and nothing an authenticated client reads is shared."""

from unittest.mock import patch

import pytest
from django.contrib.auth.models import User
from django.test import Client

from access.models import ApiToken, TokenScope
from talks.models import Talk
from tests.builders import MARKS_QUERY
from tests.test_api_writes import user_with

TALKS = "/api/v1/talks/?conference=dockercon-2017&page_size=50"


@pytest.fixture
def talk(dockercon):
    return Talk.objects.get(slug="day-1-keynote")


def detail(talk):
    return f"/api/v1/talks/{talk.pk}/"


def token_client(user, scope=TokenScope.READ):
    _, key = ApiToken.objects.issue(user, scope=scope)
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def test_a_stored_list_keeps_its_etag_instead_of_being_hashed_again(client, dockercon):
    first = client.get(TALKS)
    with patch("django.middleware.http.set_response_etag") as hashing:
        again = client.get(TALKS)
        revalidated = client.get(TALKS, headers={"If-None-Match": first["ETag"]})

    hashing.assert_not_called()
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert revalidated.status_code == 304


@pytest.mark.parametrize(
    "url",
    [
        TALKS,
        "/api/v1/talks.json?page_size=5",
        "/api/v1/talks/?format=json&page_size=5",
        "/api/v1/speakers/ben-golub/",
        "/api/v1/conferences/",
        "/api/v1/keynotes/",
        "/api/v1/search/?q=keynote",
    ],
)
def test_a_repeated_anonymous_request_runs_only_the_freshness_check(
    client, dockercon, url, django_assert_num_queries
):
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(MARKS_QUERY):
        again = client.get(url)
    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again.get("ETag") == first.get("ETag")


def test_a_stored_detail_keeps_its_record_etag_and_answers_304(
    client, talk, django_assert_num_queries
):
    first = client.get(detail(talk))
    assert first["ETag"].startswith('"')
    with django_assert_num_queries(2 * MARKS_QUERY):
        again = client.get(detail(talk), HTTP_IF_NONE_MATCH=first["ETag"])
        head = client.head(detail(talk), HTTP_IF_NONE_MATCH=f"W/{first['ETag']}")
    assert again.status_code == head.status_code == 304
    assert again["ETag"] == head["ETag"] == first["ETag"]
    assert client.get(detail(talk), HTTP_IF_NONE_MATCH='"other"').content == first.content


def test_a_write_retires_the_stored_copies(client, talk):
    assert client.get(detail(talk)).json()["title"] == "Day 1 Keynote"
    editor = token_client(user_with("change_talk"), TokenScope.WRITE)
    response = editor.patch(
        detail(talk), {"title": "Opening Keynote"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert client.get(detail(talk)).json()["title"] == "Opening Keynote"
    titles = [shown["title"] for shown in client.get(TALKS).json()["results"]]
    assert "Opening Keynote" in titles


def test_a_write_retires_the_stored_searches(client, talk):
    search = "/api/v1/search/?q=opening"
    assert client.get(search).json()["count"] == 0
    editor = token_client(user_with("change_talk"), TokenScope.WRITE)
    editor.patch(detail(talk), {"title": "Opening Keynote"}, content_type="application/json")
    assert [hit["title"] for hit in client.get(search).json()["results"]] == ["Opening Keynote"]


def test_authenticated_reads_are_neither_stored_nor_served_from_the_store(
    client, talk, django_assert_max_num_queries
):
    reader = token_client(User.objects.create_user("reader"))
    reader.get(TALKS)
    with django_assert_max_num_queries(20) as queries:
        reader.get(TALKS)
    assert len(queries) > MARKS_QUERY, "an authenticated read is built afresh"
    # Nor did the authenticated reads leave a copy for anonymous clients.
    with django_assert_max_num_queries(20) as queries:
        client.get(TALKS)
    assert len(queries) > MARKS_QUERY


def test_a_session_read_is_not_served_from_the_store(client, talk, django_assert_max_num_queries):
    client.get(TALKS)  # stored for anonymous clients
    client.force_login(User.objects.create_user("someone"))
    with django_assert_max_num_queries(20) as queries:
        client.get(TALKS)
    assert len(queries) > MARKS_QUERY


def test_the_browsable_pages_are_not_stored(client, talk, django_assert_max_num_queries):
    client.get(TALKS, HTTP_ACCEPT="text/html")
    with django_assert_max_num_queries(20) as queries:
        response = client.get(TALKS, HTTP_ACCEPT="text/html")
    assert response["Content-Type"].startswith("text/html")
    assert len(queries) > MARKS_QUERY
    assert client.get(TALKS)["Content-Type"] == "application/json"


def test_the_accepted_json_variant_has_its_own_copy(client, talk):
    plain = client.get(TALKS).content
    indented = client.get(TALKS, HTTP_ACCEPT="application/json; indent=2").content
    assert indented != plain
    assert client.get(TALKS).content == plain


@pytest.mark.parametrize(
    "url", ["/api/v1/talks/?conference=no-such-conference", "/api/v1/talks/999999/"]
)
def test_errors_are_not_stored(client, talk, url, django_assert_max_num_queries):
    assert client.get(url).status_code in {400, 404}
    with django_assert_max_num_queries(20) as queries:
        assert client.get(url).status_code in {400, 404}
    assert len(queries) > MARKS_QUERY, "answered afresh"


def test_stored_answers_count_against_the_rate_limit(
    client, talk, settings, django_assert_num_queries
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "5/minute"},
    }
    assert client.get(TALKS).status_code == 200
    with django_assert_num_queries(2 * MARKS_QUERY):
        for _ in range(2):
            assert client.get(TALKS).status_code == 200
    assert client.get(TALKS).status_code == 429


def test_without_a_shared_cache_nothing_is_stored(client, talk, settings):
    settings.CATALOG_SERVER_CACHE = False
    client.get(detail(talk))
    Talk.objects.filter(pk=talk.pk).update(title="Changed behind the signals")
    assert client.get(detail(talk)).json()["title"] == "Changed behind the signals"
