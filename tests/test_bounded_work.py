"""Bounded work per record: a conference lasts a year at most, long texts are capped, and the
exports of a conference iterate its days and talks, never its date range (issue 9, point 1)."""

import datetime
import io
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from talks.filters import ConferenceFilterSet, SpeakerFilterSet, TalkFilterSet
from talks.models import Conference, Talk
from talks.models.base import LONG_TEXT_MAX_LENGTH
from tests.builders import make_conference, make_talk

API = "/api/v1"


def test_a_conference_of_more_than_a_year_is_refused(db):
    conference = Conference(
        slug="forever",
        name="Forever",
        start_date=datetime.date(1, 1, 1),
        end_date=datetime.date(9999, 12, 31),
    )
    with pytest.raises(ValidationError) as refused:
        conference.full_clean()
    assert "Dates run from 1900 to 2999" in refused.value.message_dict["start_date"][0]


def test_the_api_refuses_a_thousand_year_conference_naming_the_field(admin_client):
    response = admin_client.post(
        f"{API}/conferences/",
        {
            "slug": "millennium",
            "name": "Millennium",
            "time_zone": "UTC",
            "start_date": "2000-01-01",
            "end_date": "2999-12-31",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "at most 366 days" in response.json()["end_date"][0]
    assert not Conference.objects.exists()


def test_load_catalog_refuses_a_thousand_year_conference(db, tmp_path):
    path = tmp_path / "long.yaml"
    path.write_text(
        "- model: talks.conference\n"
        "  fields: {slug: long, name: Long, start_date: 2000-01-01, end_date: 2999-12-31}\n"
    )
    with pytest.raises(CommandError, match=r"record 1 .*end_date: A conference lasts at most"):
        call_command("load_catalog", str(path), stdout=io.StringIO())
    assert not Conference.objects.exists()


def test_a_year_long_conference_is_accepted(db):
    Conference(
        slug="year",
        name="Year",
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2024, 12, 31),
    ).full_clean()


def test_an_abstract_over_the_cap_is_refused_by_model_and_api(db, admin_client):
    conference = make_conference()
    talk = make_talk(conference, "Long")
    talk.abstract = "x" * (LONG_TEXT_MAX_LENGTH + 1)
    with pytest.raises(ValidationError) as refused:
        talk.full_clean()
    assert "abstract" in refused.value.message_dict

    response = admin_client.patch(
        f"{API}/talks/{talk.pk}/",
        {"abstract": "x" * (LONG_TEXT_MAX_LENGTH + 1)},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "abstract" in response.json()
    assert Talk.objects.get().abstract == ""


def test_the_admin_form_refuses_a_bio_over_the_cap(admin_client, db):
    response = admin_client.post(
        "/admin/talks/speaker/add/",
        {
            "name": "Verbose",
            "slug": "verbose",
            "bio": "x" * (LONG_TEXT_MAX_LENGTH + 1),
            "links-TOTAL_FORMS": "0",
            "links-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Ensure this value has at most 100000 characters" in response.content.decode()


@pytest.mark.parametrize("export", ["schedule.json", "schedule.xml", "schedule.ics"])
def test_the_exports_of_the_longest_conference_without_talks_are_instant(
    client, db, export, django_assert_max_num_queries
):
    make_conference(
        slug="long", start_date=datetime.date(2024, 1, 1), end_date=datetime.date(2024, 12, 31)
    )
    started = time.perf_counter()
    with django_assert_max_num_queries(6):
        response = client.get(f"/conferences/long/{export}")
    assert time.perf_counter() - started < 1.0
    assert response.status_code == 200
    assert len(response.content) < 5_000  # no day per date of the year


def test_an_imported_abstract_over_the_cap_is_cut_with_a_line(db, tmp_path):
    event = (
        '<event id="1"><start>10:00</start><duration>00:30</duration><room>A</room>'
        f"<title>Long</title><abstract>{'y' * (LONG_TEXT_MAX_LENGTH + 5)}</abstract></event>"
    )
    path = tmp_path / "long.xml"
    path.write_text(
        "<schedule><conference><title>T</title><acronym>tiny</acronym>"
        "<time_zone_name>UTC</time_zone_name></conference>"
        f'<day date="2024-05-06">{event}</day></schedule>'
    )
    out = io.StringIO()
    call_command("import_schedule", str(path), stdout=out)

    assert len(Talk.objects.get().abstract) == LONG_TEXT_MAX_LENGTH
    assert "abstract cut to 100000 of its 100005 characters" in out.getvalue()


@pytest.mark.parametrize(
    ("start", "end"), [("9999-12-30", "9999-12-31"), ("0001-01-01", "0001-01-02")]
)
def test_conference_dates_outside_the_catalog_years_are_refused(admin_client, start, end):
    response = admin_client.post(
        f"{API}/conferences/",
        {"slug": "edge", "name": "Edge", "time_zone": "UTC", "start_date": start, "end_date": end},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "Dates run from 1900 to 2999" in response.json()["start_date"][0]


def test_new_dates_must_still_hold_the_conference_days(db):
    conference = make_conference(
        start_date=datetime.date(2017, 4, 17), end_date=datetime.date(2017, 4, 20)
    )
    conference.days.create(number=1, date=datetime.date(2017, 4, 18))
    conference.start_date, conference.end_date = (
        datetime.date(2019, 1, 1),
        datetime.date(2019, 1, 2),
    )
    with pytest.raises(ValidationError) as refused:
        conference.full_clean()
    assert "Day 1 (2017-04-18) would fall outside." in refused.value.message_dict["start_date"]


@pytest.mark.parametrize(
    ("filterset", "parameter"),
    [(TalkFilterSet, "q"), (SpeakerFilterSet, "search"), (ConferenceFilterSet, "search")],
)
def test_a_repeated_search_word_is_searched_once(db, filterset, parameter):
    # "a a a ..." fits 100 words in the 200 characters: a set of scans per row for each.
    once = filterset({parameter: "docker a"}).qs.query
    assert str(filterset({parameter: "docker " + "a " * 96}).qs.query) == str(once)
