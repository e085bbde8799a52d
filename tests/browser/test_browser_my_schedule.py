"""My schedule in a real browser: starring talks, listing them, their calendar, unstarring."""

import re
from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest
from axe_playwright_python.sync_playwright import Axe

from talks.models import Talk

pytestmark = pytest.mark.browser

CONF = "/conferences/dockercon-2017"


def star(page, title):
    return page.get_by_role("button", name=f"Star “{title}”").first


def listed_titles(page):
    return page.locator("h3.talk-title a").all_inner_texts()


def serious_violations(page):
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_star_talks_list_them_subscribe_and_unstar(page, site, screenshot):
    first = Talk.objects.get(slug="day-1-keynote")
    second = Talk.objects.get(slug="day-2-keynote")

    # Star on a talk page, with the mouse.
    page.goto(site + first.get_absolute_url())
    button = star(page, "Day 1 Keynote")
    assert button.get_attribute("aria-pressed") == "false"
    button.click()
    assert button.get_attribute("aria-pressed") == "true"

    # Star in the talk list, with the keyboard.
    page.goto(site + f"{CONF}/talks/?kind=keynote")
    assert star(page, "Day 1 Keynote").get_attribute("aria-pressed") == "true"
    star(page, "Day 2 Keynote").focus()
    page.keyboard.press("Space")
    assert star(page, "Day 2 Keynote").get_attribute("aria-pressed") == "true"

    # My schedule, from the site navigation, opens the address of the stored ids.
    page.get_by_role("link", name="My schedule").click()
    page.wait_for_url(re.compile(r"/my-schedule/\?talk="))
    assert listed_titles(page) == ["Day 1 Keynote", "Day 2 Keynote"]
    assert page.locator("[data-shared-note]").is_hidden()
    screenshot(page, "my-schedule")

    calendar_url = page.locator("[data-calendar-url]").get_attribute("href")
    assert urlsplit(calendar_url).path == f"{CONF}/schedule.ics"
    assert sorted(parse_qs(urlsplit(calendar_url).query)["talk"]) == sorted(
        [str(first.pk), str(second.pk)]
    )
    response = page.request.get(calendar_url)
    assert response.ok
    assert response.headers["content-type"].startswith("text/calendar")
    events = icalendar.Calendar.from_ical(response.body()).walk("VEVENT")
    assert sorted(str(event["SUMMARY"]) for event in events) == ["Day 1 Keynote", "Day 2 Keynote"]

    # Unstar one here: the list follows the stars.
    star(page, "Day 1 Keynote").click()
    page.wait_for_url(re.compile(rf"/my-schedule/\?talk={second.pk}$"))
    assert listed_titles(page) == ["Day 2 Keynote"]
    calendar_url = page.locator("[data-calendar-url]").get_attribute("href")
    assert parse_qs(urlsplit(calendar_url).query) == {"talk": [str(second.pk)]}

    # The stars stay in the browser: a later visit opens the same list.
    page.goto(site + "/my-schedule/")
    page.wait_for_url(re.compile(rf"/my-schedule/\?talk={second.pk}$"))
    assert listed_titles(page) == ["Day 2 Keynote"]


def test_a_shared_list_says_so_and_starring_from_it_adds_to_your_own(page, site):
    keynote = Talk.objects.get(slug="day-1-keynote")
    page.goto(site + f"/my-schedule/?talk={keynote.pk}")
    assert page.locator("[data-shared-note]").is_visible()
    star(page, "Day 1 Keynote").click()
    page.get_by_role("link", name="My schedule").click()
    page.wait_for_url(re.compile(rf"/my-schedule/\?talk={keynote.pk}$"))
    assert page.locator("[data-shared-note]").is_hidden()


def test_stars_of_removed_talks_are_forgotten(page, site):
    keynote = Talk.objects.get(slug="day-1-keynote")
    page.goto(site + "/")
    page.evaluate(
        "ids => localStorage.setItem('talks:my-schedule', JSON.stringify(ids))",
        [str(keynote.pk), "987654"],
    )
    page.goto(site + "/my-schedule/")
    page.wait_for_url(re.compile(rf"/my-schedule/\?talk={keynote.pk}$"))
    assert "No talk in the catalog has the id 987654" in page.get_by_role("status").inner_text()
    assert page.evaluate("localStorage.getItem('talks:my-schedule')") == f'["{keynote.pk}"]'


def test_without_javascript_no_star_and_the_page_explains(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(site + f"{CONF}/talks/day-1-keynote/")
        # The talk's own button, and those of the talks it suggests: all hidden.
        stars = page.locator("button.star")
        assert stars.count() >= 1
        assert all(stars.nth(n).is_hidden() for n in range(stars.count()))
        page.goto(site + "/my-schedule/")
        assert "Starring needs JavaScript" in page.get_by_role("main").inner_text()
    finally:
        context.close()


def test_my_schedule_passes_the_accessibility_audit(page, site, screenshot):
    keynote = Talk.objects.get(slug="day-1-keynote")
    page.goto(site + "/my-schedule/")
    assert serious_violations(page) == []
    page.goto(site + f"/my-schedule/?talk={keynote.pk}&talk=987654")
    assert serious_violations(page) == []
    page.goto(site + "/my-schedule/?talk=abc")
    assert serious_violations(page) == []
    screenshot(page, "my-schedule-bad-address")
