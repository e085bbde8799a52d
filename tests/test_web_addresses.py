"""Web addresses: normalised once where they enter the catalog (model, admin, API, loaders,
importers) to the RFC 3986 form the export schemas require, or refused with the reason."""

import io

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission, User
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from jsonschema import FormatChecker

from talks.models import Conference, Talk, TalkLink, WebAddressField
from talks.models.web_addresses import normalize_url, resolve_url
from tests.builders import make_conference, make_talk, token_header
from tests.schedule_files import json_event, json_schedule
from tests.test_admin import talk_form

NORMALISED = [
    # Real cases from imported schedules.
    ("https://zügli.app", "https://xn--zgli-0ra.app"),
    ("https://matrix.to/#/#room:example.org", "https://matrix.to/#/%23room:example.org"),
    (
        "https://chat.fosdem.org/#/room/#ntop-stand:fosdem.org",
        "https://chat.fosdem.org/#/room/%23ntop-stand:fosdem.org",
    ),
    ("https://example.org/my talk.pdf", "https://example.org/my%20talk.pdf"),
    (
        "https://example.org/wiki/“Quoted”_Höffler",
        "https://example.org/wiki/%E2%80%9CQuoted%E2%80%9D_H%C3%B6ffler",
    ),
    # Valid escapes are kept (in upper case), never encoded twice; a stray % is encoded.
    ("https://example.org/a%20b/%7euser?q=100%", "https://example.org/a%20b/%7Euser?q=100%25"),
    ("https://example.org/?q=ä ö&tags[]=x", "https://example.org/?q=%C3%A4%20%C3%B6&tags%5B%5D=x"),
    ("  HTTPS://Example.ORG:8443/Path  ", "https://example.org:8443/Path"),
    ("https://STRASSE.straße.de/", "https://strasse.xn--strae-oqa.de/"),
    ("http://[2001:DB8::1]/x", "http://[2001:db8::1]/x"),
    ("http://127.0.0.1:8000/", "http://127.0.0.1:8000/"),
    ("https://example.org/a?b=c/d?e#f?g/h", "https://example.org/a?b=c/d?e#f?g/h"),
]


@pytest.mark.parametrize(("raw", "expected"), NORMALISED)
def test_a_url_is_normalised_to_a_valid_uri_and_stays_so(raw, expected):
    normalised = normalize_url(raw)

    assert normalised == expected
    assert normalize_url(normalised) == normalised
    assert FormatChecker().conforms(normalised, "uri")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("ftp://example.org/file", "only http(s)"),
        ("javascript:alert(1)", "only http(s)"),
        ("mailto:someone@example.org", "only http(s)"),
        ("www.example.org/talk", "has no scheme"),
        ("/system/event_attachments/1/slides.pdf", "has no scheme"),
        ("https://", "has no host"),
        ("https:///path", "has no host"),
        ("https://intranet/", "not a full host name"),
        ("https://exa mple.org/", "not a valid host name"),
        ("https://my_site.example.org/", "not a valid host name"),
        ("https://-edge.example.org/", "not a valid host name"),
        ("https://1.2.3/", "not a valid host name"),
        ("https://example.org:99999/", "Port out of range"),
        ("https://[::1/", "not a web address"),
        ("https://[fe80::zz]/", "not a web address"),
        ("https://[192.0.2.1]/", "IPv"),
        ("https://user:secret@example.org/", "user name or password"),
        ("https://example.org/a\nb", "control character"),
        ("https://example.org/\ud800", "not text"),
        ("", "empty"),
        ("   ", "empty"),
        (42, "must be text"),
    ],
)
def test_a_value_that_cannot_become_a_web_address_is_refused_with_the_reason(raw, reason):
    with pytest.raises(ValidationError) as refused:
        normalize_url(raw)
    assert reason in " ".join(refused.value.messages)


