"""An edit retires the stored answers that show what it changed, and nothing else (issue 16,
point 1): a change in one conference leaves every other conference's pages, exports, feeds and
API answers stored, and the pages of speakers with no talk in it; every path that writes goes
through it."""

import datetime
import io
import json
import shutil
from types import SimpleNamespace

import pytest
import yaml
from django.contrib.auth.models import User
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from access.models import ApiToken, TokenScope
from talks.freshness import conference_scope, note_changes, read_marks
from talks.models import Conference, ConferenceSource, Organization, Talk
from talks.views import talks as talk_views
from tests.builders import (
    MARKS_QUERY,
    make_announcement,
    make_conference,
    make_day,
    make_speaker,
    make_talk,
    make_track,
)
from tests.shared_files import shared_path
from tests.test_admin import inline_management, talk_form
from tests.test_api_writes import user_with

CATALOG_WIDE = [
    "/",
    "/speakers/",
    "/search/?q=talk",
    "/sitemap.xml",
    "/announcements/feed/",
    "/api/v1/talks/",
    "/api/v1/speakers/",
    "/api/v1/conferences/",
    "/api/v1/search/?q=talk",
]


def conference_urls(conference):
    """What lists one conference: its pages, exports, feeds and API lists."""
    slug = conference.slug
    base = f"/conferences/{slug}"
    return [
        f"{base}/",
        f"{base}/talks/",
        f"{base}/talks/?day=1",
        f"{base}/schedule/",
        f"{base}/announcements/",
        f"{base}/schedule.ics",
        f"{base}/schedule.xml",
        f"{base}/schedule.json",
        f"{base}/talks/feed/",
        f"{base}/announcements/feed/",
        f"/api/v1/talks/?conference={slug}",
        f"/api/v1/announcements/?conference={slug}",
    ]


def frame_urls(conference):
    """What shows a conference's own rows alone: its record in the API."""
    return [f"/api/v1/conferences/{conference.slug}/"]


def talk_urls(talk):
    """One talk's own page, calendar entry and API record."""
    page = f"/conferences/{talk.conference.slug}/talks/{talk.slug}/"
    return [page, f"{page}calendar.ics", f"/api/v1/talks/{talk.pk}/"]


def speaker_urls(speaker):
    return [
        f"/speakers/{speaker.slug}/",
        f"/speakers/{speaker.slug}/feed/",
        f"/api/v1/speakers/{speaker.slug}/",
    ]


def fill(conference, speakers_by_talk):
    """A day, a track, a dated talk for each list of speakers, and an announcement."""
    day = make_day(conference, 1)
    track = make_track(conference)
    talks = []
    for hour, speakers in enumerate(speakers_by_talk, start=9):
        starts_at = timezone.make_aware(
            datetime.datetime.combine(day.date, datetime.time(hour)), conference.tzinfo
        )
        talks.append(
            make_talk(
                conference,
                speakers=speakers,
                day=day,
                track=track,
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(minutes=30),
            )
        )
    make_announcement(conference, talk=talks[0], presenters=speakers_by_talk[0][:1])


@pytest.fixture(autouse=True)
def no_suggestions(monkeypatch):
    """Talk pages here suggest nothing: what a page shows of its suggested talks, and what
    retires it then, is tested in tests/test_watch_next.py. Here each talk page shows its talk
    and its frame alone, as the sets below say."""
    monkeypatch.setattr(talk_views, "related_talk_rows", lambda talk: [])


@pytest.fixture
def catalog(db):
    """Two conferences: ``only_a`` speaks at alpha, ``only_b`` at beta, ``both`` at both."""
    only_a, only_b, both = (
        make_speaker("Ada Alpha"),
        make_speaker("Bo Beta"),
        make_speaker("Cy Both"),
    )
    alpha = make_conference(slug="alpha", name="Alpha Conf")
    beta = make_conference(slug="beta", name="Beta Conf")
    fill(alpha, [[only_a, both], [only_a]])
    fill(beta, [[only_b, both], [only_b]])
    return SimpleNamespace(alpha=alpha, beta=beta, only_a=only_a, only_b=only_b, both=both)


def answered_from_store(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries) == MARKS_QUERY


def store(client, urls):
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert all(answered_from_store(client, url) for url in urls)


