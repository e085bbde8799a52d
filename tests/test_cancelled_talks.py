"""Cancelled is a state everyone sees (issue 17, point 2): the talk keeps its page, which says
so; lists strike it through with the word "Cancelled"; the grid leaves it out of its room;
calendars get STATUS:CANCELLED; frab exports leave it out; the API has a status field and
filter; the admin cancels and restores; search ranks it last."""

import datetime
import json
import re

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from access.models import ApiToken, TokenScope
from talks.models import Room, Talk, TalkStatus
from tests.builders import make_conference, make_day, make_speaker, make_talk, make_track

PARIS = datetime.timezone(datetime.timedelta(hours=2))


@pytest.fixture
def conference(db):
    return make_conference(slug="live", name="Live Con")


@pytest.fixture
def talks(conference):
    """Two talks in one room at the same time of day: "Kept" and "Dropped", then cancelled."""
    day = make_day(conference)
    track = make_track(conference)
    room = Room.objects.create(conference=conference, name="Main hall")
    speaker = make_speaker("Grace Hopper")
    placed = {
        "day": day,
        "track": track,
        "room": room,
        "starts_at": datetime.datetime(2024, 5, 6, 10, tzinfo=PARIS),
        "ends_at": datetime.datetime(2024, 5, 6, 11, tzinfo=PARIS),
    }
    dropped = make_talk(
        conference, title="Compilers dropped", slug="dropped", speakers=[speaker], **placed
    )
    kept = make_talk(conference, title="Compilers kept", slug="kept", speakers=[speaker], **placed)
    dropped.status = TalkStatus.CANCELLED
    dropped.save()
    return kept, dropped


def text(response):
    assert response.status_code == 200
    return response.content.decode()


def test_a_cancelled_talk_keeps_its_page_which_says_so(client, talks):
    _, dropped = talks
    page = text(client.get(dropped.get_absolute_url()))

    assert "<title>Cancelled: Compilers dropped" in page
    assert "<strong>Cancelled</strong> on" in page
    assert f'datetime="{dropped.cancelled_at.isoformat()}"' in page
    [structured] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert json.loads(structured)["eventStatus"] == "https://schema.org/EventCancelled"


def test_lists_strike_it_through_and_say_cancelled(client, talks, conference):
    listed = text(client.get(f"/conferences/{conference.slug}/talks/"))
    [dropped_item] = re.findall(r'<li class="talk-item cancelled">.*?</li>', listed, re.S)
    assert "Compilers dropped" in dropped_item
    assert '<span class="badge badge-cancelled">Cancelled</span>' in dropped_item
    assert listed.count("badge-cancelled") == 1
    speaker_page = text(client.get("/speakers/grace-hopper/"))
    assert speaker_page.count('class="talk-item cancelled"') == 1


def test_the_talk_list_filters_by_status(client, talks, conference):
    only_cancelled = text(client.get(f"/conferences/{conference.slug}/talks/?status=cancelled"))
    assert "Compilers dropped" in only_cancelled
    assert "Compilers kept" not in only_cancelled
    assert '<select name="status"' in only_cancelled


def test_the_grid_leaves_it_out_of_its_room_and_lists_it_as_cancelled(client, talks, conference):
    page = text(client.get(f"/conferences/{conference.slug}/schedule/"))
    grid = page.split('<table class="schedule-grid">')[1].split("</table>")[0]
    assert "Compilers kept" in grid
    assert "Compilers dropped" not in grid
    cancelled_section = page.split("<h3>Cancelled</h3>")[1].split("</ul>")[0]
    assert "Compilers dropped" in cancelled_section


def test_calendars_get_the_cancellation_and_frab_exports_leave_it_out(client, talks, conference):
    calendar = text(client.get(f"/conferences/{conference.slug}/schedule.ics"))
    events = calendar.split("BEGIN:VEVENT")[1:]
    [cancelled] = [event for event in events if "STATUS:CANCELLED" in event]
    assert "SUMMARY:Cancelled: Compilers dropped" in cancelled
    assert len(events) == 2
    for extension in ("xml", "json"):
        schedule = text(client.get(f"/conferences/{conference.slug}/schedule.{extension}"))
        assert "Compilers kept" in schedule
        assert "Compilers dropped" not in schedule


def test_the_feed_titles_it_cancelled(client, talks, conference):
    feed = text(client.get(f"/conferences/{conference.slug}/talks/feed/"))
    assert "<title>Cancelled: Compilers dropped</title>" in feed


def test_the_api_has_a_status_field_and_filter(client, talks, conference):
    url = f"/api/v1/talks/?conference={conference.slug}"
    by_title = {talk["title"]: talk for talk in client.get(url).json()["results"]}
    assert by_title["Compilers dropped"]["status"] == "cancelled"
    assert by_title["Compilers dropped"]["cancelled_at"] is not None
    assert by_title["Compilers kept"]["status"] == "scheduled"
    assert by_title["Compilers kept"]["cancelled_at"] is None
    cancelled = client.get(f"{url}&status=cancelled").json()["results"]
    assert [talk["title"] for talk in cancelled] == ["Compilers dropped"]
    refused = client.get(f"{url}&status=postponed")
    assert refused.status_code == 400
    assert "status" in refused.json()


def test_an_editor_cancels_and_restores_through_the_api(talks):
    kept, _ = talks
    user = User.objects.create_user("editor", password="unused-in-tests")
    user.user_permissions.set(Permission.objects.filter(codename="change_talk"))
    _, key = ApiToken.objects.issue(user, scope=TokenScope.WRITE)
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    url = f"/api/v1/talks/{kept.pk}/"

    for status in ("cancelled", "scheduled"):
        etag = api.get(url)["ETag"]
        response = api.patch(
            url, {"status": status}, content_type="application/json", HTTP_IF_MATCH=etag
        )
        assert response.status_code == 200, response.content
        assert response.json()["status"] == status
        assert (response.json()["cancelled_at"] is None) == (status == "scheduled")


def test_the_admin_cancels_and_restores_selected_talks(admin_client, talks):
    kept, dropped = talks
    for action, expected in (("cancel_talks", "cancelled"), ("restore_talks", "scheduled")):
        response = admin_client.post(
            "/admin/talks/talk/",
            {"action": action, "_selected_action": [kept.pk, dropped.pk]},
            follow=True,
        )
        assert response.status_code == 200
        assert set(Talk.objects.values_list("status", flat=True)) == {expected}


def test_search_ranks_a_cancelled_talk_after_the_others(client, talks):
    # The kept talk has the higher id: without the rule, the tie would put it second.
    page = text(client.get("/search/?q=compilers"))
    assert page.index("</mark> kept") < page.index("</mark> dropped")
    assert "badge-cancelled" in page