def test_a_relative_url_resolves_against_the_base_then_normalises():
    base = "https://fahrplan.events.ccc.de/camp/2019/Fahrplan/"
    relative = "/system/event_attachments/attachments/000/003/my slides.pdf?1566398735"

    assert resolve_url(base, relative) == (
        "https://fahrplan.events.ccc.de/system/event_attachments/attachments/000/003/"
        "my%20slides.pdf?1566398735"
    )
    assert resolve_url(base, "slides.pdf") == f"{base}slides.pdf"
    assert resolve_url(base, "//cdn.example.org/x") == "https://cdn.example.org/x"
    assert resolve_url(base, "https://zügli.app/") == "https://xn--zgli-0ra.app/"
    assert resolve_url("", "https://example.org/x") == "https://example.org/x"


@pytest.mark.parametrize(
    ("base", "reference", "reason"),
    [
        ("", "/system/x.pdf", "relative and there is no base URL"),
        (None, "x.pdf", "relative and there is no base URL"),
        ("ftp://example.org/", "/x.pdf", "only http(s)"),
        ("https://example.org/", "mailto:a@example.org", "only http(s)"),
    ],
)
def test_a_relative_url_without_a_usable_base_is_refused(base, reference, reason):
    with pytest.raises(ValidationError) as refused:
        resolve_url(base, reference)
    assert reason in " ".join(refused.value.messages)


# --- Where URLs enter the catalog ----------------------------------------------------------------


def test_full_clean_normalises_and_names_the_field(db):
    talk = make_talk(make_conference())
    talk.video_url = "https://zügli.app/talk video"
    talk.full_clean()
    assert talk.video_url == "https://xn--zgli-0ra.app/talk%20video"

    talk.slides_url = "ftp://example.org/slides"
    with pytest.raises(ValidationError) as refused:
        talk.full_clean()
    assert list(refused.value.message_dict) == ["slides_url"]


def test_a_url_longer_than_its_field_once_encoded_is_refused(db):
    talk = make_talk(make_conference())
    talk.video_url = "https://example.org/" + "é" * 100  # 120 characters, 620 once encoded
    with pytest.raises(ValidationError) as refused:
        talk.full_clean()
    assert "at most 500 characters" in refused.value.message_dict["video_url"][0]


def test_the_shipped_fixture_holds_only_normalised_urls(dockercon):
    fields = [
        (model, field.name)
        for model in apps.get_app_config("talks").catalog_models()
        for field in model._meta.get_fields()
        if isinstance(field, WebAddressField)
    ]
    urls = [url for model, name in fields for url in model.objects.values_list(name, flat=True)]
    assert len([url for url in urls if url]) > 10
    assert [url for url in urls if url and normalize_url(url) != url] == []


def test_admin_saves_the_normalised_url(admin_client, dockercon):
    data = talk_form(dockercon, video_url="zügli.app/talk “one”")
    response = admin_client.post("/admin/talks/talk/add/", data)

    assert response.status_code == 302
    talk = Talk.objects.get(slug="tracing-containers")
    assert talk.video_url == "https://xn--zgli-0ra.app/talk%20%E2%80%9Cone%E2%80%9D"


def test_admin_refuses_a_bad_url_naming_the_field(admin_client, dockercon):
    data = talk_form(dockercon, code_url="https://exa mple.org/code")
    response = admin_client.post("/admin/talks/talk/add/", data)

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["code_url"]
    assert "is not a valid host name" in response.context["adminform"].form.errors["code_url"][0]
    assert not Talk.objects.filter(slug="tracing-containers").exists()


