"""The DockerCon 2017 fixture holds every fact of its sources that the catalog has a place for,
and nothing they do not say.

The sources are James Strong's post of 2017-05-16 (shared/seed/dockercon-2017-post.md) and the
facts sheet (shared/seed/dockercon-2017-facts.md); the tests follow them section by section.
Structured fields are compared whole (every row of a model, every field), so an added row or
value fails as surely as a missing one; prose is checked for each statement it carries.
"""

import datetime
import zoneinfo

import pytest
from django.apps import apps
from django.core.management import call_command

from talks.models import (
    Announcement,
    ChangeMark,
    Conference,
    ConferenceSource,
    Keynote,
    Organization,
    Speaker,
    Talk,
    Track,
)

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def talk(slug):
    return Talk.objects.get(conference__slug="dockercon-2017", slug=slug)


def announcement(slug):
    return Announcement.objects.get(conference__slug="dockercon-2017", slug=slug)


def speaker_slugs(talk):
    return [s.slug for s in talk.ordered_speakers]


def data_models():
    """Every model with data of its own: not the catalog's change marks, which a load moves on."""
    return [model for model in apps.get_models() if model is not ChangeMark]


def row_counts():
    return {model._meta.label: model.objects.count() for model in data_models()}


def assert_says(text, *statements):
    for statement in statements:
        assert statement in text, statement


@pytest.mark.django_db
def test_loading_twice_leaves_exactly_the_same_rows():
    call_command("loaddata", "dockercon-2017", verbosity=0)
    first = row_counts()
    ids = {m._meta.label: sorted(m.objects.values_list("pk", flat=True)) for m in data_models()}
    call_command("loaddata", "dockercon-2017", verbosity=0)
    assert row_counts() == first
    assert {
        m._meta.label: sorted(m.objects.values_list("pk", flat=True)) for m in data_models()
    } == ids


def test_exactly_these_records_and_no_others(dockercon):
    counts = {
        label: count
        for label, count in row_counts().items()
        if label.startswith("talks.") and count
    }
    assert counts == {
        "talks.Organization": 12,
        "talks.Conference": 1,
        "talks.ConferenceSource": 2,
        "talks.ConferenceLink": 7,
        "talks.Day": 4,
        "talks.Track": 2,
        "talks.Speaker": 13,
        "talks.Talk": 4,
        "talks.Keynote": 2,
        "talks.TalkSpeaker": 14,
        "talks.Announcement": 4,
        "talks.AnnouncementLink": 4,
        "talks.AnnouncementItem": 9,
    }


def test_every_record_passes_model_validation(dockercon):
    for model in apps.get_app_config("talks").catalog_models():
        for instance in model.objects.all():
            instance.full_clean()


# --- Provenance -------------------------------------------------------------------------------


def test_the_conference_lists_its_two_sources(dockercon):
    post, facts = ConferenceSource.objects.filter(conference=dockercon)
    assert (post.title, post.author, post.published, post.url) == (
        "Dockercon 2017",
        "James Strong",
        datetime.date(2017, 5, 16),
        "",
    )
    assert (facts.title, facts.author, facts.published, facts.url) == (
        "DockerCon 2017: facts checked against other public sources",
        "",
        None,
        "",
    )
    assert_says(
        facts.note,
        "venue",
        "dates",
        "start times",
        "attendance",
        "SwarmKit",
        "Black Belt and Using Docker",
        "John Grossman",
        "tools of mass invitations",
        "Blacks Belts",
    )


# --- The post: what Docker is (Build, Ship, Run) ------------------------------------------------


def test_the_posts_overview_of_docker(dockercon):
    assert_says(
        dockercon.description,
        '"Build, Ship and Run"',
        "run on any operating system",
        "kernel features to isolate resources (CPU, memory, block I/O and more)",
        "separate namespaces to isolate the application's view of the operating system",
        "holds only the libraries its process needs",
        "Dockerfile",
        "Docker Hub or a stand-alone registry",
        "wherever the Docker daemon runs, a Docker container runs",
    )


def test_the_posts_example_dockerfile_and_commands_with_its_image_name(dockercon):
    assert_says(
        dockercon.description,
        "`FROM httpd:2.4`",
        "`COPY ./public-html/ /usr/local/apache2/htdocs/`",
        "`docker build . -t strongjz/example-httpd`",
        "`docker push strongjz/example-httpd`",
        "`docker run -p 80:80 strongjz/example-httpd`",
    )


