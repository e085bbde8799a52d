"""The admin: who may edit, and the forms editors use."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from talks.models import Day, Speaker, Talk, TalkKind, Topic

from .builders import make_conference, make_day


def inline_management(prefix, total=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def talk_form(conference, day=None, speakers=(), **fields):
    data = {
        "conference": conference.pk,
        "title": "Tracing containers",
        "slug": "tracing-containers",
        "kind": TalkKind.SESSION,
        "status": "scheduled",
        "published": "on",
        "abstract": "",
        "abstract_format": "plain",
        "day": day.pk if day else "",
        "track": "",
        "room": "",
        "starts_at_0": "",
        "starts_at_1": "",
        "ends_at_0": "",
        "ends_at_1": "",
        "video_url": "",
        "slides_url": "",
        "code_url": "",
        "note": "",
        "guid": "",
        **inline_management("talk_speakers", len(speakers)),
        **inline_management("talk_topics"),
        **inline_management("links"),
        **fields,
    }
    for index, speaker in enumerate(speakers):
        data[f"talk_speakers-{index}-speaker"] = speaker.pk
        data[f"talk_speakers-{index}-position"] = index + 1
    return data


@pytest.fixture
def editor(db):
    """Staff who may view and change talks, and nothing else."""
    user = User.objects.create_user("editor", password="pw", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="talks", codename__in=["view_talk", "change_talk"]
        )
    )
    return user


def test_anonymous_visitors_get_the_login_page(client, dockercon):
    response = client.get("/admin/talks/talk/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_staff_without_model_permission_is_refused(client, dockercon):
    client.force_login(User.objects.create_user("guest", password="pw", is_staff=True))
    assert client.get("/admin/talks/talk/").status_code == 403
    assert client.get("/admin/talks/speaker/").status_code == 403


def test_staff_with_permission_edits_only_what_it_may(client, dockercon, editor):
    client.force_login(editor)
    talk = Talk.objects.get(slug="container-performance-analysis")
    assert client.get(f"/admin/talks/talk/{talk.pk}/change/").status_code == 200
    assert client.get("/admin/talks/talk/add/").status_code == 403
    assert client.get("/admin/talks/speaker/").status_code == 403


# Links, sources, listed items, speaker places, a talk's topics and a topic's merged spellings
# are edited inline on their parent's page.
INLINE_ONLY = {
    "SpeakerAlias",
    "TalkTopic",
    "TopicAlias",
    "ConferenceLink",
    "ConferenceSource",
    "ScheduleSource",
    "SpeakerLink",
    "TalkLink",
    "TalkSpeaker",
    "AnnouncementLink",
    "AnnouncementItem",
}
ENTITIES = [
    model
    for model in apps.get_app_config("talks").catalog_models()
    if model.__name__ not in INLINE_ONLY
]


@pytest.mark.parametrize("model", ENTITIES, ids=lambda m: m.__name__)
def test_every_entity_has_working_list_add_and_change_pages(admin_client, dockercon, model):
    dockercon.rooms.create(name="Test room")  # the fixture knows no rooms, and no topics
    Topic.objects.create(name="Containers", slug="containers")
    name = model._meta.model_name
    assert admin_client.get(reverse(f"admin:talks_{name}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:talks_{name}_add")).status_code == 200
    instance = model.objects.first()
    change = reverse(f"admin:talks_{name}_change", args=[instance.pk])
    assert admin_client.get(change).status_code == 200


def test_talk_changelist_filters_and_search(admin_client, dockercon):
    black_belt = dockercon.tracks.get(slug="black-belt")
    response = admin_client.get(f"/admin/talks/talk/?track__id__exact={black_belt.pk}")
    assert response.context["cl"].result_count == 2
    response = admin_client.get("/admin/talks/talk/?q=gregg")
    assert [t.slug for t in response.context["cl"].result_list] == [
        "container-performance-analysis"
    ]
    response = admin_client.get(
        f"/admin/talks/talk/?kind__exact=keynote&conference__id__exact={dockercon.pk}"
    )
    assert response.context["cl"].result_count == 2


def test_keynote_admin_lists_only_keynotes_and_adds_keynotes(admin_client, dockercon):
    response = admin_client.get("/admin/talks/keynote/")
    assert response.context["cl"].result_count == 2
    day3 = dockercon.days.get(number=3)
    data = talk_form(dockercon, day=day3, title="Day 3 Keynote", slug="day-3-keynote")
    response = admin_client.post("/admin/talks/keynote/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Talk.objects.get(slug="day-3-keynote").kind == TalkKind.KEYNOTE


def test_add_a_talk_with_ordered_speakers(admin_client, dockercon):
    gregg, bernaille = (
        Speaker.objects.get(slug="brendan-gregg"),
        Speaker.objects.get(slug="laurent-bernaille"),
    )
    data = talk_form(dockercon, day=dockercon.days.get(number=3), speakers=[bernaille, gregg])
    response = admin_client.post("/admin/talks/talk/add/", data)
    assert response.status_code == 302
    talk = Talk.objects.get(slug="tracing-containers")
    assert talk.ordered_speakers == [bernaille, gregg]


def test_change_form_shows_the_model_rule_and_saves_nothing(admin_client, dockercon):
    other_day = make_day(make_conference(name="PyCon X"), 1)
    talk = Talk.objects.get(slug="container-performance-analysis")
    data = talk_form(dockercon, day=other_day, title=talk.title, slug=talk.slug)
    response = admin_client.post(f"/admin/talks/talk/{talk.pk}/change/", data)
    assert response.status_code == 200
    assert "belongs to PyCon X, not to this talk" in response.content.decode()
    talk.refresh_from_db()
    assert talk.day is None


def test_speaker_autocomplete(admin_client, dockercon):
    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "talks",
            "model_name": "talkspeaker",
            "field_name": "speaker",
            "term": "greg",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Brendan Gregg"]


def test_day_changelist_does_not_query_per_row(
    admin_client, dockercon, django_assert_max_num_queries
):
    for number in range(4, 30):
        Day.objects.create(conference=dockercon, number=number)
    with django_assert_max_num_queries(12):
        assert admin_client.get("/admin/talks/day/").status_code == 200


def test_times_are_edited_in_the_conference_time_zone(admin_client, dockercon):
    keynote = Talk.objects.get(slug="day-1-keynote")
    page = admin_client.get(f"/admin/talks/talk/{keynote.pk}/change/").content.decode()
    assert 'value="09:05:00"' in page
    assert "local time (America/Chicago)" in page

    data = talk_form(
        dockercon,
        day=keynote.day,
        title=keynote.title,
        slug=keynote.slug,
        kind=TalkKind.KEYNOTE,
        starts_at_0="2017-04-18",
        starts_at_1="10:00",
        **{"talk_speakers-INITIAL_FORMS": "0"},
    )
    response = admin_client.post(f"/admin/talks/talk/{keynote.pk}/change/", data)
    assert response.status_code == 302
    keynote.refresh_from_db()
    assert keynote.starts_at.isoformat() == "2017-04-18T15:00:00+00:00"
