"""Sources that sync themselves (issue 17, point 4): `sync_schedules` fetches each source again
with a conditional GET (or reads its file again), skips what has not changed without parsing
it, imports what has through the import's own path, prints a line per source, fails loudly
and alone, and never runs twice at once; no fetch reaches a private address unless allowed.
Served by a real HTTP server on loopback, with real sample files changed between syncs."""

import datetime
import hashlib
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from talks.importers import sync
from talks.models import CommandLock, ScheduleSource, ScheduleVersion, Talk, TalkStatus
from tests.shared_files import shared_path


class Served:
    """What the test server answers for each path: (status, body), with an ETag of the body."""

    def __init__(self):
        self.files, self.requests = {}, []

    def handler(self):
        served = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                served.requests.append((self.path, self.headers.get("If-None-Match")))
                status, body, validators = served.files.get(self.path, (404, b"", True))
                etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
                if validators and status == 200 and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(status)
                if validators:
                    self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        return Handler


@pytest.fixture
def server():
    served = Served()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), served.handler())
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    served.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield served
    httpd.shutdown()
    httpd.server_close()


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def democon(db, server):
    """The pretalx demo schedule (36 events), served and imported once from its address."""
    document = json.loads(shared_path("samples", "schedules", "pretalx-democon.json").read_text())
    server.files["/democon.json"] = (200, json.dumps(document).encode(), True)
    run("import_schedule", f"{server.url}/democon.json")
    return document


def events_of(document):
    return [
        event
        for day in document["schedule"]["conference"]["days"]
        for events in day["rooms"].values()
        for event in events
    ]


def test_an_unchanged_source_is_not_modified_and_not_parsed(democon, server, monkeypatch):
    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed a source that had not changed")

    monkeypatch.setattr(sync, "read_schedule", no_parsing)

    output = run("sync_schedules")

    assert "democon" in output
    assert "not modified (the server answered 304)" in output
    # The second request sent the ETag of the first import.
    assert server.requests[-1][1] is not None
    assert "1 sources checked." in output


def test_a_changed_source_is_followed_and_its_changes_listed(democon, server, client):
    events = events_of(democon)
    dropped, moved, retitled = events[0], events[1], events[2]
    for day in democon["schedule"]["conference"]["days"]:
        for room, listed in day["rooms"].items():
            day["rooms"][room] = [e for e in listed if e["guid"] != dropped["guid"]]
    # Later the same day: "YYYY-MM-DDTHH:MM:SS" then its offset.
    moved["date"] = f"{moved['date'][:11]}23:00:00{moved['date'][19:]}"
    moved["start"] = "23:00"
    retitled["title"] = "A new title for the demo"
    server.files["/democon.json"] = (200, json.dumps(democon).encode(), True)

    output = run("sync_schedules", "--conference", "democon")

    assert "3 changes: 1 cancelled, 1 moved, 1 retitled" in output
    talk = Talk.objects.get(guid=dropped["guid"])
    assert talk.status == TalkStatus.CANCELLED
    assert "<strong>Cancelled</strong>" in client.get(talk.get_absolute_url()).content.decode()
    calendar = client.get("/conferences/democon/schedule.ics").content.decode()
    assert "STATUS:CANCELLED" in calendar
    changes = client.get("/conferences/democon/changes/").content.decode()
    for title in (talk.title, "A new title for the demo", moved["title"]):
        assert title in changes


def test_a_source_failing_fails_the_run_alone(democon, server):
    server.files["/other.json"] = (
        200,
        shared_path("samples", "schedules", "voc-frab-camp2019.json").read_bytes(),
        True,
    )
    run("import_schedule", f"{server.url}/other.json")
    camp = ScheduleSource.objects.exclude(conference__slug="democon").get()
    server.files["/other.json"] = (500, b"Internal Server Error", True)
    talks_before = Talk.objects.filter(conference=camp.conference).count()

    with pytest.raises(CommandError, match="1 of 2 sources failed"):
        run("sync_schedules")

    camp.refresh_from_db()
    assert camp.last_result == f"failed: {server.url}/other.json: the server answered 500 " + (
        "Internal Server Error"
    )
    assert Talk.objects.filter(conference=camp.conference).count() == talks_before
    democon_source = ScheduleSource.objects.get(conference__slug="democon")
    assert democon_source.last_result.startswith("not modified")


