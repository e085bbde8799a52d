"""The talk list's filters, and what bad input in the query string gets: a message, never a 500."""

import re

import pytest

from talks.views.talk_filters import SPEAKER_CHOICES_MAX
from tests.builders import make_catalog

TALKS = "/conferences/dockercon-2017/talks/"


def titles(page):
    return re.findall(r'<h3 class="talk-title"><a href="[^"]+">([^<]+)</a>', page)


@pytest.fixture
def get(client):
    """The talk list's HTML for a query string, after checking the status."""

    def get(query, status=200):
        response = client.get(TALKS + query)
        assert response.status_code == status, query
        return response.content.decode()

    return get


def test_without_filters_every_talk_is_listed_in_schedule_order(get, dockercon):
    assert titles(get("")) == [
        "Day 1 Keynote",
        "Day 2 Keynote",
        "Container Performance Analysis",
        "Deep Dive in Docker Overlay Networks",
    ]


@pytest.mark.parametrize("day", ["1", "2017-04-18"])
def test_day_filter_by_number_or_date_shows_only_that_days_keynote(get, dockercon, day):
    response = get(f"?day={day}")
    assert titles(response) == ["Day 1 Keynote"]
    assert "1 talk matching" in response


def test_track_filter_shows_both_black_belt_talks(get, dockercon):
    assert titles(get("?track=black-belt")) == [
        "Container Performance Analysis",
        "Deep Dive in Docker Overlay Networks",
    ]


def test_kind_speaker_and_search_filters_combine(get, dockercon):
    assert titles(get("?kind=keynote")) == ["Day 1 Keynote", "Day 2 Keynote"]
    assert titles(get("?speaker=ben-golub&day=2")) == ["Day 2 Keynote"]
    assert titles(get("?q=overlay")) == ["Deep Dive in Docker Overlay Networks"]
    assert titles(get("?q=gregg")) == ["Container Performance Analysis"]
    assert titles(get("?search=gregg")) == ["Container Performance Analysis"]
    assert titles(get("?q=linuxkit&kind=keynote")) == ["Day 1 Keynote"]


def test_active_filters_are_shown_each_with_a_link_that_clears_it(get, dockercon):
    page = get("?track=black-belt&q=overlay&page=1")
    assert "Track: <strong>Black Belt</strong>" in page
    assert "Search: <strong>“overlay”</strong>" in page
    assert '<a href="?q=overlay" aria-label="Remove the filter Track: Black Belt">' in page
    assert '<a href="?track=black-belt" aria-label="Remove the filter Search: “overlay”">' in page
    assert f'<a href="{TALKS}">Clear all filters</a>' in page


def test_talks_chosen_by_id_are_an_active_filter_too(get, dockercon):
    keynotes = list(dockercon.talks.filter(kind="keynote").order_by("pk")[:2])
    page = get(f"?talk={keynotes[0].pk}&talk={keynotes[1].pk}")
    assert titles(page) == sorted(talk.title for talk in keynotes)
    assert "Chosen talks: <strong>2 talks by id</strong>" in page
    assert '<a href="?" aria-label="Remove the filter Chosen talks: 2 talks by id">' in page


def test_the_form_is_a_plain_get_form_with_the_current_values_selected(get, dockercon):
    page = get("?track=black-belt&day=1")
    assert f'<form class="filters" method="get" action="{TALKS}"' in page
    assert '<option value="black-belt" selected>Black Belt (2 talks)</option>' in page
    assert '<option value="1" selected>Day 1, Tue 18 Apr (1 talk)</option>' in page
    assert '<option value="ben-golub">Ben Golub</option>' in page


@pytest.mark.parametrize(
    ("query", "status", "folded"),
    [
        ("", 200, True),
        ("?page=1", 200, True),
        ("?track=black-belt", 200, False),
        ("?day=9", 400, False),
    ],
)
def test_the_form_is_folded_unless_a_filter_is_applied_or_wrong(
    get, dockercon, query, status, folded
):
    page = get(query, status=status)
    (panel,) = re.findall(r'<details class="filter-panel"( open)?>\s*<summary>Filter\b', page)
    assert (panel == "") is folded


