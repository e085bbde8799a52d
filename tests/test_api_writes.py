"""Writing through the API: who may write, and the model rules every write obeys."""

import io
from collections.abc import Callable
from typing import NamedTuple

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.db import IntegrityError
from django.test import Client

from access.models import ApiToken, TokenScope
from talks.models import Announcement, Conference, Day, Speaker, Talk, TalkSpeaker, Track
from tests.builders import make_conference, make_day, make_speaker, make_talk, make_track

API = "/api/v1"


def user_with(*codenames, username="editor"):
    user = User.objects.create_user(username, password="unused-in-tests")
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def token_client(user):
    _, key = ApiToken.objects.issue(user, scope=TokenScope.WRITE)
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


@pytest.fixture
def world(db):
    """One conference with a day, a track, a speaker, a talk and an announcement."""
    conference = make_conference(slug="pycon-x")
    day = make_day(conference, 1)
    track = make_track(conference, "web")
    speaker = make_speaker("Ada Lovelace")
    talk = make_talk(conference, title="Engines", slug="engines", day=day, speakers=[speaker])
    announcement = Announcement.objects.create(
        conference=conference, slug="launch", title="Launch", talk=talk
    )
    return {
        "conference": conference,
        "day": day,
        "track": track,
        "speaker": speaker,
        "talk": talk,
        "announcement": announcement,
    }


class Resource(NamedTuple):
    model: type
    list_path: str
    detail_path: Callable  # world -> path of the world's record
    new_body: Callable  # world -> a valid body for a new record
    change: dict  # a partial update


RESOURCES = {
    "conference": Resource(
        Conference,
        "conferences/",
        lambda w: f"conferences/{w['conference'].slug}/",
        lambda w: {"slug": "new-conf", "name": "New Conf", "time_zone": "Europe/Berlin"},
        {"tagline": "Updated"},
    ),
    "day": Resource(
        Day,
        "days/",
        lambda w: f"days/{w['day'].pk}/",
        lambda w: {"conference": w["conference"].slug, "number": 2, "date": "2024-05-07"},
        {"label": "Workshops"},
    ),
    "track": Resource(
        Track,
        "tracks/",
        lambda w: f"tracks/{w['track'].pk}/",
        lambda w: {"conference": w["conference"].slug, "slug": "data", "name": "Data"},
        {"name": "Web and APIs"},
    ),
    "talk": Resource(
        Talk,
        "talks/",
        lambda w: f"talks/{w['talk'].pk}/",
        lambda w: {
            "conference": w["conference"].slug,
            "slug": "new-talk",
            "title": "New talk",
            "day": w["day"].pk,
            "track": w["track"].pk,
            "speakers": [w["speaker"].slug],
        },
        {"title": "Analytical Engines"},
    ),
    "speaker": Resource(
        Speaker,
        "speakers/",
        lambda w: f"speakers/{w['speaker'].slug}/",
        lambda w: {"slug": "grace-hopper", "name": "Grace Hopper"},
        {"role": "Rear admiral"},
    ),
    "announcement": Resource(
        Announcement,
        "announcements/",
        lambda w: f"announcements/{w['announcement'].pk}/",
        lambda w: {
            "conference": w["conference"].slug,
            "slug": "news",
            "title": "News",
            "talk": w["talk"].pk,
            "presenters": [w["speaker"].slug],
        },
        {"summary": "Big news."},
    ),
}


def write(client, method, resource, world):
    spec = RESOURCES[resource]
    if method == "post":
        return client.post(
            f"{API}/{spec.list_path}", spec.new_body(world), content_type="application/json"
        )
    path = f"{API}/{spec.detail_path(world)}"
    if method == "delete":
        # The world's conference has a talk: deleting it needs the confirmation (the refusal
        # without it is tested in test_lost_updates).
        confirm = "?confirm=cascade" if resource == "conference" else ""
        return client.delete(f"{path}{confirm}")
    if method == "put":
        current = Client().get(path).json()
        body = {
            **{k: v for k, v in current.items() if isinstance(v, str | int | list)},
            **spec.change,
        }
        body = {**body, **full_keys(resource, world)}
        return client.put(path, body, content_type="application/json")
    return client.patch(path, spec.change, content_type="application/json")


def full_keys(resource, world):
    """The related keys of a full update, which the response shows as nested summaries."""
    keys = {
        "day": {"conference": world["conference"].slug},
        "track": {"conference": world["conference"].slug},
        "talk": {
            "conference": world["conference"].slug,
            "day": world["day"].pk,
            "track": None,
            "speakers": [world["speaker"].slug],
        },
        "speaker": {"organization": None},
        "announcement": {
            "conference": world["conference"].slug,
            "talk": world["talk"].pk,
            "presenters": [],
            "partners": [],
        },
    }
    return keys.get(resource, {})


