"""Every write of a protection plan: versions, reviews, measures, protocols, contingency plans,
check-ins, and the early-review mark.

* Staff members of the case write the plan; the defender's own account (shared key) reads it,
  marks **their own** measures done and records check-ins — nothing else.
* Only the current version (the newest) is written (:class:`Frozen` otherwise).
* A **review** names the version it starts from: if that is no longer the current one (a
  second tab, a colleague), :class:`ReviewAlreadyStarted` says which version is, and no second
  version is made. It runs under the case-row lock, so two reviews at once make one version.
* A measure's target is a scenario of the case (:class:`NotInCase`) or a component of the
  shipped list; its due date is not before the plan's date (:class:`DueBeforePlan`).
* A serious new incident (severity 4 or 5, logged after the current version) or an escalation
  flag marks the current version for early review (the floor's watch on incidents and
  assessments); the mark stays until the next review.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from protectdesk import vocabularies
from protectdesk.accounts.models import User
from protectdesk.incidents.models import Incident
from protectdesk.plans.models import (
    CheckIn,
    Contingency,
    EarlyReview,
    Measure,
    MeasureStatus,
    PlanVersion,
    Protocol,
    Strategy,
)
from protectdesk.records import actions as records
from protectdesk.records.keyring import Keyring, NoCaseAccess
from protectdesk.records.models import Case
from protectdesk.risk.models import Scenario
from protectdesk.threats import queries as threat_queries

REVIEW_AFTER = datetime.timedelta(days=182)  # about six months
SERIOUS = 4
MAX_CHECKINS = 200
PLAN_TEXTS = ("threats_to_reduce", "vulnerabilities_to_reduce", "capacities_to_raise")


class Frozen(Exception):
    """An earlier version was to be changed: a review has replaced it."""


class ReviewAlreadyStarted(Exception):
    def __init__(self, current: PlanVersion) -> None:
        super().__init__(f"version {current.number} is already the current one")
        self.current = current


class NotInCase(ValueError):
    """A scenario of another case (only a forged form sends one)."""


class DueBeforePlan(ValueError):
    """A measure due before the date of the plan it belongs to."""


@dataclass(frozen=True)
class PlanData:
    next_review: datetime.date
    threats_to_reduce: str = ""
    vulnerabilities_to_reduce: str = ""
    capacities_to_raise: str = ""
    staff_notes: str = ""


@dataclass(frozen=True)
class MeasureData:
    description: str
    strategy: str
    status: str = MeasureStatus.PLANNED
    target_scenario_id: uuid.UUID | None = None
    target_component: str = ""
    builds_capacity: bool = False
    owner: str = ""
    owner_is_defender: bool = False
    due: datetime.date | None = None
    cost: str = ""
    resource_id: uuid.UUID | None = None  # a library resource the desk's staff may see


@dataclass(frozen=True)
class Schedule:
    every_hours: int
    start: datetime.datetime
    until: datetime.datetime


@dataclass(frozen=True)
class ContingencyData:
    steps: str
    who: str = ""
    contacts: str = ""
    schedule: Schedule | None = None


def _require_staff(keyring: Keyring, case_id: uuid.UUID) -> None:
    if not keyring.has_staff_key(case_id):
        raise NoCaseAccess("only staff members of the case write the plan")


def current(case: Case | uuid.UUID) -> PlanVersion | None:
    case_id = case.pk if isinstance(case, Case) else case
    return PlanVersion.objects.filter(case_id=case_id).order_by("-number").first()


def _require_current(version: PlanVersion) -> None:
    latest = current(version.case_id)
    if latest is None or latest.pk != version.pk:
        raise Frozen


def start_plan(*, actor: User, keyring: Keyring, case: Case) -> PlanVersion:
    """Version 1 of the case's plan, to review in six months (or the current one if any)."""
    _require_staff(keyring, case.id)
    with transaction.atomic():
        records.lock_case(case.id)
        existing = current(case)
        if existing is not None:
            return existing
        today = timezone.localdate()
        version = PlanVersion(
            case=case,
            number=1,
            started_on=today,
            next_review=today + REVIEW_AFTER,
            created_by=actor,
        )
        return records.save(actor, keyring, version, {}, audit="plan.created")


