"""Every write to incidents, actors, perpetrator links and sources, with its audit entry.

* Severity is derived from the incident's types (each type has a default in the vocabulary)
  unless a staff member sets it by hand.
* The handling step is computed when saving: *registered*; *analysed* once an analysis is
  written; *reacted* once the immediate reaction is written.
* Edits carry the row version the form was loaded with; a stale save raises
  :class:`EditConflict` and writes nothing, so the view can show both versions.
* Every record is written through the floor's one write path (:mod:`protectdesk.records.actions`),
  which seals, checks the version, indexes the searchable fields and audits.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from protectdesk import vocabularies
from protectdesk.accounts.models import User
from protectdesk.incidents.models import (
    Actor,
    Confidence,
    Incident,
    IncidentPerpetrator,
    IncidentSource,
    Stance,
    Step,
)
from protectdesk.records import actions as records
from protectdesk.records.keyring import Keyring, NoCaseAccess
from protectdesk.records.models import Case, CaseMember, MemberKind


@dataclass(frozen=True)
class When:
    """When it happened, at the precision known: an exact date, a month, or a year."""

    precision: str  # "exact" | "month" | "year"
    year: int
    month: str = ""  # "YYYY-MM" (clear, for statistics)
    exact_date: str = ""  # "YYYY-MM-DD" (encrypted)


@dataclass(frozen=True)
class PerpetratorEntry:
    actor_id: uuid.UUID | None = None  # an actor of the case, or None to create one
    new_actor_type: str = ""
    new_actor_name: str = ""
    confidence: str = Confidence.UNKNOWN
    possibly_false: bool = False


@dataclass(frozen=True)
class SourceEntry:
    connection: str
    reliability: str
    description: str = ""


@dataclass(frozen=True)
class IncidentData:
    when: When
    country: str
    title: str
    narrative: str
    types: tuple[str, ...]
    nature: str
    subdivision: str = ""
    exact_time: str = ""
    place: str = ""
    consequences: str = ""
    affected: tuple[str, ...] = ()
    authority_response: str = "not_reported"
    authority_details: str = ""
    reaction: str = ""
    analysis: str | None = None  # staff only; None leaves it as it is
    severity: int | None = None  # None: derived from the types
    perpetrators: tuple[PerpetratorEntry, ...] = ()
    sources: tuple[SourceEntry, ...] = ()

    SHARED_TEXT = (
        "title",
        "exact_time",
        "place",
        "narrative",
        "consequences",
        "authority_details",
        "reaction",
    )


def derived_severity(types: tuple[str, ...] | list[str]) -> int:
    """The highest default severity among the incident's types (1 if none known)."""
    vocabulary = vocabularies.load("incident_types")
    return max(
        (
            int((vocabulary.get(code) or vocabularies.Term(code, {})).extra.get("severity", 1))
            for code in types
        ),
        default=1,
    )


def _step(reaction: str, analysis: str) -> str:
    if reaction.strip():
        return Step.REACTED
    if analysis.strip():
        return Step.ANALYSED
    return Step.REGISTERED


def _apply(incident: Incident, data: IncidentData) -> None:
    incident.year = data.when.year
    incident.month = data.when.month
    incident.date_precision = data.when.precision
    incident.country = data.country.upper()
    incident.subdivision = data.subdivision
    incident.types = sorted(set(data.types))
    incident.nature = data.nature
    derived = derived_severity(data.types)
    incident.severity = data.severity or derived
    incident.severity_by_hand = data.severity is not None and data.severity != derived
    incident.affected = sorted(set(data.affected))
    incident.authority_response = data.authority_response


def _texts(data: IncidentData, analysis: str) -> dict[str, str]:
    values = {name: str(getattr(data, name) or "") for name in IncidentData.SHARED_TEXT}
    values["exact_date"] = data.when.exact_date
    values["analysis"] = analysis
    return values


def log_incident(*, actor: User, keyring: Keyring, case: Case, data: IncidentData) -> Incident:
    """Register a new incident of ``case`` (staff members of the case)."""
    if not keyring.has_staff_key(case.id):
        raise NoCaseAccess("only staff members of the case log incidents")
    incident = Incident(case=case, created_by=actor)
    _apply(incident, data)
    texts = _texts(data, data.analysis or "")
    incident.step = _step(texts["reaction"], texts["analysis"])
    with transaction.atomic():
        records.save(
            actor,
            keyring,
            incident,
            texts,
            audit="incident.created",
            detail={"types": list(incident.types), "severity": incident.severity},
            watch=False,
        )
        _replace_links(actor, keyring, incident, data)
        records.changed(actor, keyring, incident)  # watchers see the perpetrators too
    return incident


