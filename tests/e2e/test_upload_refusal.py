"""JavaScript off, at 360 px: what an upload tells the user is on screen where the redirect lands.

The upload redirects to the record's files section (``#attachments``), far down a phone-width
page; a message at the top of the page would be off-screen there and the user would believe a
refused upload had worked.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.conftest import caseworker_with_a_case
from tests.e2e.conftest import PHONE, SCREENSHOTS

pytestmark = pytest.mark.e2e


def _on_screen(page: Page, target: Locator) -> None:
    """``target`` is visible and lies wholly inside the viewport as the page is scrolled now."""
    assert target.is_visible()
    box = target.bounding_box()  # relative to the viewport: no page JavaScript needed
    viewport = page.viewport_size
    assert box is not None and viewport is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], box
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], (
        f"the message is at y={box['y']:.0f}..{box['y'] + box['height']:.0f}, "
        f"the screen shows 0..{viewport['height']}"
    )


def test_a_refused_upload_shows_its_message_on_screen(journey, audit, server):
    caseworker, case = caseworker_with_a_case(
        "Refusal Desk", "RF", "Rosa Caseworker", "Marta Example (fictional)"
    )
    worker = journey("caseworker")
    worker.page.set_viewport_size(PHONE)
    worker.sign_in(caseworker.login)
    worker.goto(f"/cases/{case.id}/")
    upload = worker.page.get_by_role("button", name="Upload")
    upload.scroll_into_view_if_needed()
    worker.page.get_by_label("Add a file").set_input_files(
        files=[{"name": "empty.txt", "mimeType": "text/plain", "buffer": b""}]
    )
    worker.click(upload)

    assert worker.page.url.endswith(f"/cases/{case.id}/#attachments")
    alert = worker.page.locator("#attachments").get_by_role("alert")
    expect(alert).to_contain_text("The file was not stored")
    expect(alert).to_contain_text("The file is empty.")
    _on_screen(worker.page, alert)
    # Where page-wide messages sit, the top of the page, is off-screen here: the old place
    # of this message, and the reason it has to be in the section.
    top = worker.page.locator("h1").bounding_box()
    assert top is not None and top["y"] + top["height"] <= 0, top
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    worker.page.screenshot(path=str(SCREENSHOTS / "upload-refusal-360px-on-screen.png"))
    # The summary's link leads to the file field, which repeats the error beside it.
    link = alert.get_by_role("link")
    field_id = link.get_attribute("href").removeprefix("#")
    field = worker.page.locator(f"input#{field_id}")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(worker.page.locator(f"#error_{field_id.removeprefix('id_')}")).to_contain_text(
        "The file is empty."
    )
    html = worker.check("refused-upload", phone=True)
    # check() audits the page loaded again; audit the one received too, message included.
    audit(html, worker.page.url, cookies=worker.context.cookies(), step="refused", phone=True)

    # A stored file is confirmed on screen the same way.
    worker.page.get_by_label("Add a file").set_input_files(
        files=[{"name": "statement.txt", "mimeType": "text/plain", "buffer": b"what happened"}]
    )
    worker.click(worker.page.get_by_role("button", name="Upload"))
    stored = worker.page.locator("#attachments").get_by_role("status")
    expect(stored).to_contain_text("The file is stored, encrypted.")
    _on_screen(worker.page, stored)
    expect(worker.page.get_by_role("alert")).to_have_count(0)
    worker.page.screenshot(path=str(SCREENSHOTS / "upload-stored-360px-on-screen.png"))
    html = worker.check("stored-upload", phone=True)
    audit(html, worker.page.url, cookies=worker.context.cookies(), step="stored", phone=True)
    audit.assert_clean()