def update_plan(
    *, actor: User, keyring: Keyring, version: PlanVersion, data: PlanData, expected_version: int
) -> PlanVersion:
    _require_staff(keyring, version.case_id)
    with transaction.atomic():
        records.lock_case(version.case_id)
        _require_current(version)
        fresh = PlanVersion.objects.get(pk=version.pk)
        fresh.next_review = data.next_review
        return records.save(
            actor,
            keyring,
            fresh,
            {name: getattr(data, name) for name in (*PLAN_TEXTS, "staff_notes")},
            audit="plan.updated",
            expected_version=expected_version,
        )


def review(*, actor: User, keyring: Keyring, case: Case, from_number: int) -> PlanVersion:
    """A new version copied from the current one, which stays as it was."""
    _require_staff(keyring, case.id)
    with transaction.atomic():
        records.lock_case(case.id, keyring)  # the copy opens values a rotation may re-seal
        old = current(case)
        if old is None:
            raise Frozen
        if old.number != from_number:
            raise ReviewAlreadyStarted(old)
        today = timezone.localdate()
        new = PlanVersion(
            case=case,
            number=old.number + 1,
            started_on=today,
            next_review=today + REVIEW_AFTER,
            created_by=actor,
        )
        records.save(
            actor,
            keyring,
            new,
            {name: keyring.text(old, name) for name in (*PLAN_TEXTS, "staff_notes")},
            audit="plan.reviewed",
            detail={"from": old.number, "to": new.number},
        )
        for measure in old.measures.all():
            copy = Measure(
                case=case,
                version=new,
                position=measure.position,
                strategy=measure.strategy,
                target_scenario_id=measure.target_scenario_id,
                target_component=measure.target_component,
                builds_capacity=measure.builds_capacity,
                owner_is_defender=measure.owner_is_defender,
                due=measure.due,  # kept, late or not: a review does not hide a late measure
                status=measure.status,
                resource_id=measure.resource_id,
            )
            records.save(
                actor,
                keyring,
                copy,
                {name: keyring.text(measure, name) for name in ("description", "owner", "cost")},
                audit=None,
            )
        for protocol in old.protocols.all():
            records.save(
                actor,
                keyring,
                Protocol(case=case, version=new, kind=protocol.kind),
                {"text": keyring.text(protocol, "text")},
                audit=None,
            )
        for plan in old.contingencies.all():
            records.save(
                actor,
                keyring,
                Contingency(
                    case=case,
                    version=new,
                    kind=plan.kind,
                    checkin_every_hours=plan.checkin_every_hours,
                    checkin_from=plan.checkin_from,
                    checkin_until=plan.checkin_until,
                ),
                {name: keyring.text(plan, name) for name in ("steps", "who", "contacts")},
                audit=None,
            )
    return new


# --- measures -------------------------------------------------------------------------------


def _check_measure(version: PlanVersion, data: MeasureData) -> None:
    if data.strategy not in Strategy.values or data.status not in MeasureStatus.values:
        raise ValueError("unknown strategy or status")
    target = data.target_scenario_id
    if (
        target is not None
        and not Scenario.objects.filter(case_id=version.case_id, pk=target).exists()
    ):
        raise NotInCase("a scenario of another case")
    if (
        data.target_component
        and data.target_component not in vocabularies.load("risk_components").codes()
    ):
        raise ValueError(f"unknown component {data.target_component!r}")
    if data.due is not None and data.due < version.started_on:
        raise DueBeforePlan
    if data.resource_id is not None:
        from protectdesk.library.queries import linkable_resources

        if not linkable_resources(version.case.desk_id).filter(pk=data.resource_id).exists():
            raise ValueError("a library resource the desk cannot link")