# --- The event ----------------------------------------------------------------------------------


def test_conference(dockercon):
    assert (dockercon.slug, dockercon.name, dockercon.tagline) == (
        "dockercon-2017",
        "DockerCon 2017",
        "",
    )
    assert dockercon.website == "https://2017.dockercon.com/"
    assert dockercon.venue == "Austin Convention Center"
    assert (dockercon.city, dockercon.region, dockercon.country) == (
        "Austin",
        "Texas",
        "United States",
    )
    assert (dockercon.start_date, dockercon.end_date) == (
        datetime.date(2017, 4, 17),
        datetime.date(2017, 4, 20),
    )
    assert dockercon.time_zone == "America/Chicago"
    assert "hosted in Texas" in dockercon.note, "the note says what the post alone says"


def test_attendance_with_the_other_figure_in_the_note(dockercon):
    assert dockercon.attendance == 5500
    assert_says(dockercon.note, "about 5,500", "some sources say 5,000")


def test_days_follow_the_conference_numbering(dockercon):
    days = list(dockercon.days.values_list("number", "date", "label", "description"))
    assert days == [
        (0, datetime.date(2017, 4, 17), "Workshops", "Workshop pre-day."),
        (1, datetime.date(2017, 4, 18), "", "The Day 1 general session (keynote)."),
        (2, datetime.date(2017, 4, 19), "", "The Day 2 general session (keynote)."),
        (3, datetime.date(2017, 4, 20), "", "The Docker Internals Summit (Moby, containerd)."),
    ]


def test_links(dockercon):
    assert list(dockercon.links.values_list("title", "url", "kind")) == [
        (
            "DockerCon 2017 video playlist",
            "https://www.youtube.com/playlist?list=PLkA60AVN3hh_nihZ1mh6cO3n-uMdF7UlV",
            "playlist",
        ),
        (
            "DockerCon 2017 Day 1 highlights (Docker blog)",
            "https://blog.docker.com/2017/04/dockercon-2017-day-1-highlights/",
            "blog",
        ),
        (
            "DockerCon 2017 Day 2 highlights (Docker blog)",
            "https://blog.docker.com/2017/04/dockercon-2017-day-2-highlights/",
            "blog",
        ),
        ("What is Docker", "https://www.docker.com/what-docker", "resource"),
        (
            "Docker (software) on Wikipedia",
            "https://en.wikipedia.org/wiki/Docker_(software)",
            "resource",
        ),
        ("Docker Hub", "https://hub.docker.com/", "resource"),
        ("Docker Registry (stand-alone registry)", "https://docs.docker.com/registry/", "resource"),
    ]


# --- Tracks: only the names a source gives --------------------------------------------------------


def test_tracks_are_the_two_confirmed_names(dockercon):
    tracks = list(Track.objects.filter(conference=dockercon).values_list("slug", "name"))
    assert tracks == [("black-belt", "Black Belt"), ("using-docker", "Using Docker")]


def test_black_belt_is_described_as_the_post_describes_it(dockercon):
    black_belt = Track.objects.get(slug="black-belt")
    assert black_belt.description == (
        "DockerCon's talks came in several levels, from use cases and deep dives to Black Belt."
    )
    assert Track.objects.get(slug="using-docker").description == ""


# --- Organizations and people ---------------------------------------------------------------------


def test_organizations_have_no_website_no_source_gives(dockercon):
    assert list(Organization.objects.order_by("slug").values_list("slug", "name", "website")) == [
        ("arm", "ARM", ""),
        ("d2si", "D2SI", ""),
        ("docker", "Docker", ""),
        ("hpe", "HPE", ""),
        ("ibm", "IBM", ""),
        ("intel", "Intel", ""),
        ("linux-foundation", "Linux Foundation", ""),
        ("metlife", "MetLife", ""),
        ("microsoft", "Microsoft", ""),
        ("netflix", "Netflix", ""),
        ("oracle", "Oracle", ""),
        ("visa", "Visa", ""),
    ]


