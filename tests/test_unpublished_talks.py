"""Unpublished talks (issue 18, point 3): hidden from every public page, export, feed,
sitemap, search and anonymous API read, shown to staff; pyvideo's NO_PUBLISH.json followed by
root imports, and by later imports of what an earlier one published."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command

from talks.models import ScheduleVersion, Speaker, Talk
from talks.models.changelog import ChangeKind
from tests.builders import make_announcement, make_conference, make_day, make_speaker, make_talk
from tests.test_api_writes import token_client, user_with
from tests.test_import_pyvideo import a_video, run_checkout_import, write_event_folder

PARIS = datetime.timezone(datetime.timedelta(hours=2))
HIDDEN_TITLE = "Quantum hidden gem"


@pytest.fixture
def talks(db):
    """Two talks by one speaker in one conference, the second unpublished."""
    conference = make_conference(slug="live", name="Live Con")
    day = make_day(conference)
    speaker = make_speaker("Grace Hopper")
    placed = {"day": day, "starts_at": datetime.datetime(2024, 5, 6, 10, tzinfo=PARIS)}
    shown = make_talk(conference, title="Quantum shown", slug="shown", speakers=[speaker], **placed)
    hidden = make_talk(conference, title=HIDDEN_TITLE, slug="hidden", speakers=[speaker], **placed)
    hidden.published = False
    hidden.save()
    return shown, hidden


PUBLIC_ADDRESSES = [
    "/",
    "/conferences/",
    "/conferences/live/",
    "/conferences/live/talks/",
    "/conferences/live/talks/?q=quantum",
    "/conferences/live/schedule/",
    "/conferences/live/talks/feed/",
    "/conferences/live/schedule.ics",
    "/conferences/live/schedule.xml",
    "/conferences/live/schedule.json",
    "/speakers/",
    "/speakers/grace-hopper/",
    "/search/?q=quantum",
    "/sitemap-talks.xml",
    "/api/v1/talks/",
    "/api/v1/talks/?conference=live",
    "/api/v1/speakers/grace-hopper/",
    "/api/v1/search/?q=quantum",
]


@pytest.mark.parametrize("address", PUBLIC_ADDRESSES)
def test_an_unpublished_talk_is_on_no_public_page_export_feed_or_api_read(client, talks, address):
    response = client.get(address)

    assert response.status_code == 200, address
    body = b"".join(response) if response.streaming else response.content
    text = body.decode()
    assert HIDDEN_TITLE not in text
    assert "/talks/hidden/" not in text


def test_its_own_addresses_are_404s(client, talks):
    _, hidden = talks
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(f"{hidden.get_absolute_url()}calendar.ics").status_code == 404
    assert client.get(f"/api/v1/talks/{hidden.pk}/").status_code == 404


def test_counts_leave_it_out(client, talks):
    page = client.get("/conferences/").content.decode()
    assert "1 talk</a>" in page
    assert "1 talk" in client.get("/conferences/live/").content.decode()


def test_staff_see_it_in_the_api_and_the_admin(talks, admin_client):
    _, hidden = talks
    staff = user_with("view_talk", "change_talk", username="staff")
    staff.is_staff = True
    staff.save()
    api = token_client(staff)

    listed = api.get("/api/v1/talks/?conference=live").json()
    assert HIDDEN_TITLE in [talk["title"] for talk in listed["results"]]
    detail = api.get(f"/api/v1/talks/{hidden.pk}/")
    assert detail.status_code == 200
    assert detail.json()["published"] is False

    # Publishing it through the API shows it to everyone.
    response = api.patch(
        f"/api/v1/talks/{hidden.pk}/",
        {"published": True},
        content_type="application/json",
        HTTP_IF_MATCH=detail["ETag"],
    )
    assert response.status_code == 200, response.content
    assert Talk.objects.filter(pk=hidden.pk).exists()

    changelist = admin_client.get("/admin/talks/talk/?published__exact=1")
    assert HIDDEN_TITLE in changelist.content.decode()


def test_a_user_without_staff_rights_reads_what_anonymous_readers_read(talks):
    _, hidden = talks
    api = token_client(user_with("view_talk", username="reader"))
    assert api.get(f"/api/v1/talks/{hidden.pk}/").status_code == 404


def test_the_admin_unpublishes_and_the_stored_pages_follow(client, admin_client, talks):
    shown, _ = talks
    assert "Quantum shown" in client.get("/conferences/live/talks/").content.decode()  # stored

    response = admin_client.post(
        "/admin/talks/talk/", {"action": "unpublish_talks", "_selected_action": [shown.pk]}
    )

    assert response.status_code == 302
    assert "Quantum shown" not in client.get("/conferences/live/talks/").content.decode()
    assert client.get(shown.get_absolute_url()).status_code == 404
    admin_client.post(
        "/admin/talks/talk/", {"action": "publish_talks", "_selected_action": [shown.pk]}
    )
    assert client.get(shown.get_absolute_url()).status_code == 200


# --- NO_PUBLISH.json -------------------------------------------------------------------------


def a_checkout_withholding(root, withheld_ids):
    write_event_folder(
        root,
        "con-2021",
        {
            "con-2021-open": a_video(title="Open talk", id=1),
            "con-2021-private": a_video(title="Private talk", id=2, speakers=["Only Here"]),
            "con-2021-no-id": a_video(title="Talk without an id"),
        },
    )
    (root / "NO_PUBLISH.json").write_text(json.dumps(withheld_ids), encoding="utf-8")
    return root


def test_a_root_import_skips_the_withheld_ids_naming_each(db, tmp_path):
    output, failure = run_checkout_import(a_checkout_withholding(tmp_path, [2, 999]))

    assert failure is None, output
    assert "NO_PUBLISH.json withholds 2 video ids" in output
    assert (
        "withheld by the source: con-2021: con-2021-private.json “Private talk” "
        "(id 2 is in NO_PUBLISH.json): not imported"
    ) in output
    assert sorted(Talk.everything.values_list("title", flat=True)) == [
        "Open talk",
        "Talk without an id",
    ]
    assert not Speaker.objects.filter(name="Only Here").exists()  # nothing of it comes in


def test_a_talk_published_before_is_hidden_then_published_again(db, tmp_path):
    root = a_checkout_withholding(tmp_path, [])
    run_checkout_import(root)
    assert Talk.objects.filter(title="Private talk").exists()

    (root / "NO_PUBLISH.json").write_text("[2]", encoding="utf-8")
    output, _ = run_checkout_import(root)

    private = Talk.everything.get(title="Private talk")
    assert (private.published, private.withheld) == (False, True)
    assert "(id 2 is in NO_PUBLISH.json): imported before, now hidden" in output
    assert private.status == "scheduled"  # hidden, not taken for a withdrawn talk

    (root / "NO_PUBLISH.json").write_text("[]", encoding="utf-8")
    output, _ = run_checkout_import(root)

    private.refresh_from_db()
    assert (private.published, private.withheld) == (True, False)
    assert "no longer withheld by the source, published again: " in output


def test_an_import_leaves_a_talk_an_editor_unpublished_hidden(db, tmp_path):
    root = a_checkout_withholding(tmp_path, [])
    run_checkout_import(root)
    Talk.everything.filter(title="Open talk").update(published=False)

    run_checkout_import(root)

    assert not Talk.everything.get(title="Open talk").published


def test_a_single_folder_of_a_checkout_follows_its_no_publish(db, tmp_path):
    root = a_checkout_withholding(tmp_path, [2])
    out = io.StringIO()
    call_command("import_pyvideo", str(root / "con-2021"), stdout=out)

    assert not Talk.everything.filter(title="Private talk").exists()
    assert "2 talks written, 1 withheld by the source" in out.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"ids": [2]}', "NO_PUBLISH.json: expected a list of video ids, not an object"),
        ("[2, [3]]", "NO_PUBLISH.json: [1]: expected a video id, not a list"),
        ("[2,", "NO_PUBLISH.json: line 1, column 4: malformed JSON"),
    ],
)
def test_a_malformed_no_publish_stops_the_import_before_anything(db, tmp_path, content, message):
    root = a_checkout_withholding(tmp_path, [])
    (root / "NO_PUBLISH.json").write_text(content, encoding="utf-8")

    with pytest.raises(CommandError, match="Nothing was imported") as refused:
        call_command("import_pyvideo", str(root), stdout=io.StringIO())

    assert message in str(refused.value)
    assert not Talk.everything.exists()


def test_announcements_and_the_changelog_do_not_name_it(client, talks):
    _, hidden = talks
    announcement = make_announcement(hidden.conference, talk=hidden, title="Big launch")
    version = ScheduleVersion.objects.create(conference=hidden.conference, name="v1")
    version.changes.create(
        conference=hidden.conference,
        kind=ChangeKind.NEW,
        talk=hidden,
        talk_title=HIDDEN_TITLE,
        talk_slug="hidden",
    )

    for address in (
        announcement.get_absolute_url(),
        "/conferences/live/",
        "/speakers/grace-hopper/",
        "/conferences/live/changes/",
        "/api/v1/schedule-versions/?conference=live",
    ):
        assert HIDDEN_TITLE not in client.get(address).content.decode(), address
    api = client.get(f"/api/v1/announcements/{announcement.pk}/").json()
    assert api["talk"] is None


def test_a_speaker_of_unpublished_talks_alone_is_in_no_conferences_list(client, talks):
    secret = make_speaker("Secret Speaker")
    hidden = Talk.everything.get(title=HIDDEN_TITLE)
    hidden.talk_speakers.create(speaker=secret, position=2)

    assert "Secret Speaker" not in client.get("/speakers/?conference=live").content.decode()
    listed = client.get("/api/v1/speakers/?conference=live").json()["results"]
    assert "Secret Speaker" not in [speaker["name"] for speaker in listed]
