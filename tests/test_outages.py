"""Outages and errors: /healthz, a 503 while the database is down (none while the cache is),
JSON for every API error, and integer parameters of any length."""

import json
from unittest import mock

import pytest
from django.contrib.auth.models import Permission, User
from django.db import OperationalError, connections
from django.template import engines
from django.template.response import TemplateResponse
from django.test import Client
from django.urls import path
from rest_framework.throttling import AnonRateThrottle

from conference.errors import server_error
from conference.urls import urlpatterns as site_urlpatterns
from talks.api.views import TalkViewSet
from talks.models import Speaker
from tests.builders import token_header

CONF = "/conferences/dockercon-2017"
API = "/api/v1"
API_LISTS = [
    f"{API}/{name}/"
    for name in ("conferences", "days", "tracks", "talks", "keynotes", "speakers", "announcements")
]
HUGE = "9" * 5000  # past the 4,300 digits int() accepts
# What a real driver says: it names hosts and users, which must not reach the client.
DRIVER_MESSAGE = (
    'connection to server at "10.0.0.5", port 5432 failed: '
    'FATAL: password authentication failed for user "catalog"'
)


def refuse_cursor(self, *args, **kwargs):
    raise OperationalError(DRIVER_MESSAGE)


def database_outage():
    """Every new cursor fails, as it does when the database server is stopped.

    Not monkeypatch: pytest-django's own autouse fixtures set it up before the database, so it
    would be undone only after the test's transaction is rolled back, which needs a cursor."""
    return mock.patch.object(type(connections["default"]), "cursor", refuse_cursor)


@pytest.fixture
def database_down(db):
    with database_outage():
        yield


@pytest.fixture
def lenient_client():
    """A client that returns the error response instead of raising the exception behind it."""
    return Client(raise_request_exception=False)


@pytest.fixture
def editor_client(db):
    user = User.objects.create_user("editor", password="unused-in-tests")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="talks"))
    return Client(HTTP_AUTHORIZATION=token_header(user), raise_request_exception=False)