def test_speakers_roles_and_organizations(dockercon):
    speakers = Speaker.objects.order_by("slug").values_list(
        "slug", "name", "role", "organization__slug", "bio"
    )
    assert list(speakers) == [
        ("aaron-ades", "Aaron Ades", "", "metlife", ""),
        ("ben-golub", "Ben Golub", "CEO", "docker", ""),
        ("brendan-gregg", "Brendan Gregg", "Senior performance architect", "netflix", ""),
        ("diogo-monica", "Diogo Mónica", "Security team lead", "docker", ""),
        (
            "john-gossman",
            "John Gossman",
            "Lead architect, Microsoft Azure; Linux Foundation board member",
            "microsoft",
            "",
        ),
        ("kristie-howard", "Kristie Howard", "", None, ""),
        ("laurent-bernaille", "Laurent Bernaille", "CTO", "d2si", ""),
        ("mark-cavage", "Mark Cavage", "", "oracle", ""),
        ("nathan-leclaire", "Nathan LeClaire", "", None, ""),
        ("rolf-neugebauer", "Rolf Neugebauer", "", None, ""),
        ("ryan-adams", "Ryan Adams", "", None, ""),
        ("solomon-hykes", "Solomon Hykes", "Founder and CTO", "docker", ""),
        ("swamy-kocherlakota", "Swamy Kocherlakota", "", "visa", ""),
    ]


def test_corrected_people_say_what_the_post_said(dockercon):
    notes = dict(Speaker.objects.exclude(note="").values_list("slug", "note"))
    assert set(notes) == {"diogo-monica", "john-gossman", "laurent-bernaille"}
    assert_says(notes["diogo-monica"], "'Diogo Monica'", "'security lead at Docker'")
    assert_says(notes["john-gossman"], "'John Grossman'", "'a Microsoft Azure architect'")
    assert_says(notes["laurent-bernaille"], "'Architect from D2SI'", "'CTO, D2SI'")


# --- Keynotes -----------------------------------------------------------------------------------


def test_keynotes_with_confirmed_starts_no_invented_end_room_or_track(dockercon):
    day1, day2 = Keynote.objects.order_by("day__number")
    assert (day1.slug, day1.title, day1.day.number) == ("day-1-keynote", "Day 1 Keynote", 1)
    assert (day2.slug, day2.title, day2.day.number) == ("day-2-keynote", "Day 2 Keynote", 2)
    assert day1.starts_at.astimezone(CHICAGO) == datetime.datetime(
        2017, 4, 18, 9, 5, tzinfo=CHICAGO
    )
    assert day2.starts_at.astimezone(CHICAGO) == datetime.datetime(
        2017, 4, 19, 9, 3, tzinfo=CHICAGO
    )
    for keynote in (day1, day2):
        assert (keynote.ends_at, keynote.room, keynote.track) == (None, None, None)
        assert (keynote.slides_url, keynote.code_url) == ("", "")
        assert_says(keynote.note, "approximate", "the end is unknown")
    assert day1.video_url == "https://www.youtube.com/watch?v=hwkqju_BXEo"
    assert day2.video_url == "https://www.youtube.com/watch?v=2DUZ4Z6SYGg"
    assert "Only the source post gives this video link" in day2.note


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


def test_day_1_keynote_says_what_the_post_and_the_facts_say(dockercon):
    keynote = talk("day-1-keynote")
    assert_says(
        keynote.abstract,
        # The post.
        "the numbers of Docker's growth over the past four years",
        "simplicity for developers",
        "security built into every component of the Docker ecosystem",
        '"tools of mass innovation"',
        "- Tools should get out of the way.",
        "- Tools should adapt to you.",
        "- Tools should make the powerful simple.",
        '"can\'t bolt on security after the fact"',
        "SwarmKit",
        "Raft store and routing mesh",
        "LinuxKit, open-sourced on stage",
        # The facts sheet.
        "opened by Ben Golub, CEO of Docker",
        "Ryan Adams and Kristie Howard demonstrated multi-stage builds, from the desktop to the "
        "cloud",
        "Nathan LeClaire gave an operations demo",
        "a Moby and LinuxKit demo by Rolf Neugebauer",
        "presented by John Gossman of Microsoft",
        "Hyper-V isolation",
    )
    assert "mass invitations" not in keynote.abstract
    assert_says(keynote.note, "'tools of mass invitations'", "under Day 2", "Secret Routing Mesh")