PERMISSION_FOR = {"post": "add", "put": "change", "patch": "change", "delete": "delete"}
WRITES = [(resource, method) for resource in RESOURCES for method in PERMISSION_FOR]


@pytest.mark.parametrize(("resource", "method"), WRITES)
def test_anonymous_write_is_401_and_changes_nothing(world, resource, method):
    model = RESOURCES[resource].model
    before = model.objects.count()
    response = write(Client(), method, resource, world)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert model.objects.count() == before


@pytest.mark.parametrize(("resource", "method"), WRITES)
def test_write_without_the_model_permission_is_403(world, resource, method):
    model = RESOURCES[resource].model
    # Every permission but the one this write needs.
    others = [
        f"{action}_{model._meta.model_name}"
        for action in ("add", "change", "delete", "view")
        if action != PERMISSION_FOR[method]
    ]
    client = token_client(user_with(*others))
    before = model.objects.count()
    response = write(client, method, resource, world)
    assert response.status_code == 403
    assert model.objects.count() == before


@pytest.mark.parametrize(("resource", "method"), WRITES)
def test_write_with_the_model_permission_succeeds(world, resource, method):
    model = RESOURCES[resource].model
    client = token_client(user_with(f"{PERMISSION_FOR[method]}_{model._meta.model_name}"))
    before = model.objects.count()
    response = write(client, method, resource, world)
    expected = {"post": 201, "put": 200, "patch": 200, "delete": 204}[method]
    assert response.status_code == expected, response.content
    change = {"post": 1, "delete": -1}.get(method, 0)
    assert model.objects.count() == before + change
    if method in {"put", "patch"}:
        changed_field, value = next(iter(RESOURCES[resource].change.items()))
        assert response.json()[changed_field] == value


# --- Sessions: CSRF is enforced ------------------------------------------------------------------