def test_garbage_fails_and_changes_nothing(democon, server):
    server.files["/democon.json"] = (200, b"<html>We moved!</html>", True)
    versions = ScheduleVersion.objects.count()

    with pytest.raises(CommandError):
        run("sync_schedules")

    assert ScheduleVersion.objects.count() == versions
    assert not Talk.objects.filter(status=TalkStatus.CANCELLED).exists()


def test_a_server_without_validators_is_compared_by_its_bytes(db, server):
    body = shared_path("samples", "schedules", "pretalx-democon.json").read_bytes()
    server.files["/plain.json"] = (200, body, False)
    run("import_schedule", f"{server.url}/plain.json")

    assert "not modified (the same bytes as the last import)" in run("sync_schedules")


def test_a_file_source_is_read_again_and_imported_when_it_changed(db, tmp_path):
    path = tmp_path / "democon.json"
    document = json.loads(shared_path("samples", "schedules", "pretalx-democon.json").read_text())
    path.write_text(json.dumps(document))
    run("import_schedule", str(path))
    assert "not modified (the same bytes" in run("sync_schedules")

    first = events_of(document)[0]
    first["title"] = "Retitled in the file"
    path.write_text(json.dumps(document))

    assert "1 change: 1 retitled" in run("sync_schedules")
    assert Talk.objects.get(guid=first["guid"]).title == "Retitled in the file"


def test_private_addresses_are_refused_unless_allowed(db, server, settings):
    settings.CATALOG_ALLOW_PRIVATE_SOURCES = False
    server.files["/democon.json"] = (
        200,
        shared_path("samples", "schedules", "pretalx-democon.json").read_bytes(),
        True,
    )
    with pytest.raises(CommandError, match="CATALOG_ALLOW_PRIVATE_SOURCES=1"):
        run("import_schedule", f"{server.url}/democon.json")
    assert server.requests == []
    with pytest.raises(CommandError, match="loopback, private or link-local"):
        run("import_schedule", "http://[::1]:9/schedule.json")


def test_two_syncs_never_run_at_once(democon):
    with sync.sync_lock(), pytest.raises(CommandError, match="another sync is running"):
        run("sync_schedules")
    # A lease its holder left behind (a process that died) expires.
    CommandLock.objects.create(
        name=sync.LOCK_NAME,
        holder="a crashed run",
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    assert "1 sources checked." in run("sync_schedules")
    assert not CommandLock.objects.exists()


def test_the_admin_syncs_a_conference_now(admin_client, democon):
    conference = ScheduleSource.objects.get().conference
    response = admin_client.post(
        "/admin/talks/conference/",
        {"action": "sync_now", "_selected_action": [conference.pk]},
        follow=True,
    )
    messages = [str(message) for message in response.context["messages"]]
    assert any("not modified" in message for message in messages)


def test_editors_name_addresses_not_files_on_the_server(admin_client, democon):
    conference = ScheduleSource.objects.get().conference
    page = admin_client.get(f"/admin/talks/conference/{conference.pk}/change/")
    form = page.context["adminform"].form
    data = {
        **{name: form[name].value() or "" for name in form.fields},
        "loaded_version": form["loaded_version"].value(),
    }
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({f"{management.prefix}-{k}": v or "" for k, v in management.initial.items()})
        for inline in formset.formset.forms:
            data.update(
                {f"{inline.prefix}-{name}": inline[name].value() or "" for name in inline.fields}
            )
    prefix = "schedule_sources"
    data[f"{prefix}-TOTAL_FORMS"] = int(data[f"{prefix}-TOTAL_FORMS"]) + 1
    data[f"{prefix}-1-location"] = "/etc/passwd"
    data[f"{prefix}-1-kind"] = "schedule"
    data[f"{prefix}-1-conference"] = conference.pk

    response = admin_client.post(f"/admin/talks/conference/{conference.pk}/change/", data)

    assert response.status_code == 200
    assert "Give an http(s) address" in response.content.decode()
    assert ScheduleSource.objects.count() == 1