def test_no_match_shows_an_empty_state_that_says_what_to_try(get, dockercon):
    page = get("?q=kubernetes")
    assert "0 talks matching" in page
    assert "No talk matches all of these filters." in page
    assert "Try fewer words" in page


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        ("?day=9", "day", "No day “9” in DockerCon 2017."),
        ("?day=2017-02-30", "day", "Enter a day number (e.g. 2) or an ISO date"),
        ("?day=yesterday", "day", "Enter a day number (e.g. 2) or an ISO date"),
        ("?track=nope", "track", "No track “nope” in DockerCon 2017."),
        ("?speaker=nobody", "speaker", "No speaker “nobody” in DockerCon 2017."),
        ("?kind=poster", "kind", "Select a valid choice."),
        ("?track=%3Cb%3E", "track", "Enter a valid “slug”"),
    ],
)
def test_bad_filter_values_give_400_with_a_message_and_the_list(
    get, dockercon, query, parameter, message
):
    page = get(query, status=400)
    assert f"<li><strong>{parameter}</strong>: {message}" in page
    assert "This filter was ignored." in page
    assert len(titles(page)) == 4
    assert '<meta name="robots" content="noindex">' in page


def test_a_bad_value_is_ignored_while_the_good_ones_still_filter(get, dockercon):
    response = get("?track=black-belt&day=42", status=400)
    assert titles(response) == [
        "Container Performance Analysis",
        "Deep Dive in Docker Overlay Networks",
    ]
    assert "Day: <strong>42</strong> (ignored)" in response


def test_markup_in_the_search_is_escaped_everywhere(get, dockercon):
    page = get("?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_an_overlong_search_is_a_message_not_a_crash(get, dockercon):
    page = get("?q=" + "x" * 500, status=400)
    assert "<strong>q</strong>: Ensure this value has at most 200 characters" in page


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("99999999999999999999", "is not a page number; showing page 1."),
        ("abc", "“abc” is not a page number; showing page 1."),
        ("0", "Pages start at 1; showing page 1."),
        ("7", "There is no page 7; showing page 1 of 1."),
        ("7&page=1", "Give the page number once; showing page 1."),
    ],
)
def test_bad_page_numbers_show_a_page_with_a_message(get, dockercon, page, message):
    response = get(f"?page={page}", status=400)
    assert message in response
    assert len(titles(response)) == 4


@pytest.mark.django_db
def test_long_lists_are_paginated_and_keep_the_filters(client):
    conference = make_catalog(60)
    url = f"/conferences/{conference.slug}/talks/"
    first = client.get(url + "?track=main").content.decode()
    assert "30 talks matching" in first
    assert "Page 1 of 2" in first
    assert 'href="?track=main&amp;page=2" rel="next"' in first
    assert len(titles(first)) == 20
    second = client.get(url + "?track=main&page=2").content.decode()
    assert "Page 2 of 2" in second
    assert '<link rel="canonical" href="http://testserver' + url + '?track=main&amp;page=2">' in (
        second
    )


def test_empty_form_fields_redirect_to_the_short_shareable_url(client, dockercon):
    response = client.get(TALKS + "?q=&day=1&track=&kind=&speaker=")
    assert response.status_code == 302
    assert response["Location"] == TALKS + "?day=1"
    assert client.get(TALKS + "?q=&track=")["Location"] == TALKS


def test_an_empty_ordering_keeps_the_schedule_order(client, dockercon):
    url = "/conferences/dockercon-2017/talks/"
    # The page's (id, conference id) rows, in order.
    default = list(client.get(url).context["page"])
    assert list(client.get(url, {"ordering": ","}).context["page"]) == default


def test_a_conference_with_very_many_speakers_gets_a_speaker_text_field(db, client):
    conference = make_catalog(SPEAKER_CHOICES_MAX, speakers_per_talk=2)
    page = client.get(f"/conferences/{conference.slug}/talks/").content.decode()
    assert '<select name="speaker"' not in page
    assert '<input type="text" name="speaker"' in page
    assert "The slug in the address of the speaker's page." in page


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("day=1&day=2", "day"),
        ("track=black-belt&track=using-docker", "track"),
        ("q=overlay&search=performance", "search"),
    ],
)
def test_no_value_is_silently_dropped(client, dockercon, query, parameter):
    page = client.get(f"/conferences/dockercon-2017/talks/?{query}")
    assert page.status_code == 400
    assert parameter in page.context["filter_errors"]
    api = client.get(f"/api/v1/talks/?conference=dockercon-2017&{query}")
    assert api.status_code == 400
    assert parameter in api.json()


def test_q_and_search_with_the_same_words_agree(client, dockercon):
    response = client.get("/api/v1/talks/?q=overlay&search=overlay")
    assert response.status_code == 200
    assert response.json()["count"] == 1
