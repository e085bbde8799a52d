"""The public pages: what each shows, and that everything is a few clicks from home."""

import re
from collections import deque

import pytest

from talks.models import Announcement, Speaker, Talk

CONF = "/conferences/dockercon-2017"


def html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def internal_links(page):
    return {href.replace("&amp;", "&") for href in re.findall(r'href="(/[^"#]*)"', page)}


def test_home_lists_conferences_with_their_keynotes_and_announcements(client, dockercon):
    page = html(client, "/")
    assert f'href="{CONF}/"' in page
    assert f'href="{CONF}/talks/day-1-keynote/"' in page
    assert f'href="{CONF}/talks/day-2-keynote/"' in page
    assert f'href="{CONF}/announcements/linuxkit/"' in page
    assert "17 April 2017" in page
    assert "Austin Convention Center, Austin, Texas" in page


def test_conferences_have_their_own_list_which_every_page_links(client, dockercon):
    page = html(client, "/conferences/")
    assert "<h1>Conferences</h1>" in page
    assert f'href="{CONF}/"' in page
    assert "17 April 2017" in page
    # The header's "Conferences" leads there, from every page.
    assert '<a href="/conferences/">Conferences</a>' in html(client, f"{CONF}/talks/")
    assert "There is no page 9" in html(client, "/conferences/?page=9", status=400)


def test_every_talk_speaker_keynote_and_announcement_is_three_clicks_from_home(client, dockercon):
    targets = {talk.get_absolute_url() for talk in Talk.objects.all()}
    targets |= {speaker.get_absolute_url() for speaker in Speaker.objects.all()}
    targets |= {a.get_absolute_url() for a in Announcement.objects.select_related("conference")}
    seen, queue = {"/": 0}, deque(["/"])
    while queue:
        url = queue.popleft()
        if seen[url] == 3 or url.startswith(("/admin", "/static", "/sitemap")):
            continue
        for link in internal_links(html(client, url)):
            if link not in seen:
                seen[link] = seen[url] + 1
                queue.append(link)
    assert targets - set(seen) == set()


def test_conference_page_shows_dates_venue_days_tracks_keynotes_talks_and_resources(
    client, dockercon
):
    page = html(client, f"{CONF}/")
    for text in (
        "Austin Convention Center",
        "Tuesday 18 April 2017",
        f'href="{CONF}/talks/?day=1"',
        f'href="{CONF}/talks/?track=black-belt"',
        "Black Belt",
        "Day 2 Keynote",
        "Container Performance Analysis",
        "The Moby Project",
        "https://hub.docker.com/",
    ):
        assert text in page


def test_conference_page_shows_attendance_and_sources(client, dockercon):
    page = html(client, f"{CONF}/")
    assert "<dt>Attendance</dt><dd>5,500</dd>" in page
    post = '<cite>Dockercon 2017</cite>, by James Strong, <time datetime="2017-05-16">'
    assert f"{post}16 May 2017</time>" in page
    assert "<cite>DockerCon 2017: facts checked against other public sources</cite><br>" in page


def test_talk_page_shows_time_speakers_with_roles_announcements_and_links(client, dockercon):
    page = html(client, f"{CONF}/talks/day-1-keynote/")
    assert '<time datetime="2017-04-18T09:05:00-05:00">09:05</time>' in page
    assert "CDT" in page
    assert "Room</dt><dd>Not announced" in page
    assert 'Solomon Hykes</a><span class="muted">, Founder and CTO, Docker' in page
    assert f'href="{CONF}/announcements/linuxkit/"' in page
    assert "Track</dt><dd>Not announced" in page
    assert f'href="{CONF}/talks/?day=1"' in page


def test_talk_without_day_or_time_says_so(client, dockercon):
    page = html(client, f"{CONF}/talks/deep-dive-in-docker-overlay-networks/")
    assert "Day not announced · time not announced" in page
    assert 'href="https://www.slideshare.net/lbernail/deep-dive-in-docker-overlay-networks"' in page
    assert 'href="https://github.com/lbernail/dockercon2017"' in page


