"""The defender's own account on a phone, JavaScript off: reports an incident and edits the
contact details their desk lets them edit; the caseworker then finds the report by keyword and
marks it reviewed. Every page is checked at 360 px, for weight, scripts and by axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from protectdesk.cases import actions as case_actions
from protectdesk.incidents.models import Incident
from tests.conftest import add_defender_account, add_user, keyring_of, make_desk

pytestmark = pytest.mark.e2e


def test_the_defender_reports_an_incident_on_a_phone(journey, audit, server):
    _desk, coordinator, _phrase = make_desk("Defender Desk", "DD", "coord@dd.example")
    caseworker = add_user(coordinator, "caseworker", "cw@dd.example", "Carla Caseworker")
    case = case_actions.open_case(
        actor=caseworker,
        keyring=keyring_of(caseworker),
        profile=case_actions.DefenderProfile(kind="individual", country="GT", name="Rosa Tzul"),
    )
    defender = add_defender_account(caseworker, case)

    me = journey("defender")
    me.sign_in(defender.login)
    me.goto(f"/cases/{case.id}/")
    me.check("my-case", phone=True)
    me.click(me.page.get_by_role("link", name="Report an incident"))
    me.check("report-form", phone=True)
    # A first try without a kind of incident: the summary links to the field, nothing is lost.
    me.page.locator("#id_title").fill("Motorcycle outside the house")
    me.page.locator("#id_when").fill("2026-11-28")
    me.page.locator("#id_narrative").fill("Two men on a motorcycle photographed the guayacan gate.")
    me.page.locator("form button.primary").click()
    me.page.wait_for_load_state("load")
    expect(me.page.locator(".error-summary a[href='#id_types_0']")).to_have_count(1)
    me.check("report-refused", phone=True, status=400)
    expect(me.page.locator("#id_narrative")).to_have_value(
        "Two men on a motorcycle photographed the guayacan gate."
    )
    me.page.locator("input[name=types][value=surveillance]").check()
    me.click(me.page.locator("form button.primary"))
    expect(me.page.locator("h1")).to_have_text("Motorcycle outside the house")
    me.check("report-sent", phone=True)

    me.goto(f"/cases/{case.id}/my-profile/")
    me.check("my-profile", phone=True)
    me.page.locator("#id_contacts").fill("Signal after 6 pm")
    me.click(me.page.locator("form button.primary"))

    worker = journey("caseworker")
    worker.sign_in(caseworker.login)
    worker.goto("/search/")
    worker.page.locator("#id_query").fill("guayacan")
    worker.click(worker.page.locator("form button.primary"))
    expect(worker.page.locator("ol.results li")).to_have_count(1)
    worker.click(worker.page.locator("ol.results li a"))
    expect(worker.page.locator("#h-reported")).to_be_visible()
    worker.check("review", phone=True)
    worker.click(worker.page.get_by_role("button", name="Mark as reviewed"))
    incident = Incident.objects.get(case=case)
    assert incident.reported_by_defender and incident.reviewed_by_id == caseworker.id
