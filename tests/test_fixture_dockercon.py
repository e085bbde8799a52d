"""The DockerCon 2017 fixture holds the post's facts, corrected by the checked facts sheet."""

import datetime
import zoneinfo

import pytest
from django.apps import apps
from django.core.management import call_command

from talks.models import Announcement, Conference, Keynote, Speaker, Talk, Track

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def talk(slug):
    return Talk.objects.get(conference__slug="dockercon-2017", slug=slug)


def speaker_slugs(talk):
    return [s.slug for s in talk.ordered_speakers]


def row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.mark.django_db
def test_loading_twice_leaves_exactly_the_same_rows():
    call_command("loaddata", "dockercon-2017", verbosity=0)
    first = row_counts()
    ids = {m._meta.label: sorted(m.objects.values_list("pk", flat=True)) for m in apps.get_models()}
    call_command("loaddata", "dockercon-2017", verbosity=0)
    assert row_counts() == first
    assert {
        m._meta.label: sorted(m.objects.values_list("pk", flat=True)) for m in apps.get_models()
    } == ids
    assert first["talks.Talk"] == 4
    assert first["talks.TalkSpeaker"] == 14


def test_conference(dockercon):
    assert dockercon.name == "DockerCon 2017"
    assert dockercon.venue == "Austin Convention Center"
    assert (dockercon.city, dockercon.region, dockercon.country) == (
        "Austin",
        "Texas",
        "United States",
    )
    assert dockercon.start_date == datetime.date(2017, 4, 17)
    assert dockercon.end_date == datetime.date(2017, 4, 20)
    assert dockercon.time_zone == "America/Chicago"
    for word in ("Build", "Ship", "Run", "Dockerfile"):
        assert word in dockercon.description


def test_days_follow_the_conference_numbering(dockercon):
    days = {day.number: day.date for day in dockercon.days.all()}
    assert days == {
        0: datetime.date(2017, 4, 17),
        1: datetime.date(2017, 4, 18),
        2: datetime.date(2017, 4, 19),
        3: datetime.date(2017, 4, 20),
    }


def test_tracks(dockercon):
    tracks = dict(Track.objects.filter(conference=dockercon).values_list("slug", "name"))
    assert tracks["black-belt"] == "Black Belt"
    assert tracks["general-session"] == "General Session"
    assert tracks["using-docker"] == "Using Docker"


def test_one_keynote_per_keynote_day_with_confirmed_start_and_no_invented_end(dockercon):
    day1, day2 = Keynote.objects.order_by("day__number")
    assert (day1.title, day1.day.number, day1.track.slug) == ("Day 1 Keynote", 1, "general-session")
    assert (day2.title, day2.day.number) == ("Day 2 Keynote", 2)
    assert day1.starts_at.astimezone(CHICAGO) == datetime.datetime(
        2017, 4, 18, 9, 5, tzinfo=CHICAGO
    )
    assert day2.starts_at.astimezone(CHICAGO) == datetime.datetime(
        2017, 4, 19, 9, 3, tzinfo=CHICAGO
    )
    assert (day1.ends_at, day2.ends_at) == (None, None)
    assert (day1.room, day2.room) == (None, None)
    assert day1.video_url == "https://www.youtube.com/watch?v=hwkqju_BXEo"
    assert day2.video_url == "https://www.youtube.com/watch?v=2DUZ4Z6SYGg"


def test_keynote_speakers_in_stage_order(dockercon):
    assert speaker_slugs(talk("day-1-keynote")) == [
        "ben-golub",
        "solomon-hykes",
        "ryan-adams",
        "kristie-howard",
        "diogo-monica",
        "nathan-leclaire",
        "john-gossman",
        "rolf-neugebauer",
    ]
    assert speaker_slugs(talk("day-2-keynote")) == [
        "ben-golub",
        "swamy-kocherlakota",
        "mark-cavage",
        "aaron-ades",
    ]


def test_day_1_keynote_keeps_the_posts_points(dockercon):
    abstract = talk("day-1-keynote").abstract
    for point in (
        "Tools should get out of the way",
        "Tools should adapt to you",
        "Tools should make the powerful simple",
        "Raft store",
        "node identity",
        "secrets",
        "routing mesh",
        "encrypted networking",
        "SwarmKit",
        "tools of mass innovation",
    ):
        assert point in abstract
    assert "mass invitations" not in abstract
    assert "mass invitations" in talk("day-1-keynote").note


def test_day_2_keynote_covers_dtr_and_ucp(dockercon):
    abstract = talk("day-2-keynote").abstract
    assert "Docker Trusted Registry" in abstract
    assert "Universal Control Plane" in abstract


