"""Video stills (issue 18, point 5): fetch_thumbnails copies each talk's still once from a real
local HTTP server, re-encodes it small without metadata, stores it through the storage API,
lists what failed, resumes; pages show our copy, from our origin, lazy and sized."""

import io
import json

import pytest
from django.core.management import call_command
from PIL import Image

from talks.models import Talk
from tests.builders import make_conference, make_talk
from tests.test_import_pyvideo import a_video, run_import, write_event_folder
from tests.test_sync_schedules import server  # noqa: F401 (a fixture: a real HTTP server)


def a_jpeg(width=1280, height=720, exif=True):
    image = Image.new("RGB", (width, height), (200, 60, 30))
    out = io.BytesIO()
    extra = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "Secret camera maker"  # Make
        extra["exif"] = data.tobytes()
    image.save(out, "JPEG", **extra)
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def fetch(*args):
    out = io.StringIO()
    call_command("fetch_thumbnails", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def talks(db, server):  # noqa: F811
    server.files["/good.jpg"] = (200, a_jpeg(), True)
    # A picture with 600 KB of padding after it: readable, but over a 500 KB limit.
    server.files["/huge.jpg"] = (200, a_jpeg(exif=False) + b"\0" * 600_000, True)
    server.files["/text.jpg"] = (200, b"<html>not a picture</html>", True)
    conference = make_conference(slug="stills")
    video = "https://www.youtube.com/watch?v=abc"
    return {
        name: make_talk(
            conference,
            title=f"Talk with {name}",
            video_url=video,
            thumbnail_url=f"{server.url}/{name}.jpg" if name != "none" else "",
        )
        for name in ("good", "huge", "text", "missing", "none")
    }


def test_stills_are_copied_small_without_metadata_and_failures_listed(media, talks, server):  # noqa: F811
    output = fetch("--max-bytes", "500000")

    good = Talk.objects.get(pk=talks["good"].pk)
    assert good.thumbnail.name.startswith("thumbnails/")
    with Image.open(media / good.thumbnail.name) as copy:
        assert copy.format == "WEBP"
        assert copy.size == (640, 360) == (good.thumbnail_width, good.thumbnail_height)
        assert not copy.getexif()
    assert b"Secret camera maker" not in (media / good.thumbnail.name).read_bytes()
    lines = {line.split(":", 1)[0]: line for line in output.splitlines()}
    assert "not an image" in lines[f"talk {talks['text'].pk}"]
    assert "404" in lines[f"talk {talks['missing'].pk}"]
    assert "over the limit of 500,000" in lines[f"talk {talks['huge'].pk}"]
    assert "1 stills copied, 3 failed (tried again next run)." in output


def test_a_second_run_fetches_only_what_is_missing(media, talks, server):  # noqa: F811
    fetch()
    asked = len(server.requests)

    output = fetch()

    assert "2 stills to copy" in output  # the two that failed (text, missing); huge passed
    assert len(server.requests) == asked + 2


def test_pages_show_our_copy_lazily_and_sized(client, media, talks):
    fetch()
    good = Talk.objects.get(pk=talks["good"].pk)

    page = client.get(good.get_absolute_url()).content.decode()
    assert (
        f'<img src="{good.still_url}" width="640" height="360" alt="Still from the video"' in page
    )
    assert 'loading="lazy"' in page
    assert "127.0.0.1:" not in page  # nothing from the still's host
    listed = client.get("/conferences/stills/talks/").content.decode()
    assert f'<img class="still" src="{good.still_url}" width="640" height="360"' in listed
    assert listed.count('class="still"') == 2  # good and huge; the others keep no picture
    still = client.get(good.still_url)
    assert still.status_code == 200
    assert still["Content-Type"] == "image/webp"
    assert "immutable" in still["Cache-Control"]


def test_a_private_address_is_refused_unless_allowed(settings, media, talks):
    settings.CATALOG_ALLOW_PRIVATE_SOURCES = False

    output = fetch()

    assert "loopback, private or link-local address" in output
    assert not Talk.objects.exclude(thumbnail="").exists()


@pytest.mark.parametrize("name", ["../secret.webp", "1-abc.webp", "x.png"])
def test_only_our_copies_are_served(client, db, name):
    assert client.get(f"/media/thumbnails/{name}").status_code == 404


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (a_jpeg()[:2000], "cannot be decoded"),  # cut short
        (b"BM" + b"\0" * 200, "not an image that can be read"),  # a format never tried
    ],
)
def test_a_broken_still_is_listed_and_the_run_goes_on(media, talks, server, body, reason):  # noqa: F811
    server.files["/text.jpg"] = (200, body, True)

    output = fetch()

    assert reason in output
    assert Talk.objects.exclude(thumbnail="").count() == 2  # good and huge


def test_a_still_the_source_drops_leaves_the_page(db, media, talks, tmp_path):
    video = a_video(thumbnail_url="https://i.ytimg.com/vi/x/hq.jpg")
    folder = write_event_folder(tmp_path, "con", {"con-x": video})
    run_import(folder)
    talk = Talk.objects.get(guid="con-x")
    Talk.everything.filter(pk=talk.pk).update(
        thumbnail="thumbnails/1-abcdefabcdef.webp", thumbnail_source=talk.thumbnail_url
    )
    (folder / "videos" / "con-x.json").write_text(json.dumps(a_video()))

    run_import(folder)

    talk.refresh_from_db()
    assert (talk.thumbnail_url, talk.thumbnail.name) == ("", "")
