"""A changelog for every conference (issue 17, point 3): each schedule change, by import, admin
or API, is recorded with the change, in versions (one per import, named by the file's own
version; one per day of hand edits), shown on /conferences/<slug>/changes/, in its Atom feed
and in the API, and written by the frab exports as their version."""

import io

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from access.models import ApiToken, TokenScope
from talks.models import ScheduleChange, ScheduleVersion, Speaker, Talk
from tests.builders import MARKS_QUERY
from tests.schedule_files import json_event, json_schedule


def at(time):
    return {"date": f"2024-05-06T{time}:00+02:00", "start": time}


KEYNOTE = json_event(guid="g-keynote", id=1, title="Keynote")
TALK = json_event(guid="g-talk", id=2, title="Containers", **at("11:00"))
DEMO = json_event(guid="g-demo", id=3, title="Live demo", **at("12:00"))
CHANGES = "/conferences/tiny/changes/"


@pytest.fixture
def imported(tmp_path):
    """Imports the events given as the file's ``version``; the path stays the same."""
    path = tmp_path / "tiny.json"

    def run(*events, version="1.0", extra=()):
        path.write_text(json_schedule(list(events), version=version))
        call_command("import_schedule", str(path), *extra, stdout=io.StringIO())

    return run


def changes_of(version):
    return sorted(
        (change.kind, change.talk_title, change.before, change.after)
        for change in version.changes.all()
    )


def test_an_import_records_its_changes_as_one_version_named_by_the_file(db, imported):
    imported(KEYNOTE, TALK, DEMO, version="0.9")
    moved = TALK | at("15:30") | {"room": "Hall B"}
    retitled = KEYNOTE | {"title": "Opening keynote"}

    imported(retitled, moved, version="1.0 (Friday)")

    first, second = ScheduleVersion.objects.order_by("created_at", "id")
    assert first.title == "Version 0.9"
    assert {kind for kind, *_ in changes_of(first)} == {"new"}
    assert second.title == "Version 1.0 (Friday)"
    assert changes_of(second) == [
        ("cancelled", "Live demo", "", ""),
        ("moved", "Containers", "Day 1, 11:00, Main", "Day 1, 15:30, Hall B"),
        ("retitled", "Opening keynote", "Keynote", "Opening keynote"),
    ]


def test_an_import_that_changes_nothing_records_nothing(db, imported):
    imported(KEYNOTE, TALK)
    imported(KEYNOTE, TALK, version="1.1")
    imported(KEYNOTE, TALK, extra=["--dry-run"])
    imported(KEYNOTE, extra=["--dry-run"])

    assert ScheduleVersion.objects.count() == 1


def test_recording_an_import_costs_the_same_queries_for_many_changes(db, imported):
    many = [json_event(guid=f"g-{n}", id=n, title=f"Talk {n}") for n in range(40)]
    imported(*many)
    moved = [event | at("16:00") for event in many]
    with CaptureQueriesContext(connection) as queries:
        imported(*moved)
    changelog = [q for q in queries.captured_queries if "schedulechange" in q["sql"].lower()]
    assert ScheduleChange.objects.filter(kind="moved").count() == 40
    assert len(changelog) == 1


def editor_client():
    user = User.objects.create_user("editor", password="unused-in-tests")
    user.user_permissions.set(Permission.objects.filter(codename="change_talk"))
    _, key = ApiToken.objects.issue(user, scope=TokenScope.WRITE)
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def patch(api, talk, body):
    url = f"/api/v1/talks/{talk.pk}/"
    response = api.patch(
        url, body, content_type="application/json", HTTP_IF_MATCH=api.get(url)["ETag"]
    )
    assert response.status_code == 200, response.content
    return response


def test_hand_edits_of_one_day_are_one_version(db, imported):
    imported(KEYNOTE, TALK)
    api = editor_client()
    talk = Talk.objects.get(guid="g-talk")
    Speaker.objects.create(name="Ada", slug="ada")

    patch(api, talk, {"title": "Containers, revised"})
    patch(api, talk, {"status": "cancelled"})
    patch(api, talk, {"speakers": ["ada"]})
    patch(api, talk, {"abstract": "Not a schedule change."})

    edits = ScheduleVersion.objects.get(kind="edits")
    assert edits.title.startswith("Edits of ")
    assert [kind for kind, *_ in changes_of(edits)] == ["cancelled", "retitled", "speakers"]
    assert ScheduleVersion.objects.count() == 2


def test_the_admin_records_what_it_changes(admin_client, db, imported):
    imported(KEYNOTE, TALK)
    talk = Talk.objects.get(guid="g-talk")
    admin_client.post(
        "/admin/talks/talk/", {"action": "cancel_talks", "_selected_action": [talk.pk]}
    )
    edits = ScheduleVersion.objects.get(kind="edits")
    assert changes_of(edits) == [("cancelled", "Containers", "", "")]


def test_the_changes_page_feed_and_api_show_the_versions(client, db, imported):
    imported(KEYNOTE, TALK, DEMO, version="0.9")
    imported(KEYNOTE, TALK, version="1.0")

    page = client.get(CHANGES).content.decode()
    assert page.index("Version 1.0") < page.index("Version 0.9")
    assert "Cancelled</span> " in page
    demo = Talk.objects.get(guid="g-demo")
    assert f'<a href="{demo.get_absolute_url()}">Live demo</a>' in page
    feed = client.get(f"{CHANGES}feed/").content.decode()
    assert feed.count("<entry>") == 2
    assert "Cancelled: Live demo" in feed
    versions = client.get("/api/v1/schedule-versions/?conference=tiny").json()["results"]
    assert [version["name"] for version in versions] == ["1.0", "0.9"]
    assert versions[0]["changes"][0]["kind"] == "cancelled"
    assert versions[0]["changes"][0]["talk"].endswith(f"/api/v1/talks/{demo.pk}/")


def test_a_conference_without_changes_says_what_will_appear(client, db, imported):
    imported(KEYNOTE)
    ScheduleVersion.objects.all().delete()
    page = client.get(CHANGES).content.decode()
    assert "No schedule change recorded yet." in page


def test_the_frab_exports_write_the_current_version(client, db, imported):
    imported(KEYNOTE, TALK, version="2024-05-06 rev 7")

    xml = client.get("/conferences/tiny/schedule.xml").content.decode()
    assert "<version>2024-05-06 rev 7</version>" in xml
    exported = client.get("/conferences/tiny/schedule.json").json()
    assert exported["schedule"]["version"] == "2024-05-06 rev 7"


def test_the_changes_page_queries_do_not_grow_with_versions(
    client, db, imported, django_assert_max_num_queries
):
    for n in range(1, 8):
        imported(KEYNOTE | {"title": f"Keynote {n}"}, TALK, version=f"v{n}")
    # The conference, the count, the page of versions, their changes, the page's date.
    with django_assert_max_num_queries(5 + MARKS_QUERY):
        assert client.get(CHANGES).status_code == 200


def test_the_api_list_of_versions_queries_do_not_grow_with_versions(
    client, db, imported, django_assert_max_num_queries
):
    for n in range(1, 8):
        imported(KEYNOTE | {"title": f"Keynote {n}"}, TALK, version=f"v{n}")
    # The conference named, the count, the page of versions, their changes.
    with django_assert_max_num_queries(4 + MARKS_QUERY):
        response = client.get("/api/v1/schedule-versions/?conference=tiny")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 7