def save_measure(
    *,
    actor: User,
    keyring: Keyring,
    version: PlanVersion,
    data: MeasureData,
    measure: Measure | None = None,
    expected_version: int | None = None,
) -> Measure:
    _require_staff(keyring, version.case_id)
    _check_measure(version, data)
    with transaction.atomic():
        records.lock_case(version.case_id)
        _require_current(version)
        if measure is None:
            target = Measure(
                case_id=version.case_id, version=version, position=version.measures.count()
            )
        else:
            if measure.version_id != version.pk:
                raise Frozen
            target = Measure.objects.get(pk=measure.pk)
        target.strategy = data.strategy
        target.status = data.status
        target.target_scenario_id = data.target_scenario_id
        target.target_component = data.target_component
        target.builds_capacity = data.builds_capacity
        target.owner_is_defender = data.owner_is_defender
        target.due = data.due
        target.resource_id = data.resource_id
        return records.save(
            actor,
            keyring,
            target,
            {"description": data.description, "owner": data.owner, "cost": data.cost},
            audit="plan.measure_saved",
            expected_version=expected_version,
            detail={"strategy": data.strategy, "status": data.status},
        )


def mark_done(*, actor: User, keyring: Keyring, measure: Measure) -> Measure:
    """Mark a measure of the current version done: staff, or the defender for their own."""
    staff = keyring.has_staff_key(measure.case_id)
    if not staff and not measure.owner_is_defender:
        raise NoCaseAccess("the defender marks only their own measures")
    with transaction.atomic():
        records.lock_case(measure.case_id)
        fresh = Measure.objects.select_related("version").get(pk=measure.pk)
        _require_current(fresh.version)
        fresh.status = MeasureStatus.DONE
        return records.save(
            actor,
            keyring,
            fresh,
            {},
            audit="plan.measure_done",
            expected_version=fresh.row_version,
        )


# --- protocols and contingency plans --------------------------------------------------------


def _expected(existing: Any, expected_version: int | None) -> int | None:
    """The row version a form was loaded with (a stale one: EditConflict; 0 from a form loaded
    before the part existed, so a colleague's first save of it meanwhile is a conflict too);
    the current one for callers without a form (the demo, a review's copy)."""
    if existing is None:
        return None
    return expected_version if expected_version is not None else existing.row_version


def save_protocol(
    *,
    actor: User,
    keyring: Keyring,
    version: PlanVersion,
    kind: str,
    text: str,
    expected_version: int | None = None,
) -> Protocol:
    _require_staff(keyring, version.case_id)
    if kind not in vocabularies.load("protocol_templates").codes():
        raise ValueError(f"unknown protocol {kind!r}")
    with transaction.atomic():
        records.lock_case(version.case_id)
        _require_current(version)
        existing = version.protocols.filter(kind=kind).first()
        row = existing or Protocol(case_id=version.case_id, version=version, kind=kind)
        return records.save(
            actor,
            keyring,
            row,
            {"text": text},
            audit="plan.protocol_saved",
            expected_version=_expected(existing, expected_version),
            detail={"kind": kind},
        )


def save_contingency(
    *,
    actor: User,
    keyring: Keyring,
    version: PlanVersion,
    kind: str,
    data: ContingencyData,
    expected_version: int | None = None,
) -> Contingency:
    """Save a contingency plan; its check-in schedule replaces the kind's pending check-ins."""
    _require_staff(keyring, version.case_id)
    if kind not in vocabularies.load("contingency_templates").codes():
        raise ValueError(f"unknown contingency plan {kind!r}")
    schedule = data.schedule
    if schedule is not None and (schedule.every_hours < 1 or schedule.until <= schedule.start):
        raise ValueError("a check-in schedule runs forward, at least an hour apart")
    if schedule is not None:
        checkin_slots(schedule, timezone.now())  # TooManyCheckIns before anything is written
    with transaction.atomic():
        records.lock_case(version.case_id)
        _require_current(version)
        existing = version.contingencies.filter(kind=kind).first()
        row = existing or Contingency(case_id=version.case_id, version=version, kind=kind)
        before = (row.checkin_every_hours, row.checkin_from, row.checkin_until)
        row.checkin_every_hours = schedule.every_hours if schedule else None
        row.checkin_from = schedule.start if schedule else None
        row.checkin_until = schedule.until if schedule else None
        records.save(
            actor,
            keyring,
            row,
            {"steps": data.steps, "who": data.who, "contacts": data.contacts},
            audit="plan.contingency_saved",
            expected_version=_expected(existing, expected_version),
            detail={"kind": kind, "check_ins": bool(schedule)},
        )
        if existing is None or before != (
            row.checkin_every_hours,
            row.checkin_from,
            row.checkin_until,
        ):
            _schedule_checkins(actor, keyring, row, schedule)
    return row


