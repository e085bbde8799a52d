"""Each page's SQL query count stays the same however many rows it shows."""

import datetime

import pytest
from django.utils import timezone

from talks.models import Conference, Speaker, Talk, TalkKind
from tests.builders import MARKS_QUERY, make_announcement, make_catalog


def catalog_with_highlights(talk_count):
    conference = make_catalog(talk_count)
    talks = list(Talk.objects.filter(conference=conference))
    for talk in talks[:3]:
        talk.kind = TalkKind.KEYNOTE
        talk.save()
    for talk in talks[:10]:
        make_announcement(conference, talk=talk, presenters=talk.speakers.all())
    return conference


def pages(conference):
    talk = Talk.objects.filter(conference=conference).first()
    announcement = conference.announcements.first()
    speaker = Speaker.objects.filter(talks__conference=conference).first()
    base = f"/conferences/{conference.slug}"
    # A conference's pages date themselves by one query of their own (Conference.newest_change).
    return {
        "home": ("/", 9),
        # The count, the page of conferences with their talk counts, the page's date.
        "conferences": ("/conferences/", 4),
        "conference": (f"{base}/", 16),
        # The page's talks as rows, then their marks, then those no kept item holds.
        # The talk lists' filters offer the conference's topics and languages: two queries.
        "talk list": (f"{base}/talks/", 13),
        "talk list, filtered": (f"{base}/talks/?day=1&track=main&q=talk&page=2", 15),
        "talk list, bad values": (f"{base}/talks/?day=9&track=nope&speaker=x", 16),
        # The talk's id and its marks; on a miss, the talk, its speakers, links, announcements.
        # Then its topics, and what it suggests (its speakers' other talks, the marks and
        # items of those), bounded whatever the rows (the searches: tests/test_watch_next.py).
        "talk": (talk.get_absolute_url(), 12),
        "schedule": (f"{base}/schedule/", 5),
        "announcements": (f"{base}/announcements/", 5),
        "announcement": (announcement.get_absolute_url(), 5),
        "speakers": ("/speakers/", 4),
        "speakers of a conference": (f"/speakers/?conference={conference.slug}", 5),
        # The speaker's id, their talks' ids, their announcements' conferences, the marks; on
        # a miss, the speaker with links and announcements, a page of talks with speakers.
        "speaker": (speaker.get_absolute_url(), 10),
        "speaker, page 2": (f"{speaker.get_absolute_url()}?page=2", 10),
        "sitemap": ("/sitemap.xml", 10),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("size", [5, 60])
def test_query_counts_do_not_grow_with_the_rows_shown(client, django_assert_max_num_queries, size):
    conference = catalog_with_highlights(size)
    for name, (url, limit) in pages(conference).items():
        with django_assert_max_num_queries(limit + MARKS_QUERY, info=name):
            response = client.get(url)
        assert response.status_code in (200, 400), name


@pytest.mark.django_db
def test_home_query_count_does_not_grow_with_conferences(client, django_assert_max_num_queries):
    today = timezone.localdate()
    for offset in (-400, -300, -200, -100, 100, 200, 300, 400):
        conference = catalog_with_highlights(8)
        start = today + datetime.timedelta(days=offset)
        Conference.objects.filter(pk=conference.pk).update(
            start_date=start, end_date=start + datetime.timedelta(days=1)
        )
    with django_assert_max_num_queries(9 + MARKS_QUERY):
        page = client.get("/").content.decode()
    # Three recent and three coming conferences with highlights; all eight in the list.
    assert page.count('class="card conference-card"') == 6
    all_conferences = page.split('id="all-conferences"')[1]
    assert all_conferences.count('<li><a href="/conferences/conf-') == 8
