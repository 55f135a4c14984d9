"""The demo desk as the README promises it, on a phone, JavaScript off: ``demo-defender`` signs
in with the documented password, opens their own case, reports an incident, and their
caseworker finds it by a word of its narrative. Every page is checked at 360 px, for weight,
scripts and by axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from protectdesk import demo
from protectdesk.accounts.models import User
from protectdesk.incidents.models import Incident
from protectdesk.records.models import CaseMember, MemberKind

pytestmark = pytest.mark.e2e


def test_the_demo_defender_reports_an_incident_on_a_phone(journey, audit, server):
    demo.create_demo()
    defender = User.objects.get(login=demo.DEFENDER_HANDLE)
    case = CaseMember.objects.get(user=defender).case
    owner = CaseMember.objects.filter(case=case, kind=MemberKind.STAFF).first().user
    before = Incident.objects.filter(case=case).count()

    me = journey("defender")
    me.sign_in(demo.DEFENDER_HANDLE, demo.DEMO_PASSWORD)
    me.check("home", phone=True)
    me.click(me.page.locator(f"a[href='/cases/{case.id}/']").first)
    me.check("my-case", phone=True)
    me.click(me.page.get_by_role("link", name="Report an incident"))
    me.check("report-form", phone=True)
    me.page.locator("#id_title").fill("Drone over the community meeting")
    me.page.locator("#id_when").fill("2026-11-30")
    me.page.locator("#id_narrative").fill(
        "A small drone circled the assembly for twenty minutes near the tamarind tree."
    )
    me.page.locator("input[name=types][value=surveillance]").check()
    me.click(me.page.locator("form button.primary"))
    expect(me.page.locator("h1")).to_have_text("Drone over the community meeting")
    me.check("report-sent", phone=True)
    assert Incident.objects.filter(case=case).count() == before + 1
    assert Incident.objects.filter(case=case, reported_by_defender=True).exists()

    worker = journey("caseworker")
    worker.sign_in(owner.login, demo.DEMO_PASSWORD)
    worker.goto("/search/")
    worker.page.locator("#id_query").fill("tamarind")
    worker.click(worker.page.locator("form button.primary"))
    expect(worker.page.locator("ol.results li")).to_have_count(1)
    worker.check("found", phone=True)
    audit.assert_clean()