def assert_retired_and_kept(client, retired, kept):
    # Kept first: asking for a retired URL stores it again, which changes nothing for the rest.
    assert [url for url in kept if not answered_from_store(client, url)] == []
    assert [url for url in retired if answered_from_store(client, url)] == []


@pytest.fixture
def everything(client, catalog):
    """Every URL of the catalog, stored."""
    first_a, last_a = catalog.alpha.talks.order_by("pk")
    first_b, last_b = catalog.beta.talks.order_by("pk")
    urls = SimpleNamespace(
        alpha=conference_urls(catalog.alpha),
        alpha_frame=frame_urls(catalog.alpha),
        a1=talk_urls(first_a),  # only_a and both
        a2=talk_urls(last_a),  # only_a
        beta=conference_urls(catalog.beta),
        beta_frame=frame_urls(catalog.beta),
        b1=talk_urls(first_b),  # only_b and both
        b2=talk_urls(last_b),  # only_b
        only_a=speaker_urls(catalog.only_a),
        only_b=speaker_urls(catalog.only_b),
        both=speaker_urls(catalog.both),
    )
    store(client, [url for group in vars(urls).values() for url in group] + CATALOG_WIDE)
    return urls


def all_of_beta(urls):
    return [*urls.beta, *urls.beta_frame, *urls.b1, *urls.b2]


def alpha_talk(catalog):
    return catalog.alpha.talks.order_by("pk").last()  # only_a's own talk (a2)


# --- Each path that writes: a talk of alpha retitled ------------------------------------------


def by_model_save(catalog, tmp_path):
    talk = alpha_talk(catalog)
    talk.title = "Retitled by a save"
    talk.save()


