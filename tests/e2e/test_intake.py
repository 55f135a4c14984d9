"""The public intake in the browser, JavaScript off, each person in a fresh browser profile.

A coordinator opens the desk's public form. A person with no account, in a browser that has
never seen the desk, sends a report (first empty: refused, nothing lost), is shown the
receipt once, and leaves. The coordinator, as intake officer, reads it and replies. The
person comes back in another fresh browser with the receipt (first mistyped), reads the reply
and answers. The officer reads the answer and opens a case from the report, which moves the
report into the case. No public page sets a cookie; every page is checked at 360 px, for
weight, scripts and by axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import make_desk

pytestmark = pytest.mark.e2e


def _no_cookie(person) -> None:
    assert person.context.cookies() == [], person.context.cookies()


def test_a_person_reports_follows_up_with_the_receipt_and_an_officer_opens_a_case(
    journey, audit, server
):
    _desk, coordinator, _phrase = make_desk("Intake Desk", "IN", "coordinator@in.example")
    officer = journey("officer")
    officer.sign_in(coordinator.login)
    officer.click(officer.page.get_by_role("link", name="Intake"))
    officer.check("inbox-no-form", phone=True)
    officer.click(officer.page.get_by_role("link", name="Public form and intake officers"))
    officer.check("settings-closed", phone=True)
    officer.click(officer.page.get_by_role("button", name="Open the public form"))
    officer.check("settings-open", phone=True)
    address = officer.page.locator("#h-address ~ p code").inner_text()
    path = "/" + address.split("/", 3)[3]

    person = journey("person")
    person.goto(path)
    person.check("report-form", phone=True)
    _no_cookie(person)
    person.page.get_by_label("Where did it happen?").fill("Near the river, Cobán")
    person.page.get_by_role("button", name="Send the report").click()
    expect(person.page.locator("#error-summary")).to_contain_text("cannot be empty")
    person.check("report-refused", status=400, phone=True)
    expect(person.page.get_by_label("Where did it happen?")).to_have_value("Near the river, Cobán")
    person.page.get_by_label("What happened?").fill(
        "Men in a pickup followed the community's spokeswoman home."
    )
    person.page.get_by_label("How can the desk reach you safely?").fill("Ask for Tía Marta")
    person.click(person.page.get_by_role("button", name="Send the report"))
    expect(person.page.locator("h1")).to_have_text("Your report was sent")
    person.check("receipt", phone=True)
    receipt = person.page.locator(".receipt-code").inner_text().strip()
    assert len(receipt.replace(" ", "")) == 24
    _no_cookie(person)
    person.close()

    officer.goto("/intake/")
    officer.check("inbox", phone=True)
    officer.click(officer.page.locator("table a").first)
    expect(officer.page.locator("main")).to_contain_text("Men in a pickup followed")
    officer.check("submission", phone=True)
    officer.page.get_by_label("Reply to the person").fill(
        "We read your report. Can you tell us the pickup's colour?"
    )
    officer.click(officer.page.get_by_role("button", name="Send the reply"))
    expect(officer.page.locator(".messages")).to_contain_text("sealed to the person's key")

    back = journey("person-back")
    back.goto(path)
    back.click(back.page.get_by_role("link", name="I have a receipt: read the replies"))
    back.check("follow", phone=True)
    back.page.get_by_label("Your receipt").fill("AAAA BBBB")
    back.page.get_by_role("button", name="Open the conversation").click()
    expect(back.page.locator("#error-summary")).to_contain_text("24 letters and digits")
    back.check("follow-refused", status=400, phone=True)
    back.page.get_by_label("Your receipt").fill(receipt.lower())
    back.click(back.page.get_by_role("button", name="Open the conversation"))
    expect(back.page.locator("main")).to_contain_text("the pickup's colour?")
    back.check("conversation", phone=True)
    back.page.get_by_label("Your message to the desk").fill("White, with no plates.")
    back.click(back.page.get_by_role("button", name="Send to the desk"))
    expect(back.page.locator(".messages")).to_contain_text("sent to the desk")
    expect(back.page.locator(".conversation")).to_contain_text("White, with no plates.")
    back.check("answered", phone=True)
    _no_cookie(back)

    officer.goto("/intake/")
    officer.click(officer.page.locator("table a").first)
    expect(officer.page.locator(".conversation")).to_contain_text("White, with no plates.")
    officer.page.get_by_text("The defender's profile").click()  # a <details>: no script needed
    officer.page.get_by_label("Name", exact=True).fill("Lideresa comunitaria de Cobán")
    officer.page.locator("#case_kind_0").check()
    officer.page.get_by_label("Country").select_option("GT")
    officer.click(officer.page.get_by_role("button", name="Open the case"))
    expect(officer.page.locator(".messages")).to_contain_text("is open, with the report")
    expect(officer.page.locator("#received")).to_contain_text("Men in a pickup followed")
    expect(officer.page.locator("#received")).to_contain_text("White, with no plates.")
    officer.check("case-with-report", phone=True)
    audit.assert_clean()
