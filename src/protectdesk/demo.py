"""The demo desk: fictional people only, created through the same actions as real data.

Who and what the demo holds is data: the hand-written cases in :mod:`protectdesk.demo_cases`
(made here), and the defenders of ``demo_people_*``, whose few hundred incidents
:mod:`protectdesk.demo_generated` writes from templates in four languages.

Every demo account shares one documented password. The demo desk does not require 2FA.
Cases are opened, shared and given a defender account through the real action functions, so
the demo database is encrypted exactly like a real one. Each account's private key is opened
once (Argon2id, as at sign-in) and its keyring serves every write of the run.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction

from protectdesk.accounts import actions
from protectdesk.accounts.models import Desk, Role, User
from protectdesk.attachments import actions as attachment_actions
from protectdesk.attachments.uploads import encrypt_bytes
from protectdesk.cases import actions as case_actions
from protectdesk.crypto import userkeys
from protectdesk.demo_advocacy import create_advocacy
from protectdesk.demo_cases import (
    ACCOUNTS,
    ANALYST,
    CASES,
    CASEWORKER,
    CASEWORKER2,
    COORDINATOR,
    DEFENDER_HANDLE,
    DEMO_PASSWORD,
    TRAINER,
    DemoAssessment,
    DemoCase,
)
from protectdesk.demo_generated import create_generated
from protectdesk.demo_intake import create_intake
from protectdesk.demo_library import create_library
from protectdesk.demo_observatory import create_observatory
from protectdesk.demo_partners import create_partners
from protectdesk.demo_plans import demo_image, protect
from protectdesk.demo_protection import PROTECTION, SPOKES, WHEELS, DemoWheel
from protectdesk.demo_training import create_training
from protectdesk.incidents import actions as incident_actions
from protectdesk.incidents.forms import parse_when
from protectdesk.incidents.models import Actor, Incident
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case, CaseStatus
from protectdesk.threats import actions as threat_actions

__all__ = [
    "ACCOUNTS",
    "ANALYST",
    "CASES",
    "CASEWORKER",
    "CASEWORKER2",
    "COORDINATOR",
    "DEFENDER_HANDLE",
    "DEMO_PASSWORD",
    "TRAINER",
    "create_demo",
    "demo_desk",
    "demo_exists",
]


def demo_exists() -> bool:
    return User.objects.filter(login=COORDINATOR).exists()


def _keyring(user: User) -> Keyring:
    """The keyring a signed-in ``user`` would have (one Argon2id run: call once per account)."""
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
        keyrings = {
            login: _keyring(user)
            for login, user in users.items()
            if user.role not in (Role.ADMIN, Role.ANALYST)  # they hold no keys
        }
        cases: dict[str, Case] = {}
        for demo in CASES:
            owner, keyring = users[demo.owner], keyrings[demo.owner]
            case = _open(demo, owner, keyring, users)
            cases[demo.profile.name] = case
            protection = PROTECTION.get(demo.profile.name or "")
            if protection is not None:
                protect(protection, owner, keyring, case)
            for wheel in WHEELS.get(demo.profile.name or "", ()):
                _wheel(wheel, owner, keyring, case)
        create_generated(users, keyrings)
        create_library(users[COORDINATOR], users[CASEWORKER2])
        create_training(
            users[TRAINER], keyrings[TRAINER], users[CASEWORKER], keyrings[CASEWORKER], cases
        )
        create_partners(
            users[COORDINATOR],
            keyrings[COORDINATOR],
            users[CASEWORKER],
            keyrings[CASEWORKER],
            cases,
        )
        create_observatory(users[COORDINATOR])
        create_advocacy(users[CASEWORKER], keyrings[CASEWORKER], cases)
        create_intake(users[COORDINATOR], keyrings[COORDINATOR], users[CASEWORKER])
    return created.recovery_phrase


def _open(demo: DemoCase, owner: User, keyring: Keyring, users: dict[str, User]) -> Case:
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
        data = raw or demo_image()
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
    assessment = threat_actions.save_steps(
        actor=owner, keyring=keyring, assessment=assessment, steps=steps
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
