"""The API takes exactly what its OpenAPI schema states: slug patterns, integer bounds, JSON
types and enums, with a 400 naming the parameter or field for anything else."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from talks.models import Conference, Speaker
from tests.builders import token_header

API = "/api/v1"
SLUG_PATTERN = "^[-a-zA-Z0-9_]+$"


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        response = Client().get("/api/schema/", {"format": "json"})
    return response.json()


def query_parameters(schema, path):
    return {p["name"]: p["schema"] for p in schema["paths"][path]["get"]["parameters"]}


@pytest.fixture
def editor(db):
    user = User.objects.create_superuser("editor", password="unused-in-tests")
    return Client(HTTP_AUTHORIZATION=token_header(user))


# --- The schema states the rules ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "names"),
    [
        ("/api/v1/talks/", ["conference", "track", "speaker"]),
        ("/api/v1/speakers/", ["conference"]),
        ("/api/v1/announcements/", ["conference"]),
    ],
)
def test_slug_filters_carry_the_slug_pattern_or_nothing(schema, path, names):
    parameters = query_parameters(schema, path)
    for name in names:
        slug, empty = parameters[name]["anyOf"]
        assert slug["pattern"] == SLUG_PATTERN
        assert empty["maxLength"] == 0


def test_path_slugs_and_body_keys_carry_their_patterns(schema):
    parameters = schema["paths"]["/api/v1/speakers/{slug}/"]["get"]["parameters"]
    (slug,) = [parameter for parameter in parameters if parameter["in"] == "path"]
    assert slug["schema"]["pattern"] == SLUG_PATTERN
    talk = schema["components"]["schemas"]["TalkDetailRequest"]["properties"]
    assert talk["conference"]["pattern"] == SLUG_PATTERN
    assert talk["speakers"]["items"]["pattern"] == SLUG_PATTERN
    assert talk["day"]["minimum"] == 1


def test_search_states_its_length_limit(schema):
    search, _ = query_parameters(schema, "/api/v1/speakers/")["search"]["anyOf"]
    assert search["maxLength"] == 200


def test_integer_parameters_are_bounded(schema):
    parameters = query_parameters(schema, "/api/v1/talks/")
    number, last = parameters["page"]["anyOf"]
    assert (number["minimum"], number["maximum"]) == (1, 999_999_999)
    assert last["enum"] == ["last"]
    assert parameters["page_size"]["maximum"] == 999_999_999
    assert parameters["talk"]["items"]["maximum"] == 10**18 - 1


def test_ordering_is_a_pattern_of_comma_separated_fields(schema):
    ordering = re.compile(query_parameters(schema, "/api/v1/talks/")["ordering"]["pattern"])
    for value in ["", "title", "-starts_at,title", "day,,-track", ","]:
        assert ordering.fullmatch(value), value
    for value in ["abstract", "title ", "--title", "title,abstract"]:
        assert not ordering.fullmatch(value), value


def test_time_zone_is_an_enum_of_iana_names(schema):
    conference = schema["components"]["schemas"]["ConferenceRequest"]["properties"]
    zones = schema["components"]["schemas"]["TimeZoneEnum"]["enum"]
    assert conference["time_zone"]["allOf"] == [{"$ref": "#/components/schemas/TimeZoneEnum"}]
    assert {"UTC", "Europe/Berlin", "America/Chicago"} <= set(zones)


# --- The API enforces them ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"conference": ", "}, "conference"),
        ({"conference": " dockercon-2017"}, "conference"),
        ({"track": "a" * 101}, "track"),
        ({"day": " 2"}, "day"),
        ({"day": "20170419"}, "day"),
        ({"day": "12345"}, "day"),
        ({"page": "9" * 5000}, "page"),
        ({"page": "1000000000"}, "page"),
        ({"page": " 1"}, "page"),
        ({"page_size": "9" * 5000}, "page_size"),
        ({"talk": "9" * 5000}, "talk"),
    ],
)
def test_values_outside_the_schema_are_a_json_400_naming_the_parameter(
    client, dockercon, params, parameter
):
    response = client.get(f"{API}/talks/", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == [parameter]


@pytest.mark.parametrize(
    "params", [{"conference": ""}, {"day": ""}, {"ordering": ""}, {"ordering": ",title,"}]
)
def test_an_empty_filter_is_no_filter(client, dockercon, params):
    response = client.get(f"{API}/talks/", params)
    assert response.status_code == 200
    assert response.json()["count"] == client.get(f"{API}/talks/").json()["count"]


@pytest.mark.parametrize("path", ["speakers/a%20b/", "conferences/%2C/", "talks/1a/"])
def test_path_values_outside_their_pattern_are_a_json_404(client, db, path):
    response = client.get(f"{API}/{path}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize(
    ("value", "kind"), [(0, "a number"), (True, "a boolean"), (["x"], "a list")]
)
def test_text_fields_refuse_other_json_types(editor, value, kind):
    body = {"slug": "ada", "name": "Ada", "bio": value}
    response = editor.post(f"{API}/speakers/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"bio": [f"Expected text (a JSON string), got {kind}."]}
    assert not Speaker.objects.exists()


@pytest.mark.parametrize("value", ["2", 2.0, True])
def test_integer_fields_refuse_text_and_fractions(editor, value):
    Conference.objects.create(slug="pycon", name="PyCon")
    body = {"conference": "pycon", "number": value}
    response = editor.post(f"{API}/days/", body, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()) == ["number"]


def test_an_empty_key_is_not_null(editor):
    body = {"slug": "ada", "name": "Ada", "organization": ""}
    response = editor.post(f"{API}/speakers/", body, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()) == ["organization"]


@pytest.mark.parametrize("zone", ["posixrules", "0", "Europe/Nowhere"])
def test_time_zone_outside_the_enum_is_refused(editor, zone):
    body = {"slug": "pycon", "name": "PyCon", "time_zone": zone}
    response = editor.post(f"{API}/conferences/", body, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()) == ["time_zone"]


@pytest.mark.parametrize("url", ["ftp://example.com/", "http://", "mailto:a@example.com"])
def test_web_addresses_are_http_to_a_host(editor, url):
    body = {"slug": "pycon", "name": "PyCon", "website": url}
    response = editor.post(f"{API}/conferences/", body, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()) == ["website"]


def test_length_limits_count_the_text_as_sent(editor):
    body = {"slug": "ada", "name": "Ada", "role": " " + "x" * 200}
    response = editor.post(f"{API}/speakers/", body, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()) == ["role"]


def test_whitespace_alone_is_blank_for_required_text(editor, schema):
    title = schema["components"]["schemas"]["SpeakerRequest"]["properties"]["name"]
    assert re.search(title["pattern"], "Ada")
    assert not re.search(title["pattern"], " \x1d\u3000")
    body = {"slug": "ada", "name": "\x1d"}
    response = editor.post(f"{API}/speakers/", body, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()) == ["name"]
