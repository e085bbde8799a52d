"""Pages, exports and feeds are compressed for clients that accept gzip, and still revalidate
with a 304; the API is not, so that its record ETags stay strong for If-Match."""

import gzip

import pytest

CONF = "/conferences/dockercon-2017"
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [f"{CONF}/schedule/", f"{CONF}/schedule.xml", f"{CONF}/talks/", "/announcements/feed/"],
)
def test_a_client_accepting_gzip_gets_the_same_content_compressed(client, dockercon, url):
    plain = client.get(url)
    compressed = client.get(url, **GZIP)
    assert compressed.status_code == 200
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert gzip.decompress(compressed.content) == plain.content
    assert len(compressed.content) < len(plain.content) / 2
    assert "Content-Encoding" not in plain


def test_a_compressed_page_revalidates_with_its_weak_etag(client, dockercon):
    first = client.get(f"{CONF}/schedule/", **GZIP)
    etag = first["ETag"]
    assert etag.startswith('W/"')  # the same content, whatever the encoding
    again = client.get(f"{CONF}/schedule/", HTTP_IF_NONE_MATCH=etag, **GZIP)
    assert again.status_code == 304
    assert again.content == b""
    # The validators a cache pairs with its copy are those of the 200.
    assert again["ETag"] == etag
    assert "Accept-Encoding" in again["Vary"]


def test_the_api_is_not_compressed_so_a_gzip_client_can_still_write(admin_client, dockercon):
    talk = dockercon.talks.order_by("pk").first()
    url = f"/api/v1/talks/{talk.pk}/"
    read = admin_client.get(url, **GZIP)
    assert "Content-Encoding" not in read
    assert not read["ETag"].startswith("W/")
    written = admin_client.patch(
        url,
        {"title": "Retitled"},
        content_type="application/json",
        HTTP_IF_MATCH=read["ETag"],
        **GZIP,
    )
    assert written.status_code == 200
    assert "Content-Encoding" not in written


@pytest.mark.parametrize("revalidation", ["If-None-Match", "If-Modified-Since"])
def test_an_export_revalidates_the_same_way_whatever_the_encoding(client, dockercon, revalidation):
    url = f"{CONF}/schedule.xml"
    plain = client.get(url)
    condition = {
        "If-None-Match": {"HTTP_IF_NONE_MATCH": plain["ETag"]},
        "If-Modified-Since": {"HTTP_IF_MODIFIED_SINCE": plain["Last-Modified"]},
    }[revalidation]
    compressed = client.get(url, **GZIP)
    for encoding, etag in (({}, plain["ETag"]), (GZIP, compressed["ETag"])):
        again = client.get(url, **condition, **encoding)
        assert again.status_code == 304
        assert again["ETag"] == etag  # as the 200 in that encoding says it
        assert "Accept-Encoding" in again["Vary"]
    assert compressed["ETag"] == f"W/{plain['ETag']}"
