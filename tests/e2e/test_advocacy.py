"""International advocacy in the browser, JavaScript off.

A caseworker builds an urgent appeal to the UN Special Rapporteur from the case: the texts,
the facts (first forgetting a violation's date), tries to export before consent (refused),
records consent, downloads the DOCX and the PDF, records the submission and the State's answer.
Then a video: a person filmed without consent stops publication; once it is recorded the video
is published, and a withdrawal flags it at once. Every page is checked at 360 px, for weight,
scripts and by axe-core."""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from protectdesk.incidents.actions import When
from tests.conftest import caseworker_with_a_case
from tests.incidents.helpers import log_incident_with

pytestmark = pytest.mark.e2e


def test_a_caseworker_builds_an_urgent_appeal_exports_it_and_records_the_answer(
    journey, audit, server
):
    caseworker, case = caseworker_with_a_case("Appeal Desk", "AP", "Ana Worker", "Elena Defender")
    log_incident_with(
        caseworker,
        case,
        title="Death threat at the market",
        when=When("month", 2026, "2026-10"),
    )
    w = journey("caseworker")
    w.sign_in(caseworker.login)
    w.goto(f"/cases/{case.id}/")
    w.click(w.page.get_by_role("link", name="Prepare a communication"))
    w.check("draft", phone=True)
    w.page.get_by_label("Kind of communication").select_option(
        label="Urgent appeal (harm under way or imminent)"
    )
    w.page.get_by_label("Title").fill("Urgent appeal for Elena")
    w.page.get_by_label("Why they are a human rights defender").fill(
        "Spokesperson of her community's water committee."
    )
    w.click(w.page.get_by_role("button", name="Save the communication"))
    w.check("facts", phone=True)
    w.page.get_by_label("Include “Death threat at the market” (2026-10)").check()
    w.page.get_by_label("Articles of the UN Declaration it breaches").select_option(["article_12"])
    w.page.get_by_role("button", name="Save the facts").click()
    expect(w.page.locator("#error-summary")).to_contain_text("a mechanism needs a date")
    w.check("facts-refused", status=400, phone=True)
    w.page.get_by_label("Day of the violation").fill("2026-10-01")
    w.click(w.page.get_by_role("button", name="Save the facts"))
    expect(w.page.locator("#dossier")).to_contain_text("Death threat at the market")
    expect(w.page.locator("#dossier")).to_contain_text("consent to submit this communication")
    expect(w.page.get_by_role("link", name="Export as DOCX")).to_have_count(0)
    w.check("communication-without-consent", phone=True)

    w.page.get_by_label("The defender agreed on").fill(datetime.date.today().isoformat())
    w.page.get_by_label("How they agreed").fill("In person, with her daughter present.")
    w.click(w.page.get_by_role("button", name="Record the consent"))
    with w.page.expect_download() as docx_info:
        w.page.get_by_role("link", name="Export as DOCX").click()
    docx = Path(docx_info.value.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        body = archive.read("word/document.xml").decode()
    assert "Death threat at the market" in body and "Elena Defender" in body
    with w.page.expect_download() as pdf_info:
        w.page.get_by_role("link", name="Export as PDF").click()
    assert Path(pdf_info.value.path()).read_bytes().startswith(b"%PDF-")

    today = datetime.date.today()
    w.page.get_by_label("Submitted on").fill(today.isoformat())
    w.page.get_by_label("The mechanism's reference").fill("UA GTM 9/2026")
    w.page.get_by_label("The State answered on").fill(today.isoformat())
    w.page.get_by_role("textbox", name="The State's answer").fill("An investigation is open.")
    w.page.get_by_label("Next deadline").first.fill(
        (today + datetime.timedelta(days=10)).isoformat()
    )
    w.click(w.page.get_by_role("button", name="Save the progress"))
    expect(w.page.locator(".meta").first).to_contain_text("The State answered")
    expect(w.page.get_by_role("textbox", name="The State's answer")).to_have_value(
        "An investigation is open."
    )
    w.check("communication-answered", phone=True)
    w.goto("/")
    expect(w.page.locator("#reminders")).to_contain_text("Deadline of a communication")
    w.check("home-with-reminder", phone=True)

    # A video of the case: publication waits for everyone's consent.
    w.goto(f"/cases/{case.id}/")
    w.click(w.page.get_by_role("link", name="Add a video"))
    w.page.get_by_label("Title").fill("Water is life")
    w.page.get_by_label("Channel").select_option(label="Social media")
    w.check("video-form", phone=True)
    w.click(w.page.get_by_role("button", name="Save the video"))
    w.page.get_by_label("Name or description").fill("The boy with the banner, 2:05")
    w.click(w.page.get_by_role("button", name="Add the person"))
    w.page.get_by_role("button", name="Mark it as published").click()
    expect(w.page.locator("#error-summary")).to_contain_text("consent is missing")
    w.check("publish-refused", status=400, phone=True)
    w.click(w.page.get_by_role("link", name="The boy with the banner, 2:05"))
    w.page.get_by_label("What they agreed to").select_option(label="Face blurred")
    w.page.get_by_label("Day of their answer").fill(today.isoformat())
    w.check("person", phone=True)
    w.click(w.page.get_by_role("button", name="Save"))
    w.click(w.page.get_by_role("button", name="Mark it as published"))
    expect(w.page.locator(".meta").first).to_contain_text("Published")
    w.check("video-published", phone=True)
    w.click(w.page.get_by_role("link", name="The boy with the banner, 2:05"))
    w.page.get_by_label("Consent withdrawn on").fill(today.isoformat())
    w.click(w.page.get_by_role("button", name="Record the withdrawal"))
    expect(w.page.get_by_role("alert").first).to_contain_text("no longer consents")
    w.check("video-flagged", phone=True)
    audit.assert_clean()