def test_swarmkit_points_as_the_facts_sheet_lists_them(dockercon):
    assert_says(
        talk("day-1-keynote").abstract,
        "- node identity with automatic PKI;\n"
        "- mutual TLS;\n"
        "- encrypted networks;\n"
        "- secrets distribution.",
    )


def test_day_2_keynote_says_what_the_post_and_the_facts_say(dockercon):
    keynote = talk("day-2-keynote")
    assert_says(
        keynote.abstract,
        "Docker Trusted Registry",
        "Docker Security Scanning",
        "the Universal Control Plane: role-based access control, swarm control and container "
        "scanning",
        "run containers securely at scale",
        "Mark Cavage of Oracle",
        "Swamy Kocherlakota of Visa",
        "Aaron Ades of MetLife",
    )
    assert "Universal Control Plane is kept as the post says" in keynote.note


# --- Black Belt talks ---------------------------------------------------------------------------


def test_black_belt_talks(dockercon):
    black_belt = Talk.objects.filter(track__slug="black-belt").order_by("title")
    assert [(t.slug, t.title, t.kind) for t in black_belt] == [
        ("container-performance-analysis", "Container Performance Analysis", "session"),
        ("deep-dive-in-docker-overlay-networks", "Deep Dive in Docker Overlay Networks", "session"),
    ]
    performance, overlay = black_belt
    assert speaker_slugs(performance) == ["brendan-gregg"]
    assert (performance.video_url, performance.slides_url, performance.code_url) == (
        "https://www.youtube.com/watch?v=bK9A5ODIgac",
        "https://www.slideshare.net/brendangregg/container-performance-analysis",
        "",
    )
    assert "slideshare.net/mobile/" in performance.note
    assert speaker_slugs(overlay) == ["laurent-bernaille"]
    assert (overlay.video_url, overlay.slides_url, overlay.code_url) == (
        "https://www.youtube.com/watch?v=b3XDl0YsVsg",
        "https://www.slideshare.net/lbernail/deep-dive-in-docker-overlay-networks",
        "https://github.com/lbernail/dockercon2017",
    )
    assert "video link comes from the checked facts" in overlay.note
    for unknown in (performance, overlay):
        assert (unknown.day, unknown.starts_at, unknown.ends_at, unknown.room) == (
            None,
            None,
            None,
            None,
        )
        assert "Date, time and room are unknown" in unknown.note


def test_black_belt_abstracts_say_what_the_post_says(dockercon):
    assert_says(
        talk("container-performance-analysis").abstract,
        "Is it the host or the container?",
        "anyone who runs containers at scale",
    )
    overlay = talk("deep-dive-in-docker-overlay-networks").abstract
    assert_says(
        overlay,
        "how overlay networking works in Docker Swarm",
        "nothing but Linux commands",
        "two Docker hosts running in AWS",
        "how Swarm simplifies it",
        "Docker network creates a network and attaches a couple of hosts to it",
    )
    assert "docker network create" not in overlay, "the post names no such command"


# --- Announcements ------------------------------------------------------------------------------


def test_announcements_in_order_with_their_keynote_presenters_and_partners(dockercon):
    rows = [
        (
            a.position,
            a.slug,
            a.title,
            a.talk.slug,
            [s.slug for s in a.presenters.all()],
            sorted(a.partners.values_list("slug", flat=True)),
        )
        for a in Announcement.objects.order_by("position")
    ]
    assert rows == [
        (
            1,
            "linuxkit",
            "LinuxKit",
            "day-1-keynote",
            [],
            ["arm", "hpe", "ibm", "intel", "linux-foundation", "microsoft"],
        ),
        (2, "moby-project", "The Moby Project", "day-1-keynote", [], []),
        (
            3,
            "linux-containers-on-windows",
            "Linux containers on Windows hosts",
            "day-1-keynote",
            ["john-gossman"],
            ["microsoft"],
        ),
        (
            4,
            "oracle-images-in-docker-store",
            "Oracle images in the Docker Store",
            "day-2-keynote",
            ["mark-cavage"],
            ["oracle"],
        ),
    ]


def test_day_1_announcements_note_the_posts_day_2(dockercon):
    for slug in ("linuxkit", "moby-project", "linux-containers-on-windows"):
        assert "under the Day 2 announcements" in announcement(slug).note


