import datetime
import zoneinfo

import pytest
from icalendar import Calendar, Event

from talks.exports.ical import _folded
from tests.builders import make_conference, make_day, make_speaker, make_talk, make_track

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def events(response):
    calendar = Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_dockercon_calendar_opens_with_the_keynotes_on_their_days(client, dockercon):
    response = client.get("/conferences/dockercon-2017/schedule.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/Chicago"]
    found = events(response)
    day_1 = found["Day 1 Keynote"]
    assert day_1.decoded("DTSTART") == datetime.datetime(2017, 4, 18, 9, 5, tzinfo=CHICAGO)
    assert day_1["DTSTART"].params["TZID"] == "America/Chicago"
    assert "DTEND" not in day_1  # the end is unknown: no invented one
    assert found["Day 2 Keynote"].decoded("DTSTART").date() == datetime.date(2017, 4, 19)
    assert "Solomon Hykes" in day_1["DESCRIPTION"]
    assert day_1["URL"] == "http://testserver/conferences/dockercon-2017/talks/day-1-keynote/"
    assert "DTSTAMP" in day_1


def test_talks_without_a_day_are_left_out(client, dockercon):
    found = events(client.get("/conferences/dockercon-2017/schedule.ics"))

    assert set(found) == {"Day 1 Keynote", "Day 2 Keynote"}


def test_uids_are_stable_across_exports(client, dockercon):
    first = events(client.get("/conferences/dockercon-2017/schedule.ics"))
    second = events(client.get("/conferences/dockercon-2017/schedule.ics"))

    assert {k: str(e["UID"]) for k, e in first.items()} == {
        k: str(e["UID"]) for k, e in second.items()
    }
    assert len({str(e["UID"]) for e in first.values()}) == 2


def test_a_day_without_a_time_is_an_all_day_event_and_a_known_end_is_kept(client, db):
    conference = make_conference(slug="paris-2024", venue="Palais", city="Paris")
    day = make_day(conference, 2)
    room_talk_start = datetime.datetime(2024, 5, 7, 10, 0, tzinfo=conference.tzinfo)
    make_talk(conference, "Dated only", day=day)
    make_talk(
        conference,
        "Timed",
        day=day,
        starts_at=room_talk_start,
        ends_at=room_talk_start + datetime.timedelta(minutes=40),
    )

    found = events(client.get("/conferences/paris-2024/schedule.ics"))

    all_day = found["Dated only"]
    assert all_day.decoded("DTSTART") == datetime.date(2024, 5, 7)
    assert all_day.decoded("DTEND") == datetime.date(2024, 5, 8)
    timed = found["Timed"]
    assert timed.decoded("DTEND") - timed.decoded("DTSTART") == datetime.timedelta(minutes=40)
    assert timed["LOCATION"] == "Palais, Paris"


def test_filters_and_repeated_talk_ids_choose_the_talks(client, db):
    conference = make_conference(slug="filters-2024")
    day = make_day(conference, 1)
    main, side = make_track(conference, "main"), make_track(conference, "side")
    speaker = make_speaker("Ada Lovelace")
    talks = [
        make_talk(conference, "Main one", day=day, track=main, speakers=[speaker]),
        make_talk(conference, "Side one", day=day, track=side),
        make_talk(conference, "Side two", day=day, track=side),
    ]
    url = "/conferences/filters-2024/schedule.ics"

    assert set(events(client.get(url, {"track": "side"}))) == {"Side one", "Side two"}
    assert set(events(client.get(url, {"speaker": speaker.slug}))) == {"Main one"}
    chosen = client.get(url, {"talk": [talks[0].pk, talks[2].pk]})
    assert set(events(chosen)) == {"Main one", "Side two"}


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("day=abc", "day"),
        ("track=nope", "track"),
        ("talk=1&talk=x", "talk"),
        ("kind=poster", "kind"),
    ],
)
def test_invalid_filters_are_a_plain_400_naming_the_parameter(client, dockercon, query, parameter):
    response = client.get(f"/conferences/dockercon-2017/schedule.ics?{query}")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert f"{parameter}:" in response.content.decode()


def test_unknown_conference_is_404(client, db):
    assert client.get("/conferences/nope/schedule.ics").status_code == 404


def test_per_talk_calendar(client, dockercon):
    response = client.get("/conferences/dockercon-2017/talks/day-2-keynote/calendar.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert set(events(response)) == {"Day 2 Keynote"}
    missing = client.get("/conferences/dockercon-2017/talks/nope/calendar.ics")
    assert missing.status_code == 404


def test_an_undated_talk_has_no_calendar(client, dockercon):
    response = client.get(
        "/conferences/dockercon-2017/talks/container-performance-analysis/calendar.ics"
    )

    assert response.status_code == 404
    assert "no known date" in response.content.decode()


@pytest.mark.parametrize(
    "value",
    [
        "short",
        "x" * 200,
        # Escapes (a comma becomes "\,") falling on every position around a fold.
        *[("y" * shift + ",;\\" * 40) for shift in range(4)],
        "Caret ^ and newline\nand ñon-ASCII é characters " * 6,
    ],
)
def test_lines_are_folded_exactly_as_the_icalendar_package_folds_them(value):
    event = Event()
    event.add("description", value)
    lines = [line for line in event.content_lines() if line]
    assert [_folded(line) for line in lines] == [line.to_ical() for line in lines]
