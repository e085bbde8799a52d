"""The schedule grid in a real browser: the grid on a wide screen, the list on a phone."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from talks.models import Talk
from talks.synthetic import generate_room_grid

pytestmark = pytest.mark.browser

PAGE_FITS = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def schedule_url(live_server, transactional_db):
    conference = generate_room_grid(rooms=12, talks=144, days=2)
    # One talk the grid cannot place, so the list under it is audited too.
    Talk.objects.filter(conference=conference, slug="talk-73").update(room=None)  # on day 2
    return f"{live_server.url}/conferences/{conference.slug}/schedule/"


def axe_violations(page):
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}"
        for violation in Axe().run(page).response["violations"]
    ]


def test_a_wide_screen_shows_the_grid_scrolling_inside_its_box(browser, schedule_url, screenshot):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(schedule_url + "?day=2")
        grid = page.locator(".grid-scroll")
        assert grid.is_visible()
        assert page.locator(".schedule-list-view").is_hidden()
        assert page.get_by_role("link", name="Day 2").get_attribute("aria-current") == "page"
        assert page.locator("td.talk-cell").first.is_visible()
        # Twelve rooms are wider than the page: the grid scrolls, the page does not.
        assert page.evaluate(PAGE_FITS)
        assert grid.evaluate("box => box.scrollWidth > box.clientWidth")
        # The room headers and the time column stay in view while the grid scrolls.
        grid.evaluate("box => box.scrollTo(400, 300)")
        header = page.locator("thead th").nth(3).bounding_box()
        time = page.locator("tbody th").nth(10).bounding_box()
        box = grid.bounding_box()
        assert abs(header["y"] - box["y"]) < 2
        assert abs(time["x"] - box["x"]) < 2
        grid.evaluate("box => box.scrollTo(0, 0)")
        assert page.get_by_role(
            "heading", name="Not in the grid: time or room not announced"
        ).is_visible()
        screenshot(page, "schedule-grid")
        assert axe_violations(page) == []
    finally:
        context.close()


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True}


def test_a_phone_shows_the_list_of_the_first_day(browser, schedule_url, screenshot):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    try:
        page.goto(schedule_url)
        assert page.locator(".schedule-grid-view").is_hidden()
        assert page.locator(".schedule-list-view").is_visible()
        assert page.get_by_role("navigation", name="Days").is_visible()
        assert page.locator("ol.schedule li").first.is_visible()
        days = page.locator(".schedule-list-view section.schedule-day h2").all_inner_texts()
        assert days[0].startswith("Day 1:")
        assert not any(day.startswith("Day 2") for day in days)
        assert page.evaluate(PAGE_FITS)
        screenshot(page, "schedule-grid-phone")
        assert axe_violations(page) == []
    finally:
        context.close()


def test_the_day_tabs_work_without_javascript(browser, schedule_url):
    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(schedule_url)
        page.get_by_role("navigation", name="Days").get_by_role("link", name="Day 2").click()
        page.wait_for_url("**?day=2")
        day = page.locator(".schedule-list-view section.schedule-day h2").first
        assert day.inner_text().startswith("Day 2:")
        assert page.locator("ol.schedule li").first.is_visible()
    finally:
        context.close()
