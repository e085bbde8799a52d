"""Honest dates: feeds, Last-Modified headers and the sitemap say when records last changed.

Every catalog record keeps ``created_at`` and ``updated_at``; nothing the site serves falls back
to the Unix epoch or to the time of the request.
"""

import datetime
import io
import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.core.cache import cache
from django.core.management import call_command
from django.utils.http import http_date, parse_http_date
from icalendar import Calendar
from lxml import etree

from talks.freshness import catalog_last_change
from talks.models import Announcement, Conference, Speaker, Talk, Timestamped
from tests.builders import MARKS_QUERY, make_conference, make_speaker, make_talk, token_header
from tests.sitemap_reader import every_sitemap_entry

ATOM = "{http://www.w3.org/2005/Atom}"
CONF = "/conferences/dockercon-2017"
SEED_FILE = Path(settings.BASE_DIR) / "fixtures" / "dockercon-2017.yaml"
LONG_AGO = datetime.datetime(2020, 3, 4, 5, 6, 7, tzinfo=datetime.UTC)

PAGES = [
    "/",
    "/speakers/",
    f"{CONF}/",
    f"{CONF}/talks/",
    f"{CONF}/talks/?track=black-belt",
    f"{CONF}/schedule/",
    f"{CONF}/announcements/",
    f"{CONF}/announcements/linuxkit/",
    f"{CONF}/talks/day-1-keynote/",
    f"{CONF}/talks/container-performance-analysis/",
    "/speakers/brendan-gregg/",
]
EXPORTS = [
    f"{CONF}/schedule.ics",
    f"{CONF}/schedule.xml",
    f"{CONF}/schedule.json",
    f"{CONF}/talks/day-1-keynote/calendar.ics",
]
FEEDS = [
    "/announcements/feed/",
    f"{CONF}/announcements/feed/",
    f"{CONF}/talks/feed/",
    "/speakers/brendan-gregg/feed/",
]


def timestamped_models():
    return [
        model
        for model in apps.get_app_config("talks").catalog_models()
        if issubclass(model, Timestamped) and not model._meta.proxy
    ]


def set_every_record_changed_at(moment):
    """Date the whole catalog back, as if nothing had been edited since ``moment``."""
    for model in timestamped_models():
        model.objects.update(updated_at=moment)
    cache.clear()  # update() sends no signal: drop the pages stored under the old dates


def last_modified(response):
    assert response.status_code == 200, response.content[:300]
    return datetime.datetime.fromtimestamp(
        parse_http_date(response["Last-Modified"]), tz=datetime.UTC
    )


def to_the_second(moment):
    return moment.replace(microsecond=0)


def atom_date(text):
    return datetime.datetime.fromisoformat(text)


def feed(response):
    assert response.status_code == 200
    return etree.fromstring(response.content)


def entry_updates(root):
    return {
        entry.findtext(f"{ATOM}title"): atom_date(entry.findtext(f"{ATOM}updated"))
        for entry in root.iter(f"{ATOM}entry")
    }


# --- No epoch anywhere -------------------------------------------------------------------------


@pytest.mark.parametrize("url", [*PAGES, *EXPORTS, *FEEDS, "/sitemap.xml"])
def test_nothing_the_seed_data_serves_says_1970(client, dockercon, url):
    response = client.get(url)

    # As a year in a date, not any four digits (a record's id may be 1970).
    assert not re.search(rb"1970-|1970T|[A-Z][a-z]{2} 1970|/1970/", response.content)
    assert last_modified(response).year > 1970


@pytest.fixture
def undated_pyvideo_event(db, tmp_path):
    """A pyvideo folder whose talks have no recorded date (one) or a date only (the other)."""
    folder = tmp_path / "undated-con"
    (folder / "videos").mkdir(parents=True)
    (folder / "category.json").write_text(json.dumps({"title": "Undated Con"}))
    talks = {
        "no-date": {"title": "Undated talk", "speakers": ["Una Dated"]},
        "a-date": {"title": "Dated talk", "speakers": ["Una Dated"], "recorded": "2019-05-04"},
    }
    for name, video in talks.items():
        (folder / "videos" / f"{name}.json").write_text(json.dumps(video))
    call_command("import_pyvideo", str(folder), stdout=io.StringIO())
    return Conference.objects.get(slug="undated-con")


