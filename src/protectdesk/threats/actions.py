"""Every write of the threats module: assessments step by step, actor relations, and the
escalation flags derived from the case's incidents and assessments.

Steps (methodology.md §3) are answered **in order**: a step can be saved once every step before
it has been answered (:class:`StepOutOfOrder` otherwise, nothing written), so the source is
named only after facts, pattern and objective, and the conclusion comes last. An earlier step
can be answered again at any time; the steps after it stay answered.

Every save of a step, in one transaction:

1. checks the row version the form was loaded with (:class:`EditConflict`, nothing written);
2. writes the assessment through the floor's one write path (sealed under the staff key,
   indexed, audited with the step's number — never its content);
3. appends the assessment as it now stands as a new :class:`AssessmentVersion` (one sealed JSON
   value under the staff key), so every earlier version stays readable;
4. recomputes the case's escalation flags (the floor calls :func:`recompute` for every write of
   an incident or an assessment: ``integration.register_watch``).

Who: staff members of the case only (they hold its staff key); the defender's own account can
neither write nor read an assessment.
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
from protectdesk.crypto.errors import CryptoError
from protectdesk.incidents.models import Actor, Confidence, Incident, IncidentPerpetrator
from protectdesk.records import actions as records
from protectdesk.records.keyring import DAMAGED, Keyring, NoCaseAccess, StaffOnly
from protectdesk.records.models import Case
from protectdesk.threats import escalation
from protectdesk.threats.models import (
    ActorRelation,
    Answer,
    AssessmentVersion,
    Escalation,
    RelationKind,
    ThreatAssessment,
    ThreatKind,
)

STEPS = (1, 2, 3, 4, 5)


class StepOutOfOrder(Exception):
    """A step was saved before the steps it comes after: ``missing`` lists them."""

    def __init__(self, missing: list[int]) -> None:
        super().__init__(f"answer steps {missing} first")
        self.missing = missing


class NotInCase(ValueError):
    """An incident or an actor that is not this case's (only a forged form can send one)."""


# --- what each step records -------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """Step 1: what exactly happened, and which incidents of the case it is about."""

    title: str
    facts: str
    incident_ids: tuple[uuid.UUID, ...]


@dataclass(frozen=True)
class Pattern:
    """Step 2: is there a series over time (the timeline and the flags are shown beside it)."""

    pattern: str


@dataclass(frozen=True)
class Objective:
    """Step 3: what the threat seeks (vocabulary ``threat_objectives``; ``other`` + text)."""

    objective: str
    objective_other: str = ""
    objective_notes: str = ""


@dataclass(frozen=True)
class Source:
    """Step 4: who is behind it (an actor of the case, or unknown), and how sure the desk is."""

    actor_id: uuid.UUID | None
    attribution: str
    possibly_false: bool = False
    source_notes: str = ""


@dataclass(frozen=True)
class Conclusion:
    """Step 5: will it be carried out? Declared versus possible; intent and capacity apart."""

    threat_kind: str
    intent: str
    capacity: str
    likelihood: int
    rationale: str
    declared: str = ""
    capacity_intent: str = ""


StepData = Facts | Pattern | Objective | Source | Conclusion
STEP_OF: dict[type, int] = {Facts: 1, Pattern: 2, Objective: 3, Source: 4, Conclusion: 5}
TEXTS = (
    "title",
    "facts",
    "pattern",
    "objective_other",
    "objective_notes",
    "source_notes",
    "declared",
    "capacity_intent",
    "rationale",
)


def missing_before(assessment: ThreatAssessment | None, step: int) -> list[int]:
    """The steps still to answer before ``step`` can be saved."""
    done = assessment.steps_done if assessment is not None else 0
    return [n for n in STEPS if done < n < step]


def _require_staff(keyring: Keyring, case_id: uuid.UUID) -> None:
    if not keyring.has_staff_key(case_id):
        raise NoCaseAccess("only staff members of the case assess threats")


def _case_incidents(case_id: uuid.UUID, ids: tuple[uuid.UUID, ...]) -> list[Incident]:
    found = list(Incident.objects.filter(case_id=case_id, pk__in=ids))
    if len(found) != len(set(ids)):
        raise NotInCase("an incident of another case")
    return found


