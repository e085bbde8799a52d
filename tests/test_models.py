"""Model rules, shared by the admin, the API and the loaders through clean()."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from talks.models import Keynote, Speaker, Talk, TalkKind

from .builders import make_conference, make_day, make_speaker, make_talk, make_track

pytestmark = pytest.mark.django_db


def errors_of(instance):
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    return error.value.message_dict


def test_talk_day_track_and_room_must_belong_to_its_conference():
    home, away = make_conference(), make_conference(name="Away")
    talk = Talk(
        conference=home,
        slug="x",
        title="X",
        day=make_day(away),
        track=make_track(away),
        room=away.rooms.create(name="Hall A"),
    )
    errors = errors_of(talk)
    assert set(errors) == {"day", "track", "room"}
    assert "belongs to Away" in errors["day"][0]


def test_talk_slug_is_unique_within_its_conference_only():
    first, second = make_conference(), make_conference()
    make_talk(first, slug="intro")
    make_talk(second, slug="intro").full_clean()
    assert "__all__" in errors_of(Talk(conference=first, slug="intro", title="Again"))


def test_talk_end_must_follow_its_start():
    conference = make_conference()
    start = timezone.make_aware(datetime.datetime(2024, 5, 6, 10), conference.tzinfo)
    talk = Talk(conference=conference, slug="x", title="X", starts_at=start, ends_at=start)
    assert "ends_at" in errors_of(talk)
    talk = Talk(conference=conference, slug="y", title="Y", ends_at=start)
    assert "ends_at" in errors_of(talk)


def test_talk_start_must_fall_on_its_day_in_the_conference_time_zone():
    conference = make_conference(time_zone="America/Chicago")
    day = make_day(conference, 1)  # 2024-05-06
    late_evening = timezone.make_aware(datetime.datetime(2024, 5, 6, 22, 30), conference.tzinfo)
    Talk(conference=conference, slug="ok", title="OK", day=day, starts_at=late_evening).full_clean()
    next_day = late_evening + datetime.timedelta(hours=3)
    errors = errors_of(
        Talk(conference=conference, slug="no", title="No", day=day, starts_at=next_day)
    )
    assert "is not on Day 1" in errors["starts_at"][0]


def test_day_must_lie_within_the_conference_dates():
    conference = make_conference()
    day = conference.days.model(conference=conference, number=9, date=datetime.date(2030, 1, 1))
    assert "date" in errors_of(day)


def test_conference_time_zone_and_dates_are_checked():
    conference = make_conference()
    conference.time_zone = "Mars/Olympus"
    conference.end_date = conference.start_date - datetime.timedelta(days=1)
    assert set(errors_of(conference)) == {"time_zone", "end_date"}


def test_keynote_proxy_shares_the_talk_table():
    conference = make_conference()
    make_talk(conference, kind=TalkKind.SESSION)
    keynote = Keynote.objects.create(conference=conference, slug="opening", title="Opening")
    assert keynote.kind == TalkKind.KEYNOTE
    assert list(Keynote.objects.all()) == [keynote]
    assert Talk.objects.count() == 2


def test_speaker_slug_is_slugified_name_with_a_suffix_only_on_a_clash():
    assert make_speaker("Diogo Mónica").slug == "diogo-monica"
    assert Speaker.unique_slug_for("Diogo Monica") == "diogo-monica-2"
    assert Speaker.unique_slug_for("Brendan Gregg") == "brendan-gregg"


def test_speakers_keep_their_stage_order():
    conference = make_conference()
    first, second, third = make_speaker("Zed"), make_speaker("Amy"), make_speaker("Bob")
    talk = make_talk(conference, speakers=[first, second, third])
    talk = Talk.objects.with_speakers().get(pk=talk.pk)
    assert talk.ordered_speakers == [first, second, third]


def test_announcement_talk_must_belong_to_its_conference():
    home, away = make_conference(), make_conference(name="Away")
    announcement = home.announcements.model(
        conference=home, slug="news", title="News", talk=make_talk(away)
    )
    assert "talk" in errors_of(announcement)


def test_natural_keys_round_trip():
    conference = make_conference(slug="conf")
    day = make_day(conference, 2)
    talk = make_talk(conference, slug="t", day=day, speakers=[make_speaker("Ann Lee")])
    assert day.natural_key() == ("conf", 2)
    assert talk.natural_key() == ("conf", "t")
    assert type(day).objects.get_by_natural_key("conf", 2) == day
    talk_speaker = talk.talk_speakers.get()
    assert talk_speaker.natural_key() == ("conf", "t", "ann-lee")
    assert type(talk_speaker).objects.get_by_natural_key("conf", "t", "ann-lee") == talk_speaker


def test_absolute_urls_follow_the_public_contract(dockercon):
    talk = Talk.objects.get(slug="day-1-keynote")
    assert dockercon.get_absolute_url() == "/conferences/dockercon-2017/"
    assert talk.get_absolute_url() == "/conferences/dockercon-2017/talks/day-1-keynote/"
    assert Speaker.objects.get(slug="brendan-gregg").get_absolute_url() == (
        "/speakers/brendan-gregg/"
    )
    announcement = talk.announcements.get(slug="linuxkit")
    assert announcement.get_absolute_url() == "/conferences/dockercon-2017/announcements/linuxkit/"