def test_an_imported_pyvideo_event_of_undated_talks_says_no_1970(client, undated_pyvideo_event):
    urls = [
        "/conferences/undated-con/",
        "/conferences/undated-con/talks/feed/",
        "/conferences/undated-con/announcements/feed/",
        "/conferences/undated-con/schedule.xml",
        "/conferences/undated-con/schedule.json",
        "/speakers/una-dated/",
        "/speakers/una-dated/feed/",
        "/sitemap.xml",
    ]
    for url in urls:
        response = client.get(url)
        assert b"1970" not in response.content, url
        assert last_modified(response).year > 1970, url
    undated = Talk.objects.get(title="Undated talk")
    root = feed(client.get("/conferences/undated-con/talks/feed/"))
    assert entry_updates(root)["Undated talk"] == undated.updated_at


# --- Feeds -------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [f"{CONF}/talks/feed/", "/speakers/brendan-gregg/feed/"])
def test_talk_entries_are_dated_by_their_last_change(client, dockercon, url):
    root = feed(client.get(url))
    updates = entry_updates(root)

    assert updates
    for title, updated in updates.items():
        talk = Talk.objects.get(conference=dockercon, title=title.removesuffix(" (DockerCon 2017)"))
        assert updated == talk.updated_at
    assert atom_date(root.findtext(f"{ATOM}updated")) == max(updates.values())


def test_announcement_entries_are_dated_by_their_last_change(client, dockercon):
    root = feed(client.get(f"{CONF}/announcements/feed/"))

    for title, updated in entry_updates(root).items():
        assert updated == Announcement.objects.get(title=title).updated_at


def test_an_entry_keeps_the_real_date_of_its_talk_as_published(client, dockercon):
    root = feed(client.get(f"{CONF}/talks/feed/"))
    entries = {e.findtext(f"{ATOM}title"): e for e in root.iter(f"{ATOM}entry")}

    keynote = Talk.objects.get(slug="day-1-keynote")
    assert atom_date(entries["Day 1 Keynote"].findtext(f"{ATOM}published")) == keynote.starts_at
    assert entries["Container Performance Analysis"].find(f"{ATOM}published") is None


def test_a_future_talk_does_not_date_its_feed_in_the_future(client, db):
    conference = make_conference(
        start_date=datetime.date(2099, 5, 6), end_date=datetime.date(2099, 5, 8)
    )
    talk = make_talk(conference, starts_at=datetime.datetime(2099, 5, 6, 9, tzinfo=datetime.UTC))

    response = client.get(f"/conferences/{conference.slug}/talks/feed/")

    assert atom_date(feed(response).findtext(f"{ATOM}updated")) == talk.updated_at
    assert last_modified(response) == to_the_second(talk.updated_at)


def test_an_empty_feed_is_dated_by_what_it_belongs_to(client, dockercon):
    set_every_record_changed_at(LONG_AGO)
    # No talk of DockerCon 2017 is known in the "Using Docker" track.
    conference_feed = client.get(f"{CONF}/talks/feed/?track=using-docker")
    speaker = make_speaker("Nobody Yet")
    speaker_feed = client.get(f"/speakers/{speaker.slug}/feed/")

    assert entry_updates(feed(conference_feed)) == {}
    assert atom_date(feed(conference_feed).findtext(f"{ATOM}updated")) == LONG_AGO
    assert last_modified(conference_feed) == LONG_AGO
    assert atom_date(feed(speaker_feed).findtext(f"{ATOM}updated")) == speaker.updated_at


def test_with_no_announcement_the_catalog_feed_is_dated_by_the_catalog(client, dockercon):
    Announcement.objects.all().delete()
    set_every_record_changed_at(LONG_AGO)

    response = client.get("/announcements/feed/")

    assert atom_date(feed(response).findtext(f"{ATOM}updated")) == LONG_AGO


def test_editing_a_talk_moves_its_entry_and_the_feed(client, dockercon):
    set_every_record_changed_at(LONG_AGO)
    before = client.get(f"{CONF}/talks/feed/")
    assert last_modified(before) == LONG_AGO

    talk = Talk.objects.get(slug="container-performance-analysis")
    talk.title = "Container Performance Analysis, revised"
    talk.save()
    root = feed(client.get(f"{CONF}/talks/feed/"))

    updates = entry_updates(root)
    assert updates["Container Performance Analysis, revised"] == talk.updated_at > LONG_AGO
    assert updates["Day 1 Keynote"] == LONG_AGO
    assert atom_date(root.findtext(f"{ATOM}updated")) == talk.updated_at


# --- Last-Modified -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", [*PAGES, *EXPORTS, *FEEDS, "/sitemap.xml"])
def test_every_page_export_and_feed_says_when_its_records_changed(client, dockercon, url):
    set_every_record_changed_at(LONG_AGO)

    assert last_modified(client.get(url)) == LONG_AGO


