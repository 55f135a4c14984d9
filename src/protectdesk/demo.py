"""The demo desk: fictional people only, created through the same actions as real data.

Who and what the demo holds is data, in :mod:`protectdesk.demo_cases`; this module makes it.

Every demo account shares one documented password. The demo desk does not require 2FA.
Cases are opened, shared and given a defender account through the real action functions, so
the demo database is encrypted exactly like a real one.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from protectdesk import vocabularies
from protectdesk.accounts import actions
from protectdesk.accounts.models import Desk, Role, User
from protectdesk.attachments import actions as attachment_actions
from protectdesk.attachments.uploads import encrypt_bytes
from protectdesk.cases import actions as case_actions
from protectdesk.crypto import userkeys
from protectdesk.demo_cases import (
    ACCOUNTS,
    CASES,
    CASEWORKER,
    CASEWORKER2,
    COORDINATOR,
    DEFENDER_HANDLE,
    DEMO_PASSWORD,
    DemoAssessment,
    DemoCase,
)
from protectdesk.demo_protection import PROTECTION, SPOKES, WHEELS, DemoProtection, DemoWheel
from protectdesk.incidents import actions as incident_actions
from protectdesk.incidents.forms import parse_when
from protectdesk.incidents.models import Actor, Incident
from protectdesk.plans import actions as plan_actions
from protectdesk.plans.models import CheckIn, PlanVersion
from protectdesk.records import actions as records
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case, CaseStatus
from protectdesk.risk import actions as risk_actions
from protectdesk.threats import actions as threat_actions
from protectdesk.threats.models import ThreatAssessment

__all__ = [
    "ACCOUNTS",
    "CASES",
    "CASEWORKER",
    "CASEWORKER2",
    "COORDINATOR",
    "DEFENDER_HANDLE",
    "DEMO_PASSWORD",
    "create_demo",
    "demo_desk",
    "demo_exists",
]


def demo_exists() -> bool:
    return User.objects.filter(login=COORDINATOR).exists()


def _keyring(user: User) -> Keyring:
    user.refresh_from_db()
    private_key = userkeys.open_private_key(
        bytes(user.sealed_private_key or b""), DEMO_PASSWORD, str(user.id)
    )
    return Keyring(user, private_key)


def create_demo() -> str:
    """Create the demo desk, its accounts and cases; returns the recovery phrase (demo only)."""
    with transaction.atomic():
        created = actions.create_desk(
            name="Demo Protection Desk",
            country="GT",
            languages=[code for code, _ in settings.LANGUAGES],
            reference_prefix="GT",
            require_staff_2fa=False,
            coordinator_login=COORDINATOR,
            coordinator_name="Carla Coordinator",
            coordinator_password=DEMO_PASSWORD,
        )
        users: dict[str, User] = {COORDINATOR: created.coordinator}
        for account in ACCOUNTS:
            if account.login in users or account.role == Role.DEFENDER:
                continue
            invitation, token = actions.invite(
                actor=created.coordinator,
                role=account.role,
                login=account.login,
                display_name=account.name,
            )
            users[account.login] = actions.accept_invitation(
                invitation=invitation,
                token=token,
                password=DEMO_PASSWORD,
                display_name=account.name,
            )
        for demo in CASES:
            case = _open(demo, users)
            protection = PROTECTION.get(demo.profile.name or "")
            if protection is not None:
                owner = users[demo.owner]
                _protect(protection, owner, _keyring(owner), case)
            for wheel in WHEELS.get(demo.profile.name or "", ()):
                owner = users[demo.owner]
                _wheel(wheel, owner, _keyring(owner), case)
    return created.recovery_phrase


def _demo_image() -> bytes:
    """A fictional screenshot of a smear post, drawn here (no file shipped, nothing real)."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (360, 200), (245, 246, 248))
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, 350, 190), outline=(180, 180, 190))
    draw.text((24, 28), "@fake_account_demo", fill=(20, 20, 20))
    draw.text((24, 60), "This 'journalist' is paid by foreigners.", fill=(20, 20, 20))
    draw.text((24, 84), "We know where she lives.", fill=(160, 20, 20))
    draw.text((24, 160), "FICTIONAL DEMO IMAGE", fill=(120, 120, 120))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _open(demo: DemoCase, users: dict[str, User]) -> Case:
    owner = users[demo.owner]
    keyring = _keyring(owner)
    case = case_actions.open_case(
        actor=owner, keyring=keyring, profile=demo.profile, staff_notes=demo.staff_notes
    )
    for login in demo.also:
        case_actions.add_member(actor=owner, keyring=keyring, case=case, user=users[login])
    if demo.status != CaseStatus.OPEN:
        case_actions.change_status(actor=owner, keyring=keyring, case=case, status=demo.status)
    _actors_map(demo, owner, keyring, case)
    _incidents(demo, owner, keyring, case)
    for assessment in demo.assessments:
        _assess(assessment, owner, keyring, case)
    case_actions.record_consent(
        actor=owner,
        keyring=keyring,
        case=case,
        choice=case_actions.ConsentChoice(
            True, False, True, False, date(2026, 9, 1), notes="Given in person (fictional)."
        ),
    )
    if demo.member_of:
        collective = _by_name(keyring, demo.member_of)
        case_actions.link_defender(actor=owner, keyring=keyring, case=case, collective=collective)
    for name, raw, staff_only in demo.files:
        data = raw or _demo_image()
        attachment_actions.add_attachment(
            actor=owner,
            keyring=keyring,
            case=case,
            record_type="cases.case",
            record_id=case.id,
            upload=encrypt_bytes(name, data),
            staff_only=staff_only,
        )
    if demo.defender_account:
        _user, invitation, token = case_actions.invite_defender(
            actor=owner, keyring=keyring, case=case, handle=DEFENDER_HANDLE
        )
        actions.accept_invitation(
            invitation=invitation, token=token, password=DEMO_PASSWORD, display_name=""
        )
    return case


