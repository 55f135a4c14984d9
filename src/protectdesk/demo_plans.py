"""Writing a demo case's risk analysis and protection plan, and drawing demo images.

Shared by the hand-written cases (:mod:`protectdesk.demo`) and the generated ones
(:mod:`protectdesk.demo_generated`); everything goes through the real actions.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

from django.utils import timezone

from protectdesk import vocabularies
from protectdesk.accounts.models import User
from protectdesk.demo_protection import DemoProtection
from protectdesk.plans import actions as plan_actions
from protectdesk.plans.models import CheckIn, PlanVersion
from protectdesk.records import actions as records
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case
from protectdesk.risk import actions as risk_actions
from protectdesk.threats.models import ThreatAssessment

#: The fictional screenshot of a smear post the hand-written journalist's case attaches.
SMEAR_POST = (
    "@fake_account_demo",
    "This 'journalist' is paid by foreigners.",
    "We know where she lives.",
)


def demo_image(lines: tuple[str, ...] = SMEAR_POST) -> bytes:
    """A fictional screenshot of a post or message, drawn here (no file shipped, nothing real).

    The first line is the sender, the last one is drawn in red; Pillow's built-in font draws
    ASCII only, so the lines are kept to it.
    """
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (360, 200), (245, 246, 248))
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, 350, 190), outline=(180, 180, 190))
    for number, line in enumerate(lines):
        colour = (160, 20, 20) if number == len(lines) - 1 and number else (20, 20, 20)
        draw.text((24, 28 + 28 * number), line, fill=colour)
    draw.text((24, 160), "FICTIONAL DEMO IMAGE", fill=(120, 120, 120))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def protect(item: DemoProtection, owner: User, keyring: Keyring, case: Case) -> None:
    """The case's risk analysis (if it has scenarios) and protection plan, through the real
    actions."""
    scenarios = {}
    if item.scenarios:
        assessments = {
            str(keyring.opened(a).title): a.id for a in ThreatAssessment.objects.filter(case=case)
        }
        analysis = risk_actions.start_analysis(actor=owner, keyring=keyring, case=case)
        analysis = risk_actions.update_analysis(
            actor=owner,
            keyring=keyring,
            analysis=analysis,
            data=risk_actions.AnalysisData(item.threshold, decider=item.decider),
            expected_version=analysis.row_version,
        )
        for scenario in item.scenarios:
            scenarios[scenario.title] = risk_actions.save_scenario(
                actor=owner,
                keyring=keyring,
                analysis=analysis,
                data=risk_actions.ScenarioData(
                    scenario.title,
                    scenario.threat,
                    scenario.likelihood,
                    scenario.impact,
                    assessment_id=assessments.get(scenario.assessment),
                    components=tuple(
                        risk_actions.ComponentData(*component) for component in scenario.components
                    ),
                ),
            )
    version = plan_actions.start_plan(actor=owner, keyring=keyring, case=case)
    today = date.today()
    review = (
        today + timedelta(days=item.review_due_days)
        if item.review_due_days is not None
        else version.next_review
    )
    version = plan_actions.update_plan(
        actor=owner,
        keyring=keyring,
        version=version,
        data=plan_actions.PlanData(review, *item.objectives),
        expected_version=version.row_version,
    )
    if item.review_due_days is not None and review < version.started_on:
        # A plan already overdue: as if it had been made long ago (the demo only).
        PlanVersion.objects.filter(pk=version.pk).update(started_on=review - timedelta(days=182))
        version.refresh_from_db()
    first = next(iter(scenarios.values()), None)
    for measure in item.measures:
        due = (
            today + timedelta(days=measure.due_in_days) if measure.due_in_days is not None else None
        )
        if due is not None and due < version.started_on:
            PlanVersion.objects.filter(pk=version.pk).update(started_on=due)
            version.refresh_from_db()
        plan_actions.save_measure(
            actor=owner,
            keyring=keyring,
            version=version,
            data=plan_actions.MeasureData(
                measure.description,
                measure.strategy,
                status=measure.status,
                target_scenario_id=first.id if first else None,
                builds_capacity=measure.builds_capacity,
                owner=measure.owner,
                owner_is_defender=measure.owner_is_defender,
                due=due,
            ),
        )
    protocols = vocabularies.load("protocol_templates")
    for kind in item.protocols:
        text = protocols.get(kind).extra[f"text_{item.language}"]  # type: ignore[union-attr]
        plan_actions.save_protocol(
            actor=owner, keyring=keyring, version=version, kind=kind, text=text
        )
    contingencies = vocabularies.load("contingency_templates")
    for kind in item.contingencies:
        term = contingencies.get(kind)
        assert term is not None  # noqa: S101 - the demo data names shipped kinds
        now = timezone.now()
        schedule = (
            plan_actions.Schedule(12, now + timedelta(hours=9), now + timedelta(days=3))
            if kind == item.missed_check_in
            else None
        )
        plan_actions.save_contingency(
            actor=owner,
            keyring=keyring,
            version=version,
            kind=kind,
            data=plan_actions.ContingencyData(
                term.extra[f"steps_{item.language}"],
                term.extra[f"who_{item.language}"],
                item.contact,
                schedule,
            ),
        )
        if kind == item.missed_check_in:
            # The check-in of this morning did not come (demo only: a schedule never makes
            # check-ins in the past).
            records.save(
                owner,
                keyring,
                CheckIn(case=case, kind=kind, due_at=now - timedelta(hours=3)),
                {},
                audit=None,
            )