@pytest.mark.parametrize(
    "url",
    [
        f"{CONF}/",
        f"{CONF}/talks/",
        f"{CONF}/schedule/",
        f"{CONF}/schedule.json",
        f"{CONF}/schedule.ics",
        f"{CONF}/talks/container-performance-analysis/",
        "/speakers/brendan-gregg/",
        "/",
        "/speakers/",
        "/sitemap.xml",
    ],
)
def test_editing_a_talk_moves_the_last_modified_of_the_pages_showing_it(client, dockercon, url):
    set_every_record_changed_at(LONG_AGO)
    talk = Talk.objects.get(slug="container-performance-analysis")
    talk.abstract = "Revised."
    talk.save()

    assert last_modified(client.get(url)) == to_the_second(talk.updated_at)


@pytest.mark.parametrize(
    "url",
    [
        f"{CONF}/talks/day-1-keynote/",
        f"{CONF}/talks/day-1-keynote/calendar.ics",
        "/speakers/ben-golub/",
        f"{CONF}/announcements/linuxkit/",
    ],
)
def test_editing_a_talk_leaves_pages_that_do_not_show_it_alone(client, dockercon, url):
    set_every_record_changed_at(LONG_AGO)
    talk = Talk.objects.get(slug="container-performance-analysis")
    talk.abstract = "Revised."
    talk.save()

    assert last_modified(client.get(url)) == LONG_AGO


def test_renaming_a_speaker_moves_the_pages_that_name_them(client, dockercon):
    set_every_record_changed_at(LONG_AGO)
    speaker = Speaker.objects.get(slug="brendan-gregg")
    speaker.role = "Senior Performance Architect"
    speaker.save()
    changed = to_the_second(speaker.updated_at)

    for url in (
        "/speakers/brendan-gregg/",
        f"{CONF}/talks/container-performance-analysis/",
        f"{CONF}/talks/",
    ):
        assert last_modified(client.get(url)) == changed, url
    assert last_modified(client.get(f"{CONF}/talks/day-1-keynote/")) == LONG_AGO


@pytest.mark.parametrize(
    "url", [f"{CONF}/talks/", f"{CONF}/schedule.xml", f"{CONF}/talks/feed/", "/sitemap.xml"]
)
def test_if_modified_since_gets_a_304_until_a_record_changes(client, dockercon, url):
    set_every_record_changed_at(LONG_AGO)
    first = client.get(url)

    again = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert again.status_code == 304
    assert again.content == b""
    earlier = http_date((LONG_AGO - datetime.timedelta(days=1)).timestamp())
    assert client.get(url, headers={"If-Modified-Since": earlier}).status_code == 200

    talk = Talk.objects.get(slug="container-performance-analysis")
    talk.save()
    changed = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert changed.status_code == 200
    assert last_modified(changed) == to_the_second(talk.updated_at)


# --- Sitemap -----------------------------------------------------------------------------------


def test_sitemap_dates_each_page_as_the_page_does(client, dockercon):
    set_every_record_changed_at(LONG_AGO)
    speaker = Speaker.objects.get(slug="laurent-bernaille")
    speaker.save()

    lastmod = every_sitemap_entry(client)

    for path in ("/speakers/laurent-bernaille/", f"{CONF}/", f"{CONF}/talks/", "/"):
        page_date = last_modified(client.get(path))
        assert lastmod[path] == page_date.date().isoformat(), path
    assert lastmod[f"{CONF}/"] == speaker.updated_at.date().isoformat()
    assert lastmod["/speakers/brendan-gregg/"] == LONG_AGO.date().isoformat()


# --- Where the timestamps come from ------------------------------------------------------------


def test_a_reload_of_the_same_catalog_leaves_every_record_as_it_was(db):
    """The shipped catalog file carries no timestamps: a reload must not date anything anew."""
    call_command("load_catalog", str(SEED_FILE), stdout=io.StringIO())
    set_every_record_changed_at(LONG_AGO)

    call_command("load_catalog", str(SEED_FILE), stdout=io.StringIO())

    for model in timestamped_models():
        assert set(model.objects.values_list("updated_at", flat=True)) <= {LONG_AGO}, model


def test_a_reload_with_one_changed_record_dates_that_record_only(db, tmp_path):
    call_command("load_catalog", str(SEED_FILE), stdout=io.StringIO())
    set_every_record_changed_at(LONG_AGO)
    text = SEED_FILE.read_text(encoding="utf-8")
    assert text.count("title: Container Performance Analysis\n") == 1
    changed = tmp_path / "changed.yaml"
    changed.write_text(text.replace("title: Container Performance Analysis\n", "title: CPA\n"))

    call_command("load_catalog", str(changed), stdout=io.StringIO())

    assert Talk.objects.get(title="CPA").updated_at > LONG_AGO
    others = Talk.objects.exclude(title="CPA").values_list("updated_at", flat=True)
    assert set(others) == {LONG_AGO}
    assert Conference.objects.get().updated_at == LONG_AGO