def test_video_is_a_plain_link_and_nothing_loads_from_youtube_up_front(client, dockercon):
    page = html(client, f"{CONF}/talks/container-performance-analysis/")
    assert '<a class="video-play" href="https://www.youtube.com/watch?v=bK9A5ODIgac">' in page
    assert 'data-embed-url="https://www.youtube-nocookie.com/embed/bK9A5ODIgac?autoplay=1"' in page
    assert "<iframe" not in page
    assert 'src="https://www.youtube' not in page
    assert "ytimg" not in page


def test_schedule_groups_by_day_then_track_and_marks_unknown_times(client, dockercon):
    page = html(client, f"{CONF}/schedule/")
    day_1 = page.index("Day 1</a>")
    day_2 = page.index("Day 2</a>")
    unknown_day = page.index("Day not announced")
    assert day_1 < page.index("Day 1 Keynote") < day_2 < page.index("Day 2 Keynote")
    assert day_2 < unknown_day < page.index("Container Performance Analysis")
    assert page.index("Black Belt", unknown_day) > unknown_day
    assert "time not announced" in page
    assert ">09:05</time>" in page


def test_announcements_list_and_page_show_talk_presenters_partners_links_items(client, dockercon):
    listing = html(client, f"{CONF}/announcements/")
    assert listing.count("Announced in the <a") == 4
    page = html(client, f"{CONF}/announcements/oracle-images-in-docker-store/")
    assert f'<a href="{CONF}/talks/day-2-keynote/">Day 2 Keynote</a>' in page
    assert '<a href="/speakers/mark-cavage/">Mark Cavage</a> (Oracle)' in page
    assert "Oracle WebLogic Server" in page
    assert "Oracle Database Enterprise Edition in the Docker Store" in page
    linuxkit = html(client, f"{CONF}/announcements/linuxkit/")
    assert "Linux Foundation" in linuxkit
    assert 'href="https://github.com/linuxkit/linuxkit"' in linuxkit


def test_speakers_list_and_speaker_page_show_role_organization_and_talks(client, dockercon):
    listing = html(client, "/speakers/")
    assert "13 speakers" in listing
    assert 'href="/speakers/brendan-gregg/"' in listing
    page = html(client, "/speakers/ben-golub/")
    assert "CEO" in page
    assert "Docker" in page
    assert "Day 1 Keynote" in page
    assert "Day 2 Keynote" in page
    presenter = html(client, "/speakers/john-gossman/")
    assert f'href="{CONF}/announcements/linux-containers-on-windows/"' in presenter


@pytest.mark.parametrize(
    "url",
    [
        "/conferences/nope/",
        "/conferences/nope/talks/",
        "/conferences/nope/schedule/",
        "/conferences/nope/announcements/",
        f"{CONF}/talks/nope/",
        f"{CONF}/announcements/nope/",
        "/speakers/nope/",
        # Odd segments: slugs are lower case, exports have one extension, a slug has no slash.
        "/conferences/DOCKERCON-2017/",
        f"{CONF}/talks/DAY-1-KEYNOTE/",
        f"{CONF}/schedule.ics.ics",
        f"{CONF}/talks/day-1-keynote/calendar.ics.ics",
        "/conferences/dockercon%2F2017/",
        "/speakers/" + "a" * 5000 + "/",
    ],
)
def test_unknown_entities_in_the_path_are_404_with_a_friendly_page(client, dockercon, url):
    page = html(client, url, status=404)
    assert "Not found" in page
    assert 'href="/"' in page


def test_pages_have_titles_descriptions_canonical_links_and_breadcrumbs(client, dockercon):
    page = html(client, f"{CONF}/talks/day-2-keynote/")
    assert "<title>Day 2 Keynote · DockerCon 2017</title>" in page
    assert '<meta name="description" content="Keynote at DockerCon 2017 by Ben Golub' in page
    assert (
        '<link rel="canonical" href="http://testserver/conferences/dockercon-2017/talks/'
        'day-2-keynote/">' in page
    )
    assert '<nav class="breadcrumbs wrap" aria-label="Breadcrumb">' in page
    assert '<li aria-current="page">Day 2 Keynote</li>' in page


def test_pages_are_served_without_any_third_party_asset(client, dockercon):
    for url in ("/", f"{CONF}/", f"{CONF}/talks/day-1-keynote/", "/speakers/"):
        page = html(client, url)
        assert not re.search(r'(src|href)="https?://[^"]*\.(css|js)"', page)
        assert 'src="http' not in page
