"""Every API list and detail answers in a fixed number of SQL queries, however many rows."""

import datetime

import pytest
from django.utils import timezone

from talks.freshness import catalog_changes
from talks.models import Announcement, AnnouncementItem, AnnouncementLink, Organization, Talk
from tests.builders import MARKS_QUERY, make_catalog, make_conference, make_day, make_talk

API = "/api/v1"


@pytest.fixture
@catalog_changes()
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


# The ceilings include the filter checks (e.g. that the conference exists) and the count query;
# speaker lists one more, the epoch their JSON fragments are kept under; talk lists two more,
# the page's (id, conference) rows and the marks their JSON fragments are kept under, before
# the records that no fragment holds.
LISTS = [
    ("conferences", {}, 6),
    ("days", {"conference": "{conference}"}, 3),
    ("tracks", {"conference": "{conference}"}, 3),
    # One query more than the others for talks and keynotes: their topics.
    ("talks", {"conference": "{conference}", "day": "1", "track": "main"}, 9),
    ("keynotes", {}, 6),
    ("speakers", {"conference": "{conference}"}, 6),
    ("announcements", {"conference": "{conference}"}, 7),
]


@pytest.mark.parametrize(("path", "params", "ceiling"), LISTS)
def test_list_queries_do_not_grow_with_rows(
    client, big_catalog, django_assert_max_num_queries, path, params, ceiling
):
    params = {k: v.format(conference=big_catalog.slug) for k, v in params.items()}
    with django_assert_max_num_queries(ceiling + MARKS_QUERY):
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
        ("talks", "id", 5),
        ("speakers", "slug", 3),
        ("announcements", "id", 5),
    ],
)
def test_detail_queries_are_fixed(
    client, big_catalog, django_assert_max_num_queries, path, key, ceiling
):
    lookup = first(client, path, key)
    with django_assert_max_num_queries(ceiling + MARKS_QUERY):
        response = client.get(f"{API}/{path}/{lookup}/")
    assert response.status_code == 200


def test_keynote_detail_queries_are_fixed(client, big_catalog, django_assert_max_num_queries):
    talk = Talk.objects.filter(conference=big_catalog, kind="keynote").first()
    # As a talk's detail: the row, its speakers, topics, links and announcements.
    with django_assert_max_num_queries(5 + MARKS_QUERY):
        response = client.get(f"{API}/keynotes/{talk.pk}/")
    assert response.status_code == 200


@pytest.fixture
def several_conferences(db):
    """Conferences in every position of the catalog order: undated, sharing a date (then by
    name), without talks; talks with and without a day or a start, two of each kind."""
    conferences = [
        make_conference(name="Beta", start_date=datetime.date(2024, 5, 6)),
        make_conference(name="Alpha", start_date=datetime.date(2024, 5, 6)),
        make_conference(name="Undated", start_date=None, end_date=None),
        make_conference(name="Newest", start_date=datetime.date(2025, 1, 1)),
        make_conference(name="Empty", start_date=datetime.date(2023, 1, 1)),
    ]
    for size, conference in zip((5, 3, 4, 6), conferences, strict=False):
        day = make_day(conference, 1, date=None)
        for index in range(size):
            starts_at = timezone.now() - datetime.timedelta(hours=index) if index % 3 else None
            make_talk(
                conference,
                title=f"T{index % 2}",
                day=day if index % 2 else None,
                starts_at=starts_at,
                kind="keynote" if index < 2 else "session",
            )
    return conferences


@pytest.mark.parametrize(
    ("path", "params", "talks"),
    [
        ("talks", {}, Talk.objects.all),
        ("keynotes", {}, Talk.objects.keynotes),
        ("talks", {"kind": "session"}, lambda: Talk.objects.filter(kind="session")),
    ],
)
@pytest.mark.parametrize("page_size", [1, 3, 7, 100])
def test_pages_of_the_catalog_order_list_every_talk_once_in_order(
    client, several_conferences, django_assert_max_num_queries, path, params, talks, page_size
):
    shown, page = [], 1
    while True:
        # The talks are counted per conference (in place of the count), then the page's rows,
        # their marks, and the talks not kept yet with their speakers and topics: six
        # queries, the filter checks aside.
        with django_assert_max_num_queries(6 + MARKS_QUERY):
            response = client.get(
                f"{API}/{path}/", {**params, "page_size": page_size, "page": page}
            )
        body = response.json()
        shown += [talk["id"] for talk in body["results"]]
        if body["next"] is None:
            break
        page += 1
    expected = list(talks().in_catalog_order().values_list("pk", flat=True))
    assert shown == expected
    assert body["count"] == len(expected)
