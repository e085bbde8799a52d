"""The site in a real browser: browsing, filtering, keyboard use, video privacy, accessibility."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from talks.models import Talk, TalkStatus, TalkTopic, Topic

pytestmark = pytest.mark.browser

CONF = "/conferences/dockercon-2017"
MAIN_PAGES = {
    "home": "/",
    "conferences": "/conferences/",
    "conference": f"{CONF}/",
    "talk-list": f"{CONF}/talks/",
    "talk-list-filtered": f"{CONF}/talks/?track=black-belt&kind=session",
    "talk-list-bad-filter": f"{CONF}/talks/?day=9",
    "talk": f"{CONF}/talks/day-1-keynote/",
    "schedule": f"{CONF}/schedule/",
    "announcements": f"{CONF}/announcements/",
    "announcement": f"{CONF}/announcements/moby-project/",
    "changes": f"{CONF}/changes/",
    "speakers": "/speakers/",
    "speakers-of-a-conference": "/speakers/?conference=dockercon-2017",
    "speakers-bad-conference": "/speakers/?conference=nope",
    "speaker": "/speakers/ben-golub/",
}


def result_titles(page):
    return page.locator("h3.talk-title a").all_inner_texts()


def test_browse_from_home_to_a_talk_and_its_speaker(page, site, screenshot):
    page.goto(site + "/")
    page.get_by_role("link", name="DockerCon 2017").first.click()
    page.get_by_role("heading", level=1, name="DockerCon 2017").wait_for()
    page.get_by_role("link", name="Deep Dive in Docker Overlay Networks").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Deep Dive in Docker Overlay Networks"
    )
    page.get_by_role("link", name="Laurent Bernaille").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Laurent Bernaille"
    assert page.url == f"{site}/speakers/laurent-bernaille/"


def test_filters_through_the_form_make_a_shareable_url(page, site, screenshot):
    page.goto(site + f"{CONF}/talks/")
    # The form is folded until a filter applies: open it, as a reader would.
    page.locator("details.filter-panel > summary").click()
    page.get_by_label("Day", exact=True).select_option("1")
    page.get_by_role("button", name="Show talks").click()
    page.wait_for_url(re.compile(r"day=1"))
    assert result_titles(page) == ["Day 1 Keynote"]

    page.get_by_label("Day", exact=True).select_option("")
    page.get_by_label("Track", exact=True).select_option("black-belt")
    page.get_by_role("button", name="Show talks").click()
    page.wait_for_url(re.compile(r"track=black-belt"))
    assert result_titles(page) == [
        "Container Performance Analysis",
        "Deep Dive in Docker Overlay Networks",
    ]
    page.get_by_label("Search", exact=True).fill("overlay")
    page.get_by_role("button", name="Show talks").click()
    page.wait_for_url(re.compile(r"q=overlay"))
    assert result_titles(page) == ["Deep Dive in Docker Overlay Networks"]
    screenshot(page, "talk-list-filtered-in-browser")

    page.get_by_role("link", name="Remove the filter Search: “overlay”").click()
    assert len(result_titles(page)) == 2
    page.goto(site + f"{CONF}/talks/?day=1")
    assert result_titles(page) == ["Day 1 Keynote"]


def test_bad_filter_shows_a_message_in_the_page(page, site):
    response = page.goto(site + f"{CONF}/talks/?day=9&track=black-belt")
    assert response.status == 400
    assert "No day “9” in DockerCon 2017." in page.get_by_role("alert").inner_text()
    assert len(result_titles(page)) == 2


def test_keyboard_skip_link_then_tab_through_links(page, site):
    page.goto(site + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to content"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    # The jump to #main lands a moment after the key press on a loaded machine.
    page.wait_for_function("location.hash === '#main'")
    # The next Tab stops lead into the content: follow the first link in main with Enter.
    for _ in range(30):
        page.keyboard.press("Tab")
        inside_main = page.evaluate("!!document.activeElement.closest('main')")
        if inside_main and page.evaluate("document.activeElement.tagName") == "A":
            break
    target = page.evaluate("document.activeElement.getAttribute('href')")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    page.wait_for_url(site + target)


def test_video_loads_nothing_from_youtube_until_clicked(page, site):
    page.goto(site + f"{CONF}/talks/container-performance-analysis/")
    page.wait_for_load_state("networkidle")
    assert not [url for url in page.requested_urls if "youtube" in url or "ytimg" in url]
    # Block the player itself: the test checks the swap, not YouTube's availability.
    page.route(re.compile(r"https://www\.youtube-nocookie\.com/.*"), lambda route: route.abort())
    page.locator(".video-play").click()
    player = page.locator(".video iframe")
    assert player.get_attribute("src") == (
        "https://www.youtube-nocookie.com/embed/bK9A5ODIgac?autoplay=1"
    )
    assert player.get_attribute("title") == "Video: Container Performance Analysis"


def serious_problems(page, site, pages, screenshot):
    """The serious and critical axe findings of each of ``pages`` (name: path)."""
    axe = Axe()
    problems = {}
    for name, path in pages.items():
        page.goto(site + path)
        screenshot(page, name)
        results = axe.run(page)
        serious = [
            f"{violation['id']} ({violation['impact']}): {violation['help']}"
            for violation in results.response["violations"]
            if violation["impact"] in ("serious", "critical")
        ]
        if serious:
            problems[name] = serious
    return problems


def test_main_pages_pass_the_accessibility_audit_and_are_saved_as_screenshots(
    page, site, screenshot
):
    assert serious_problems(page, site, MAIN_PAGES, screenshot) == {}


def test_topic_pages_and_the_conference_filters_pass_the_audit(page, site, screenshot):
    containers = Topic.objects.create(name="Containers", slug="containers")
    for talk in Talk.objects.filter(kind="keynote"):
        TalkTopic.objects.create(talk=talk, topic=containers)
    pages = {
        "topics": "/topics/",
        "topic": "/topics/containers/",
        "topic-filtered": "/topics/containers/?conference=dockercon-2017&kind=keynote",
        "topic-talk": f"{CONF}/talks/day-1-keynote/",
        "conferences-filtered": "/conferences/?year=2017&kind=conference",
        "search-by-topic": "/search/?q=docker&topic=containers&conference=dockercon-2017",
    }
    assert serious_problems(page, site, pages, screenshot) == {}
    page.goto(site + "/topics/")
    page.get_by_role("link", name="Containers").click()
    page.get_by_role("heading", level=1, name="Talks about Containers").wait_for()
    assert len(result_titles(page)) == 0  # items are h4 under the conference's h3
    assert page.locator("h4.talk-title a").count() == 2


def test_a_cancelled_talk_reads_as_cancelled_and_passes_the_audit(page, site, screenshot):
    talk = Talk.objects.get(slug="day-1-keynote")
    talk.status = TalkStatus.CANCELLED
    talk.save()
    cancelled = {
        "cancelled-talk": f"{CONF}/talks/day-1-keynote/",
        "talk-list-with-a-cancelled-talk": f"{CONF}/talks/",
        "changes-with-a-cancellation": f"{CONF}/changes/",
    }
    assert serious_problems(page, site, cancelled, screenshot) == {}
    page.goto(site + cancelled["talk-list-with-a-cancelled-talk"])
    title = page.locator("li.cancelled h3.talk-title a").first
    assert title.evaluate("a => getComputedStyle(a).textDecorationLine") == "line-through"
    assert page.locator("li.cancelled .badge-cancelled").first.inner_text() == "Cancelled"


def test_pages_work_on_a_phone_sized_screen(browser, site, screenshot):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    try:
        for name in ("home", "talk-list", "talk", "schedule"):
            page.goto(site + MAIN_PAGES[name])
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, name
            screenshot(page, f"{name}-phone")
    finally:
        context.close()


def test_pages_load_every_file_they_ask_for(page, site):
    """No 404 in the console: the favicon and the manifest exist."""
    failed = []
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    for path in ("/", f"{CONF}/", f"{CONF}/talks/day-1-keynote/"):
        page.goto(site + path)
        page.wait_for_load_state("networkidle")
    assert failed == []
    assert not [url for url in page.requested_urls if url.endswith("/favicon.ico")]
    assert any(url.endswith("/static/talks/favicon.svg") for url in page.requested_urls)
