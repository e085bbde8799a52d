"""The catalog search in a real browser: the header's box, the results page, accessibility."""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser


def test_the_header_box_searches_and_results_lead_to_the_record(page, site, screenshot):
    page.goto(site + "/speakers/")
    page.get_by_role("search", name="Site").get_by_role("searchbox").fill("overlay network")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=overlay+network")
    assert page.locator("h2#results").inner_text() == "1 result for “overlay network”"
    assert page.locator(".search-hit h3 mark").all_inner_texts() == ["Overlay", "Networks"]
    screenshot(page, "search")
    page.locator(".search-hit h3 a").first.click()
    assert page.locator("h1").inner_text() == "Deep Dive in Docker Overlay Networks"


def test_the_filters_narrow_the_search_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(site + "/search/?q=docker")
        page.get_by_label("Kind of talk").select_option("keynote")
        page.get_by_role("button", name="Search", exact=True).last.click()
        assert "kind=keynote" in page.url
        kinds = page.locator(".search-hit .kicker").all_inner_texts()
        assert set(kinds) == {"Talk", "Conference"}
    finally:
        context.close()


def test_the_search_page_passes_the_accessibility_audit(page, site, screenshot):
    axe = Axe()
    problems = {}
    for name, path in {
        "search-empty": "/search/",
        "search-results": "/search/?q=docker",
        "search-bad-filter": "/search/?q=docker&year=abc",
    }.items():
        page.goto(site + path)
        screenshot(page, name)
        violations = axe.run(page).response["violations"]
        serious = [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
        if serious:
            problems[name] = serious
    assert problems == {}


def test_the_search_page_fits_a_phone(browser, site, screenshot):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(site + "/search/?q=docker")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        screenshot(page, "search-phone")
    finally:
        context.close()