def _apply(
    assessment: ThreatAssessment, data: StepData
) -> tuple[dict[str, str], list[Incident] | None]:
    """Set the step's clear fields; returns its texts to seal and, for step 1, the incidents."""
    case_id = assessment.case_id
    if isinstance(data, Facts):
        if not data.incident_ids:
            raise ValueError("an assessment is about at least one incident")
        return {"title": data.title, "facts": data.facts}, _case_incidents(
            case_id, data.incident_ids
        )
    if isinstance(data, Pattern):
        return {"pattern": data.pattern}, None
    if isinstance(data, Objective):
        if data.objective not in vocabularies.load("threat_objectives").codes():
            raise ValueError(f"unknown objective {data.objective!r}")
        assessment.objective = data.objective
        other = data.objective_other if data.objective == "other" else ""
        return {"objective_other": other, "objective_notes": data.objective_notes}, None
    if isinstance(data, Source):
        if data.attribution not in Confidence.values:
            raise ValueError(f"unknown attribution {data.attribution!r}")
        source = None
        if data.actor_id is not None:
            source = Actor.objects.filter(case_id=case_id, pk=data.actor_id).first()
            if source is None:
                raise NotInCase("an actor of another case")
        assessment.source_actor = source
        assessment.attribution = data.attribution
        assessment.possibly_false = data.possibly_false
        return {"source_notes": data.source_notes}, None
    if not 1 <= data.likelihood <= 5:
        raise ValueError("the likelihood is rated 1 to 5")
    if data.threat_kind not in ThreatKind.values:
        raise ValueError(f"unknown kind of threat {data.threat_kind!r}")
    if data.intent not in Answer.values or data.capacity not in Answer.values:
        raise ValueError("intent and capacity are yes, no or unknown")
    assessment.threat_kind = data.threat_kind
    assessment.intent = data.intent
    assessment.capacity = data.capacity
    assessment.likelihood = data.likelihood
    assessment.concluded_on = timezone.localdate()
    return {
        "declared": data.declared,
        "capacity_intent": data.capacity_intent,
        "rationale": data.rationale,
    }, None


def start_assessment(
    *, actor: User, keyring: Keyring, case: Case, facts: Facts
) -> ThreatAssessment:
    """A new assessment of ``case``, with its first step answered."""
    _require_staff(keyring, case.id)
    assessment = ThreatAssessment(case=case, created_by=actor)
    return _save(actor, keyring, assessment, facts, expected_version=None)


def save_step(
    *,
    actor: User,
    keyring: Keyring,
    assessment: ThreatAssessment,
    data: StepData,
    expected_version: int,
) -> ThreatAssessment:
    """Answer (or answer again) one step; :class:`StepOutOfOrder` or :class:`EditConflict`
    leave everything as it was."""
    _require_staff(keyring, assessment.case_id)
    with transaction.atomic():
        current = ThreatAssessment.objects.select_for_update().get(pk=assessment.pk)
        return _save(actor, keyring, current, data, expected_version=expected_version)


def _save(
    actor: User,
    keyring: Keyring,
    assessment: ThreatAssessment,
    data: StepData,
    expected_version: int | None,
) -> ThreatAssessment:
    step = STEP_OF[type(data)]
    missing = missing_before(None if assessment._state.adding else assessment, step)
    if missing:
        raise StepOutOfOrder(missing)
    with transaction.atomic():
        texts, incidents = _apply(assessment, data)
        assessment.steps_done = max(assessment.steps_done, step)
        records.save(
            actor,
            keyring,
            assessment,
            texts,
            audit="threat_assessment.created"
            if assessment._state.adding
            else "threat_assessment.step_saved",
            expected_version=expected_version,
            detail={"step": step},
        )
        if incidents is not None:
            assessment.incidents.set(incidents)
        _keep_version(actor, keyring, assessment, step)
        records.changed(actor, keyring, assessment)  # the flags see the final state
    return assessment


def snapshot(keyring: Keyring, assessment: ThreatAssessment) -> dict[str, Any]:
    """The whole assessment as plain values (what a version keeps)."""
    opened = keyring.opened(assessment)
    values: dict[str, Any] = {}
    for name in TEXTS:
        value = getattr(opened, name)
        values[name] = "" if value is DAMAGED else str(value or "")
    values.update(
        steps_done=assessment.steps_done,
        incidents=sorted(str(i) for i in assessment.incidents.values_list("pk", flat=True)),
        objective=assessment.objective,
        source_actor=str(assessment.source_actor_id or ""),
        attribution=assessment.attribution,
        possibly_false=assessment.possibly_false,
        threat_kind=assessment.threat_kind,
        intent=assessment.intent,
        capacity=assessment.capacity,
        likelihood=assessment.likelihood,
    )
    return values