@dataclass(frozen=True)
class DefenderReport:
    """What a defender's own account reports: the plain form's fields."""

    when: When
    country: str
    title: str
    narrative: str
    types: tuple[str, ...]
    nature: str
    place: str = ""
    consequences: str = ""

    FIELDS = ("title", "narrative", "place", "consequences")

    def as_json(self) -> dict[str, Any]:
        values: dict[str, Any] = {name: getattr(self, name) for name in self.FIELDS}
        values.update(
            when=self.when.exact_date or self.when.month or str(self.when.year),
            country=self.country,
            types=list(self.types),
            nature=self.nature,
        )
        return values


def report_incident(
    *, actor: User, keyring: Keyring, case: Case, report: DefenderReport
) -> Incident:
    """The defender of ``case`` reports an incident from their own account.

    Written under the shared key only (the defender holds no other) and indexed under the
    shared search key, so staff find it by keyword; what the defender wrote is kept as it was
    (``as_reported``), so staff who then edit the incident can see what they changed.
    """
    member = CaseMember.objects.filter(case=case, user=actor, kind=MemberKind.DEFENDER).first()
    if member is None or not keyring.can_open(case.id):
        raise NoCaseAccess("only the defender of the case reports from their account")
    data = IncidentData(
        when=report.when,
        country=report.country,
        title=report.title,
        narrative=report.narrative,
        types=report.types,
        nature=report.nature,
        place=report.place,
        consequences=report.consequences,
    )
    incident = Incident(case=case, created_by=actor, reported_by_defender=True)
    _apply(incident, data)
    incident.step = Step.REGISTERED
    texts: dict[str, Any] = {
        name: value for name, value in _texts(data, "").items() if name != "analysis"
    }
    texts["as_reported"] = report.as_json()
    return records.save(
        actor,
        keyring,
        incident,
        texts,
        audit="incident.reported",
        detail={"types": list(incident.types), "severity": incident.severity},
    )


def review_report(*, actor: User, keyring: Keyring, incident: Incident) -> Incident:
    """A staff member has read what the defender reported (and changed what needed it)."""
    if not keyring.has_staff_key(incident.case_id):
        raise NoCaseAccess("only staff members of the case review reports")
    with transaction.atomic():
        records.lock_case(incident.case_id)
        fresh = Incident.objects.get(pk=incident.pk)
        if not fresh.reported_by_defender or fresh.reviewed_at is not None:
            return fresh
        fresh.reviewed_at = timezone.now()
        fresh.reviewed_by = actor
        return records.save(
            actor,
            keyring,
            fresh,
            {},
            audit="incident.report_reviewed",
            expected_version=fresh.row_version,
        )


def update_incident(
    *, actor: User, keyring: Keyring, incident: Incident, data: IncidentData, expected_version: int
) -> Incident:
    """Save an edited incident, or raise :class:`EditConflict` (nothing saved) if it changed."""
    if not keyring.has_staff_key(incident.case_id):
        raise NoCaseAccess("only staff members of the case edit incidents")
    with transaction.atomic():
        # The case row first, as every write path takes it (records.actions.lock_case): an
        # edit that locked the incident first would deadlock with a write that holds the case
        # and then updates the incident (a report's review), and PostgreSQL fails one of them.
        records.lock_case(incident.case_id, keyring)  # and the keys as they are now
        current = Incident.objects.get(pk=incident.pk)
        analysis = (
            data.analysis
            if data.analysis is not None
            else str(keyring.open_value(current, "analysis") or "")
        )
        _apply(current, data)
        texts = _texts(data, analysis)
        current.step = _step(texts["reaction"], texts["analysis"])
        records.save(
            actor,
            keyring,
            current,
            texts,
            audit="incident.updated",
            expected_version=expected_version,
            detail={"types": list(current.types), "severity": current.severity},
            watch=False,
        )
        _replace_links(actor, keyring, current, data)
        records.changed(actor, keyring, current)  # watchers see the perpetrators too
    return current


def source_row(incident: Incident, source: SourceEntry) -> tuple[IncidentSource, dict[str, str]]:
    """A new source row of ``incident`` and the values to seal into it."""
    row = IncidentSource(
        case_id=incident.case_id,
        incident=incident,
        connection=source.connection,
        reliability=source.reliability,
    )
    return row, {"description": source.description}


