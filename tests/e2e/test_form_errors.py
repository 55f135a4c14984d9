"""The error pattern in the browser, JavaScript off, at 360 px (issue 10).

A refused form answers with the error summary first in the page: on screen, focused (so a
screen reader starts there and the next Tab reaches its first link), each line a link that
brings its field into view. Also on the long case page, whose consent form sits far below,
and for a 3,000-character paste into the search box, which the browser no longer cuts.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import caseworker_with_a_case
from tests.e2e.conftest import PHONE, Journey

pytestmark = pytest.mark.e2e


def _submit_refused(person: Journey, button: str, step: str) -> str:
    """Send a form that is refused (400) and check the page that answers."""
    with person.page.expect_navigation(wait_until="load"):
        person.page.locator(button).click()
    return person.check(step, phone=True, status=400)


def test_refused_forms_land_on_the_error_summary(journey, audit, server):
    caseworker, case = caseworker_with_a_case("Errors Desk", "ER", "Eli Caseworker", "Rosa Example")

    worker = journey("caseworker")
    worker.sign_in(caseworker.login)
    worker.page.set_viewport_size(PHONE)

    # The incident form: a title left empty, a day that does not exist, what happened typed.
    worker.goto(f"/cases/{case.id}/incidents/new/")
    worker.check("incident-form", phone=True)
    worker.page.locator("#id_when").fill("31/02/2026")
    worker.page.locator("#id_narrative").fill("Two men waited outside her house.")
    _submit_refused(worker, "form.incident-form button.primary", "incident-refused")
    summary = worker.page.locator("main > .error-summary")
    expect(worker.page).to_have_title("Error: Log an incident · Protection Desk")
    expect(summary).to_be_in_viewport()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary.locator("a").first).to_have_text("Short title: Give the incident a short title.")
    expect(summary).to_contain_text("February 2026 has no day 31")
    expect(worker.page.locator("#id_narrative")).to_have_value("Two men waited outside her house.")
    # The next Tab goes to the first link; following a link brings its field into view.
    worker.page.keyboard.press("Tab")
    expect(summary.locator("a").first).to_be_focused()
    worker.page.get_by_role("link", name="What kind of incident: Choose at least one").click()
    expect(worker.page.locator("#id_types_0")).to_be_in_viewport()

    # The case page: the consent form sits far below; the summary is still what one sees.
    worker.goto(f"/cases/{case.id}/")
    worker.page.locator("details summary", has_text="Record a change of consent").click()
    worker.page.locator("#id_given_on").fill("2099-01-01")
    _submit_refused(worker, "form[action$='/consent/'] button.primary", "consent-refused")
    summary = worker.page.locator("main > .error-summary")
    expect(summary).to_be_in_viewport()
    expect(summary).to_contain_text("Date consent was given: This date is in the future")
    summary.locator("a").click()
    expect(worker.page.locator("#id_given_on")).to_be_in_viewport()

    # A long paste into the search box reaches the server whole and is refused with its length.
    worker.goto("/search/")
    worker.page.locator("#id_query").fill("q" * 3000)
    _submit_refused(worker, "main form button.primary", "search-refused")
    expect(worker.page.locator("main > .error-summary")).to_contain_text(
        "This is 3,000 characters; the limit is 200. Shorten it and search again."
    )
    audit.assert_clean()
