"""Series and outliers: a pyvideo folder that spans years is a series, a talk dated far from
its conference is kept without a day and named, and the whole sample checkout imports."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from talks.importers.pyvideo import recording_span
from talks.models import Conference, ConferenceKind, Talk
from tests.builders import make_conference
from tests.shared_files import shared_path
from tests.test_import_pyvideo import a_video, run_checkout_import, run_import, write_event_folder

DAY = datetime.date


def test_the_sample_checkout_imports_every_video_meetup_series_included(db):
    root = shared_path("samples", "pyvideo")

    output, failure = run_checkout_import(root)

    assert failure is None, output
    assert "Not event folders (no category.json and videos/), left alone: schemas" in output
    assert Talk.objects.count() == len(list(root.glob("*/videos/*.json")))
    series = Conference.objects.get(slug="montreal-python")
    assert series.kind == ConferenceKind.SERIES
    assert (series.start_date, series.end_date) == (DAY(2008, 2, 7), DAY(2017, 11, 20))
    assert series.talks.count() == 183
    assert series.talks.filter(day=None).count() == 0  # every talk on its own date
    assert set(
        Conference.objects.exclude(slug="montreal-python").values_list("kind", flat=True)
    ) == {ConferenceKind.CONFERENCE}


def test_a_talk_recorded_far_after_its_conference_is_kept_without_a_day_and_named(db, tmp_path):
    videos = {f"pycon-ca-2017-talk-{n}": a_video(recorded=f"2017-11-1{n % 3}") for n in range(12)}
    videos["pycon-ca-2017-late"] = a_video(title="Uploaded later", recorded="2019-05-20")
    folder = write_event_folder(tmp_path, "pycon-ca-2017", videos)

    output = run_import(folder)

    conference = Conference.objects.get(slug="pycon-ca-2017")
    assert conference.kind == ConferenceKind.CONFERENCE
    assert (conference.start_date, conference.end_date) == (DAY(2017, 11, 10), DAY(2017, 11, 12))
    late = Talk.objects.get(guid="pycon-ca-2017-late")
    assert late.day is None
    assert (
        "pycon-ca-2017-late.json “Uploaded later”: recorded 2019-05-20, 554 days after the "
        "conference's other talks (2017-11-12): kept without a day"
    ) in output
    assert Talk.objects.filter(conference=conference).count() == 13


def test_a_folder_of_monthly_meetups_over_years_is_a_series(db, tmp_path):
    videos = {
        f"meetup-{year}-{month}": a_video(recorded=f"{year}-{month:02}-05")
        for year in (2015, 2016, 2017)
        for month in (1, 4, 7, 10)
    }
    folder = write_event_folder(tmp_path, "chipy", videos)

    run_import(folder)
    run_import(folder)  # again: still a series, nothing doubled

    chipy = Conference.objects.get(slug="chipy")
    assert chipy.kind == ConferenceKind.SERIES
    assert chipy.days.count() == 12
    assert Talk.objects.filter(conference=chipy, day=None).count() == 0


@pytest.mark.parametrize(
    ("dates", "kind", "outliers"),
    [
        ([], ConferenceKind.CONFERENCE, []),
        ([DAY(2020, 5, 1), DAY(2020, 5, 3)], ConferenceKind.CONFERENCE, []),
        # Within a year, two runs of comparable size: one conference, every talk on its date.
        ([DAY(2020, 1, 1)] * 5 + [DAY(2020, 6, 1)] * 5, ConferenceKind.CONFERENCE, []),
        # Years apart and no run holding nearly all: a series.
        ([DAY(2010, 1, 1)] * 5 + [DAY(2015, 1, 1)] * 5, ConferenceKind.SERIES, []),
        # One early slip before a conference.
        ([DAY(2001, 3, 4)] + [DAY(2021, 3, 4)] * 10, ConferenceKind.CONFERENCE, [DAY(2001, 3, 4)]),
        # Every month for two years: no gap to split on, too long for a conference.
        (
            [DAY(2018, 1, 1) + datetime.timedelta(days=30 * n) for n in range(25)],
            ConferenceKind.SERIES,
            [],
        ),
    ],
)
def test_recording_dates_make_a_conference_or_a_series(dates, kind, outliers):
    found_kind, found_outliers = recording_span(dates)

    assert (found_kind, sorted(found_outliers)) == (kind, outliers)


def test_only_a_conference_is_held_to_a_year(db):
    conference = Conference(
        slug="long", name="Long", start_date=DAY(2008, 1, 1), end_date=DAY(2017, 1, 1)
    )
    with pytest.raises(ValidationError, match="one that recurs over years is a series"):
        conference.full_clean()

    conference.kind = ConferenceKind.SERIES
    conference.full_clean()


# --- Listed and filtered like conferences ------------------------------------------------------


@pytest.fixture
def a_series_and_conferences(db):
    make_conference(
        slug="meetup",
        name="The Meetup",
        kind=ConferenceKind.SERIES,
        start_date=DAY(2008, 2, 7),
        end_date=DAY(2017, 11, 20),
    )
    make_conference(
        slug="conf-2010", name="Conf 2010", start_date=DAY(2010, 5, 1), end_date=DAY(2010, 5, 3)
    )
    make_conference(
        slug="conf-2019", name="Conf 2019", start_date=DAY(2019, 5, 1), end_date=DAY(2019, 5, 3)
    )


def listed(client, query, status=200):
    response = client.get(f"/conferences/?{query}")
    assert response.status_code == status
    page = response.content.decode()
    return page, [
        slug for slug in ("meetup", "conf-2010", "conf-2019") if f'"/conferences/{slug}/"' in page
    ]


def test_the_conference_list_filters_by_year_and_kind(client, a_series_and_conferences):
    page, shown = listed(client, "")
    assert shown == ["meetup", "conf-2010", "conf-2019"]
    assert "Series · " in page
    assert '<option value="2019">2019</option>' in page
    assert '<option value="2008">2008</option>' in page

    assert listed(client, "year=2010")[1] == ["meetup", "conf-2010"]
    assert listed(client, "year=2019")[1] == ["conf-2019"]
    assert listed(client, "kind=series")[1] == ["meetup"]
    assert listed(client, "kind=conference&year=2010")[1] == ["conf-2010"]
    page, shown = listed(client, "year=1999")
    assert shown == []
    assert "No conference matches these filters." in page


@pytest.mark.parametrize("query", ["year=twenty", "year=99999", "kind=festival"])
def test_a_wrong_filter_of_the_conference_list_is_a_400_naming_it(
    client, a_series_and_conferences, query
):
    page, shown = listed(client, query, status=400)
    assert f"<strong>{query.split('=')[0]}</strong>" in page
    assert shown == ["meetup", "conf-2010", "conf-2019"]  # the filter ignored, the list shown


def test_the_api_filters_conferences_by_year_and_kind(client, a_series_and_conferences):
    answer = client.get("/api/v1/conferences/?kind=series&year=2012").json()
    assert [c["slug"] for c in answer["results"]] == ["meetup"]
    assert answer["results"][0]["kind"] == "series"
    assert client.get("/api/v1/conferences/?year=3500").status_code == 400


def test_a_series_says_so_on_its_page_and_in_its_structured_data(client, a_series_and_conferences):
    page = client.get("/conferences/meetup/").content.decode()
    assert "A series: talks recorded over the years" in page
    assert '"@type": "EventSeries"' in page
