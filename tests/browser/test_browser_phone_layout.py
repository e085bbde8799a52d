"""Content first on a phone (issue 10, point 2): the first screen of the schedule, the talk list
and the conference page shows talks, days and tracks, not forms and export links."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.builders import (
    make_announcement,
    make_conference,
    make_day,
    make_speaker,
    make_talk,
    make_track,
)

pytestmark = pytest.mark.browser

CONF = "/conferences/dockercon-2017"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SCREENS = {"phone": PHONE, "desktop": DESKTOP}


@pytest.fixture
def open_page(browser):
    """Opens a page in a new context of the given screen size, closing the contexts at the end."""
    contexts = []

    def open_page(viewport, javascript=True):
        context = browser.new_context(
            viewport=viewport,
            is_mobile=viewport is PHONE,
            has_touch=viewport is PHONE,
            java_script_enabled=javascript,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def assert_on_first_screen(locator, viewport):
    """The element starts above the bottom edge of the screen, before any scrolling."""
    box = locator.bounding_box()
    assert box is not None, "the element is not displayed"
    assert box["y"] < viewport["height"], box


def audit(page):
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("screen", SCREENS)
def test_the_schedule_starts_with_the_first_days_first_talk(open_page, site, screen):
    page = open_page(SCREENS[screen])
    page.goto(site + f"{CONF}/schedule/")
    first_day = page.locator("section.schedule-day").first
    assert first_day.get_by_role("heading", level=2).inner_text().startswith("Day 1:")
    first_talk = first_day.locator("ol.schedule > li").first
    assert first_talk.get_by_role("link").first.inner_text() == "Day 1 Keynote"
    assert_on_first_screen(first_talk, SCREENS[screen])
    # The exports follow the schedule, and the top of the page says where they are.
    exports = page.locator("section.exports")
    assert exports.bounding_box()["y"] > first_talk.bounding_box()["y"]
    page.get_by_role("link", name="Calendar, schedule files and feed").click()
    page.wait_for_function("location.hash === '#exports'")


@pytest.mark.parametrize("screen", SCREENS)
def test_the_talk_list_starts_with_talks_and_folds_its_filters(open_page, site, screen):
    page = open_page(SCREENS[screen])
    page.goto(site + f"{CONF}/talks/")
    panel = page.locator("details.filter-panel")
    assert panel.get_attribute("open") is None
    assert not page.get_by_label("Track", exact=True).is_visible()
    first_talk = page.locator(".talk-list > li").first
    assert first_talk.get_by_role("heading").inner_text() == "Day 1 Keynote"
    assert_on_first_screen(first_talk, SCREENS[screen])
    page.locator("details.filter-panel > summary").click()
    assert page.get_by_label("Track", exact=True).is_visible()


@pytest.mark.parametrize("screen", SCREENS)
def test_the_conference_page_starts_with_its_days_and_tracks(open_page, site, screen):
    page = open_page(SCREENS[screen])
    page.goto(site + f"{CONF}/")
    days = page.get_by_role("region", name="Days")
    tracks = page.get_by_role("region", name="Tracks")
    assert days.get_by_role("listitem").count() == 4
    last_day = days.get_by_role("listitem").last.bounding_box()
    assert last_day["y"] + last_day["height"] <= SCREENS[screen]["height"]
    assert_on_first_screen(tracks.get_by_role("listitem").first, SCREENS[screen])
    # The long text and the export links come after them.
    about = page.get_by_role("region", name="About DockerCon 2017").bounding_box()
    exports = page.locator("section.exports").bounding_box()
    assert about["y"] > last_day["y"]
    assert exports["y"] > about["y"]


def test_content_first_pages_pass_the_accessibility_audit_on_a_phone(open_page, site, screenshot):
    page = open_page(PHONE)
    problems = {}
    paths = {
        "schedule": f"{CONF}/schedule/",
        "talk-list": f"{CONF}/talks/",
        "talk-list-filtered": f"{CONF}/talks/?track=black-belt",
        "talk-list-bad-filter": f"{CONF}/talks/?day=9",
        "conference": f"{CONF}/",
    }
    for name, path in paths.items():
        page.goto(site + path)
        screenshot(page, f"{name}-390")
        if serious := audit(page):
            problems[name] = serious
    assert problems == {}


def test_the_folded_filters_work_without_javascript(open_page, site):
    page = open_page(PHONE, javascript=False)
    page.goto(site + f"{CONF}/talks/")
    page.locator("details.filter-panel > summary").click()
    page.get_by_label("Track", exact=True).select_option("black-belt")
    page.get_by_label("Search", exact=True).fill("overlay")
    page.get_by_role("button", name="Show talks").click()
    page.wait_for_url(re.compile(r"track=black-belt"))
    assert "q=overlay" in page.url
    assert page.locator("h3.talk-title").all_inner_texts() == [
        "Deep Dive in Docker Overlay Networks"
    ]
    # With filters applied the form stays open, showing their values.
    assert page.locator("details.filter-panel").get_attribute("open") is not None
    assert page.get_by_label("Track", exact=True).input_value() == "black-belt"
    page.get_by_role("link", name="Clear all filters").click()
    assert len(page.locator("h3.talk-title").all_inner_texts()) == 4
    assert page.locator("details.filter-panel").get_attribute("open") is None


def test_words_wider_than_the_screen_wrap_instead_of_widening_the_page(
    open_page, live_server, transactional_db
):
    word = "Supercalifragilistic" * 8  # 160 letters, no break: a name, a URL-like title
    conference = make_conference(slug="long", name=word, venue=word)
    day = make_day(conference, 1, label=word[:100])
    speaker = make_speaker(word, role=word)
    talk = make_talk(
        conference, title=word, day=day, track=make_track(conference, name=word), speakers=[speaker]
    )
    make_announcement(conference, talk=talk, presenters=[speaker], title=word, slug="a")
    page = open_page(PHONE)
    wider = {}
    for path in (
        "/",
        "/conferences/long/",
        "/conferences/long/talks/",
        f"/conferences/long/talks/{talk.slug}/",
        "/conferences/long/schedule/",
        "/conferences/long/announcements/a/",
        f"/speakers/{speaker.slug}/",
        f"/my-schedule/?talk={talk.pk}",
        f"/conferences/long/talks/?q={'x' * 150}",
    ):
        page.goto(live_server.url + path)
        wider[path] = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    assert wider == dict.fromkeys(wider, 0)