class TooManyCheckIns(ValueError):
    def __init__(self, count: int) -> None:
        super().__init__(f"{count} check-ins (at most {MAX_CHECKINS})")
        self.count = count


def checkin_slots(schedule: Schedule, now: datetime.datetime) -> list[datetime.datetime]:
    """The times still to come of a schedule: from its first slot at or after ``now`` (found
    by arithmetic, not by walking from a start years ago) to its end; at most MAX_CHECKINS
    (:class:`TooManyCheckIns` says how many it would be)."""
    step = datetime.timedelta(hours=schedule.every_hours)
    first = schedule.start
    if first < now:
        first += step * -(-(now - first) // step)  # ceil((now - start) / step) steps on
    if first > schedule.until:
        return []
    count = (schedule.until - first) // step + 1
    if count > MAX_CHECKINS:
        raise TooManyCheckIns(count)
    return [first + step * n for n in range(count)]


def _schedule_checkins(
    actor: User, keyring: Keyring, plan: Contingency, schedule: Schedule | None
) -> None:
    """Replace the kind's pending check-ins still to come with the schedule's (done ones and
    missed ones stay: they are what happened)."""
    now = timezone.now()
    slots = checkin_slots(schedule, now) if schedule is not None else []
    for pending in CheckIn.objects.filter(
        case_id=plan.case_id, kind=plan.kind, done_at=None, due_at__gte=now
    ):
        records.delete(actor, keyring, pending, audit=None)
    done = set(
        CheckIn.objects.filter(case_id=plan.case_id, kind=plan.kind)
        .exclude(done_at=None)
        .values_list("due_at", flat=True)
    )
    for due in slots:
        if due not in done:
            records.save(
                actor,
                keyring,
                CheckIn(case_id=plan.case_id, kind=plan.kind, due_at=due),
                {},
                audit=None,
            )


#: How long before it is due a check-in can be made (one tap must not pre-empt later ones).
EARLY = datetime.timedelta(hours=1)


class TooEarly(ValueError):
    """A check-in due later than EARLY from now."""


class Rescheduled(Exception):
    """The check-in is no longer scheduled: a new schedule replaced it while the page was
    open. Nothing is recorded; the person checks in again on the new schedule."""


def record_checkin(*, actor: User, keyring: Keyring, checkin: CheckIn, note: str = "") -> CheckIn:
    """The defender or a staff member of the case says all is well (keys_for checks membership):
    a check-in that is missed, due, or due within the hour."""
    with transaction.atomic():
        # The case row first, as every write path: a new schedule (save_contingency, under the
        # case lock) deletes pending check-ins, and a check-in locking its row first would
        # deadlock with it.
        records.lock_case(checkin.case_id)
        fresh = CheckIn.objects.filter(pk=checkin.pk).first()
        if fresh is None:
            raise Rescheduled
        if fresh.done_at is not None:
            return fresh
        if fresh.due_at > timezone.now() + EARLY:
            raise TooEarly
        fresh.done_at = timezone.now()
        fresh.done_by = actor
        return records.save(
            actor,
            keyring,
            fresh,
            {"note": note},
            audit="plan.checked_in",
            expected_version=fresh.row_version,
            detail={"kind": fresh.kind},
        )


# --- early review ---------------------------------------------------------------------------


def mark_for_early_review(actor: User | None, keyring: Keyring, case: Case) -> None:
    """The floor's watch on incidents: a serious incident logged after the current version, or
    an escalation flag resting on one, marks the version (statistical fields only; no key)."""
    version = current(case)
    if version is None or version.early_review:
        return
    since = Incident.objects.filter(case=case, created_at__gt=version.created_at)
    new_ids = {str(pk) for pk in since.values_list("pk", flat=True)}
    reason = ""
    if since.filter(severity__gte=SERIOUS).exists():
        reason = EarlyReview.INCIDENT
    elif any(
        new_ids.intersection(flag.incidents)
        for flag in threat_queries.escalation_now([case.id])[case.id].flags
    ):
        reason = EarlyReview.ESCALATION  # a flag that an incident logged since raised
    if reason:
        PlanVersion.objects.filter(pk=version.pk).update(
            early_review=reason, early_review_since=timezone.localdate()
        )