def test_an_exported_catalog_keeps_its_dates_when_loaded_again(dockercon, tmp_path):
    set_every_record_changed_at(LONG_AGO)
    path = tmp_path / "dockercon.yaml"
    call_command("export_catalog", "dockercon-2017", "-o", str(path), stdout=io.StringIO())

    call_command("load_catalog", str(path), stdout=io.StringIO())

    for model in timestamped_models():
        assert set(model.objects.values_list("updated_at", flat=True)) <= {LONG_AGO}, model


def test_the_catalog_last_change_is_the_newest_record_in_one_query(
    dockercon, django_assert_max_num_queries
):
    set_every_record_changed_at(LONG_AGO)
    speaker = make_speaker("Newest")

    with django_assert_max_num_queries(1):
        assert catalog_last_change() == speaker.updated_at


def test_an_empty_catalog_has_no_last_change(db):
    assert catalog_last_change() is None


def test_date_queries_stay_constant(client, dockercon, django_assert_max_num_queries):
    """Dates ride on the queries the pages already run (annotations), or add one at most."""
    for n in range(40):
        make_talk(dockercon, f"Extra {n}", speakers=[make_speaker()])
    # Home counts its recent and coming conferences apart from the paged list of all of them.
    for url, limit in [("/", 9), ("/speakers/", 4), (f"{CONF}/talks/feed/", 7)]:
        with django_assert_max_num_queries(limit + MARKS_QUERY, info=url):
            assert client.get(url).status_code == 200


def test_calendar_events_carry_their_talks_last_change(client, dockercon):
    set_every_record_changed_at(LONG_AGO)
    keynote = Talk.objects.get(slug="day-1-keynote")
    keynote.save()

    calendar = Calendar.from_ical(client.get(f"{CONF}/schedule.ics").content)

    changes = {
        str(event["summary"]): event.decoded("last-modified") for event in calendar.walk("VEVENT")
    }
    assert changes["Day 1 Keynote"] == to_the_second(keynote.updated_at)
    assert changes["Day 2 Keynote"] == LONG_AGO


# --- The API -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "model", "lookup"),
    [
        ("/api/v1/conferences/dockercon-2017/", Conference, {"slug": "dockercon-2017"}),
        ("/api/v1/speakers/brendan-gregg/", Speaker, {"slug": "brendan-gregg"}),
    ],
)
def test_the_api_shows_when_a_record_was_created_and_changed(
    client, dockercon, path, model, lookup
):
    record = model.objects.get(**lookup)

    body = client.get(path).json()

    assert datetime.datetime.fromisoformat(body["created_at"]) == record.created_at
    assert datetime.datetime.fromisoformat(body["updated_at"]) == record.updated_at


def test_api_timestamps_are_read_only_and_a_write_moves_updated_at(client, dockercon):
    set_every_record_changed_at(LONG_AGO)
    talk = Talk.objects.get(slug="container-performance-analysis")
    created_at = talk.created_at
    user = User.objects.create_user("editor", password="unused-in-tests")
    user.user_permissions.set(Permission.objects.filter(codename="change_talk"))
    body = {
        "title": "CPA",
        "created_at": "2001-01-01T00:00:00Z",
        "updated_at": "2001-01-01T00:00:00Z",
    }

    response = client.patch(
        f"/api/v1/talks/{talk.pk}/",
        body,
        content_type="application/json",
        headers={"Authorization": token_header(user)},
    )

    assert response.status_code == 200
    talk.refresh_from_db()
    assert talk.title == "CPA"
    assert talk.created_at == created_at
    assert talk.updated_at > LONG_AGO
    assert datetime.datetime.fromisoformat(response.json()["updated_at"]) == talk.updated_at
    detail = client.get(f"/api/v1/talks/{talk.pk}/").json()
    assert detail["updated_at"] == response.json()["updated_at"]


def test_the_api_schema_marks_the_timestamps_read_only(client, db):
    schema = client.get("/api/schema/?format=json").json()

    for name in ("Talk", "Conference", "Speaker", "Announcement", "Day", "Track"):
        properties = schema["components"]["schemas"][name]["properties"]
        for field in ("created_at", "updated_at"):
            assert properties[field]["readOnly"] is True, (name, field)
            assert properties[field]["format"] == "date-time"
