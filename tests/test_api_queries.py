"""Every API list and detail answers in a fixed number of SQL queries, however many rows."""

import pytest

from talks.models import Announcement, AnnouncementItem, AnnouncementLink, Organization, Talk
from tests.builders import make_catalog

API = "/api/v1"


@pytest.fixture
def big_catalog(db):
    """60 talks (12 keynotes) with two speakers each, all in an organization, and announcements."""
    conference = make_catalog(60)
    organization = Organization.objects.create(slug="acme", name="Acme")
    talks = list(Talk.objects.filter(conference=conference))
    for talk in talks:
        talk.speakers.update(organization=organization)
    Talk.objects.filter(pk__in=[talk.pk for talk in talks[::5]]).update(kind="keynote")
    for index, talk in enumerate(talks[:30]):
        announcement = Announcement.objects.create(
            conference=conference, slug=f"news-{index}", title=f"News {index}", talk=talk
        )
        announcement.presenters.set(talk.speakers.all())
        announcement.partners.set([organization])
        AnnouncementLink.objects.create(announcement=announcement, url="https://example.org/")
        AnnouncementItem.objects.create(announcement=announcement, name="Item")
    return conference


def first(client, path, key="id"):
    return client.get(f"{API}/{path}/", {"page_size": 1}).json()["results"][0][key]


# The ceilings include the filter checks (e.g. that the conference exists) and the count query.
LISTS = [
    ("conferences", {}, 6),
    ("days", {"conference": "{conference}"}, 3),
    ("tracks", {"conference": "{conference}"}, 3),
    ("talks", {"conference": "{conference}", "day": "1", "track": "main"}, 6),
    ("keynotes", {}, 3),
    ("speakers", {"conference": "{conference}"}, 5),
    ("announcements", {"conference": "{conference}"}, 7),
]


@pytest.mark.parametrize(("path", "params", "ceiling"), LISTS)
def test_list_queries_do_not_grow_with_rows(
    client, big_catalog, django_assert_max_num_queries, path, params, ceiling
):
    params = {k: v.format(conference=big_catalog.slug) for k, v in params.items()}
    with django_assert_max_num_queries(ceiling):
        response = client.get(f"{API}/{path}/", {**params, "page_size": 100})
    assert response.status_code == 200


def test_the_lists_are_full(client, big_catalog):
    assert client.get(f"{API}/talks/", {"page_size": 100}).json()["count"] == 60
    assert client.get(f"{API}/keynotes/", {"page_size": 100}).json()["count"] == 12


@pytest.mark.parametrize(
    ("path", "key", "ceiling"),
    [
        ("conferences", "slug", 5),
        ("days", "id", 1),
        ("tracks", "id", 1),
        ("talks", "id", 4),
        ("speakers", "slug", 3),
        ("announcements", "id", 5),
    ],
)
def test_detail_queries_are_fixed(
    client, big_catalog, django_assert_max_num_queries, path, key, ceiling
):
    lookup = first(client, path, key)
    with django_assert_max_num_queries(ceiling):
        response = client.get(f"{API}/{path}/{lookup}/")
    assert response.status_code == 200


def test_keynote_detail_queries_are_fixed(client, big_catalog, django_assert_max_num_queries):
    talk = Talk.objects.filter(conference=big_catalog, kind="keynote").first()
    # As a talk's detail: the row, its speakers, links and announcements.
    with django_assert_max_num_queries(4):
        response = client.get(f"{API}/keynotes/{talk.pk}/")
    assert response.status_code == 200
