"""Reading the JSON API: resources, nested summaries, filters, pagination and errors."""

import datetime

import pytest

from talks.models import Conference
from tests.builders import make_catalog, make_conference, make_day, make_talk

API = "/api/v1"


def titles(response):
    return [talk["title"] for talk in response.json()["results"]]


# --- The acceptance checks of the issue ---------------------------------------------------------


def test_day_1_lists_the_day_1_keynote_and_not_the_day_2_one(client, dockercon):
    response = client.get(f"{API}/talks/", {"conference": "dockercon-2017", "day": "1"})
    assert response.status_code == 200
    assert "Day 1 Keynote" in titles(response)
    assert "Day 2 Keynote" not in titles(response)


def test_day_filter_accepts_an_iso_date(client, dockercon):
    response = client.get(f"{API}/talks/", {"conference": "dockercon-2017", "day": "2017-04-19"})
    assert titles(response) == ["Day 2 Keynote"]


def test_track_filter_returns_both_black_belt_talks(client, dockercon):
    response = client.get(f"{API}/talks/", {"track": "black-belt"})
    assert sorted(titles(response)) == [
        "Container Performance Analysis",
        "Deep Dive in Docker Overlay Networks",
    ]


@pytest.mark.parametrize("parameter", ["search", "q"])
def test_search_finds_bernailles_talk_under_both_names(client, dockercon, parameter):
    response = client.get(f"{API}/talks/", {parameter: "overlay"})
    assert titles(response) == ["Deep Dive in Docker Overlay Networks"]
    assert response.json()["results"][0]["speakers"][0]["slug"] == "laurent-bernaille"


def test_search_matches_speaker_names(client, dockercon):
    assert titles(client.get(f"{API}/talks/", {"search": "gregg"})) == [
        "Container Performance Analysis"
    ]


def test_bad_day_is_a_400_naming_day(client, dockercon):
    response = client.get(f"{API}/talks/", {"day": "abc"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == ["day"]
    assert "day number" in response.json()["day"][0]


# --- Errors: every malformed or unknown value is named -------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("talks", {"kind": "poster"}, "kind"),
        ("talks", {"ordering": "abstract"}, "ordering"),
        ("talks", {"track": "no-such-track"}, "track"),
        ("talks", {"speaker": "<b>x</b>"}, "speaker"),
        ("talks", {"conference": "no-such-conference"}, "conference"),
        ("talks", {"conference": "dockercon-2017", "day": "9"}, "day"),
        ("keynotes", {"day": "2017-02-30"}, "day"),
        ("speakers", {"conference": "no-such-conference"}, "conference"),
        ("speakers", {"ordering": "bio"}, "ordering"),
        ("announcements", {"day": "abc"}, "day"),
        ("announcements", {"conference": "dockercon-2017", "day": "7"}, "day"),
        ("days", {"conference": "nope"}, "conference"),
        ("tracks", {"conference": "nope"}, "conference"),
        ("conferences", {"ordering": "city"}, "ordering"),
        ("talks", {"page_size": "ten"}, "page_size"),
        ("talks", {"page_size": "0"}, "page_size"),
        ("talks", {"page": "abc"}, "page"),
        ("talks", {"page": "0"}, "page"),
    ],
)
def test_invalid_parameter_is_a_400_naming_it(client, dockercon, path, params, parameter):
    response = client.get(f"{API}/{path}/", params)
    assert response.status_code == 400
    body = response.json()
    assert list(body) == [parameter]
    assert all(isinstance(reason, str) and reason for reason in body[parameter])


