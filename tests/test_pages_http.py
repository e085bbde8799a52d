"""HTTP behaviour of the pages: caching headers, structured data, sitemap, static files."""

import json
import re

import pytest

from talks.video import embed_url, youtube_video_id
from tests.builders import make_conference, make_talk
from tests.sitemap_reader import every_sitemap_entry

CONF = "/conferences/dockercon-2017"


def json_ld(page):
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return block, json.loads(block)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        f"{CONF}/",
        f"{CONF}/schedule/",
        f"{CONF}/talks/?track=black-belt",
        f"{CONF}/talks/day-1-keynote/",
        f"{CONF}/announcements/",
        f"{CONF}/announcements/moby-project/",
        "/speakers/",
        "/speakers/brendan-gregg/",
        "/my-schedule/",
    ],
)
def test_html_pages_are_revalidated_on_every_visit(client, dockercon, url):
    response = client.get(url)
    assert response.status_code == 200
    # Stored by shared caches, but never shown again without asking: edits show at once.
    assert set(response["Cache-Control"].split(", ")) == {"public", "no-cache"}
    again = client.get(url, headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    if response.has_header("Last-Modified"):
        since = client.get(url, headers={"If-Modified-Since": response["Last-Modified"]})
        assert since.status_code == 304


def test_conference_page_carries_schema_org_event_data(client, dockercon):
    _, data = json_ld(client.get(f"{CONF}/").content.decode())
    assert data["@type"] == "Event"
    assert data["name"] == "DockerCon 2017"
    assert (data["startDate"], data["endDate"]) == ("2017-04-17", "2017-04-20")
    assert data["location"]["name"] == "Austin Convention Center"
    assert data["location"]["address"]["addressLocality"] == "Austin"


def test_talk_event_data_holds_only_known_facts(client, dockercon):
    _, keynote = json_ld(client.get(f"{CONF}/talks/day-2-keynote/").content.decode())
    assert keynote["startDate"] == "2017-04-19T09:03:00-05:00"
    assert "endDate" not in keynote
    assert keynote["superEvent"]["name"] == "DockerCon 2017"
    assert [p["name"] for p in keynote["performer"]][:2] == ["Ben Golub", "Swamy Kocherlakota"]
    _, undated = json_ld(
        client.get(f"{CONF}/talks/container-performance-analysis/").content.decode()
    )
    assert "startDate" not in undated


@pytest.mark.django_db
def test_structured_data_cannot_break_out_of_its_script_tag(client):
    conference = make_conference(name="Evil </script><script>alert(1)</script> & Co")
    talk = make_talk(conference, title="</script><img src=x onerror=alert(1)>")
    for url in (conference.get_absolute_url(), talk.get_absolute_url()):
        page = client.get(url).content.decode()
        block, data = json_ld(page)
        assert "<" not in block
        assert ">" not in block
        assert "</script><script>alert(1)" not in page
        assert "<img src=x" not in page
    assert data["name"] == "</script><img src=x onerror=alert(1)>"


def test_sitemap_lists_every_public_page(client, dockercon):
    entries = every_sitemap_entry(client)
    for path in (
        "/",
        "/speakers/",
        f"{CONF}/",
        f"{CONF}/talks/",
        f"{CONF}/schedule/",
        f"{CONF}/announcements/",
        f"{CONF}/talks/day-1-keynote/",
        f"{CONF}/announcements/moby-project/",
        "/speakers/laurent-bernaille/",
    ):
        assert path in entries


def test_own_css_and_js_are_served_locally(client):
    for path in ("/static/talks/site.css", "/static/talks/site.js"):
        response = client.get(path)
        assert response.status_code == 200
        assert b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("url", "video_id"),
    [
        ("https://www.youtube.com/watch?v=hwkqju_BXEo", "hwkqju_BXEo"),
        ("https://youtu.be/b3XDl0YsVsg", "b3XDl0YsVsg"),
        ("https://www.youtube.com/embed/2DUZ4Z6SYGg", "2DUZ4Z6SYGg"),
        ("https://vimeo.com/123", None),
        ("https://www.youtube.com/watch?v=%22%3E%3Cscript%3E", None),
        ("", None),
    ],
)
def test_only_real_youtube_ids_become_embeds(url, video_id):
    assert youtube_video_id(url) == video_id
    expected = f"https://www.youtube-nocookie.com/embed/{video_id}?autoplay=1" if video_id else None
    assert embed_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "/conferences/dockercon-2017/schedule.ics",
        "/conferences/dockercon-2017/schedule.xml",
        "/conferences/dockercon-2017/schedule.json",
        "/conferences/dockercon-2017/talks/day-1-keynote/calendar.ics",
        "/announcements/feed/",
        "/conferences/dockercon-2017/talks/feed/",
        "/speakers/brendan-gregg/feed/",
        "/sitemap.xml",
    ],
)
def test_exports_and_feeds_are_cacheable_and_revalidate(client, dockercon, url):
    response = client.get(url)
    assert response.status_code == 200
    # Polled by calendar apps and feed readers: they may be a few minutes behind.
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=300"}
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


@pytest.mark.parametrize("url", [f"{CONF}/talks/", f"{CONF}/schedule.ics", "/announcements/feed/"])
@pytest.mark.parametrize(
    "header",
    [
        {"If-Modified-Since": "yesterday"},
        {"If-Modified-Since": "9" * 5000},
        {"If-None-Match": "not-an-etag"},
        {"If-None-Match": 'W/"x", ' * 2000},
    ],
)
def test_garbage_conditional_headers_get_the_full_response(client, dockercon, url, header):
    response = client.get(url, headers=header)
    assert response.status_code == 200
    assert response.content == client.get(url).content


@pytest.mark.parametrize(
    "url", ["/", f"{CONF}/talks/", f"{CONF}/schedule.ics", "/announcements/feed/", "/sitemap.xml"]
)
def test_public_urls_are_read_only(client, dockercon, url):
    for refused in (client.post(url), client.options(url), client.delete(url)):
        assert refused.status_code == 405
        assert refused["Allow"] == "GET, HEAD"


def test_pages_link_a_favicon_and_a_web_app_manifest_that_are_served(client, dockercon):
    page = client.get(f"{CONF}/").content.decode()
    (icon,) = re.findall(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    (manifest_url,) = re.findall(r'<link rel="manifest" href="([^"]+)">', page)

    icon_response = client.get(icon)
    assert icon_response.status_code == 200
    assert icon_response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in b"".join(icon_response.streaming_content)

    response = client.get(manifest_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "Conference Talks Catalog"
    assert manifest["start_url"] == "/"
    assert [entry["src"] for entry in manifest["icons"]] == [icon]