def assert_json_error(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    return response.json()


# --- /healthz ----------------------------------------------------------------------------------


def test_healthz_answers_ok_with_the_database_and_cache_up(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert client.head("/healthz").status_code == 200


def test_healthz_answers_a_load_balancer_over_plain_http_by_ip(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["talks.example.org"]
    assert client.get("/", HTTP_HOST="talks.example.org").status_code == 301
    assert client.get("/", HTTP_HOST="10.0.0.7").status_code == 400

    assert client.get("/healthz", HTTP_HOST="10.0.0.7").status_code == 200


def test_healthz_is_503_naming_the_database_when_it_is_down(client, database_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "error: OperationalError",
        "cache": "ok",
    }
    assert "10.0.0.5" not in response.content.decode()


UNREACHABLE_CACHE = {
    "default": {
        # Nothing listens on port 1: the Redis client's connection is refused.
        "BACKEND": "conference.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }
}


def test_healthz_stays_200_naming_the_cache_when_it_is_down(client, db, settings):
    # The site serves without its cache (tests/test_redis_outage.py tries a real Redis).
    settings.CACHES = UNREACHABLE_CACHE
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "database": "ok",
        "cache": "unavailable: ConnectionError",
    }


def test_an_unreachable_cache_is_no_outage(dockercon, settings, client):
    settings.CACHES = UNREACHABLE_CACHE
    settings.CATALOG_SERVER_CACHE = True
    assert client.get("/api/v1/talks/").status_code == 200
    assert client.get("/").status_code == 200


def test_healthz_is_503_on_a_database_without_the_catalog(client, db, monkeypatch):
    monkeypatch.setattr("conference.health.PROBE_TABLE", "no_catalog_here")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"].startswith("error: ")


def test_healthz_is_never_served_from_a_cache(client, db):
    assert client.get("/healthz").status_code == 200
    with database_outage():
        assert client.get("/healthz").status_code == 503


def test_healthz_only_reads(client, db):
    response = client.post("/healthz")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


# --- A database outage -------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", f"{CONF}/talks/", "/speakers/", f"{CONF}/schedule.ics"])
def test_pages_answer_a_friendly_503_during_a_database_outage(client, database_down, url):
    response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "The catalog is briefly unavailable" in page
    assert 'href="/speakers/"' in page, "the site's own header and links"
    assert "10.0.0.5" not in page
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("url", [f"{API}/talks/", f"{API}/conferences/dockercon-2017/"])
def test_the_api_answers_a_json_503_during_a_database_outage(client, database_down, url):
    response = client.get(url)
    body = assert_json_error(response, 503)
    assert response["Retry-After"] == "30"
    assert body == {"detail": "The catalog's database is unavailable. Try again shortly."}


def test_a_write_during_an_outage_is_a_json_503(database_down):
    # The token cannot even be looked up.
    client = Client(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    assert_json_error(client.post(f"{API}/talks/", {}, content_type="application/json"), 503)


def test_pages_already_in_the_server_cache_are_still_served(client, db):
    assert client.get("/speakers/").status_code == 200
    with database_outage():
        assert client.get("/speakers/").status_code == 200
        assert client.get("/").status_code == 503


def lazy_page(request):
    """A TemplateResponse whose query runs only when it renders, after the view returned."""

    def rows():
        raise OperationalError("server closed the connection unexpectedly")

    return TemplateResponse(request, engines["django"].from_string("{{ rows }}"), {"rows": rows})


urlpatterns = [path("lazy/", lazy_page), *site_urlpatterns]


@pytest.mark.urls("tests.test_outages")
def test_an_outage_while_a_template_response_renders_is_a_503(client, db):
    response = client.get("/lazy/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"


def test_an_outage_outside_any_view_is_a_503_too(rf):
    # An error in a middleware (a session saved while the database is down) reaches handler500.
    try:
        raise OperationalError(DRIVER_MESSAGE)
    except OperationalError:
        response = server_error(rf.get(f"{API}/talks/"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert json.loads(response.content)["detail"].startswith("The catalog's database")


# --- Every API error is JSON -------------------------------------------------------------------


def test_an_unknown_api_path_is_a_json_404(client, db):
    assert assert_json_error(client.get("/api/nothing"), 404) == {"detail": "Not found."}
    assert_json_error(client.post("/api/v2/talks/"), 404)


# More query parameters than DATA_UPLOAD_MAX_NUMBER_FIELDS: what the contract test sends when it
# breaks the "talk" filter's maxItems (500) by far enough, answered in HTML before.
TOO_MANY_PARAMETERS = "&".join(f"talk={number}" for number in range(1001))


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize(
    ("request_kwargs", "detail"),
    [
        (
            {"HTTP_HOST": "evil.example"},
            "The Host header names a host this site does not serve.",
        ),
        (
            {"QUERY_STRING": TOO_MANY_PARAMETERS},
            "The request has more than 1,000 parameters.",
        ),
    ],
)
def test_a_request_django_finds_suspicious_is_a_json_400_under_the_api(
    lenient_client, db, settings, debug, request_kwargs, detail
):
    """With debug on Django would answer its HTML debug page (and, for too many parameters,
    fail with a 500 while building it)."""
    settings.DEBUG = debug
    response = lenient_client.get(f"{API}/talks/", **request_kwargs)
    assert assert_json_error(response, 400) == {"detail": detail}


def test_too_many_parameters_on_a_page_stay_an_html_400(lenient_client, db):
    response = lenient_client.get("/speakers/", QUERY_STRING=TOO_MANY_PARAMETERS)
    assert response.status_code == 400
    assert "<h1>Bad request</h1>" in response.content.decode()


def test_a_method_the_resource_lacks_is_a_json_405(editor_client):
    assert_json_error(editor_client.put(f"{API}/talks/", {}, content_type="application/json"), 405)
    assert_json_error(
        editor_client.post(f"{API}/keynotes/", {}, content_type="application/json"), 405
    )


def test_a_10_mb_body_is_a_json_413(editor_client):
    body = json.dumps({"name": "x" * (10 * 1024 * 1024)})
    response = editor_client.post(f"{API}/speakers/", body, content_type="application/json")
    assert assert_json_error(response, 413) == {
        "detail": "The request body is larger than the limit of 2,621,440 bytes."
    }
    assert not Speaker.objects.exists()


def test_too_many_requests_is_a_json_429(client, db, monkeypatch):
    class OneRequestAMinute(AnonRateThrottle):
        rate = "1/min"

    monkeypatch.setattr(TalkViewSet, "throttle_classes", [OneRequestAMinute])
    assert client.get(f"{API}/talks/").status_code == 200
    response = client.get(f"{API}/talks/")
    assert "detail" in assert_json_error(response, 429)
    assert int(response["Retry-After"]) > 0


def test_an_unexpected_error_in_the_api_is_a_json_500(lenient_client, db, monkeypatch):
    def broken(self, request, *args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(TalkViewSet, "list", broken)
    response = lenient_client.get(f"{API}/talks/")
    assert assert_json_error(response, 500) == {"detail": "A server error occurred."}


def test_page_errors_stay_html(lenient_client, db):
    bad_host = lenient_client.get("/speakers/", HTTP_HOST="evil.example")
    assert bad_host.status_code == 400
    assert "<h1>Bad request</h1>" in bad_host.content.decode()
    too_big = lenient_client.post(
        "/admin/login/", "x" * (10 * 1024 * 1024), content_type="application/x-www-form-urlencoded"
    )
    assert too_big.status_code == 413
    assert "<h1>Request too large</h1>" in too_big.content.decode()
    assert lenient_client.get("/no/such/page/").content.startswith(b"<!doctype html>")


# --- Integer parameters of any length ----------------------------------------------------------


@pytest.mark.parametrize("parameter", ["page", "page_size"])
@pytest.mark.parametrize("url", API_LISTS)
def test_huge_page_numbers_are_a_json_400_naming_the_parameter(client, dockercon, url, parameter):
    body = assert_json_error(client.get(url, {parameter: HUGE}), 400)
    assert list(body) == [parameter]


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        (f"{API}/talks/", "talk"),
        (f"{API}/talks/", "day"),
        (f"{API}/keynotes/", "talk"),
        (f"{API}/announcements/", "day"),
        (f"{CONF}/talks/", "page"),
        (f"{CONF}/talks/", "day"),
        (f"{CONF}/talks/", "talk"),
        ("/speakers/", "page"),
        ("/my-schedule/", "talk"),
        (f"{CONF}/schedule.ics", "day"),
        (f"{CONF}/schedule.xml", "talk"),
        (f"{CONF}/schedule.json", "talk"),
        (f"{CONF}/talks/feed/", "talk"),
    ],
)
def test_huge_integer_filters_are_a_400_naming_the_parameter(client, dockercon, url, parameter):
    response = client.get(url, {parameter: HUGE})
    assert response.status_code == 400
    assert parameter in response.content.decode()


def test_a_huge_id_in_an_api_path_is_a_json_404(client, dockercon):
    assert_json_error(client.get(f"{API}/talks/{HUGE}/"), 404)


def test_the_page_message_does_not_repeat_a_huge_value(client, dockercon):
    page = client.get("/speakers/", {"page": HUGE}).content.decode()
    assert "is not a page number; showing page 1." in page
    assert "9" * 100 not in page