def test_page_past_the_end_is_a_404(client, dockercon):
    response = client.get(f"{API}/talks/", {"page": "2"})
    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize(
    "path",
    ["talks/999999/", "talks/99999999999999999999999/", "speakers/nobody/", "conferences/x/"],
)
def test_unknown_record_is_a_json_404(client, dockercon, path):
    response = client.get(f"{API}/{path}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


# --- Pagination ---------------------------------------------------------------------------------


def test_pagination_envelope_and_page_size_cap(client, db):
    make_catalog(105, speakers_per_talk=0)
    response = client.get(f"{API}/talks/", {"page_size": "500"})
    body = response.json()
    assert body["count"] == 105
    assert len(body["results"]) == 100
    assert body["previous"] is None
    assert "page=2" in body["next"]
    last = client.get(body["next"]).json()
    assert len(last["results"]) == 5
    assert last["next"] is None


def test_default_page_size_is_20(client, db):
    make_catalog(25, speakers_per_talk=0)
    assert len(client.get(f"{API}/talks/").json()["results"]) == 20


# --- What each resource carries -----------------------------------------------------------------


def test_talk_carries_nested_summaries(client, dockercon):
    talk = client.get(f"{API}/talks/", {"search": "Day 1 Keynote"}).json()["results"][0]
    assert talk["conference"]["slug"] == "dockercon-2017"
    assert talk["conference"]["url"].endswith("/api/v1/conferences/dockercon-2017/")
    assert talk["day"] == {"id": talk["day"]["id"], "number": 1, "date": "2017-04-18", "label": ""}
    assert talk["track"] is None, "no source names a track for the keynotes"
    assert talk["kind"] == "keynote"
    assert talk["starts_at"] == "2017-04-18T14:05:00Z"
    assert talk["ends_at"] is None
    assert talk["room"] is None
    assert [s["slug"] for s in talk["speakers"]][:2] == ["ben-golub", "solomon-hykes"]
    assert talk["speakers"][1]["organization"]["name"] == "Docker"
    assert talk["video_url"] == "https://www.youtube.com/watch?v=hwkqju_BXEo"
    assert talk["html_url"] == "http://testserver/conferences/dockercon-2017/talks/day-1-keynote/"
    detail = client.get(talk["url"]).json()
    assert [a["slug"] for a in detail["announcements"]]
    assert detail["note"]


def test_unknown_day_and_track_stay_unknown(client, dockercon):
    talk = client.get(f"{API}/talks/", {"search": "overlay"}).json()["results"][0]
    assert talk["day"] is None
    assert talk["starts_at"] is None
    assert talk["track"]["slug"] == "black-belt"


def test_keynotes_lists_only_keynotes(client, dockercon):
    body = client.get(f"{API}/keynotes/").json()
    assert body["count"] == 2
    assert {talk["kind"] for talk in body["results"]} == {"keynote"}
    assert client.get(f"{API}/keynotes/", {"day": "2"}).json()["count"] == 1


def test_a_keynote_reads_as_the_same_talk_does(client, dockercon):
    keynote = client.get(f"{API}/keynotes/").json()["results"][0]
    as_keynote = client.get(f"{API}/keynotes/{keynote['id']}/").json()
    as_talk = client.get(f"{API}/talks/{keynote['id']}/").json()
    assert as_keynote == as_talk
    assert {"announcements", "links", "note"} <= set(as_keynote)


def test_speaker_carries_their_talks(client, dockercon):
    speaker = client.get(f"{API}/speakers/laurent-bernaille/").json()
    assert speaker["organization"]["slug"] == "d2si"
    assert [talk["slug"] for talk in speaker["talks"]] == ["deep-dive-in-docker-overlay-networks"]
    assert speaker["talks"][0]["conference"] == "dockercon-2017"


def test_speakers_filtered_by_conference(client, dockercon):
    other = make_conference()
    make_talk(other, speakers=[])
    assert client.get(f"{API}/speakers/", {"conference": other.slug}).json()["count"] == 0
    assert client.get(f"{API}/speakers/", {"conference": "dockercon-2017"}).json()["count"] == 13


def test_announcement_carries_talk_links_and_items(client, dockercon):
    body = client.get(f"{API}/announcements/", {"conference": "dockercon-2017", "day": "1"}).json()
    assert body["count"] >= 1
    for announcement in body["results"]:
        assert announcement["talk"]["day"]["number"] == 1
    with_items = [
        a
        for a in body["results"] + client.get(f"{API}/announcements/").json()["results"]
        if a["items"]
    ]
    assert with_items
    assert {"name", "description", "url"} <= set(with_items[0]["items"][0])
    assert all(
        {"title", "url", "kind"} <= set(link) for a in body["results"] for link in a["links"]
    )


def test_conference_detail_by_slug_with_days_and_tracks(client, dockercon):
    conference = client.get(f"{API}/conferences/dockercon-2017/").json()
    assert [day["number"] for day in conference["days"]] == [0, 1, 2, 3]
    assert {track["slug"] for track in conference["tracks"]} >= {"black-belt"}
    assert conference["links"]


def test_conference_lists_its_sources_and_attendance(client, dockercon):
    conference = client.get(f"{API}/conferences/dockercon-2017/").json()
    assert conference["attendance"] == 5500
    post, facts = conference["sources"]
    assert {key: post[key] for key in ("title", "author", "published", "url")} == {
        "title": "Dockercon 2017",
        "author": "James Strong",
        "published": "2017-05-16",
        "url": "",
    }
    assert facts["title"] == "DockerCon 2017: facts checked against other public sources"
    assert "Confirms the venue" in facts["note"]


@pytest.mark.parametrize("value", [1_000_001, 10**12, -1, "many"])
def test_an_odd_attendance_is_refused_naming_the_field(admin_client, dockercon, value):
    response = admin_client.patch(
        f"{API}/conferences/dockercon-2017/",
        {"attendance": value},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "attendance" in response.json()
    assert Conference.objects.get().attendance == 5500


def test_sources_are_read_only(admin_client, dockercon):
    response = admin_client.patch(
        f"{API}/conferences/dockercon-2017/",
        {"sources": [], "attendance": 5000},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["attendance"] == 5000
    assert len(response.json()["sources"]) == 2


def test_days_and_tracks_filtered_by_conference(client, dockercon):
    other = make_conference()
    make_day(other, 1)
    assert client.get(f"{API}/days/", {"conference": other.slug}).json()["count"] == 1
    tracks = client.get(f"{API}/tracks/", {"conference": "dockercon-2017"}).json()
    assert tracks["count"] == 2


@pytest.mark.parametrize("path", ["talks", "tracks", "conferences", "speakers", "announcements"])
def test_an_empty_ordering_keeps_the_default_order(client, dockercon, path):
    # Found by the contract test: ``ordering=,`` cleared the order that pages rely on.
    assert client.get(f"{API}/{path}/", {"ordering": ","}).status_code == 200


def test_ordering_by_title_descending(client, dockercon):
    listed = titles(client.get(f"{API}/talks/", {"ordering": "-title"}))
    assert listed == sorted(listed, reverse=True)


def test_browsable_api_stays_available(client, dockercon):
    response = client.get(f"{API}/talks/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_reads_carry_an_etag_and_answer_304_when_unchanged(client, dockercon):
    first = client.get(f"{API}/talks/", {"day": "1"})
    assert first["ETag"]
    again = client.get(f"{API}/talks/", {"day": "1"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


@pytest.mark.parametrize("path", ["talks/not-an-id/", "speakers/a%0Ab/", "nothing/here/"])
def test_unknown_path_under_the_api_is_a_json_404(client, db, path):
    response = client.get(f"{API}/{path}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_path_without_its_trailing_slash_is_redirected(client, db):
    response = client.get(f"{API}/talks", {"day": "1"})
    assert response.status_code == 301
    assert response["Location"] == f"{API}/talks/?day=1"


@pytest.mark.django_db
def test_talks_come_in_the_pages_order_by_default(client):
    newer = make_conference(
        start_date=datetime.date(2025, 3, 1), end_date=datetime.date(2025, 3, 2)
    )
    older = make_conference()
    day_1, day_2 = make_day(older, 1), make_day(older, 2)

    def at(day, hour):
        return datetime.datetime.combine(day.date, datetime.time(hour), datetime.UTC)

    make_talk(older, "Undated")
    make_talk(older, "Day 2, time unknown", day=day_2)
    make_talk(older, "Day 2 at ten", day=day_2, starts_at=at(day_2, 10))
    make_talk(older, "B: day 1 at nine", day=day_1, starts_at=at(day_1, 9))
    make_talk(older, "A: day 1 at nine", day=day_1, starts_at=at(day_1, 9))
    make_talk(older, "Day 1 at eleven", day=day_1, starts_at=at(day_1, 11))
    make_talk(newer, "The newer conference's talk")

    expected = [
        "The newer conference's talk",
        "A: day 1 at nine",
        "B: day 1 at nine",
        "Day 1 at eleven",
        "Day 2 at ten",
        "Day 2, time unknown",
        "Undated",
    ]
    assert titles(client.get(f"{API}/talks/")) == expected
    page = client.get(f"/conferences/{older.slug}/talks/").content.decode()
    shown = [title for title in expected[1:] if title in page]
    assert sorted(shown, key=page.index) == expected[1:], "the talk list shows the same order"
    ordered = titles(client.get(f"{API}/talks/", {"ordering": "title"}))
    assert ordered == sorted(expected)
