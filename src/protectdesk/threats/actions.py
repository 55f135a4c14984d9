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
   an incident or an assessment: ``integration.register_watch``). The stored flags are derived
   from statistical fields only (months, types, severities, ids), never from a decrypted value:
   what is stored in clear must not tell more than the clear fields already do.

Who: staff members of the case only (they hold its staff key); the defender's own account can
neither write nor read an assessment.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from protectdesk import vocabularies
from protectdesk.accounts.models import User
from protectdesk.incidents.models import Actor, Confidence, Incident
from protectdesk.records import actions as records
from protectdesk.records.keyring import Keyring, NoCaseAccess
from protectdesk.records.models import Case
from protectdesk.threats import queries
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


class RelationExists(ValueError):
    """The same relation between the same two actors is already on the map."""


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
        records.lock_case(assessment.case_id, keyring)  # the case row first, as every write
        current = ThreatAssessment.objects.get(pk=assessment.pk)
        return _save(actor, keyring, current, data, expected_version=expected_version)


def save_steps(
    *, actor: User, keyring: Keyring, assessment: ThreatAssessment, steps: Sequence[StepData]
) -> ThreatAssessment:
    """Answer several steps in order, each on the version the one before left (written data:
    the demo desk, the benchmark tiers, the authorization matrix's sample)."""
    for data in steps:
        assessment = save_step(
            actor=actor,
            keyring=keyring,
            assessment=assessment,
            data=data,
            expected_version=assessment.row_version,
        )
    return assessment


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
            watch=False,
        )
        if incidents is not None:
            assessment.incidents.set(incidents)
        _keep_version(actor, keyring, assessment, step)
        records.changed(actor, keyring, assessment)  # the flags see the final state
    return assessment


def snapshot(keyring: Keyring, assessment: ThreatAssessment) -> dict[str, Any]:
    """The whole assessment as plain values (what a version keeps)."""
    values: dict[str, Any] = {name: keyring.text(assessment, name) for name in TEXTS}
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
    if ActorRelation.objects.filter(
        case=case, source_id=source_id, target_id=target_id, kind=kind
    ).exists():
        raise RelationExists
    try:
        with transaction.atomic():  # a twin added at the same moment: the constraint says so
            return _save_relation(actor, keyring, relation, notes)
    except IntegrityError:
        raise RelationExists from None


def _save_relation(
    actor: User, keyring: Keyring, relation: ActorRelation, notes: str
) -> ActorRelation:
    return records.save(
        actor,
        keyring,
        relation,
        {"notes": notes},
        audit="actor_relation.created",
        detail={"kind": relation.kind},
    )


def remove_relation(*, actor: User, keyring: Keyring, relation: ActorRelation) -> None:
    _require_staff(keyring, relation.case_id)
    records.delete(
        actor, keyring, relation, audit="actor_relation.removed", detail={"kind": relation.kind}
    )


# --- escalation -------------------------------------------------------------------------------


def recompute(actor: User | None, keyring: Keyring, case: Case) -> None:
    """The floor's watch: an incident or an assessment of ``case`` was written. (No key is
    used: the flags are computed from statistical fields only, see queries.escalation_now.)"""
    store_flags(case)


def store_flags(case: Case) -> Escalation:
    """Compute the case's flags now (from statistical fields only) and store them on the case."""
    return _store(case.id, queries.escalation_now([case.id])[case.id])


def _store(case_id: uuid.UUID, now: queries.Computed) -> Escalation:
    row, _created = Escalation.objects.update_or_create(
        case_id=case_id,
        defaults={
            "flags": [flag.as_json() for flag in now.flags],
            "gravity": now.gravity,
            "latest_month": now.latest,
            "computed_on": now.today,
        },
    )
    return row


def refresh_all_flags() -> tuple[int, int]:
    """Store the flags of every case as of today; returns (cases, cases flagged)."""
    flagged = 0
    case_ids = list(Case.objects.values_list("id", flat=True))
    for start in range(0, len(case_ids), 500):
        chunk = case_ids[start : start + 500]
        for case_id, now in queries.escalation_now(chunk).items():
            _store(case_id, now)
            flagged += bool(now.flags)
    return len(case_ids), flagged
