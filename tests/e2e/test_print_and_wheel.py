"""The printed plan and the security wheel in the browser, JavaScript off (issue: print and wheel).

Set up in Python: a desk, a caseworker who opens an organisation's case, its protection plan
with an arrest-or-detention contingency plan, and an earlier session of the organisational wheel
(three months ago) with one participant. In the browser the caseworker downloads the plan as a
PDF in Spanish (a plain GET form: downloads need no JavaScript) and reads its text layer; starts
a new session of the same wheel, enters two participants through the form (both score
"Planning" below 50), reads the chart's data table (the means, and what moved since the earlier
session), sends the second participant's form again and is told nothing was added; then makes
the weak spoke a measure of the plan and finds it on the plan page.

Every page is checked at 360 px, for weight, scripts and foreign requests, and by axe-core.
"""

from __future__ import annotations

import datetime
import io
import re
import uuid
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, expect
from pypdf import PdfReader

from protectdesk.accounts.models import Role
from protectdesk.audit.models import AuditEntry
from protectdesk.cases import actions as case_actions
from protectdesk.plans import actions as plan_actions
from protectdesk.plans.models import Measure
from protectdesk.wheel import actions as wheel_actions
from protectdesk.wheel.models import Participant, SpokeMeasure, WheelSession
from tests.conftest import add_user, keyring_of, make_desk
from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 720}  # Playwright's default viewport, the journey's

ORGANISATION = "Colectivo Voces del Norte Prueba"
STEPS = "1. Llamar a la abogada de la red.\n2. Avisar a la mesa por el teléfono de guardia."
CONTACTS = "Abogada de la red: +502 5555 0000"
STAFF_NOTE = "Solo para el personal: no imprimir."

