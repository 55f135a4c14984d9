"""A workshop in the browser, JavaScript off: a trainer creates it (first forgetting the
modules), adds two participants (one of them twice, which is refused), records the
self-assessments before, tries one after too early, records them after, and reads the
results chart and its table. Every page is checked at 360 px, for weight, scripts and by
axe-core."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from protectdesk.accounts.models import Role
from protectdesk.training.questionnaires import shipped
from tests.conftest import add_user, make_desk

pytestmark = pytest.mark.e2e

QUESTIONS = shipped()["security_self_assessment"].questions


def _in_days(days: int) -> str:
    return (datetime.date.today() + datetime.timedelta(days=days)).isoformat()


def _answer(page, scores: list[int]) -> None:
    for question, score in zip(QUESTIONS, scores, strict=False):
        group = page.get_by_role("group", name=f"{QUESTIONS.index(question) + 1}. {question.label}")
        group.get_by_label(str(score), exact=True).check()


def test_a_trainer_runs_a_workshop_to_its_results(journey, audit, server):
    _desk, coordinator, _phrase = make_desk("Training Desk", "TR", "coordinator@tr.example")
    trainer = add_user(coordinator, Role.TRAINER, "trainer@tr.example", "Tomasa Trainer")

    t = journey("trainer")
    t.sign_in(trainer.login)
    expect(t.page.locator("h1")).to_have_text("My workshops")
    t.check("home", phone=True)
    t.click(t.page.get_by_role("link", name="New workshop"))
    t.check("new", phone=True)
    t.page.get_by_label("Topic").fill("Security for the river defenders' network")
    t.page.get_by_label("First day").fill("2026-11-20")
    t.page.get_by_label("Last day").fill("2026-11-19")
    t.page.get_by_label("Venue").fill("Community hall by the bridge")
    t.page.get_by_role("button", name="Create the workshop").click()
    summary = t.page.locator("#error-summary")
    expect(summary).to_contain_text("Choose at least one module the workshop covers.")
    expect(summary).to_contain_text("The last day is before the first day")
    t.check("new-refused", status=400, phone=True)
    expect(t.page.get_by_label("Venue")).to_have_value("Community hall by the bridge")
    t.page.get_by_label("Last day").fill("2026-11-21")
    t.page.get_by_label("Risk analysis").check()
    t.page.get_by_label("Digital security").check()
    t.click(t.page.get_by_role("button", name="Create the workshop"))
    expect(t.page.locator("h1")).to_have_text("Security for the river defenders' network")
    t.check("workshop", phone=True)

    for name, gender in (("Rosa Quispe", "Woman"), ("Mateo Chuc", "Man")):
        t.click(t.page.get_by_role("link", name="Add a participant"))
        t.page.get_by_label("Name", exact=True).fill(name)
        t.page.get_by_label("Gender").select_option(label=gender)
        t.click(t.page.get_by_role("button", name="Add the participant", exact=True))
    # The same person again (other spelling of case and spaces): refused, nothing lost.
    t.click(t.page.get_by_role("link", name="Add a participant"))
    t.check("participant-form", phone=True)
    t.page.get_by_label("Name", exact=True).fill("rosa  QUISPE")
    t.page.get_by_label("Organisation or community").fill("River network")
    t.page.get_by_role("button", name="Add the participant", exact=True).click()
    expect(t.page.locator("#error-summary")).to_contain_text("already a participant")
    t.check("participant-duplicate", status=400, phone=True)
    expect(t.page.get_by_label("Organisation or community")).to_have_value("River network")
    t.click(t.page.get_by_role("link", name="Workshops").first)
    t.click(t.page.get_by_role("link", name="Security for the river defenders' network"))
    expect(t.page.locator("#participant-table tbody tr")).to_have_count(2)
    expect(t.page.locator("main")).to_contain_text("Woman")

    # Before: both; after: one tried too early (dated before), then both.
    for name, before in (("Rosa Quispe", [2, 1, 3]), ("Mateo Chuc", [3, 3, 2])):
        t.click(t.page.get_by_role("link", name=f"Record · {name}"))
        t.page.get_by_label("Filled in on").fill("2026-11-20")
        _answer(t.page, before)
        t.check(f"pre-{name.split()[0].lower()}", phone=True)
        t.click(t.page.get_by_role("button", name="Save the self-assessment"))
        expect(t.page.locator(".messages")).to_contain_text("The self-assessment is saved.")
        t.click(t.page.get_by_role("link", name="Workshops").first)
        t.click(t.page.get_by_role("link", name="Security for the river defenders' network"))
    t.click(t.page.get_by_role("link", name="Record · Rosa Quispe"))
    t.page.get_by_label("Filled in on").fill("2026-11-19")
    _answer(t.page, [4, 3, 4])
    t.page.get_by_role("button", name="Save the self-assessment").click()
    expect(t.page.locator("#error-summary")).to_contain_text("dated before the one before it")
    t.check("post-refused", status=400, phone=True)
    t.page.get_by_label("Filled in on").fill("2026-11-21")
    t.click(t.page.get_by_role("button", name="Save the self-assessment"))
    t.click(t.page.get_by_role("link", name="Workshops").first)
    t.click(t.page.get_by_role("link", name="Security for the river defenders' network"))
    t.click(t.page.get_by_role("link", name="Record · Mateo Chuc"))
    t.page.get_by_label("Filled in on").fill("2026-11-21")
    _answer(t.page, [4, 3, 2])
    t.click(t.page.get_by_role("button", name="Save the self-assessment"))

    t.click(t.page.get_by_role("link", name="Workshops").first)
    t.click(t.page.get_by_role("link", name="Security for the river defenders' network"))
    t.click(t.page.get_by_role("link", name="Before and after: results"))
    main = t.page.locator("main")
    expect(main).to_contain_text("2 participants answered before and after.")
    expect(main).to_contain_text("Improved: 2")
    # Statement 1: before (2+3)/2 = 2.5, after (4+4)/2 = 4, +1.5 (worked by hand).
    first = t.page.locator("table.stack tbody tr").first
    expect(first).to_contain_text("2.5")
    expect(first).to_contain_text("4")
    expect(first).to_contain_text("+1.5")
    expect(t.page.locator("figure.chart .bar").first).to_be_attached()
    t.check("results", phone=True)

    # A coaching follow-up with Rosa, due again in a week: her page, then the trainer's home.
    t.click(t.page.get_by_role("link", name="Workshops").first)
    t.click(t.page.get_by_role("link", name="Security for the river defenders' network"))
    t.click(t.page.get_by_role("link", name="Rosa Quispe"))
    t.click(t.page.get_by_role("link", name="Record a coaching session"))
    t.page.get_by_label("Notes").fill("She set up the alert signal with two neighbours.")
    t.page.get_by_label("Agreed actions").fill(
        "Test the alert signal at night.\nBack up her phone."
    )
    t.page.get_by_label("Next follow-up").fill("2026-01-01")
    t.page.get_by_role("button", name="Save the coaching session").click()
    expect(t.page.locator("#error-summary")).to_contain_text("The next follow-up is before")
    t.check("coaching-refused", status=400, phone=True)
    expect(t.page.get_by_label("Agreed actions")).to_contain_text("Back up her phone.")
    t.page.get_by_label("Next follow-up").fill(_in_days(7))
    t.click(t.page.get_by_role("button", name="Save the coaching session"))
    expect(t.page.locator("#coaching ~ section").first).to_contain_text("Back up her phone.")
    t.check("participant", phone=True)
    t.click(t.page.get_by_role("link", name="Home"))
    expect(t.page.locator("main")).to_contain_text("Coaching follow-ups due")
    expect(t.page.locator("main")).to_contain_text("Rosa Quispe")
    audit.assert_clean()
