"""No lost updates: ETags and If-Match in the API, stale change forms in the admin, and the
confirmation a conference's cascading delete needs. Most tests have two editors."""

import re
import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection, connections
from django.test import Client

from talks.api import concurrency
from talks.models import Announcement, Conference, Day, Room, Speaker, Talk, Track

from .builders import (
    make_announcement,
    make_conference,
    make_day,
    make_speaker,
    make_talk,
    token_header,
)
from .test_admin import talk_form

API = "/api/v1"
STRONG_ETAG = re.compile(r'^"[0-9a-f]{24}\.[0-9a-f]{16}"$')


def editor_client(username):
    editor = User.objects.create_superuser(username, password="unused-in-tests")
    return Client(HTTP_AUTHORIZATION=token_header(editor))


@pytest.fixture
def editors(db):
    return editor_client("ada"), editor_client("grace")


@pytest.fixture
def talk(db):
    conference = make_conference(slug="pycon-x")
    return make_talk(conference, title="Engines", slug="engines", day=make_day(conference, 1))


def talk_path(talk):
    return f"{API}/talks/{talk.pk}/"


def patch(client, path, body, **headers):
    return client.patch(path, body, content_type="application/json", headers=headers)


# --- The API: ETag and If-Match ------------------------------------------------------------------


def test_the_second_of_two_editors_gets_412_and_the_first_change_stays(editors, talk):
    ada, grace = editors
    path = talk_path(talk)
    read_by_ada, read_by_grace = ada.get(path), grace.get(path)
    assert STRONG_ETAG.match(read_by_ada["ETag"])
    assert read_by_ada["ETag"] == read_by_grace["ETag"]

    saved = patch(ada, path, {"title": "Analytical Engines"}, if_match=read_by_ada["ETag"])
    assert saved.status_code == 200
    assert saved.json()["title"] == "Analytical Engines"
    assert STRONG_ETAG.match(saved["ETag"])
    assert saved["ETag"] != read_by_ada["ETag"]

    refused = patch(grace, path, {"title": "Difference Engines"}, if_match=read_by_grace["ETag"])
    assert refused.status_code == 412
    assert refused["Content-Type"] == "application/json"
    assert "changed since you read it" in refused.json()["detail"]
    assert refused.json()["etag"] == refused["ETag"] == saved["ETag"]
    talk.refresh_from_db()
    assert talk.title == "Analytical Engines"

    # Grace reads again and makes her change over Ada's; the new ETag follows each write.
    reread = grace.get(path)
    assert reread["ETag"] == saved["ETag"]
    again = patch(grace, path, {"subtitle": "Babbage"}, if_match=reread["ETag"])
    assert again.status_code == 200
    assert patch(ada, path, {"title": "Too late"}, if_match=saved["ETag"]).status_code == 412


def test_put_honours_if_match_and_answers_the_new_etag(editors, talk):
    ada, grace = editors
    path = talk_path(talk)
    etag = ada.get(path)["ETag"]
    body = {"conference": "pycon-x", "slug": "engines", "title": "Engines", "kind": "keynote"}
    patch(grace, path, {"title": "Grace's title"}, if_match=etag)
    stale = ada.put(path, body, content_type="application/json", headers={"if_match": etag})
    assert stale.status_code == 412
    current = ada.get(path)["ETag"]
    put = ada.put(path, body, content_type="application/json", headers={"if_match": current})
    assert put.status_code == 200
    assert put["ETag"] == ada.get(path)["ETag"] != current


def test_delete_with_a_stale_if_match_is_412_and_deletes_nothing(editors, talk):
    ada, grace = editors
    path = talk_path(talk)
    etag = ada.get(path)["ETag"]
    patch(grace, path, {"title": "Changed"}, if_match=etag)
    refused = ada.delete(path, headers={"if_match": etag})
    assert refused.status_code == 412
    assert Talk.objects.filter(pk=talk.pk).exists()
    deleted = ada.delete(path, headers={"if_match": refused["ETag"]})
    assert deleted.status_code == 204
    assert not Talk.objects.filter(pk=talk.pk).exists()


