"""The observatory in the browser, JavaScript off: a coordinator records an instrument
(first with a score off the scale in its assessment) and compares two countries. Every page
is checked at 360 px, for weight, scripts and by axe-core."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from protectdesk import vocabularies
from protectdesk.advocacy import actions
from tests.conftest import make_desk

pytestmark = pytest.mark.e2e


def test_a_coordinator_compares_two_countries(journey, audit, server):
    _desk, coordinator, _phrase = make_desk("Observatory Desk", "OB", "coordinator@ob.example")
    honduras = actions.save_instrument(
        actor=coordinator,
        data=actions.InstrumentData(
            "HN", "law", "Protection law", adopted_on=datetime.date(2015, 5, 15)
        ),
    )
    criteria = vocabularies.load("policy_criteria").terms
    actions.assess(
        actor=coordinator,
        instrument=honduras,
        scores={term.code: (3, "") for term in criteria},
        assessed_on=datetime.date(2026, 3, 1),
    )
    c = journey("coordinator")
    c.sign_in(coordinator.login)
    c.click(c.page.get_by_role("link", name="Observatory"))
    c.check("index", phone=True)
    c.click(c.page.get_by_role("link", name="New instrument"))
    c.page.get_by_label("Country").select_option("GT")
    c.page.get_by_label("Kind").select_option(label="Public policy")
    c.page.get_by_label("Title").fill("Public policy for defenders")
    c.check("new-instrument", phone=True)
    c.click(c.page.get_by_role("button", name="Save the instrument"))
    c.click(c.page.get_by_role("link", name="Assess it"))
    for term in criteria:
        c.page.get_by_label(f"{term.label}: score (0 to 4)").fill("2")
    c.page.get_by_label(f"{criteria[0].label}: score (0 to 4)").fill("6")
    c.page.get_by_label(f"{criteria[0].label}: why").fill("Only a decree.")
    c.page.get_by_role("button", name="Save the assessment").click()
    expect(c.page.locator("#error-summary")).to_contain_text("a score from 0 to 4")
    c.check("assess-refused", status=400, phone=True)
    expect(c.page.get_by_label(f"{criteria[0].label}: why")).to_have_value("Only a decree.")
    c.page.get_by_label(f"{criteria[0].label}: score (0 to 4)").fill("1")
    c.click(c.page.get_by_role("button", name="Save the assessment"))
    expect(c.page.locator("main")).to_contain_text("Only a decree.")
    c.check("instrument", phone=True)
    c.click(c.page.get_by_role("link", name="Observatory").first)
    c.page.get_by_label("Guatemala").check()
    c.page.get_by_label("Honduras").check()
    c.click(c.page.get_by_role("button", name="Compare"))
    table = c.page.locator("table")
    expect(table).to_contain_text("Guatemala")
    expect(table).to_contain_text("Honduras")
    row = c.page.get_by_role("row", name=criteria[0].label)
    expect(row).to_contain_text("1")
    expect(row).to_contain_text("3")
    c.check("compare", phone=True)
    # The country's page, published for anyone to read (no sign-in, no cookie).
    c.goto("/observatory/HN/")
    c.check("country", phone=True)
    c.click(c.page.get_by_role("button", name="Publish this country's page"))
    expect(c.page.locator(".messages")).to_contain_text("The country's page is public")
    c.check("country-published", phone=True)
    address = c.page.locator("#public a").first.get_attribute("href")
    assert address
    visitor = journey("visitor")
    visitor.goto(address + "?lang=es")
    expect(visitor.page.locator("h1")).to_have_text("Honduras")
    expect(visitor.page.locator("main")).to_contain_text("Protection law")
    assert not visitor.context.cookies()
    visitor.check("public-country", phone=True)
    audit.assert_clean()
