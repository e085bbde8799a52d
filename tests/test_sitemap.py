"""The sitemap index: a sitemap per kind of page, each in pages of a bounded size."""

import datetime

import pytest
from django.utils.http import http_date, parse_http_date

from talks.freshness import catalog_last_change
from talks.models import Talk
from talks.sitemaps import CatalogSitemap
from tests.builders import MARKS_QUERY, make_catalog, make_conference
from tests.sitemap_reader import every_sitemap_entry, sitemap_entries, sitemap_pages

pytestmark = pytest.mark.django_db


def test_the_index_lists_a_sitemap_for_each_kind_of_page(client, dockercon):
    assert sitemap_pages(client) == [
        "/sitemap-pages.xml",
        "/sitemap-conferences.xml",
        "/sitemap-talks.xml",
        "/sitemap-speakers.xml",
        "/sitemap-announcements.xml",
    ]
    response = client.get("/sitemap.xml")
    assert response["Content-Type"] == "application/xml"
    assert response["X-Robots-Tag"] == "noindex, noodp, noarchive"
    # It lists the whole catalog: it is dated by the catalog's last change.
    assert response["Last-Modified"] == http_date(catalog_last_change().timestamp())


def test_a_kind_without_pages_is_left_out_of_the_index(client):
    make_conference(slug="empty")  # no talks, speakers or announcements
    assert sitemap_pages(client) == ["/sitemap-pages.xml", "/sitemap-conferences.xml"]
    assert every_sitemap_entry(client)["/conferences/empty/"]
    assert client.get("/sitemap-talks.xml").status_code == 404  # an empty urlset is not valid


def test_a_large_kind_is_split_into_pages_that_miss_and_repeat_nothing(
    client, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(CatalogSitemap, "limit", 4)
    conference = make_catalog(10)
    with django_assert_max_num_queries(8 + MARKS_QUERY):
        pages = sitemap_pages(client)
    talk_pages = [page for page in pages if page.startswith("/sitemap-talks.xml")]
    assert talk_pages == [
        "/sitemap-talks.xml",
        "/sitemap-talks.xml?p=2",
        "/sitemap-talks.xml?p=3",
    ]
    listed = []
    for page in talk_pages:
        with django_assert_max_num_queries(2 + MARKS_QUERY):
            entries = sitemap_entries(client, page)
        assert len(entries) <= 4
        listed += [path for path, _ in entries]
    talks = Talk.objects.filter(conference=conference).order_by("slug")
    assert listed == [talk.get_absolute_url() for talk in talks]


@pytest.mark.parametrize(
    "page",
    [
        "/sitemap-talks.xml?p=3",
        "/sitemap-talks.xml?p=two",
        "/sitemap-rooms.xml",
        # Page 1 under other names: int() reads other scripts' digits, and would take the last p.
        "/sitemap-talks.xml?p=\u0661",
        "/sitemap-talks.xml?p=\U0001d7cf",
        "/sitemap-talks.xml?p=3&p=1",
    ],
)
def test_a_page_or_kind_that_does_not_exist_is_a_404(client, dockercon, page):
    response = client.get(page)
    assert response.status_code == 404
    assert "text/html" in response["Content-Type"]  # the site's own 404 page


def test_a_sitemap_page_is_dated_by_its_newest_entry(client, dockercon):
    entries = sitemap_entries(client, "/sitemap-speakers.xml")
    response = client.get("/sitemap-speakers.xml")
    modified = datetime.datetime.fromtimestamp(
        parse_http_date(response["Last-Modified"]), datetime.UTC
    )
    assert modified.date().isoformat() == max(lastmod for _, lastmod in entries)
