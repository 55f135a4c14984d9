"""Threats and escalation in the browser, JavaScript off (issue: threat assessment).

A caseworker logs a death threat and, days later, a physical attack by the same actor; records a
sub-unit of that actor on the actors map and relates the two; assesses the threat from the two
incidents through the five steps (step 4 opened early says to answer the others first); sees
the escalation flags explained on step 2 and on the case page; reads the history and an earlier
version. The coordinator, who is not a member of the case, then finds it on "Flagged cases" by
its reference only, with the flags said in sentences and no name in them.

Every page is checked at 360 px, for weight, scripts and foreign requests, and by axe-core.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from protectdesk.accounts.models import Role
from protectdesk.cases import actions as case_actions
from protectdesk.records.models import CaseMember
from protectdesk.threats.models import AssessmentVersion, ThreatAssessment
from tests.conftest import add_user, keyring_of, make_desk

pytestmark = pytest.mark.e2e

DEFENDER = "Rosa Defensora Prueba"
COMPANY = "Mina Norte S.A."
COMPANY_OPTION = f"{COMPANY} · Local or national company"
PATROL = "Night patrol of the Mina Norte guards"
PATROL_OPTION = f"{PATROL} · Private security guards"
THREAT = "Death threat by phone"
ATTACK = "Beaten on the road home"

# Both within the last 30 days, the threat before the attack: the flags do not depend on the day.
TODAY = datetime.date.today()
THREAT_DAY = (TODAY - datetime.timedelta(days=6)).isoformat()
ATTACK_DAY = (TODAY - datetime.timedelta(days=2)).isoformat()

FLAG_WORDS_TO_ACTS = "From words to acts: a declared threat was followed by a physical incident."
FLAG_MORE_OFTEN = "More frequent: 2 incidents in the last 30 days, against 0 in the 30 days before."
FLAG_SAME_ACTOR_NAMED = f"The same actor, {COMPANY}, is named in 2 incidents."
FLAG_SAME_ACTOR = "The same actor is named in 2 incidents."
FLAG_LIKELY = "A threat assessment concludes the threat is likely to be carried out (4 of 5)."


def test_assess_a_threat_from_two_incidents_and_the_coordinator_sees_the_case_flagged(
    journey, audit, server
):
    _desk, coordinator, _phrase = make_desk("Threats Desk", "TH", "coordinator@th.example")
    caseworker = add_user(coordinator, Role.CASEWORKER, "caseworker@th.example", "Carla Caseworker")
    case = case_actions.open_case(
        actor=caseworker,
        keyring=keyring_of(caseworker),
        profile=case_actions.DefenderProfile(
            kind="individual", country="GT", subdivision="GT-16", name=DEFENDER
        ),
    )
    # The caseworker opened the case: the coordinator is not a member and holds no key to it.
    assert not CaseMember.objects.filter(case=case, user=coordinator).exists()
    case_path = f"/cases/{case.id}/"

    worker = journey("caseworker")
    worker.sign_in(caseworker.login)
    worker.check("home", phone=True)
    worker.goto(case_path)
    expect(worker.page.locator("h1")).to_have_text(DEFENDER)
    section = worker.page.locator("section[aria-labelledby=h-threats]")
    expect(section.locator("h2")).to_have_text("Threats and escalation")
    expect(section).to_contain_text("No escalation flag")
    worker.check("case", phone=True)

    # --- two incidents, the same actor behind both ----------------------------------------------
    def log_incident(
        title: str, day: str, kind: str, narrative: str, perpetrator: Callable[[], None], step: str
    ) -> None:
        worker.goto(case_path)
        worker.click(worker.page.locator("a[href$='/incidents/new/']").first)
        worker.check(f"{step}-form", phone=True)
        worker.page.locator("#id_title").fill(title)
        worker.page.locator("#id_when").fill(day)
        worker.page.locator(f"input[name=types][value={kind}]").check()
        worker.page.locator("#id_narrative").fill(narrative)
        perpetrator()  # the first row of "Who may be behind it"
        worker.click(worker.page.locator("form.incident-form button.primary"))
        expect(worker.page.locator("h1")).to_have_text(title)
        expect(worker.page.locator("main")).to_contain_text(COMPANY)
        worker.check(step, phone=True)

    def new_actor() -> None:
        worker.page.select_option("#id_perpetrators-0-actor", "new")
        worker.page.select_option("#id_perpetrators-0-new_type", "company_national")
        worker.page.locator("#id_perpetrators-0-new_name").fill(COMPANY)
        worker.page.select_option("#id_perpetrators-0-confidence", "likely")

    def same_actor() -> None:
        worker.page.select_option("#id_perpetrators-0-actor", label=COMPANY_OPTION)
        worker.page.select_option("#id_perpetrators-0-confidence", "likely")

    log_incident(
        THREAT,
        THREAT_DAY,
        "death_threat",
        "A caller said she would not live to see the consultation.",
        new_actor,
        "incident-threat",
    )
    log_incident(
        ATTACK,
        ATTACK_DAY,
        "physical_attack",
        "Two men in the mine's uniform beat her on the road home.",
        same_actor,
        "incident-attack",
    )

    # The case page explains the flags the two incidents raise, naming the actor for a member.
    worker.goto(case_path)
    flags = worker.page.locator("section[aria-labelledby=h-threats] ul.flags")
    for sentence in (FLAG_MORE_OFTEN, FLAG_SAME_ACTOR_NAMED, FLAG_WORDS_TO_ACTS):
        expect(flags).to_contain_text(sentence)
    expect(flags.locator("li", has_text=FLAG_WORDS_TO_ACTS).locator("a")).to_have_text(
        [THREAT, ATTACK]
    )
    worker.check("case-flagged", phone=True)

    # --- the actors map: a sub-unit of the company, and a relation ------------------------------
    worker.click(worker.page.get_by_role("link", name="Actors map"))
    assert worker.path == f"/cases/{case.id}/actors/"
    expect(worker.page.locator("h1")).to_have_text("Actors map")
    expect(worker.page.locator("main table")).to_contain_text(COMPANY)
    worker.check("actors-map", phone=True)

    worker.page.select_option("#id_actor_type", "private_security")
    worker.page.locator("#id_name").fill(PATROL)
    worker.page.select_option("#id_parent", label=COMPANY_OPTION)
    worker.page.locator("input[name=stance][value=resisting]").check()
    worker.page.select_option("#id_influence", "4")
    worker.page.locator("#id_interests").fill("The mine's expansion onto the community's land.")
    worker.click(worker.page.get_by_role("button", name="Record", exact=True))
    assert worker.path == f"/cases/{case.id}/actors/"
    expect(worker.page.locator(".messages")).to_contain_text("The actor is recorded.")
    patrol_row = worker.page.locator("tr", has=worker.page.get_by_role("link", name=PATROL))
    expect(patrol_row).to_contain_text(f"part of {COMPANY}")
    expect(patrol_row).to_contain_text("4 / 5")
    # The sub-unit is listed with the stance chosen for it, its parent named.
    expect(worker.page.locator("#stance-resisting")).to_contain_text("Resisting")
    expect(worker.page.locator("#stance-resisting")).to_contain_text(PATROL)
    worker.check("actor-recorded", phone=True)

    worker.page.select_option("#id_relation-source", label=COMPANY_OPTION)
    worker.page.select_option("#id_relation-kind", "commands")
    worker.page.select_option("#id_relation-target", label=PATROL_OPTION)
    worker.page.locator("#id_relation-notes").fill("The guards answer to the mine's manager.")
    worker.click(worker.page.get_by_role("button", name="Add the relation"))
    expect(worker.page.locator(".messages")).to_contain_text("The relation is on the map.")
    company_row = worker.page.locator("tr", has=worker.page.get_by_role("link", name=COMPANY))
    expect(company_row).to_contain_text(f"commands {PATROL}")
    expect(company_row).to_contain_text(THREAT)
    expect(company_row).to_contain_text(ATTACK)
    worker.check("relation-added", phone=True)

    # --- the assessment, step 1: the facts, from the two incidents ------------------------------
    worker.goto(case_path)
    worker.click(worker.page.get_by_role("link", name="Assess a threat"))
    assert worker.path == f"/cases/{case.id}/threats/new/"
    expect(worker.page.locator("main h2").first).to_have_text("Step 1 · Facts")
    worker.check("step-1", phone=True)
    worker.page.locator("#id_title").fill("Threat against Rosa after the consultation")
    incidents = worker.page.locator("input[name=incidents]")
    expect(incidents).to_have_count(2)
    for box in incidents.all():
        box.check()
    worker.page.locator("#id_facts").fill(
        "A call promised she would not live to see the consultation; four days later two men "
        "in the mine's uniform beat her on the road home."
    )
    worker.click(worker.page.get_by_role("button", name="Save and go on"))
    match = re.fullmatch(rf"/cases/{case.id}/threats/([0-9a-f-]{{36}})/step/2/", worker.path)
    assert match, worker.path
    assessment_path = f"/cases/{case.id}/threats/{match[1]}/"
    expect(worker.page.locator(".messages")).to_contain_text("Step 1 is saved.")
    worker.check("step-2-after-save", phone=True)

    # Step 4 opened early: the steps go in order, and no form is offered.
    worker.goto(assessment_path + "step/4/")
    notice = worker.page.locator("main .notice")
    expect(notice).to_contain_text("The steps go in order: answer these first.")
    expect(notice.get_by_role("link")).to_have_text(["Step 2", "Step 3"])
    expect(notice).to_contain_text("Who is behind a threat is asked only once")
    expect(worker.page.locator("#id_attribution")).to_have_count(0)
    worker.check("step-4-early", phone=True)

    # Step 2: the pattern, with the timeline and the flags explained.
    worker.click(notice.get_by_role("link", name="Step 2"))
    assert worker.path == assessment_path + "step/2/"
    step_flags = worker.page.locator("main ul.flags")
    for sentence in (FLAG_MORE_OFTEN, FLAG_SAME_ACTOR_NAMED, FLAG_WORDS_TO_ACTS):
        expect(step_flags).to_contain_text(sentence)
    # The incidents table (the chart above has a data table of its own).
    rows = worker.page.locator("main table:not(.chart-data) tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(THREAT)  # oldest first
    expect(rows.nth(0)).to_contain_text(THREAT_DAY)
    expect(rows.nth(1)).to_contain_text(ATTACK)
    for row in rows.all():
        expect(row).to_contain_text("in this assessment")
        expect(row).to_contain_text("flag")
        expect(row).to_contain_text(COMPANY)
    expect(worker.page.locator("ol.timeline .badge.flagged")).to_have_count(2)
    worker.check("step-2", phone=True)
    worker.page.locator("#id_pattern").fill(
        "From a call to an attack in four days, by the same company: it is getting worse."
    )
    worker.click(worker.page.get_by_role("button", name="Save and go on"))
    assert worker.path == assessment_path + "step/3/"

    # Step 3: the objective.
    expect(worker.page.locator(".messages")).to_contain_text("Step 2 is saved.")
    worker.check("step-3", phone=True)
    worker.page.locator("input[name=objective][value=stop_work]").check()
    worker.page.locator("#id_objective_notes").fill(
        "She leads the opposition to the mine's expansion in the consultation."
    )
    worker.click(worker.page.get_by_role("button", name="Save and go on"))
    assert worker.path == assessment_path + "step/4/"

    # Step 4: the source, now open.
    expect(worker.page.locator("main .notice")).to_have_count(0)
    worker.check("step-4", phone=True)
    worker.page.select_option("#id_actor", label=PATROL_OPTION)
    worker.page.locator("input[name=attribution][value=likely]").check()
    worker.page.locator("#id_possibly_false").check()
    worker.page.locator("#id_source_notes").fill("The uniforms are the guards'; uniforms are sold.")
    worker.click(worker.page.get_by_role("button", name="Save and go on"))
    assert worker.path == assessment_path + "step/5/"

    # Step 5: the conclusion.
    worker.check("step-5", phone=True)
    worker.page.locator("input[name=threat_kind][value=declared]").check()
    worker.page.locator("#id_declared").fill("“You will not live to see the consultation.”")
    worker.page.locator("input[name=intent][value=yes]").check()
    worker.page.locator("input[name=capacity][value=yes]").check()
    worker.page.locator("input[name=likelihood][value='4']").check()
    worker.page.locator("#id_rationale").fill(
        "They said it, then they did part of it: armed guards, her road known to them."
    )
    worker.click(worker.page.get_by_role("button", name="Save the conclusion"))
    assert worker.path == assessment_path

    # The assessment page: all five steps answered.
    main = worker.page.locator("main")
    expect(worker.page.locator("h1")).to_have_text("Threat against Rosa after the consultation")
    expect(worker.page.locator("ol.steps-bar li.done")).to_have_count(5)
    expect(main).to_contain_text("4 · likely")
    expect(main).to_contain_text(PATROL)
    expect(main).to_contain_text("the attribution may be false")
    expect(main).to_contain_text("5 versions kept")
    worker.check("assessment", phone=True)
    assessment = ThreatAssessment.objects.get(case=case)
    assert assessment.steps_done == 5 and assessment.likelihood == 4
    assert AssessmentVersion.objects.filter(assessment=assessment).count() == 5

    # The case page now also says the assessment concludes the threat is likely.
    worker.goto(case_path)
    section = worker.page.locator("section[aria-labelledby=h-threats]")
    expect(section.locator("ul.flags")).to_contain_text(FLAG_LIKELY)
    expect(section.locator("table")).to_contain_text("5 / 5")  # steps answered
    expect(section.locator("table")).to_contain_text("4 / 5")  # likelihood
    worker.check("case-assessed", phone=True)

    # --- the history, and an earlier version ----------------------------------------------------
    worker.click(section.get_by_role("link", name="Threat against Rosa after the consultation"))
    worker.click(worker.page.locator("main").get_by_role("link", name="History"))
    assert worker.path == assessment_path + "history/"
    history = worker.page.locator("main table tbody tr")
    expect(history).to_have_count(5)
    expect(worker.page.locator("main table")).to_contain_text("2 · Pattern")
    expect(worker.page.locator("main table")).to_contain_text("Carla Caseworker")
    worker.check("history", phone=True)
    worker.click(worker.page.get_by_role("link", name="Version 2", exact=True))
    assert worker.path == assessment_path + "history/2/"
    version = worker.page.locator("main")
    expect(worker.page.locator("h1")).to_have_text("Version 2 of the assessment")
    expect(version).to_contain_text("it is getting worse")  # the pattern, saved in version 2
    expect(version).to_contain_text("Not answered yet.")  # steps 3 to 5 were not yet
    expect(version).not_to_contain_text("armed guards")  # the later rationale
    worker.check("version-2", phone=True)

    # --- the coordinator: the case flagged, by reference only -----------------------------------
    coord = journey("coordinator")
    coord.sign_in(coordinator.login)
    coord.check("home", phone=True)
    coord.click(coord.page.get_by_role("navigation").get_by_role("link", name="Flagged cases"))
    assert coord.path == "/flagged/"
    expect(coord.page.locator("h1")).to_have_text("Flagged cases")
    table = coord.page.locator("main table")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody th code")).to_have_text(case.reference)
    for sentence in (FLAG_MORE_OFTEN, FLAG_SAME_ACTOR, FLAG_LIKELY):
        expect(table).to_contain_text(sentence)
    # The desk-wide view works at month precision: a threat and an attack in the same month
    # are in no known order there (the member saw it with the exact dates).
    if THREAT_DAY[:7] == ATTACK_DAY[:7]:
        expect(table).not_to_contain_text(FLAG_WORDS_TO_ACTS)
    else:
        expect(table).to_contain_text(FLAG_WORDS_TO_ACTS)
    expect(table).to_contain_text("4 / 5")  # the most severe incident behind a flag
    # Not a member: no name of the defender, of the actor or of an incident, and no link in.
    page_text = coord.page.locator("main").inner_text()
    for secret in (DEFENDER, COMPANY, PATROL, THREAT, ATTACK):
        assert secret not in page_text, f"the coordinator sees {secret!r} on /flagged/"
    expect(coord.page.locator(f"main a[href='{case_path}']")).to_have_count(0)
    coord.check("flagged", phone=True)

    audit.assert_clean()