def test_if_match_star_weak_tags_and_garbage(editors, talk):
    ada, _ = editors
    path = talk_path(talk)
    etag = ada.get(path)["ETag"]
    # If-Match compares strongly: the weak form of the current tag does not match.
    assert patch(ada, path, {"title": "A"}, if_match=f"W/{etag}").status_code == 412
    assert patch(ada, path, {"title": "A"}, if_match="not an etag").status_code == 412
    assert patch(ada, path, {"title": "B"}, if_match=f'"other", {etag}').status_code == 200
    assert patch(ada, path, {"title": "C"}, if_match="*").status_code == 200
    assert patch(ada, path, {"title": "D"}).status_code == 200  # If-Match is optional
    talk.refresh_from_db()
    assert talk.title == "D"


def test_if_match_can_be_required(editors, talk, settings):
    settings.CATALOG_API_REQUIRE_IF_MATCH = True
    ada, _ = editors
    path = talk_path(talk)
    refused = patch(ada, path, {"title": "Blind"})
    assert refused.status_code == 428
    assert "If-Match" in refused.json()["detail"]
    assert ada.delete(path).status_code == 428
    talk.refresh_from_db()
    assert talk.title == "Engines"
    assert patch(ada, path, {"title": "Seen"}, if_match=ada.get(path)["ETag"]).status_code == 200


def test_a_change_between_the_check_and_the_write_is_caught(editors, talk, monkeypatch):
    """The check and the write are one compare-and-swap: a save that slips in between them
    (another process, a moment later) still makes the write a 412."""
    ada, _ = editors
    path = talk_path(talk)
    etag = ada.get(path)["ETag"]
    check = concurrency.VersionedRecordMixin._check_if_match

    def check_then_someone_saves(view, record):
        check(view, record)
        other = Talk.objects.get(pk=record.pk)
        other.title = "Slipped in"
        other.save()

    monkeypatch.setattr(
        concurrency.VersionedRecordMixin, "_check_if_match", check_then_someone_saves
    )
    refused = patch(ada, path, {"title": "Mine"}, if_match=etag)
    assert refused.status_code == 412
    talk.refresh_from_db()
    assert talk.title == "Slipped in"
    assert refused["ETag"] == ada.get(path)["ETag"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two connections writing at once: SQLite's shared-cache test database refuses that",
)
def test_two_writers_at_the_same_moment_one_wins(monkeypatch):
    """Both pass the If-Match check before either writes: the row lock lets one through."""
    conference = make_conference(slug="pycon-x")
    talk = make_talk(conference, title="Engines", slug="engines")
    ada, grace = editor_client("ada"), editor_client("grace")
    path = talk_path(talk)
    etag = ada.get(path)["ETag"]
    both_checked = threading.Barrier(2, timeout=10)
    check = concurrency.VersionedRecordMixin._check_if_match

    def check_then_wait(view, record):
        check(view, record)
        both_checked.wait()

    monkeypatch.setattr(concurrency.VersionedRecordMixin, "_check_if_match", check_then_wait)
    statuses = {}

    def write(client, title):
        try:
            statuses[title] = patch(client, path, {"title": title}, if_match=etag).status_code
        finally:
            connections.close_all()

    writers = [
        threading.Thread(target=write, args=(client, title))
        for client, title in ((ada, "Ada's"), (grace, "Grace's"))
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=30)
    assert sorted(statuses.values()) == [200, 412]
    winner = next(title for title, code in statuses.items() if code == 200)
    talk.refresh_from_db()
    assert talk.title == winner


