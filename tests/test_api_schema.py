"""The OpenAPI schema at /api/schema/ and the Swagger UI at /api/docs/."""

import re

import pytest
from django.core.management import call_command

RESOURCES = ["conferences", "days", "tracks", "talks", "keynotes", "speakers", "announcements"]
WRITABLE = [resource for resource in RESOURCES if resource != "keynotes"]
LOOKUPS = {"conferences": "slug", "speakers": "slug"}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


def test_schema_is_openapi_3_with_every_list_and_detail(schema):
    assert schema["openapi"].startswith("3.")
    for resource in RESOURCES:
        lookup = LOOKUPS.get(resource, "id")
        assert "get" in schema["paths"][f"/api/v1/{resource}/"]
        assert "get" in schema["paths"][f"/api/v1/{resource}/{{{lookup}}}/"]
    for resource in WRITABLE:
        lookup = LOOKUPS.get(resource, "id")
        assert "post" in schema["paths"][f"/api/v1/{resource}/"]
        detail = schema["paths"][f"/api/v1/{resource}/{{{lookup}}}/"]
        assert {"put", "patch", "delete"} <= set(detail)
    assert set(schema["paths"]["/api/v1/keynotes/"]) == {"get"}


def test_spectacular_validates_without_warnings(db, tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert target.read_text().startswith("openapi: 3.")


def test_every_operation_documents_its_errors(schema):
    for path, method, operation in operations(schema):
        codes = set(operation["responses"])
        is_list = "{" not in path
        assert {"401", "404", "429"} <= codes, (method, path)
        if method != "get":
            assert {"400", "403"} <= codes, (method, path)
        elif is_list:
            assert "400" in codes, (method, path)
    error = schema["components"]["schemas"]["ValidationError"]
    assert error["additionalProperties"]


def test_reads_are_open_to_anonymous_clients_and_writes_are_not(schema):
    for path, method, operation in operations(schema):
        anonymous = {} in operation["security"]
        # Everything in the catalog is open to read; your own API tokens are not.
        catalog_read = method == "get" and not path.startswith("/api/v1/tokens/")
        assert anonymous == catalog_read, (method, path)
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_talk_filters_and_pagination_are_documented(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/talks/"]["get"]["parameters"]}
    assert {
        "conference",
        "day",
        "track",
        "kind",
        "speaker",
        "q",
        "search",
        "ordering",
        "page",
        "page_size",
    } <= set(parameters)
    number, date = parameters["day"]["schema"]["anyOf"][0]["anyOf"]
    assert (number["type"], date["format"]) == ("string", "date")
    assert "keynote" in parameters["kind"]["schema"]["anyOf"][0]["enum"]
    assert "-starts_at" in parameters["ordering"]["description"]
    assert "100" in parameters["page_size"]["description"]


def reference(property_schema):
    """The component a property refers to, directly or through allOf."""
    return property_schema.get("$ref") or property_schema["allOf"][0]["$ref"]


def test_talk_shows_nested_summaries_and_takes_keys(schema):
    components = schema["components"]["schemas"]
    talk = components["Talk"]["properties"]
    assert reference(talk["speakers"]["items"]).endswith("/SpeakerSummary")
    assert reference(talk["day"]).endswith("/DaySummary")
    assert talk["day"]["nullable"] is True
    request = components["TalkDetailRequest"]["properties"]
    assert request["speakers"]["items"]["type"] == "string"
    assert request["conference"]["type"] == "string"
    assert request["day"]["type"] == "integer"
    assert request["conference"]["pattern"] == "^[-a-zA-Z0-9_]+$"


def test_swagger_ui_is_served_from_this_site(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any("swagger-ui-bundle.js" in source for source in sources)
    for source in sources:
        assert source.startswith("/"), f"{source} leaves the site"
        assert client.get(source).status_code == 200, source
    # The start-up script is a file of its own (no inline script under the CSP).
    assert "/api/schema/" in client.get("/api/docs/?script=").content.decode()
