"""Every kind of page works in Chromium under the Content-Security-Policy and Permissions-Policy,
and none of them reports a violation: the public pages and their scripts, the video player, the
admin's scripts, the browsable API and the interactive API docs."""

import re

import pytest
from django.contrib.auth.models import User

from talks.models import Talk
from talks.video import EMBED_ORIGIN

pytestmark = pytest.mark.browser

CONF = "/conferences/dockercon-2017"
PAGES = {
    "home": "/",
    "conference": f"{CONF}/",
    "talk list": f"{CONF}/talks/",
    "talk": f"{CONF}/talks/day-1-keynote/",
    "schedule": f"{CONF}/schedule/",
    "announcements": f"{CONF}/announcements/",
    "announcement": f"{CONF}/announcements/moby-project/",
    "speakers": "/speakers/",
    "speaker": "/speakers/ben-golub/",
    "my schedule": "/my-schedule/",
    "not found": "/no-such-page/",
    "export": f"{CONF}/schedule.json",
    "api root": "/api/v1/",
    "api list": "/api/v1/talks/",
}

# Reported from every frame to the test, so that a violation on any page fails it.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportPolicyViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline code"} ` +
    `(${event.sourceFile || event.documentURI}:${event.lineNumber})`
  );
}, true);
"""
POLICY_WORDS = re.compile(r"content.security.policy|permissions.policy", re.IGNORECASE)


@pytest.fixture(autouse=True)
def production_pages(settings):
    """Error pages as production serves them, under the policy, not Django's debug pages."""
    settings.DEBUG = False


@pytest.fixture
def watched(page):
    """The page, gathering CSP violations, console messages about a policy and script errors
    in ``page.problems``."""
    page.problems = []

    def note(text):
        page.problems.append(f"{page.url}: {text}")

    page.expose_function("reportPolicyViolation", note)
    page.add_init_script(REPORT_VIOLATIONS)
    page.on("console", lambda message: POLICY_WORDS.search(message.text) and note(message.text))
    page.on("pageerror", lambda error: note(f"uncaught {error}"))
    return page


def visit(page, url):
    response = page.goto(url)
    # Violations are reported asynchronously; by now they have arrived.
    page.wait_for_load_state("networkidle")
    return response


def test_every_page_type_runs_without_a_policy_violation(watched, site):
    statuses = {name: visit(watched, site + path).status for name, path in PAGES.items()}
    assert statuses == {name: 404 if name == "not found" else 200 for name in PAGES}
    assert watched.problems == []


def test_the_video_player_is_framed_and_keeps_its_features(watched, site):
    # The player's host answers locally: the test checks the policy, not YouTube.
    watched.route(
        re.compile(re.escape(EMBED_ORIGIN) + "/.*"),
        lambda route: route.fulfill(content_type="text/html", body="<title>Player</title>"),
    )
    visit(watched, site + f"{CONF}/talks/container-performance-analysis/")
    watched.locator(".video-play").click()
    player = watched.locator(".video iframe").element_handle().content_frame()
    player.wait_for_load_state()
    assert player.url.startswith(f"{EMBED_ORIGIN}/embed/")
    assert player.title() == "Player"
    allowed = player.evaluate(
        "(names) => names.filter((name) => document.featurePolicy.allowsFeature(name))",
        ["autoplay", "encrypted-media", "fullscreen", "picture-in-picture", "camera", "usb"],
    )
    assert allowed == ["autoplay", "encrypted-media", "fullscreen", "picture-in-picture"]
    # Starring uses the page's other script; My schedule then lists the talk.
    watched.locator(".star-line").get_by_role("button", name=re.compile("Star")).click()
    visit(watched, site + "/my-schedule/")
    assert watched.get_by_role("link", name="Container Performance Analysis").count() == 1
    assert watched.problems == []


def test_the_admin_scripts_run_under_the_policy(watched, site):
    User.objects.create_superuser("editor", "editor@example.org", "a-long-test-password")
    visit(watched, site + "/admin/login/")
    watched.get_by_label("Username").fill("editor")
    watched.get_by_label("Password").fill("a-long-test-password")
    watched.get_by_role("button", name="Log in").click()
    watched.wait_for_url(site + "/admin/")

    # Prepopulated fields: the slug follows the name as the editor types.
    visit(watched, site + "/admin/talks/organization/add/")
    watched.get_by_label("Name").press_sequentially("Analytical Engines")
    assert watched.locator("#id_slug").input_value() == "analytical-engines"

    # A change form with date and time shortcuts, autocompletes and an inline formset.
    talk = Talk.objects.get(slug="day-1-keynote")
    visit(watched, site + f"/admin/talks/talk/{talk.pk}/change/")
    assert watched.locator("#id_slug").input_value() == "day-1-keynote"
    assert watched.locator(".datetimeshortcuts").count() >= 2
    watched.locator("#id_conference + .select2").click()
    watched.locator(".select2-results__option", has_text="DockerCon 2017").wait_for()
    watched.keyboard.press("Escape")

    visit(watched, site + "/admin/talks/talk/")
    assert watched.locator("#result_list tbody tr").count() >= 1
    assert watched.problems == []


def test_the_api_docs_render_every_operation_under_the_policy(watched, site):
    visit(watched, site + "/api/docs/")
    watched.wait_for_selector(".opblock", state="attached")
    assert watched.locator(".opblock-summary-path").count() >= 14
    watched.locator(".opblock-summary", has_text="/api/v1/talks/").first.click()
    watched.get_by_role("button", name="Try it out").first.wait_for()
    assert watched.problems == []