def by_the_admin(catalog, tmp_path):
    talk = alpha_talk(catalog)
    admin = Client()
    admin.force_login(User.objects.create_superuser("boss", "boss@example.org", "pw"))
    data = talk_form(
        catalog.alpha,
        day=talk.day,
        title="Retitled in the admin",
        slug=talk.slug,
        track=talk.track_id,
    )
    places = list(talk.talk_speakers.order_by("position"))
    data.update(inline_management("talk_speakers", len(places)))
    data["talk_speakers-INITIAL_FORMS"] = str(len(places))
    for index, place in enumerate(places):
        prefix = f"talk_speakers-{index}-"
        data.update(
            {
                f"{prefix}id": place.pk,
                f"{prefix}talk": talk.pk,
                f"{prefix}speaker": place.speaker_id,
                f"{prefix}position": place.position,
            }
        )
    response = admin.post(f"/admin/talks/talk/{talk.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]


def by_the_api(catalog, tmp_path):
    talk = alpha_talk(catalog)
    _, key = ApiToken.objects.issue(user_with("change_talk"), scope=TokenScope.WRITE)
    editor = Client(HTTP_AUTHORIZATION=f"Token {key}")
    response = editor.patch(
        f"/api/v1/talks/{talk.pk}/",
        {"title": "Retitled by the API"},
        content_type="application/json",
    )
    assert response.status_code == 200


def retitled_record(talk, title):
    """``talk`` as a fixture record with natural keys, retitled."""
    [record] = serializers.serialize(
        "python", [talk], use_natural_foreign_keys=True, use_natural_primary_keys=True
    )
    record["fields"]["title"] = title
    return record


def by_loaddata(catalog, tmp_path):
    fixture = tmp_path / "retitle.json"
    record = retitled_record(alpha_talk(catalog), "Retitled by loaddata")
    fixture.write_text(json.dumps([record], cls=DjangoJSONEncoder))
    call_command("loaddata", str(fixture), verbosity=0)


def by_load_catalog(catalog, tmp_path):
    path = tmp_path / "retitle.yaml"
    record = retitled_record(alpha_talk(catalog), "Retitled by a load")
    path.write_text(yaml.safe_dump([record]))
    call_command("load_catalog", str(path), stdout=io.StringIO())


@pytest.mark.parametrize(
    "edit", [by_model_save, by_the_admin, by_the_api, by_loaddata, by_load_catalog]
)
def test_an_edit_retires_its_talk_its_conferences_lists_its_speakers_and_the_catalogs_lists(
    client, catalog, everything, edit, tmp_path
):
    edit(catalog, tmp_path)

    # Cy Both speaks at alpha too, but in the other talk: their pages do not show this one.
    assert_retired_and_kept(
        client,
        retired=[*everything.a2, *everything.alpha, *everything.only_a, *CATALOG_WIDE],
        kept=[
            *everything.a1,
            *everything.alpha_frame,
            *all_of_beta(everything),
            *everything.only_b,
            *everything.both,
        ],
    )
    assert (
        "Retitled"
        in client.get(f"/conferences/alpha/talks/{alpha_talk(catalog).slug}/").content.decode()
    )


def test_a_speakers_edit_retires_what_shows_that_speaker(client, catalog, everything):
    # Cy Both speaks at beta too: their page lists beta's talks, Bo's name on one of them.
    catalog.only_b.name = "Bo Renamed"
    catalog.only_b.save()

    assert_retired_and_kept(
        client,
        retired=[
            *everything.beta,
            *everything.b1,
            *everything.b2,
            *everything.only_b,
            *everything.both,
            *CATALOG_WIDE,
        ],
        kept=[*everything.alpha, *everything.a1, *everything.a2, *everything.only_a],
    )
    assert "Bo Renamed" in client.get("/conferences/beta/talks/").content.decode()


def test_a_new_speaker_on_a_talk_retires_that_speakers_pages(client, catalog, everything):
    alpha_talk(catalog).speakers.add(catalog.only_b, through_defaults={"position": 2})

    assert_retired_and_kept(
        client,
        retired=[
            *everything.alpha,
            *everything.a2,
            *everything.only_a,
            *everything.only_b,
            *CATALOG_WIDE,
        ],
        kept=[*everything.a1, *all_of_beta(everything), *everything.both],
    )


def test_a_talk_moved_to_another_conference_retires_both(client, catalog, everything):
    talk = alpha_talk(catalog)
    talk.conference, talk.day, talk.track = catalog.beta, None, None
    talk.save()

    assert_retired_and_kept(
        client,
        retired=[*everything.alpha, *everything.beta, *everything.a2[2:], *CATALOG_WIDE],
        kept=[*everything.a1, *everything.b1],
    )


def test_a_conference_renamed_retires_every_page_of_it(client, catalog, everything):
    catalog.alpha.name = "Alpha Renamed"
    catalog.alpha.save()

    assert_retired_and_kept(
        client,
        retired=[
            *everything.alpha,
            *everything.alpha_frame,
            *everything.a1,
            *everything.a2,
            *everything.only_a,
            *everything.both,
            *CATALOG_WIDE,
        ],
        kept=[*all_of_beta(everything), *everything.only_b],
    )


def test_an_organization_retires_everything(client, catalog, everything):
    Organization.objects.create(slug="acme", name="Acme")

    assert_retired_and_kept(client, retired=[*everything.beta, *everything.only_b], kept=[])


def test_deleting_a_conference_keeps_the_others_stored(client, catalog, everything):
    Conference.objects.filter(pk=catalog.alpha.pk).delete()

    assert client.get("/conferences/alpha/").status_code == 404
    assert_retired_and_kept(
        client, retired=[*everything.only_a, *CATALOG_WIDE], kept=all_of_beta(everything)
    )


def test_a_change_made_while_a_page_renders_retires_that_page(client, catalog, monkeypatch):
    """A writer that commits between the reader's read of the marks and its read of the data:
    the copy it stores holds the old title under the old serial, and is retired at once."""
    talk = alpha_talk(catalog)
    url = f"/conferences/alpha/talks/{talk.slug}/"
    build = talk_views.talk_page

    def build_then_edit(request, talk_id):
        page = build(request, talk_id)
        Talk.objects.filter(pk=talk.pk).update(title="Changed meanwhile")
        note_changes(talks=[talk.pk])
        return page

    monkeypatch.setattr(talk_views, "talk_page", build_then_edit)
    assert talk.title in client.get(url).content.decode()
    monkeypatch.setattr(talk_views, "talk_page", build)

    assert "Changed meanwhile" in client.get(url).content.decode()


def test_a_transaction_rolled_back_marks_nothing(catalog):
    scopes = [conference_scope(catalog.alpha.pk)]
    before = read_marks(scopes)
    talk = alpha_talk(catalog)
    talk.title = "Never committed"

    def save_then_fail():
        with transaction.atomic():
            talk.save()
            raise RuntimeError

    with pytest.raises(RuntimeError):
        save_then_fail()
    assert read_marks(scopes) == before


# --- The importers ------------------------------------------------------------------------------


def test_a_schedule_reimport_retires_its_conference_only(client, catalog, tmp_path):
    source = json.loads(shared_path("samples", "schedules", "pretalx-democon.json").read_text())
    path = tmp_path / "democon.json"
    path.write_text(json.dumps(source))
    call_command("import_schedule", str(path), stdout=io.StringIO())
    imported = Conference.objects.get(slug="democon")
    first, second = imported.talks.order_by("pk")[:2]
    urls = [*conference_urls(imported), *talk_urls(first)]
    beta = conference_urls(catalog.beta)
    store(client, [*urls, *talk_urls(second), *beta])

    first_room = next(iter(source["schedule"]["conference"]["days"][0]["rooms"].values()))
    first_room[0]["title"] = "Retitled at the source"
    path.write_text(json.dumps(source))
    call_command("import_schedule", str(path), stdout=io.StringIO())

    assert_retired_and_kept(client, retired=urls, kept=[*talk_urls(second), *beta])


def test_an_import_that_changes_nothing_retires_nothing(client, catalog):
    path = shared_path("samples", "schedules", "pretalx-democon.json")
    call_command("import_schedule", str(path), stdout=io.StringIO())
    urls = conference_urls(Conference.objects.get(slug="democon"))
    store(client, urls)

    call_command("import_schedule", str(path), stdout=io.StringIO())

    assert_retired_and_kept(client, retired=[], kept=urls)


def test_a_pyvideo_reimport_retires_its_conference_only(client, catalog, tmp_path):
    folder = tmp_path / "djangocon-eu-2021"
    shutil.copytree(shared_path("samples", "pyvideo", "djangocon-eu-2021"), folder)
    call_command("import_pyvideo", str(folder), stdout=io.StringIO())
    imported = Conference.objects.get(slug="djangocon-eu-2021")
    video = sorted((folder / "videos").glob("*.json"))[0]
    record = json.loads(video.read_text())
    changed = imported.talks.get(title=record["title"])
    other = imported.talks.exclude(pk=changed.pk).first()
    # pyvideo gives dates only: no calendar entry per talk.
    urls = [*conference_urls(imported), *talk_urls(changed)[::2]]
    beta = conference_urls(catalog.beta)
    store(client, [*urls, *talk_urls(other)[::2], *beta])

    record["speakers"] = [*record["speakers"], "Someone New"]
    video.write_text(json.dumps(record))
    call_command("import_pyvideo", str(folder), stdout=io.StringIO())

    assert_retired_and_kept(client, retired=urls, kept=[*talk_urls(other)[::2], *beta])


# --- Rows shown from afar ------------------------------------------------------------------------


def test_a_conference_source_retires_the_conference_record(client, catalog):
    source = ConferenceSource.objects.create(conference=catalog.alpha, title="The post")
    url = "/api/v1/conferences/alpha/"
    assert "The post" in client.get(url).content.decode()
    source.title = "The corrected post"
    source.save()
    assert "The corrected post" in client.get(url).content.decode()


def test_deleting_a_presenter_retires_the_announcements_they_presented(client, db):
    conference = make_conference(slug="news")
    presenter = make_speaker("Paula Presenter")  # presents, gives no talk
    announcement = make_announcement(conference, presenters=[presenter])
    urls = [
        "/conferences/news/announcements/",
        f"/conferences/news/announcements/{announcement.slug}/",
        f"/api/v1/announcements/{announcement.pk}/",
    ]
    store(client, urls)
    presenter.delete()
    assert [url for url in urls if "Paula Presenter" in client.get(url).content.decode()] == []


def test_a_load_moving_an_announcement_retires_the_talk_it_left(client, catalog, tmp_path):
    first, second = catalog.alpha.talks.order_by("pk")
    announcement = catalog.alpha.announcements.get()
    assert announcement.talk == first
    page = f"/conferences/alpha/talks/{first.slug}/"
    assert announcement.title in client.get(page).content.decode()
    [record] = serializers.serialize(
        "python", [announcement], use_natural_foreign_keys=True, use_natural_primary_keys=True
    )
    record["fields"]["talk"] = ["alpha", second.slug]
    path = tmp_path / "moved.yaml"
    path.write_text(yaml.safe_dump([record]))
    call_command("load_catalog", str(path), stdout=io.StringIO())

    assert announcement.title not in client.get(page).content.decode()