def test_if_none_match_answers_304_until_the_record_changes(client, editors, talk):
    path = talk_path(talk)
    etag = client.get(path)["ETag"]
    for held in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        not_modified = client.get(path, headers={"if_none_match": held})
        assert not_modified.status_code == 304, held
        assert not_modified["ETag"] == etag
        assert not_modified.content == b""
    assert client.head(path, headers={"if_none_match": etag}).status_code == 304
    assert client.get(path, headers={"if_none_match": '"other"'}).status_code == 200

    ada, _ = editors
    patch(ada, path, {"speakers": [make_speaker("Ada Lovelace").slug]}, if_match=etag)
    changed = client.get(path, headers={"if_none_match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert [s["slug"] for s in changed.json()["speakers"]] == ["ada-lovelace"]


def test_a_change_shown_from_another_record_refreshes_caches_but_does_not_block_writes(
    client, editors, talk
):
    speaker = make_speaker("Ada Lovelace")
    talk.talk_speakers.create(speaker=speaker, position=1)
    path = talk_path(talk)
    etag = client.get(path)["ETag"]
    speaker.name = "Augusta Ada King"
    speaker.save()

    renamed = client.get(path, headers={"if_none_match": etag})
    assert renamed.status_code == 200
    assert renamed.json()["speakers"][0]["name"] == "Augusta Ada King"
    assert renamed["ETag"] != etag
    # The talk itself is unchanged: the write made from the older read is not stale.
    ada, _ = editors
    assert patch(ada, path, {"title": "Notes"}, if_match=etag).status_code == 200


def test_a_keynote_has_one_etag_under_talks_and_keynotes(client, talk):
    talk.kind = "keynote"
    talk.save()
    assert client.get(talk_path(talk))["ETag"] == client.get(f"{API}/keynotes/{talk.pk}/")["ETag"]


@pytest.fixture
def records(talk):
    conference = talk.conference
    speaker = make_speaker("Grace Hopper")
    return {
        "conferences": conference.slug,
        "days": talk.day.pk,
        "tracks": Track.objects.create(conference=conference, slug="web", name="Web").pk,
        "talks": talk.pk,
        "speakers": speaker.slug,
        "announcements": make_announcement(conference, talk=talk).pk,
    }


@pytest.mark.parametrize(
    ("resource", "model"),
    [
        ("conferences", Conference),
        ("days", Day),
        ("tracks", Track),
        ("talks", Talk),
        ("speakers", Speaker),
        ("announcements", Announcement),
    ],
)
def test_every_resource_refuses_a_stale_write(editors, records, resource, model):
    ada, grace = editors
    path = f"{API}/{resource}/{records[resource]}/"
    etag = ada.get(path)["ETag"]
    assert STRONG_ETAG.match(etag)
    saved = patch(grace, path, {}, if_match=etag)  # an empty change saves too
    assert saved.status_code == 200
    assert saved["ETag"] == grace.get(path)["ETag"] != etag
    before = {row.pk: row.updated_at for row in model.objects.all()}
    refused = patch(ada, path, {}, if_match=etag)
    assert refused.status_code == 412
    assert refused.json()["etag"] == saved["ETag"]
    assert ada.delete(path, headers={"if_match": etag}).status_code == 412
    assert {row.pk: row.updated_at for row in model.objects.all()} == before


def test_create_answers_the_etag_of_the_new_record(editors, talk):
    ada, _ = editors
    body = {"conference": "pycon-x", "slug": "new", "title": "New"}
    created = ada.post(f"{API}/talks/", body, content_type="application/json")
    assert created.status_code == 201
    assert created["ETag"] == ada.get(f"{API}/talks/{created.json()['id']}/")["ETag"]


# --- The API: deleting a conference with everything in it ----------------------------------------


def test_deleting_a_conference_with_talks_needs_the_confirmation(editors, records):
    ada, _ = editors
    conference = Conference.objects.get(slug="pycon-x")
    Room.objects.create(conference=conference, name="Hall A")
    path = f"{API}/conferences/pycon-x/"

    refused = ada.delete(path)
    assert refused.status_code == 409
    body = refused.json()
    assert body["would_delete"] == {
        "talks": 1,
        "days": 1,
        "tracks": 1,
        "rooms": 1,
        "announcements": 1,
    }
    assert "1 talk and 1 announcement" in body["detail"]
    assert "?confirm=cascade" in body["detail"]
    assert Talk.objects.filter(conference=conference).count() == 1

    wrong = ada.delete(f"{path}?confirm=yes")
    assert wrong.status_code == 400
    assert "confirm" in wrong.json()
    assert Conference.objects.filter(slug="pycon-x").exists()

    assert ada.delete(f"{path}?confirm=cascade").status_code == 204
    assert not Conference.objects.filter(slug="pycon-x").exists()
    assert not Talk.objects.exists()
    assert not Announcement.objects.exists()


def test_a_conference_without_talks_is_deleted_as_usual(editors, db):
    ada, _ = editors
    conference = make_conference(slug="empty")
    make_day(conference, 1)
    assert ada.delete(f"{API}/conferences/empty/").status_code == 204
    assert not Day.objects.exists()


def test_the_stale_if_match_comes_before_the_cascade_question(editors, records):
    ada, grace = editors
    path = f"{API}/conferences/pycon-x/"
    etag = ada.get(path)["ETag"]
    patch(grace, path, {"tagline": "Newer"}, if_match=etag)
    assert ada.delete(f"{path}?confirm=cascade", headers={"if_match": etag}).status_code == 412
    assert Conference.objects.filter(slug="pycon-x").exists()


# --- The schema says all of it -------------------------------------------------------------------


def test_the_schema_documents_etags_preconditions_and_the_confirmation(client, db):
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    talk = paths["/api/v1/talks/{id}/"]
    for method in ("put", "patch", "delete"):
        parameters = {p["name"]: p for p in talk[method]["parameters"]}
        assert parameters["If-Match"]["in"] == "header"
        assert {"412", "428"} <= set(talk[method]["responses"])
        assert "ETag" in talk[method]["responses"]["412"]["headers"]
    assert "ETag" in talk["patch"]["responses"]["200"]["headers"]
    assert "If-None-Match" in {p["name"] for p in talk["get"]["parameters"]}
    assert "content" not in talk["get"]["responses"]["304"]
    delete = paths["/api/v1/conferences/{slug}/"]["delete"]
    confirm = next(p for p in delete["parameters"] if p["name"] == "confirm")
    assert confirm["schema"]["enum"] == ["cascade"]
    assert (
        "would_delete"
        in delete["responses"]["409"]["content"]["application/json"]["schema"]["properties"]
    )


# --- The admin: a change form opened before someone else's save ----------------------------------


def admin_client(username):
    client = Client()
    client.force_login(User.objects.create_superuser(username, password="unused-in-tests"))
    return client


def opened_version(client, url):
    page = client.get(url)
    assert page.status_code == 200
    return page.context["adminform"].form["loaded_version"].value()


def test_the_admin_refuses_to_save_a_form_opened_before_another_save(db, talk):
    ada, grace = admin_client("ada"), admin_client("grace")
    url = f"/admin/talks/talk/{talk.pk}/change/"
    ada_version, grace_version = opened_version(ada, url), opened_version(grace, url)
    assert ada_version == grace_version == talk.updated_at.isoformat()
    assert 'name="loaded_version"' in ada.get(url).content.decode()

    form = talk_form(talk.conference, day=talk.day, slug=talk.slug)
    saved = ada.post(url, {**form, "title": "Ada's title", "loaded_version": ada_version})
    assert saved.status_code == 302

    refused = grace.post(url, {**form, "title": "Grace's title", "loaded_version": grace_version})
    assert refused.status_code == 200
    errors = refused.context["adminform"].form.non_field_errors()
    talk.refresh_from_db()
    changed_at = talk.updated_at
    assert errors == [
        f"Someone else changed this talk at {changed_at:%H:%M} UTC on {changed_at:%Y-%m-%d}, "
        "after you opened it. Nothing was saved: reload the page to see their change, then "
        "make yours again."
    ]
    assert "Someone else changed this talk" in refused.content.decode()
    assert talk.title == "Ada's title"

    # Sending the same form again is refused too; a reloaded form saves.
    resent = grace.post(url, {**form, "title": "Grace's title", "loaded_version": grace_version})
    assert resent.status_code == 200
    reloaded = opened_version(grace, url)
    again = grace.post(url, {**form, "title": "Grace's title", "loaded_version": reloaded})
    assert again.status_code == 302
    talk.refresh_from_db()
    assert talk.title == "Grace's title"


def test_every_catalog_change_form_carries_its_version(db, records):
    client = admin_client("ada")
    conference = Conference.objects.get(slug="pycon-x")
    Room.objects.create(conference=conference, name="Hall A")
    for model in (Conference, Day, Track, Room, Talk, Speaker, Announcement):
        record = model.objects.first()
        url = f"/admin/talks/{model._meta.model_name}/{record.pk}/change/"
        assert opened_version(client, url) == record.updated_at.isoformat(), model


def test_a_speaker_form_refused_keeps_the_other_editors_change(db):
    speaker = make_speaker("Grace Hopper")
    ada, grace = admin_client("ada"), admin_client("grace")
    url = f"/admin/talks/speaker/{speaker.pk}/change/"
    version = opened_version(ada, url)
    opened_version(grace, url)
    links = {
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "1000",
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
    }
    form = {"name": "Grace Hopper", "slug": speaker.slug, "organization": "", **links}
    assert ada.post(url, {**form, "role": "Admiral", "loaded_version": version}).status_code == 302
    refused = grace.post(url, {**form, "role": "Captain", "loaded_version": version})
    assert "Someone else changed this speaker" in refused.content.decode()
    speaker.refresh_from_db()
    assert speaker.role == "Admiral"