@pytest.fixture
def api_editor(db):
    user = User.objects.create_user("editor", password="unused-in-tests")
    user.user_permissions.set(Permission.objects.filter(codename="change_talk"))
    return {"HTTP_AUTHORIZATION": token_header(user)}


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("https://matrix.to/#/#room:example.org", "https://matrix.to/#/%23room:example.org"),
        (
            "https://zügli.app/my talk “one”",
            "https://xn--zgli-0ra.app/my%20talk%20%E2%80%9Cone%E2%80%9D",
        ),
    ],
)
def test_api_stores_the_normalised_url(client, api_editor, value, stored):
    talk = make_talk(make_conference())
    response = client.patch(
        f"/api/v1/talks/{talk.pk}/",
        {"video_url": value},
        content_type="application/json",
        **api_editor,
    )

    assert response.status_code == 200
    assert response.json()["video_url"] == stored
    talk.refresh_from_db()
    assert talk.video_url == stored


@pytest.mark.parametrize("value", ["ftp://example.org/x", "https://exa mple.org/", 7, "x" * 30])
def test_api_refuses_a_bad_url_with_a_400_naming_the_field(client, api_editor, value):
    talk = make_talk(make_conference(), video_url="https://example.org/old")
    response = client.patch(
        f"/api/v1/talks/{talk.pk}/",
        {"slides_url": value},
        content_type="application/json",
        **api_editor,
    )

    assert response.status_code == 400
    assert list(response.json()) == ["slides_url"]
    talk.refresh_from_db()
    assert talk.slides_url == ""


def test_api_schema_declares_urls_as_uris(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    talk = schema["components"]["schemas"]["Talk"]["properties"]
    uri, blank = talk["video_url"]["oneOf"]
    assert (uri["format"], uri["maxLength"], blank["maxLength"]) == ("uri", 500, 0)
    assert uri["pattern"].startswith(r"^\s*[Hh][Tt][Tt][Pp][Ss]?://")  # http(s) only


def test_load_catalog_normalises_and_refuses_naming_the_field(db, tmp_path):
    path = tmp_path / "catalog.yaml"
    record = "- model: talks.conference\n  fields: {{slug: x, name: X, website: '{}'}}\n"
    path.write_text(record.format("https://zügli.app/"), encoding="utf-8")
    call_command("load_catalog", str(path), stdout=io.StringIO())
    assert Conference.objects.get(slug="x").website == "https://xn--zgli-0ra.app/"

    path.write_text(record.format("gopher://example.org/"), encoding="utf-8")
    with pytest.raises(CommandError, match=r"website.*only http"):
        call_command("load_catalog", str(path), stdout=io.StringIO())


def schedule_with_links(path, links, video_url=None, website="https://tiny.example.org/"):
    links = [{"url": url, "title": f"Link {n}"} for n, url in enumerate(links, 1)]
    event = json_event(title="Linked", links=links)
    if video_url is not None:
        event["video_url"] = video_url
    path.write_text(json_schedule([event], acronym="tiny2024", url=website))
    return path


def test_an_import_keeps_the_event_and_reports_a_link_it_cannot_use(db, tmp_path):
    path = schedule_with_links(
        tmp_path / "links.json",
        ["https://zügli.app/", "mailto:talk@example.org", "https://matrix.to/#/#r:example.org"],
    )
    out = io.StringIO()
    call_command("import_schedule", str(path), stdout=out)

    talk = Talk.objects.get(title="Linked")
    assert list(TalkLink.objects.filter(talk=talk).values_list("url", flat=True)) == [
        "https://xn--zgli-0ra.app/",
        "https://matrix.to/#/%23r:example.org",
    ]
    report = out.getvalue()
    assert "talklink: 2 created, 0 updated, 0 unchanged" in report
    (line,) = [line for line in report.splitlines() if "left out" in line]
    assert "“Linked”" in line
    assert "“mailto:talk@example.org”" in line
    assert "only http(s)" in line


def test_an_import_leaves_out_a_conference_website_it_cannot_use(db, tmp_path):
    path = schedule_with_links(tmp_path / "site.json", [], website="https://intranet/")
    out = io.StringIO()
    call_command("import_schedule", str(path), stdout=out)

    assert Conference.objects.get(slug="tiny2024").website == ""
    assert Talk.objects.filter(title="Linked").exists()
    assert "conference tiny2024: website left out: “intranet”" in out.getvalue()
