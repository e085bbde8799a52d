import datetime
import json
import uuid

import pytest
from lxml import etree

from talks.exports.frab import (
    PLACEHOLDER_ROOM,
    TIMESLOT_DURATION,
    UNKNOWN_DURATION,
    indented_json,
)
from talks.exports.identity import conference_acronym
from talks.models import Conference, Room
from tests.builders import make_conference, make_day, make_talk, make_track


def get_json(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def get_xml(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    return etree.fromstring(response.content)


def json_events(document):
    days = document["schedule"]["conference"]["days"]
    return [event for day in days for events in day["rooms"].values() for event in events]


@pytest.fixture
def scheduled(db):
    """A conference with a timed talk in a room, a timed talk without room or end, a talk with
    only a day and a talk with nothing: only the first two are frab events."""
    conference = make_conference(slug="djangocon-eu-2021", time_zone="Europe/Berlin")
    day_1, _day_2, day_3 = (make_day(conference, n) for n in (1, 2, 3))
    track = make_track(conference, "web")
    room = Room.objects.create(conference=conference, name="Hall A")
    start = datetime.datetime(2024, 5, 6, 9, 30, tzinfo=conference.tzinfo)
    make_talk(
        conference,
        "Opening",
        slug="opening",
        day=day_1,
        track=track,
        room=room,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=75),
        video_url="https://video.example.org/opening",
        code_url="https://git.example.org/opening",
    )
    late = datetime.datetime(2024, 5, 8, 17, 0, tzinfo=conference.tzinfo)
    make_talk(conference, "Closing", slug="closing", day=day_3, starts_at=late)
    make_talk(conference, "Day only", day=day_3)
    make_talk(conference, "Nothing known")
    return conference


def test_dockercon_exports_validate_against_the_c3voc_schemas(
    client, dockercon, xml_schema, json_validator
):
    document = get_json(client, "/conferences/dockercon-2017/schedule.json")
    json_validator.validate(document)
    xml_schema.assertValid(get_xml(client, "/conferences/dockercon-2017/schedule.xml"))

    conference = document["schedule"]["conference"]
    assert conference["acronym"] == "dockercon2017"
    assert [day["date"] for day in conference["days"]] == [
        "2017-04-17",
        "2017-04-18",
        "2017-04-19",
        "2017-04-20",
    ]
    assert [e["title"] for e in json_events(document)] == ["Day 1 Keynote", "Day 2 Keynote"]


def test_unknown_room_and_end_are_the_documented_placeholders(client, scheduled, json_validator):
    document = get_json(client, "/conferences/djangocon-eu-2021/schedule.json")
    json_validator.validate(document)

    events = {event["title"]: event for event in json_events(document)}
    assert set(events) == {"Opening", "Closing"}  # only talks with a known start
    opening, closing = events["Opening"], events["Closing"]
    assert (opening["room"], opening["duration"], opening["start"]) == ("Hall A", "01:15", "09:30")
    assert opening["date"] == "2024-05-06T09:30:00+02:00"
    assert opening["end"] == "2024-05-06T10:45:00+02:00"
    assert {link["type"] for link in opening["links"]} == {"media", "related"}
    assert (closing["room"], closing["duration"]) == (PLACEHOLDER_ROOM, UNKNOWN_DURATION)
    assert "end" not in closing
    assert closing["track"] is None


def test_days_are_positional_all_listed_and_bounded_by_local_midnight(client, scheduled):
    document = get_json(client, "/conferences/djangocon-eu-2021/schedule.json")
    conference = document["schedule"]["conference"]

    assert conference["acronym"] == "djangoconeu2021"
    assert conference["timeslot_duration"] == TIMESLOT_DURATION
    assert conference["daysCount"] == 3
    days = conference["days"]
    assert [day["index"] for day in days] == [1, 2, 3]
    assert days[1]["rooms"] == {}
    assert days[0]["day_start"] == "2024-05-06T00:00:00+02:00"
    assert days[0]["day_end"] == "2024-05-06T23:59:00+02:00"


def test_a_filtered_export_keeps_every_day_and_stays_valid(
    client, scheduled, xml_schema, json_validator
):
    url = "/conferences/djangocon-eu-2021/schedule"
    document = get_json(client, f"{url}.json", track="web")
    json_validator.validate(document)
    xml = get_xml(client, f"{url}.xml", track="web")
    xml_schema.assertValid(xml)

    assert [e["title"] for e in json_events(document)] == ["Opening"]
    assert len(document["schedule"]["conference"]["days"]) == 3
    assert [day.get("index") for day in xml.iter("day")] == ["1", "2", "3"]


def test_xml_and_json_hold_the_same_events(client, scheduled, xml_schema):
    document = get_json(client, "/conferences/djangocon-eu-2021/schedule.json")
    xml = get_xml(client, "/conferences/djangocon-eu-2021/schedule.xml")
    xml_schema.assertValid(xml)

    from_json = {(e["guid"], e["title"], e["room"], e["duration"]) for e in json_events(document)}
    from_xml = {
        (e.get("guid"), e.findtext("title"), e.findtext("room"), e.findtext("duration"))
        for e in xml.iter("event")
    }
    assert from_json == from_xml


def test_a_talk_without_guid_gets_a_stable_derived_one_and_an_imported_guid_is_kept(
    client, scheduled
):
    first = {
        e["title"]: e["guid"]
        for e in json_events(get_json(client, "/conferences/djangocon-eu-2021/schedule.json"))
    }
    again = {
        e["title"]: e["guid"]
        for e in json_events(get_json(client, "/conferences/djangocon-eu-2021/schedule.json"))
    }
    assert first == again
    kept = uuid.uuid4()
    opening = scheduled.talks.get(slug="opening")
    opening.guid = kept
    opening.save()

    guids = {
        e["title"]: e["guid"]
        for e in json_events(get_json(client, "/conferences/djangocon-eu-2021/schedule.json"))
    }
    assert guids["Opening"] == str(kept)


@pytest.mark.parametrize(
    ("slug", "acronym"),
    [
        ("dockercon-2017", "dockercon2017"),
        ("djangocon-eu-2021", "djangoconeu2021"),
        ("Camp2019", "camp2019"),
        ("pc", "pc__"),
    ],
)
def test_acronym_rule(slug, acronym):
    assert conference_acronym(Conference(slug=slug)) == acronym


def test_invalid_filter_is_400(client, scheduled):
    response = client.get("/conferences/djangocon-eu-2021/schedule.xml?day=99")

    assert response.status_code == 400
    assert "day:" in response.content.decode()


def test_unknown_format_is_404(client, scheduled):
    assert client.get("/conferences/djangocon-eu-2021/schedule.csv").status_code == 404


def test_the_json_is_written_exactly_as_the_json_module_indents_it():
    document = {
        "text": 'Quotes " and \\ backslashes, ñ, emoji 🎤, control \x01 and\nnewline',
        "numbers": [0, -7, 12345678901234567890],
        "flags": [True, False, None],
        "empty": {"list": [], "dict": {}},
        "nested": [{"a": [{"b": "c"}]}, [], [[1], [2, {"x": None}]]],
    }
    expected = json.dumps(document, ensure_ascii=False, indent=2)
    assert indented_json(document) == expected