SPOKES = (
    "experience",
    "training",
    "awareness",
    "planning",
    "responsibilities",
    "rules",
    "incident_response",
    "evaluation",
)
LABELS = {
    "experience": "Experience and practice",
    "training": "Training",
    "awareness": "Awareness and attitude",
    "planning": "Planning",
    "responsibilities": "Assignment of responsibilities",
    "rules": "Ownership of and compliance with rules",
    "incident_response": "Response to security incidents",
    "evaluation": "Evaluation of security management",
}
# The earlier session: one participant; overall mean 320 / 8 = 40.
EARLIER = dict(zip(SPOKES, (60, 40, 50, 45, 50, 40, 30, 5), strict=True))
# This session: two participants; "Planning" is below 50 for both (mean 35, the only weak
# spoke); they disagree on "Evaluation" (70 and 40: 30 points apart). Overall 480 / 8 = 60.
ANA = dict(zip(SPOKES, (70, 60, 80, 30, 60, 50, 40, 70), strict=True))
BETO = dict(zip(SPOKES, (90, 50, 70, 40, 80, 70, 60, 40), strict=True))
MEANS = {code: (ANA[code] + BETO[code]) // 2 for code in SPOKES}
ANA_PLANNING = ("No time to plan together.", "A monthly planning meeting.")
BETO_PLANNING = ("Plans stay in one person's head.", "Write the plan down after each meeting.")


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def _signed(delta: int) -> str:
    return "±0" if delta == 0 else f"+{delta}" if delta > 0 else f"\u2212{-delta}"


def test_download_the_plan_as_a_pdf_and_run_a_wheel_session_with_two_participants(
    journey, audit, server
):
    today = timezone.localdate()
    earlier_day = today - datetime.timedelta(days=91)

    # --- set-up: an organisation's case, its plan with a contingency plan, an earlier wheel ----
    _desk, coordinator, _phrase = make_desk("Wheel Desk", "WH", "coordinator@wh.example")
    caseworker = add_user(coordinator, Role.CASEWORKER, "caseworker@wh.example", "Carla Caseworker")
    case = case_actions.open_case(
        actor=caseworker,
        keyring=keyring_of(caseworker),
        profile=case_actions.DefenderProfile(
            kind="organisation",
            country="GT",
            subdivision="GT-13",
            sectors=("womens_rights",),
            size_band="11-50",
            name=ORGANISATION,
        ),
    )
    version = plan_actions.start_plan(actor=caseworker, keyring=keyring_of(caseworker), case=case)
    version = plan_actions.update_plan(
        actor=caseworker,
        keyring=keyring_of(caseworker),
        version=version,
        data=plan_actions.PlanData(
            version.next_review,
            threats_to_reduce="Amenazas a la coordinadora después de las denuncias.",
            staff_notes=STAFF_NOTE,
        ),
        expected_version=version.row_version,
    )
    plan_actions.save_contingency(
        actor=caseworker,
        keyring=keyring_of(caseworker),
        version=version,
        kind="arrest_detention",
        data=plan_actions.ContingencyData(STEPS, contacts=CONTACTS),
    )
    earlier = wheel_actions.start_session(
        actor=caseworker,
        keyring=keyring_of(caseworker),
        case=case,
        wheel="organisational",
        held_on=earlier_day,
        title="Asamblea del equipo regional",
    )
    wheel_actions.add_participant(
        actor=caseworker,
        keyring=keyring_of(caseworker),
        session=earlier,
        label="Marta",
        submission=uuid.uuid4(),
        scores=tuple(wheel_actions.SpokeEntry(code, score) for code, score in EARLIER.items()),
    )
    case_path = f"/cases/{case.id}/"
    plan_path = f"{case_path}plan/"

    # --- the plan as a PDF, in Spanish ----------------------------------------------------------
    worker = journey("caseworker")

    def fits_a_phone(table: Locator, what: str) -> None:
        """At 360 px ``table`` is no wider than its .table-wrap: no column hidden behind a
        sideways scroll inside it (the audit checks only that the page does not scroll)."""
        worker.page.set_viewport_size(PHONE)
        try:
            wrap = table.locator("xpath=ancestor::div[contains(@class, 'table-wrap')][1]")
            table_box, wrap_box = table.bounding_box(), wrap.bounding_box()
            assert table_box and wrap_box, f"{what}: not on the page"
            assert table_box["width"] <= wrap_box["width"] + 0.5, (
                f"{what} is {table_box['width']:.0f} px wide in a {wrap_box['width']:.0f} px "
                "box at 360 px: its last columns scroll sideways"
            )
        finally:
            worker.page.set_viewport_size(DESKTOP)

    worker.sign_in(caseworker.login)
    worker.check("home", phone=True)
    worker.goto(case_path)
    expect(worker.page.locator("h1")).to_have_text(ORGANISATION)
    worker.check("case", phone=True)
    worker.click(
        worker.page.locator("section[aria-labelledby=h-plan]").get_by_role(
            "link", name="Open the plan"
        )
    )
    assert worker.path == plan_path
    expect(worker.page.locator("h1")).to_have_text("Protection plan")
    main = worker.page.locator("main")
    expect(main.locator("section#contingency-arrest_detention")).to_contain_text(CONTACTS)
    worker.check("plan", phone=True)
    language = worker.page.get_by_label("Language of the printed plan")
    expect(language).to_have_value("en")  # the language of the page
    language.select_option(label="Spanish")
    with worker.page.expect_download() as downloading:
        worker.page.get_by_role("button", name="Download the plan as a PDF").click()
    download = downloading.value
    assert download.url == f"{server}{plan_path}plan.pdf?lang=es"
    assert download.suggested_filename == f"protection-plan-{case.reference}-v1-es.pdf"
    assert download.failure() is None
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"%PDF"), content[:20]
    text = _pdf_text(content)
    assert "Plan de protección" in text
    assert "Hoja de emergencia" in text
    for line in (*STEPS.splitlines(), CONTACTS):
        assert line in text, f"{line!r} is not in the PDF"
    assert STAFF_NOTE not in text  # staff notes never go to paper
    assert worker.path == plan_path  # a download: the page stays
    printed = AuditEntry.objects.get(action="plan.printed")
    assert printed.detail.get("language") == "es", printed.detail

    # --- a new session of the same wheel --------------------------------------------------------
    worker.goto(case_path)
    wheel_section = worker.page.locator("section[aria-labelledby=h-wheel]")
    expect(wheel_section).to_contain_text(
        f"Latest session: Organisational security, {earlier_day.isoformat()}, 1 participant."
    )
    expect(wheel_section).to_contain_text("Overall mean: 40\u00a0%.")
    worker.click(wheel_section.get_by_role("link", name="All sessions"))
    sessions_path = f"{case_path}wheel/"
    assert worker.path == sessions_path
    expect(worker.page.locator("h1")).to_have_text("Security wheel")
    listed = main.locator("table tbody tr")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text(earlier_day.isoformat())
    expect(listed).to_contain_text("Organisational security")
    expect(listed).to_contain_text("40\u00a0%")
    fits_a_phone(listed.locator("xpath=ancestor::table"), "the list of sessions")
    worker.check("sessions", phone=True)
    worker.page.get_by_label("Wheel").select_option("organisational")
    expect(worker.page.get_by_label("Date of the session")).to_have_value(today.isoformat())
    worker.page.get_by_label("Title").fill("Segunda asamblea del equipo regional")
    worker.click(worker.page.get_by_role("button", name="Start the session"))
    session = WheelSession.objects.exclude(pk=earlier.pk).get(case=case)
    session_path = f"{sessions_path}{session.id}/"
    assert worker.path == session_path
    assert session.wheel == "organisational" and session.held_on == today
    expect(worker.page.locator(".messages")).to_contain_text("The session is started")
    expect(worker.page.locator("h1")).to_have_text(f"Organisational security, {today.isoformat()}")
    expect(main).to_contain_text("0 participants.")
    expect(main).to_contain_text("No participant yet.")
    worker.check("session-started", phone=True)

    # --- two participants through the form ------------------------------------------------------
    def enter(label: str, scores: dict[str, int], planning: tuple[str, str], step: str) -> str:
        form = worker.page.locator("form", has=worker.page.locator("input[name=submission]"))
        submission = form.locator("input[name=submission]").get_attribute("value") or ""
        assert uuid.UUID(submission)
        worker.page.get_by_label("Participant", exact=True).fill(label)
        for code, score in scores.items():
            worker.page.get_by_label(f"{LABELS[code]}: score (0 to 100)").fill(str(score))
        worker.page.get_by_label("Planning: barriers").fill(planning[0])
        worker.page.get_by_label("Planning: solutions").fill(planning[1])
        with worker.page.expect_request(
            lambda request: request.method == "POST" and request.is_navigation_request()
        ) as posting:
            worker.click(worker.page.get_by_role("button", name="Save the participant's scores"))
        last_post["body"] = posting.value.post_data
        saved = Participant.objects.get(session=session, submission=submission)
        assert worker.path == f"{session_path}#participant-{saved.pk}"  # its scores, on the page
        expect(worker.page.locator(".messages")).to_contain_text(
            "The participant's scores are saved."
        )
        worker.check(step, phone=True)
        return submission

    last_post: dict[str, str | None] = {"body": None}  # the form the browser sent last
    expect(worker.page.get_by_role("heading", name="Add a participant")).to_be_visible()
    enter("Ana", ANA, ANA_PLANNING, "session-one-participant")
    expect(main).to_contain_text("1 participant.")
    beto_submission = enter("Beto", BETO, BETO_PLANNING, "session-two-participants")
    assert Participant.objects.filter(session=session).count() == 2

    # The aggregate: the means, the overall mean and what moved since the earlier session.
    expect(main).to_contain_text("2 participants.")
    expect(main).to_contain_text("Overall mean: 60\u00a0% (the mean of the spokes' means).")
    expect(main.locator("p", has_text="Compared with the session of")).to_have_text(
        f"Compared with the session of {earlier_day.isoformat()}: overall +20 points."
    )
    expect(main.get_by_role("link", name=earlier_day.isoformat())).to_have_attribute(
        "href", f"{sessions_path}{earlier.id}/"
    )
    chart = main.locator("figure.chart")
    expect(chart.locator("figcaption")).to_have_text("Mean score of each spoke")
    expect(chart.locator(".bars .bar-row")).to_have_count(len(SPOKES))
    data = chart.locator("table.chart-data")
    expect(data.locator("caption")).to_have_text("Mean of the participants' scores, 0 to 100 %.")
    expect(data.locator("thead th")).to_have_text(["Spoke", "Mean", "Since the previous session"])
    rows = data.locator("tbody tr")
    expect(rows).to_have_count(len(SPOKES))
    for row, code in zip(rows.all(), SPOKES, strict=True):
        expect(row.locator("th")).to_have_text(LABELS[code])
        expect(row.locator("td").nth(0)).to_have_text(f"{MEANS[code]}\u00a0%")
        expect(row.locator("td").nth(1)).to_have_text(
            f"{_signed(MEANS[code] - EARLIER[code])} since {earlier_day.isoformat()}"
        )
    planning_row = rows.filter(has=worker.page.locator("th", has_text="Planning"))
    expect(planning_row.locator("td")).to_have_text(
        ["35\u00a0%", f"\u221210 since {earlier_day.isoformat()}"]
    )
    expect(chart.locator(".bar.weak")).to_have_count(1)  # Planning, the only mean below 50
    # At 360 px what moved since the earlier session is not hidden behind a sideways scroll.
    fits_a_phone(data, "the chart's data table")
    agreement = main.locator("table.stack").first
    expect(agreement.locator("tbody tr", has_text="Evaluation")).to_contain_text(
        "participants disagree"
    )
    weak = main.locator("#weak + p + ul li")
    expect(weak).to_have_count(1)
    expect(weak).to_contain_text("Planning · 35\u00a0%")
    participants = main.locator("section[aria-labelledby^=participant-]")
    expect(participants).to_have_count(2)
    expect(participants.locator("h3")).to_have_text(["Ana", "Beto"])
    expect(participants.nth(1).locator("tbody tr", has_text="Planning")).to_contain_text(
        BETO_PLANNING[1]
    )

    # --- the same form sent again: nothing added ------------------------------------------------
    # Going back does not send it twice: the page is fetched again (Cache-Control: no-store),
    # with empty fields and a new submission id. A form goes twice as the same POST sent again
    # (a retry after a lost answer, a double press): send Beto's exactly as the browser sent it,
    # with the browser's cookies (same CSRF token, same submission id).
    sent = last_post["body"]
    assert sent is not None and f"submission={beto_submission}" in sent
    again = worker.page.request.post(
        session_path,
        data=sent,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": server},
        max_redirects=0,
    )
    beto = Participant.objects.get(session=session, submission=beto_submission)
    assert again.status == 302, again.status
    assert again.headers["location"] == f"{session_path}#participant-{beto.pk}"
    assert Participant.objects.filter(session=session).count() == 2
    # Where the browser already is (Beto's scores): load it again to read the answer.
    assert worker.page.url == server + again.headers["location"]
    worker.page.reload(wait_until="load")
    expect(worker.page.locator(".messages")).to_have_text(
        "These scores are already saved: the form was sent twice, and nothing was added the "
        "second time."
    )
    expect(main).to_contain_text("2 participants.")
    expect(participants).to_have_count(2)
    expect(rows.filter(has_text="Planning").locator("td").nth(0)).to_have_text("35\u00a0%")
    worker.check("session-sent-twice", phone=True)

    # --- the weak spoke becomes a measure of the plan -------------------------------------------
    worker.click(weak.get_by_role("button", name="Make it a measure of the plan · Planning"))
    assert worker.path == f"{session_path}#weak"
    expect(worker.page.locator(".messages")).to_contain_text(
        "The measure is added to the protection plan: give it an owner and a due date there."
    )
    expect(weak).to_contain_text("Planning · 35\u00a0% · a measure of the plan")
    expect(weak.get_by_role("button")).to_have_count(0)
    worker.check("session-measure-made", phone=True)
    link = SpokeMeasure.objects.get(session=session)
    assert link.spoke == "planning"
    worker.click(weak.get_by_role("link", name="Open the plan"))
    assert worker.path == plan_path
    measure_rows = main.locator("#measures + .table-wrap tbody tr")
    expect(measure_rows).to_have_count(1)
    expect(measure_rows.locator("th .pre")).to_have_text(
        f"Strengthen: Planning\n– {ANA_PLANNING[1]}\n– {BETO_PLANNING[1]}"
    )
    expect(measure_rows).to_contain_text("builds a capacity")
    expect(measure_rows.locator("td").first).to_have_text(re.compile(r"^Protection\b"))
    worker.check("plan-with-wheel-measure", phone=True)
    assert Measure.objects.get(version__case=case).pk == link.measure_id

    audit.assert_clean()
