"""Partners in the browser, JavaScript off: a caseworker opens the desk's partner directory,
adds a partner (first forgetting its services) and a contact person, then refers a defender
to it from the case (first with a follow-up before the referral) and finds the referral on the
case page. Every page is checked at 360 px, for weight, scripts and by axe-core."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from tests.conftest import caseworker_with_a_case

pytestmark = pytest.mark.e2e


def test_a_caseworker_builds_the_directory_and_refers_a_defender(journey, audit, server):
    caseworker, case = caseworker_with_a_case("Partner Desk", "PD", "Pía Worker", "Elsa Defender")
    w = journey("caseworker")
    w.sign_in(caseworker.login)
    w.click(w.page.get_by_role("link", name="Partners"))
    w.check("directory-none", phone=True)
    w.click(w.page.get_by_role("button", name="Open the partner directory"))
    expect(w.page.locator(".messages")).to_contain_text("The partner directory is open")
    w.check("directory", phone=True)
    w.click(w.page.get_by_role("link", name="New partner"))
    w.page.get_by_label("Name of the organisation").fill("Clínica Jurídica del Valle")
    w.page.get_by_label("What they do and how to ask").fill("Answers within two days.")
    w.page.get_by_role("button", name="Save the partner").click()
    expect(w.page.locator("#error-summary")).to_contain_text("Choose at least one service")
    w.check("partner-refused", status=400, phone=True)
    expect(w.page.get_by_label("What they do and how to ask")).to_have_value(
        "Answers within two days."
    )
    w.page.get_by_label("Legal aid").check()
    w.click(w.page.get_by_role("button", name="Save the partner"))
    expect(w.page.locator("h1")).to_have_text("Clínica Jurídica del Valle")
    w.check("partner", phone=True)
    w.click(w.page.get_by_role("link", name="Add a contact person"))
    w.page.get_by_label("Name", exact=True).fill("Lic. Rita Poou")
    w.page.get_by_label("How to reach them safely").fill("Signal, mornings")
    w.check("contact", phone=True)
    w.click(w.page.get_by_role("button", name="Save the contact person"))
    expect(w.page.locator("#contacts ~ ul")).to_contain_text("Lic. Rita Poou")

    w.goto(f"/cases/{case.id}/")
    w.click(w.page.get_by_role("link", name="Refer to a partner"))
    w.check("referral-form", phone=True)
    w.page.get_by_label("Partner", exact=True).select_option(
        label="Clínica Jurídica del Valle — Legal aid"
    )
    w.page.get_by_label("Service").select_option(label="Legal aid")
    today = datetime.date.today()
    w.page.get_by_label("Follow up on").fill((today - datetime.timedelta(days=3)).isoformat())
    w.page.get_by_label("Outcome").fill("Asked for a lawyer at the hearing.")
    w.page.get_by_role("button", name="Save the referral").click()
    expect(w.page.locator("#error-summary")).to_contain_text("The follow-up date is before")
    w.check("referral-refused", status=400, phone=True)
    expect(w.page.get_by_label("Outcome")).to_have_value("Asked for a lawyer at the hearing.")
    w.page.get_by_label("Follow up on").fill((today + datetime.timedelta(days=7)).isoformat())
    w.click(w.page.get_by_role("button", name="Save the referral"))
    section = w.page.locator("#referrals").locator("..")
    expect(section).to_contain_text("Clínica Jurídica del Valle")
    expect(section).to_contain_text("Requested")
    w.check("case-with-referral", phone=True)
    audit.assert_clean()
