"""The interactive API docs render in a real browser without any request leaving the machine."""

import pytest

pytestmark = pytest.mark.browser


def test_swagger_ui_renders_every_operation_offline(site, page, screenshot):
    page.goto(f"{site}/api/docs/")
    page.wait_for_selector(".opblock", state="attached")
    operations = page.locator(".opblock-summary-path")
    assert operations.count() >= 14  # a list and a detail for each of the seven resources
    assert page.get_by_text("/api/v1/talks/", exact=True).first.is_visible()
    page.wait_for_load_state("networkidle")
    screenshot(page, "api-docs")
    outside = [url for url in page.requested_urls if not url.startswith(site)]
    assert outside == [], f"requests left the machine: {outside}"