def _incidents(demo: DemoCase, owner: User, keyring: Keyring, case: Case) -> None:
    for item in demo.incidents:
        perpetrators: tuple[incident_actions.PerpetratorEntry, ...] = ()
        if item.actor:
            existing = next(
                (
                    a
                    for a in Actor.objects.filter(case=case)
                    if keyring.opened(a).name == item.actor[1]
                ),
                None,
            )
            perpetrators = (
                incident_actions.PerpetratorEntry(
                    actor_id=existing.id if existing else None,
                    new_actor_type=item.actor[0],
                    new_actor_name=item.actor[1],
                    confidence=item.confidence,
                ),
            )
        incident_actions.log_incident(
            actor=owner,
            keyring=keyring,
            case=case,
            data=incident_actions.IncidentData(
                when=parse_when(item.typed_date),
                country=case.desk.country,
                subdivision="",
                title=item.title,
                narrative=item.narrative,
                types=item.types,
                nature=item.nature,
                place=item.place,
                analysis=item.analysis,
                reaction=item.reaction,
                authority_response=item.authority_response,
                perpetrators=perpetrators,
            ),
        )


def _actor_named(keyring: Keyring, case: Case, name: str) -> Actor:
    return next(a for a in Actor.objects.filter(case=case) if keyring.opened(a).name == name)


def _actors_map(demo: DemoCase, owner: User, keyring: Keyring, case: Case) -> None:
    """The case's actors, larger actors first (their sub-units name them), then relations."""
    for item in demo.actors:
        incident_actions.add_actor(
            actor=owner,
            keyring=keyring,
            case=case,
            actor_type=item.actor_type,
            name=item.name,
            profile=incident_actions.ActorProfile(
                stance=item.stance,
                influence=item.influence,
                parent_id=_actor_named(keyring, case, item.parent).id if item.parent else None,
                interests=item.interests,
                resources=item.resources,
            ),
        )
    for item in demo.actors:
        for kind, other in item.relations:
            threat_actions.add_relation(
                actor=owner,
                keyring=keyring,
                case=case,
                source_id=_actor_named(keyring, case, item.name).id,
                target_id=_actor_named(keyring, case, other).id,
                kind=kind,
            )


def _assess(item: DemoAssessment, owner: User, keyring: Keyring, case: Case) -> None:
    """An assessment through the real steps, as far as the demo answers them."""
    incidents = [
        i.id
        for title in item.incidents
        for i in Incident.objects.filter(case=case)
        if keyring.opened(i).title == title
    ]
    assessment = threat_actions.start_assessment(
        actor=owner,
        keyring=keyring,
        case=case,
        facts=threat_actions.Facts(item.title, item.facts, tuple(incidents)),
    )
    steps: list[threat_actions.StepData] = []
    if item.pattern:
        steps.append(threat_actions.Pattern(item.pattern))
    if item.objective[0]:
        steps.append(threat_actions.Objective(item.objective[0], "", item.objective[1]))
    if item.source[1]:
        name, confidence, possibly_false, why = item.source
        source = _actor_named(keyring, case, name).id if name else None
        steps.append(threat_actions.Source(source, confidence, possibly_false, why))
    if item.conclusion:
        kind, intent, capacity, likelihood, rationale, declared, shown = item.conclusion
        steps.append(
            threat_actions.Conclusion(
                kind, intent, capacity, likelihood, rationale, declared, shown
            )
        )
    for data in steps:
        assessment = threat_actions.save_step(
            actor=owner,
            keyring=keyring,
            assessment=assessment,
            data=data,
            expected_version=assessment.row_version,
        )


def _protect(item: DemoProtection, owner: User, keyring: Keyring, case: Case) -> None:
    """The case's risk analysis and protection plan, through the real actions."""
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
    scenarios = {}
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
                "Mesa de protección (ficticia): +502 0000 0000",
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


def _wheel(item: DemoWheel, owner: User, keyring: Keyring, case: Case) -> None:
    """A security wheel session with its participants, through the real actions."""
    from protectdesk.wheel import actions as wheel_actions

    session = wheel_actions.start_session(
        actor=owner,
        keyring=keyring,
        case=case,
        wheel="organisational",
        held_on=date.today() - timedelta(days=item.days_ago),
        title=item.title,
    )
    for label, scores, barrier, solution in item.participants:
        weakest = SPOKES[scores.index(min(scores))]
        wheel_actions.add_participant(
            actor=owner,
            keyring=keyring,
            session=session,
            label=label,
            submission=uuid.uuid4(),
            scores=tuple(
                wheel_actions.SpokeEntry(
                    code,
                    score,
                    barrier if code == weakest else "",
                    solution if code == weakest else "",
                )
                for code, score in zip(SPOKES, scores, strict=True)
            ),
        )


def _by_name(keyring: Keyring, name: str) -> Case:
    from protectdesk.cases import queries

    return next(
        card.case
        for card in queries.my_cases(keyring)
        if card.defender and card.defender.name == name
    )


def demo_desk() -> Desk | None:
    user = User.objects.select_related("desk").filter(login=COORDINATOR).first()
    return user.desk if user else None
