"""Round trips: catalog YAML out and back in, and a frab schedule out and back in."""

import datetime
import io
import json

import pytest
from django.core.management import call_command

from talks.catalog import load_catalog
from talks.exports.frab import PLACEHOLDER_ROOM, schedule_json
from talks.models import Conference, Organization, Room, Speaker, Talk
from tests.shared_files import shared_path

BASE_URL = "https://talks.example.org"


def export_catalog(slug, path):
    call_command("export_catalog", slug, "-o", str(path), stderr=io.StringIO())
    return path.read_text(encoding="utf-8")


def empty_the_database():
    Conference.objects.all().delete()
    Speaker.objects.all().delete()
    Organization.objects.all().delete()
    assert not Talk.objects.exists()


def assert_catalog_round_trip(slug, tmp_path):
    first = export_catalog(slug, tmp_path / "first.yaml")
    empty_the_database()

    report = load_catalog([tmp_path / "first.yaml"])
    second = export_catalog(slug, tmp_path / "second.yaml")

    assert report.total_created > 0
    assert second == first


def test_dockercon_catalog_round_trip_is_identical(dockercon, tmp_path):
    assert_catalog_round_trip("dockercon-2017", tmp_path)


def test_imported_schedule_catalog_round_trip_is_identical(db, tmp_path):
    """An imported conference has rooms, guids, times, ends and extra links too."""
    sample = shared_path("samples", "schedules", "voc-frab-camp2019.json")
    call_command("import_schedule", str(sample), stdout=io.StringIO())

    assert_catalog_round_trip("camp2019", tmp_path)


def test_export_catalog_to_stdout_and_unknown_slug(dockercon):
    out = io.StringIO()
    call_command("export_catalog", "dockercon-2017", stdout=out)
    assert "slug: day-1-keynote" in out.getvalue()
    with pytest.raises(Exception, match="No conference"):
        call_command("export_catalog", "nope")


def frab_events(conference):
    talks = Talk.objects.for_export().filter(conference=conference)
    document = json.loads(schedule_json(conference, talks, BASE_URL))
    days = document["schedule"]["conference"]["days"]
    return {
        event["guid"]: {
            "title": event["title"],
            "date": event["date"],
            "start": event["start"],
            "duration": event["duration"],
            "room": event["room"],
            "persons": [person["public_name"] for person in event["persons"]],
            "day": day["date"],
        }
        for day in days
        for events in day["rooms"].values()
        for event in events
    }


def test_frab_round_trip_keeps_events_and_invents_nothing(dockercon, tmp_path):
    # One talk with a known room and end, besides keynotes with neither.
    keynote = Talk.objects.get(slug="day-2-keynote")
    keynote.room = Room.objects.create(conference=dockercon, name="Hall 4")
    keynote.ends_at = keynote.starts_at + datetime.timedelta(minutes=90)
    keynote.save()
    before = frab_events(dockercon)
    path = tmp_path / "schedule.json"
    path.write_bytes(
        schedule_json(dockercon, Talk.objects.for_export().filter(conference=dockercon), BASE_URL)
    )
    empty_the_database()

    call_command(
        "import_schedule", str(path), "--conference", "dockercon-2017", stdout=io.StringIO()
    )

    conference = Conference.objects.get(slug="dockercon-2017")
    assert conference.time_zone == "America/Chicago"
    assert frab_events(conference) == before
    assert {e["room"] for e in before.values()} == {PLACEHOLDER_ROOM, "Hall 4"}
    # The placeholder room and the 00:00 duration came back as unknown, not as values.
    assert list(conference.rooms.values_list("name", flat=True)) == ["Hall 4"]
    day_1 = conference.talks.get(title="Day 1 Keynote")
    assert (day_1.room, day_1.ends_at) == (None, None)