def test_linuxkit(dockercon):
    linuxkit = announcement("linuxkit")
    assert_says(
        linuxkit.summary,
        "open-sourced live on stage",
        "a toolkit for building a custom Linux OS",
        '"secure, lean and portable Linux subsystem for the container"',
        "precisely what the runtime platform needs and nothing else",
        '"tools of mass innovation"',
        '"batteries included, but swappable"',
        "Rolf Neugebauer gave a Moby and LinuxKit demo",
    )
    assert_says(
        linuxkit.note,
        "'tools for mass innovations'",
        "the Linux Foundation comes from the checked facts",
        "No source says who announced it on stage",
    )
    assert list(linuxkit.links.values_list("title", "url", "kind")) == [
        ("linuxkit/linuxkit on GitHub", "https://github.com/linuxkit/linuxkit", "code")
    ]


def test_moby_project(dockercon):
    moby = announcement("moby-project")
    assert_says(
        moby.summary,
        "open-source its platform and make it available for all to use",
        "anyone who wants to build specialized containers can do so",
        "Solomon Hykes said during the keynote",
        '"if you are a system builder, it means you can collaborate and participate in '
        'defining systems more efficiently without being tied to Docker"',
        "Moby is to Docker what Fedora is to Red Hat Enterprise Linux",
        "The docker/docker repository moved to moby/moby that day",
    )
    assert "No source says who announced it on stage" in moby.note
    assert list(moby.links.values_list("title", "url", "kind")) == [
        ("moby/moby on GitHub", "https://github.com/moby/moby", "code"),
        ("mobyproject.org", "https://mobyproject.org/", "website"),
    ]
    items = list(moby.items.values_list("name", "description"))
    assert [name for name, _ in items] == [
        "Library of containerized back-end components",
        "Framework for assembling components",
        "Moby Origin",
    ]
    assert_says(
        items[0][1],
        "a low-level builder, logging facility, volume management, networking, image "
        "management, containerd, SwarmKit",
    )
    assert_says(items[1][1], "standalone container platform", "build, test and deploy artifacts")
    assert_says(items[2][1], "the open base for the Docker container platform", "Moby library")


def test_linux_containers_on_windows_with_gossmans_whole_quote(dockercon):
    windows = announcement("linux-containers-on-windows")
    assert_says(
        windows.summary,
        "Linux containers running on a Windows host",
        "Hyper-V isolation",
        "Multiple different versions of the Microsoft kernel can now run on the same host",
        '"Each container gets its copy of the kernel for the isolation it needs, and yet you '
        'get more performance advantage or that shared kernel container."',
        "no longer tied to a specific Windows kernel version",
        "a platinum partner of DockerCon 2017",
        "working with Docker for three years",
    )
    assert "'John Grossman'" in windows.note


def test_oracle_images_are_the_posts_list(dockercon):
    oracle = announcement("oracle-images-in-docker-store")
    assert_says(
        oracle.summary,
        "run Oracle 12c in a Docker container",
        "install, configure or manage an Oracle database",
    )
    assert list(oracle.items.values_list("name", "url")) == [
        ("Oracle Database", "https://www.oracle.com/database/index.html"),
        ("Oracle MySQL", "https://store.docker.com/images/mysql?tab=description"),
        (
            "Oracle WebLogic Server",
            "http://www.oracle.com/technetwork/middleware/weblogic/overview/index.html",
        ),
        (
            "Oracle Coherence",
            "http://www.oracle.com/technetwork/middleware/coherence/overview/index.html",
        ),
        (
            "Oracle Instant Client",
            "http://www.oracle.com/technetwork/database/features/instant-client/index-097480.html",
        ),
        ("Oracle Java 8 SE (Server JRE)", "https://www.oracle.com/java/index.html"),
    ]
    assert list(oracle.links.values_list("url", "kind")) == [
        (
            "https://store.docker.com/images/oracle-database-enterprise-edition?tab=description",
            "product",
        )
    ]
    assert_says(oracle.note, "the source post's list", "Oracle Linux")


# --- The post's other slips ---------------------------------------------------------------------


def test_the_posts_other_slips_are_noted(dockercon):
    assert "'Blacks Belts'" in Conference.objects.get().note
    assert "'tools for mass innovations'" in announcement("linuxkit").note