def test_session_write_needs_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user_with("add_track"))
    body = {"conference": "pycon-x", "slug": "data", "name": "Data"}
    refused = client.post(f"{API}/tracks/", body, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]

    client.get("/admin/login/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        f"{API}/tracks/", body, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 201


def test_a_write_token_is_issued_by_create_api_token(world):
    user_with("add_speaker", username="curator")
    out = io.StringIO()
    call_command(
        "create_api_token", "curator", "--scope", "write", stdout=out, stderr=io.StringIO()
    )
    key = out.getvalue().strip()
    response = Client(HTTP_AUTHORIZATION=f"Token {key}").post(
        f"{API}/speakers/", {"slug": "alan-turing", "name": "Alan Turing"}, "application/json"
    )
    assert response.status_code == 201


def test_a_bad_token_is_401_even_for_reads(world):
    response = Client(HTTP_AUTHORIZATION="Token not-a-real-key").get(f"{API}/talks/")
    assert response.status_code == 401


# --- The model rules, as in the admin ------------------------------------------------------------


@pytest.fixture
def editor():
    return token_client(
        user_with("add_talk", "change_talk", "add_announcement", "add_day", "add_speaker")
    )


def test_talk_day_must_belong_to_its_conference(world, editor):
    other_day = make_day(make_conference(), 1)
    response = editor.patch(
        f"{API}/talks/{world['talk'].pk}/", {"day": other_day.pk}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "not to this talk's conference" in response.json()["day"][0]
    world["talk"].refresh_from_db()
    assert world["talk"].day == world["day"]


def test_talk_end_must_follow_its_start(world, editor):
    response = editor.patch(
        f"{API}/talks/{world['talk'].pk}/",
        {"starts_at": "2024-05-06T10:00:00+02:00", "ends_at": "2024-05-06T09:00:00+02:00"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["ends_at"]


def test_talk_start_must_fall_on_its_day(world, editor):
    response = editor.patch(
        f"{API}/talks/{world['talk'].pk}/",
        {"starts_at": "2024-05-08T10:00:00+02:00"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["starts_at"]


@pytest.mark.parametrize("with_day", [True, False])
def test_a_time_out_of_range_in_local_time_is_a_400(world, editor, with_day):
    # Found by probing the model rules: Paris is east of UTC, so this start has no local time.
    body = {"conference": "pycon-x", "slug": "late", "title": "Late"}
    body |= {"starts_at": "9999-12-31T23:30:00Z", "day": world["day"].pk if with_day else None}
    response = editor.post(f"{API}/talks/", body, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()) == ["starts_at"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"day": 999999}, "day"),
        ({"day": "one"}, "day"),
        ({"speakers": ["nobody"]}, "speakers"),
        ({"speakers": "ada-lovelace"}, "speakers"),
        ({"conference": "nowhere"}, "conference"),
        ({"kind": "poster"}, "kind"),
        ({"video_url": "not a url"}, "video_url"),
        ({"slug": "has spaces"}, "slug"),
        ({"title": ""}, "title"),
    ],
)
def test_invalid_talk_field_is_a_400_naming_it(world, editor, body, field):
    response = editor.patch(
        f"{API}/talks/{world['talk'].pk}/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()) == [field]


@pytest.mark.parametrize(
    ("field", "key"),
    [("conference", "pycon\x00x"), ("conference", "x" * 500), ("day", 2**70), ("day", -1)],
)
def test_a_key_the_database_could_not_hold_is_a_400(world, editor, field, key):
    # Found by the contract test on PostgreSQL, which refuses NUL bytes in text.
    body = {"conference": "pycon-x", "slug": "keys", "title": "Keys", field: key}
    response = editor.post(f"{API}/talks/", body, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_duplicate_slug_in_a_conference_is_a_400(world, editor):
    body = {"conference": "pycon-x", "slug": "engines", "title": "Again"}
    response = editor.post(f"{API}/talks/", body, content_type="application/json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_new_talk_keeps_the_speakers_in_the_order_given(world, editor):
    grace = make_speaker("Grace Hopper")
    body = {
        "conference": "pycon-x",
        "slug": "compilers",
        "title": "Compilers",
        "speakers": [grace.slug, world["speaker"].slug],
    }
    response = editor.post(f"{API}/talks/", body, content_type="application/json")
    assert response.status_code == 201
    assert [s["slug"] for s in response.json()["speakers"]] == [grace.slug, "ada-lovelace"]
    talk = Talk.objects.get(slug="compilers")
    positions = TalkSpeaker.objects.filter(talk=talk).order_by("position")
    assert [ts.speaker for ts in positions] == [grace, world["speaker"]]


@pytest.mark.parametrize("method", ["post", "put"])
def test_a_speaker_listed_twice_is_a_400_on_speakers_and_changes_nothing(world, editor, method):
    body = {"conference": "pycon-x", "slug": "duet", "title": "Duet"}
    body["speakers"] = ["ada-lovelace", "ada-lovelace"]
    path = f"{API}/talks/" if method == "post" else f"{API}/talks/{world['talk'].pk}/"
    before = (Talk.objects.count(), TalkSpeaker.objects.count())

    response = getattr(editor, method)(path, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {
        "speakers": ["Each speaker may appear once; “ada-lovelace” repeats."]
    }
    assert (Talk.objects.count(), TalkSpeaker.objects.count()) == before
    world["talk"].refresh_from_db()
    assert world["talk"].title == "Engines"


def test_announcement_talk_must_belong_to_its_conference(world, editor):
    foreign_talk = make_talk(make_conference())
    body = {"conference": "pycon-x", "slug": "news", "title": "News", "talk": foreign_talk.pk}
    response = editor.post(f"{API}/announcements/", body, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()) == ["talk"]


def test_day_must_fall_within_its_conference(world, editor):
    body = {"conference": "pycon-x", "number": 5, "date": "2030-01-01"}
    response = editor.post(f"{API}/days/", body, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()) == ["date"]


def test_malformed_json_is_a_400(world, editor):
    response = editor.post(f"{API}/speakers/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()


def test_keynotes_are_read_only(world):
    admin = User.objects.create_superuser("root", password="unused-in-tests")
    response = token_client(admin).post(f"{API}/keynotes/", {}, content_type="application/json")
    assert response.status_code == 405


def test_an_overlong_time_zone_is_a_400_not_a_crash(world):
    # Found by the contract test: the name became a file path too long for the OS.
    admin = User.objects.create_superuser("root", password="unused-in-tests")
    body = {"slug": "far-away", "name": "Far away", "time_zone": "Zone/" + "x" * 300}
    response = token_client(admin).post(f"{API}/conferences/", body, "application/json")
    assert response.status_code == 400
    assert "time_zone" in response.json()


def test_a_write_that_loses_a_race_is_a_400(world, editor, monkeypatch):
    # Another request may take the slug between full_clean() and the INSERT.
    def taken(*args, **kwargs):
        raise IntegrityError("UNIQUE constraint failed")

    monkeypatch.setattr(Talk, "save", taken)
    body = {"conference": "pycon-x", "slug": "race", "title": "Race"}
    response = editor.post(f"{API}/talks/", body, content_type="application/json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
