"""An editor's view of the admin in a real browser: a saved edit shows on the site at once, and
time fields speak only of the conference's own time zone."""

import pytest
from django.contrib.auth.models import User

from talks.models import Talk

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password"


@pytest.fixture
def editor(browser, site):
    """A logged-in editor's page, in a browser whose clock is far from the conference's zone
    (DockerCon 2017 was in Austin, America/Chicago)."""
    User.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, timezone_id="Asia/Tokyo")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(site + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(site + "/admin/")
    yield page
    context.close()


def test_an_edit_shows_on_view_on_site_at_once(editor, site):
    talk = Talk.objects.get(slug="day-1-keynote")
    # Seen before the edit: the browser holds the page in its cache.
    editor.goto(site + talk.get_absolute_url())
    assert editor.get_by_role("heading", level=1).inner_text() == talk.title

    editor.goto(site + f"/admin/talks/talk/{talk.pk}/change/")
    editor.locator("#id_title").fill("Day 1 Keynote, revised")
    editor.get_by_role("button", name="Save and continue editing").click()
    editor.locator(".messagelist .success").wait_for()
    editor.get_by_role("link", name="View on site").click()
    editor.wait_for_url(site + talk.get_absolute_url())
    assert editor.get_by_role("heading", level=1).inner_text() == "Day 1 Keynote, revised"


def test_time_fields_name_only_the_conference_time_zone(editor, site):
    talk = Talk.objects.get(slug="day-1-keynote")
    editor.goto(site + f"/admin/talks/talk/{talk.pk}/change/")
    editor.wait_for_load_state("load")
    assert editor.locator(".datetimeshortcuts").count() >= 2  # the shortcuts are set up
    assert editor.locator(".timezonewarning").count() == 0
    starts_at = editor.locator(".field-starts_at")
    assert (
        starts_at.locator(".help").inner_text()
        == "In the conference's local time (America/Chicago)."
    )
    assert "server time" not in editor.locator("#talk_form").inner_text()