def test_black_belt_talks(dockercon):
    black_belt = Talk.objects.filter(track__slug="black-belt").order_by("title")
    performance, overlay = black_belt
    assert performance.title == "Container Performance Analysis"
    assert speaker_slugs(performance) == ["brendan-gregg"]
    assert performance.video_url == "https://www.youtube.com/watch?v=bK9A5ODIgac"
    assert performance.slides_url.endswith("/brendangregg/container-performance-analysis")
    assert overlay.title == "Deep Dive in Docker Overlay Networks"
    assert speaker_slugs(overlay) == ["laurent-bernaille"]
    assert overlay.video_url == "https://www.youtube.com/watch?v=b3XDl0YsVsg"
    assert overlay.slides_url == (
        "https://www.slideshare.net/lbernail/deep-dive-in-docker-overlay-networks"
    )
    assert overlay.code_url == "https://github.com/lbernail/dockercon2017"
    for unknown in (performance, overlay):
        assert (unknown.day, unknown.starts_at, unknown.room) == (None, None, None)


def test_speakers_and_corrections(dockercon):
    gossman = Speaker.objects.get(slug="john-gossman")
    assert gossman.name == "John Gossman"
    assert gossman.organization.name == "Microsoft"
    assert "Grossman" in gossman.note
    assert Speaker.objects.get(slug="diogo-monica").organization.name == "Docker"
    gregg = Speaker.objects.get(slug="brendan-gregg")
    assert (gregg.role, gregg.organization.name) == ("Senior performance architect", "Netflix")
    assert Speaker.objects.get(slug="laurent-bernaille").organization.name == "D2SI"
    assert Speaker.objects.get(slug="solomon-hykes").role == "Founder and CTO"
    assert not Speaker.objects.exclude(bio="").exists(), "no bio is known, none is invented"


def test_announcements_made_on_day_1(dockercon):
    for slug in ("linuxkit", "moby-project", "linux-containers-on-windows"):
        announcement = Announcement.objects.get(slug=slug)
        assert announcement.talk.slug == "day-1-keynote"
        assert "Day 2" in announcement.note, "the note records the post's slip"


def test_linuxkit(dockercon):
    linuxkit = Announcement.objects.get(slug="linuxkit")
    partners = set(linuxkit.partners.values_list("name", flat=True))
    assert partners == {"HPE", "Intel", "ARM", "IBM", "Microsoft", "Linux Foundation"}
    assert list(linuxkit.links.values_list("url", flat=True)) == [
        "https://github.com/linuxkit/linuxkit"
    ]


def test_moby_project(dockercon):
    moby = Announcement.objects.get(slug="moby-project")
    assert set(moby.links.values_list("url", flat=True)) == {
        "https://github.com/moby/moby",
        "https://mobyproject.org/",
    }
    assert [item.name for item in moby.items.all()] == [
        "Library of containerized back-end components",
        "Framework for assembling components",
        "Moby Origin",
    ]


def test_linux_containers_on_windows(dockercon):
    windows = Announcement.objects.get(slug="linux-containers-on-windows")
    assert [s.slug for s in windows.presenters.all()] == ["john-gossman"]
    assert "Grossman" in windows.note


def test_oracle_images(dockercon):
    oracle = Announcement.objects.get(slug="oracle-images-in-docker-store")
    assert oracle.talk.slug == "day-2-keynote"
    assert [item.name for item in oracle.items.all()] == [
        "Oracle Database",
        "Oracle MySQL",
        "Oracle WebLogic Server",
        "Oracle Coherence",
        "Oracle Instant Client",
        "Oracle Java 8 SE (Server JRE)",
    ]
    assert oracle.links.get().url.startswith(
        "https://store.docker.com/images/oracle-database-enterprise-edition"
    )


def test_resource_links(dockercon):
    urls = set(dockercon.links.values_list("url", flat=True))
    assert "https://www.youtube.com/playlist?list=PLkA60AVN3hh_nihZ1mh6cO3n-uMdF7UlV" in urls
    assert "https://www.docker.com/what-docker" in urls
    assert "https://en.wikipedia.org/wiki/Docker_(software)" in urls
    assert "https://blog.docker.com/2017/04/dockercon-2017-day-1-highlights/" in urls
    assert "https://blog.docker.com/2017/04/dockercon-2017-day-2-highlights/" in urls


def test_every_record_passes_model_validation(dockercon):
    for model in apps.get_app_config("talks").get_models():
        for instance in model.objects.all():
            instance.full_clean()


def test_no_conference_but_dockercon(dockercon):
    assert list(Conference.objects.values_list("slug", flat=True)) == ["dockercon-2017"]


def test_keynotes_say_who_did_what_on_stage(dockercon):
    day1 = talk("day-1-keynote").abstract
    for part in ("opened by Ben Golub", "multi-stage builds", "Nathan LeClaire", "Hyper-V"):
        assert part in day1
    assert "Docker Security Scanning" in talk("day-2-keynote").abstract


def test_no_source_makes_docker_a_partner_of_its_own_project(dockercon):
    assert not Announcement.objects.get(slug="moby-project").partners.exists()


def test_the_posts_other_slips_are_noted(dockercon):
    assert "Blacks Belts" in dockercon.note
    assert "tools for mass innovations" in Announcement.objects.get(slug="linuxkit").note