def _keep_version(actor: User, keyring: Keyring, assessment: ThreatAssessment, step: int) -> None:
    version = AssessmentVersion(
        case_id=assessment.case_id,
        assessment=assessment,
        number=assessment.row_version,
        step=step,
        saved_by=actor,
    )
    # Part of the assessment's save, audited there.
    records.save(actor, keyring, version, {"snapshot": snapshot(keyring, assessment)}, audit=None)


# --- relations between actors ---------------------------------------------------------------


def add_relation(
    *,
    actor: User,
    keyring: Keyring,
    case: Case,
    source_id: uuid.UUID,
    target_id: uuid.UUID,
    kind: str,
    notes: str = "",
) -> ActorRelation:
    """``source`` *kind* ``target``, both actors of ``case`` and not the same one."""
    _require_staff(keyring, case.id)
    if kind not in RelationKind.values:
        raise ValueError(f"unknown relation {kind!r}")
    actors = {a.pk: a for a in Actor.objects.filter(case=case, pk__in=[source_id, target_id])}
    if source_id not in actors or target_id not in actors:
        raise NotInCase("an actor of another case")
    if source_id == target_id:
        raise ValueError("an actor is not related to itself")
    relation = ActorRelation(
        case=case, source=actors[source_id], target=actors[target_id], kind=kind, created_by=actor
    )
    return records.save(
        actor,
        keyring,
        relation,
        {"notes": notes},
        audit="actor_relation.created",
        detail={"kind": kind},
    )


def remove_relation(*, actor: User, keyring: Keyring, relation: ActorRelation) -> None:
    _require_staff(keyring, relation.case_id)
    records.delete(
        actor, keyring, relation, audit="actor_relation.removed", detail={"kind": relation.kind}
    )


# --- escalation -------------------------------------------------------------------------------


def _exact_day(keyring: Keyring, incident: Incident) -> datetime.date | None:
    """The exact date, when the writer's keyring can open it (else the month is used)."""
    if incident.date_precision != "exact":
        return None
    try:
        value = keyring.open_value(incident, "exact_date")
    except (CryptoError, NoCaseAccess, StaffOnly):  # damaged, or not openable: use the month
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def points_of(keyring: Keyring, case: Case) -> list[escalation.Point]:
    """The case's incidents as the escalation flags see them."""
    types = vocabularies.load("incident_types")
    tags = {term.code: term.extra.get("escalation") for term in types.terms}
    actors: dict[uuid.UUID, list[str]] = {}
    for link in IncidentPerpetrator.objects.filter(case=case).values("incident_id", "actor_id"):
        actors.setdefault(link["incident_id"], []).append(str(link["actor_id"]))
    points = []
    for incident in Incident.objects.filter(case=case):
        kinds = {tags.get(code) for code in incident.types}
        points.append(
            escalation.Point(
                id=str(incident.pk),
                precision=incident.date_precision,
                year=incident.year,
                month=incident.month,
                day=_exact_day(keyring, incident),
                severity=incident.severity,
                declared_threat="declared_threat" in kinds,
                physical="physical" in kinds,
                actors=tuple(sorted(actors.get(incident.pk, []))),
                created_at=incident.created_at,
            )
        )
    return points


def assessed_of(case: Case) -> list[escalation.Assessed]:
    return [
        escalation.Assessed(
            id=str(a.pk),
            likelihood=a.likelihood,
            concluded=a.steps_done >= 5,
            incidents=tuple(sorted(str(i) for i in a.incidents.values_list("pk", flat=True))),
        )
        for a in ThreatAssessment.objects.filter(case=case).prefetch_related("incidents")
    ]


def recompute(actor: User | None, keyring: Keyring, case: Case) -> None:
    """The floor's watch: an incident or an assessment of ``case`` was written."""
    store_flags(keyring, case)


def store_flags(keyring: Keyring, case: Case) -> Escalation:
    """Compute the case's flags now and store them, in clear, on the case."""
    today = timezone.localdate()
    points = points_of(keyring, case)
    flags = escalation.flags_for(points, assessed_of(case), today)
    row, _created = Escalation.objects.update_or_create(
        case=case,
        defaults={
            "flags": [flag.as_json() for flag in flags],
            "gravity": escalation.gravity(points, flags),
            "latest_month": escalation.latest(points, flags),
            "computed_on": today,
        },
    )
    return row