def _replace_links(actor: User, keyring: Keyring, incident: Incident, data: IncidentData) -> None:
    """Perpetrators and sources as the form lists them now (staff key for names and sources)."""
    IncidentPerpetrator.objects.filter(incident=incident).delete()
    seen: set[uuid.UUID] = set()
    for entry in data.perpetrators:
        if entry.actor_id is not None:
            perpetrator = Actor.objects.filter(case_id=incident.case_id, pk=entry.actor_id).first()
            if perpetrator is None:
                raise NoCaseAccess("actor of another case")
        else:
            perpetrator = add_actor(
                actor=actor,
                keyring=keyring,
                case=incident.case,
                actor_type=entry.new_actor_type,
                name=entry.new_actor_name,
            )
        if perpetrator.pk in seen:
            continue
        seen.add(perpetrator.pk)
        IncidentPerpetrator.objects.create(
            case_id=incident.case_id,
            incident=incident,
            actor=perpetrator,
            confidence=entry.confidence,
            possibly_false=entry.possibly_false,
        )
    # Sources are part of the incident: its own audit entry covers them.
    for old in IncidentSource.objects.filter(incident=incident):
        records.delete(actor, keyring, old, audit=None)
    for source in data.sources:
        row, values = source_row(incident, source)
        records.save(actor, keyring, row, values, audit=None)


class ActorLoop(ValueError):
    """The chosen larger actor is this actor itself, or one of its own sub-units."""


@dataclass(frozen=True)
class ActorProfile:
    """What the actors map records of an actor besides its type and name (methodology §5)."""

    stance: str = Stance.UNKNOWN
    influence: int | None = None  # 1 (little) to 5 (decisive); None: not assessed
    parent_id: uuid.UUID | None = None  # the larger actor this one is part of
    interests: str = ""  # the interests the defender's work affects (staff key)
    resources: str = ""  # staff key


def _apply_profile(case_id: uuid.UUID, target: Actor, profile: ActorProfile) -> None:
    """Stance, influence and parent on ``target``, refusing another case's actor and loops."""
    if profile.stance not in Stance.values:
        raise ValueError(f"unknown stance {profile.stance!r}")
    if profile.influence is not None and not 1 <= profile.influence <= 5:
        raise ValueError("influence is rated 1 to 5")
    parent = None
    if profile.parent_id is not None:
        parent = Actor.objects.filter(case_id=case_id, pk=profile.parent_id).first()
        if parent is None:
            raise NoCaseAccess("actor of another case")
        # Walk up from the chosen parent: meeting the actor itself closes a loop.
        seen: set[uuid.UUID] = set()
        step: Actor | None = parent
        while step is not None and step.pk not in seen:
            if step.pk == target.pk:
                raise ActorLoop
            seen.add(step.pk)
            step = step.parent
    target.stance = profile.stance
    target.influence = profile.influence
    target.parent = parent


def add_actor(
    *,
    actor: User,
    keyring: Keyring,
    case: Case,
    actor_type: str,
    name: str,
    notes: str = "",
    profile: ActorProfile | None = None,
) -> Actor:
    """A new actor of the case (named under the staff key)."""
    if not keyring.has_staff_key(case.id):
        raise NoCaseAccess("only staff members of the case")
    profile = profile or ActorProfile()
    new = Actor(case=case, actor_type=actor_type, created_by=actor)
    with transaction.atomic():
        records.lock_case(case.id)  # the loop check reads other actors' parents
        _apply_profile(case.id, new, profile)
        return records.save(
            actor,
            keyring,
            new,
            {
                "name": name,
                "notes": notes,
                "interests": profile.interests,
                "resources": profile.resources,
            },
            audit="actor.created",
            detail={"type": actor_type},
        )


def update_actor(
    *,
    actor: User,
    keyring: Keyring,
    target: Actor,
    actor_type: str,
    name: str,
    notes: str,
    expected_version: int,
    profile: ActorProfile | None = None,
) -> Actor:
    """Save an edited actor; ``profile=None`` leaves its place in the map as it is."""
    if not keyring.has_staff_key(target.case_id):
        raise NoCaseAccess("only staff members of the case")
    with transaction.atomic():
        records.lock_case(target.case_id)  # A part of B and B part of A at once: one waits
        current = Actor.objects.get(pk=target.pk)
        current.actor_type = actor_type
        values = {"name": name, "notes": notes}
        if profile is not None:
            _apply_profile(current.case_id, current, profile)
            values.update(interests=profile.interests, resources=profile.resources)
        return records.save(
            actor,
            keyring,
            current,
            values,
            audit="actor.updated",
            expected_version=expected_version,
            detail={"type": actor_type},
        )
