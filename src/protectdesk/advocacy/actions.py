"""Every write of the observatory: instruments and their assessments (audited, versioned).

* An instrument is edited with the row version its form was loaded with; a stale form raises
  :class:`~protectdesk.records.actions.EditConflict` and saves nothing.
* An assessment scores **every** criterion of ``policy_criteria.yaml`` from 0 to 4 (a score
  off the scale or a criterion missing is refused: only a forged form sends one).
* Staff of the desk (coordinators and caseworkers) write; the observatory is the desk's own.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from protectdesk import vocabularies
from protectdesk.accounts.models import Role, User
from protectdesk.advocacy.models import (
    HIGHEST,
    LOWEST,
    Assessment,
    Instrument,
    InstrumentKind,
    InstrumentStatus,
    PublishedCountry,
    Score,
)
from protectdesk.audit.actions import record as audit_record
from protectdesk.records.actions import EditConflict

WRITERS = frozenset({Role.COORDINATOR, Role.CASEWORKER})


def _require_writer(actor: User, instrument: Instrument | None = None) -> None:
    if actor.role not in WRITERS or (
        instrument is not None and instrument.desk_id != actor.desk_id
    ):
        raise PermissionError("the observatory is written by the desk's staff")


@dataclass(frozen=True)
class InstrumentData:
    country: str
    kind: str
    title: str
    status: str = InstrumentStatus.IN_FORCE
    adopted_on: datetime.date | None = None
    summary: str = ""
    document: str = ""


def save_instrument(
    *,
    actor: User,
    data: InstrumentData,
    instrument: Instrument | None = None,
    expected_version: int | None = None,
) -> Instrument:
    _require_writer(actor, instrument)
    if data.kind not in InstrumentKind.values or data.status not in InstrumentStatus.values:
        raise ValueError("unknown kind or status")
    if data.country.upper() not in {code for code, _name in vocabularies.country_choices()}:
        raise ValueError(f"unknown country {data.country!r}")
    values = {
        "country": data.country.upper(),
        "kind": data.kind,
        "title": data.title.strip(),
        "status": data.status,
        "adopted_on": data.adopted_on,
        "summary": data.summary,
        "document": data.document,
    }
    with transaction.atomic():
        if instrument is None:
            made = Instrument.objects.create(desk=actor.desk, **values)
            audit_record("observatory.instrument_saved", actor=actor, target=made)
            return made
        updated = Instrument.objects.filter(
            pk=instrument.pk, row_version=int(expected_version or 0)
        ).update(row_version=F("row_version") + 1, **values)
        if not updated:
            raise EditConflict("the instrument was saved by someone else meanwhile")
        audit_record("observatory.instrument_saved", actor=actor, target=instrument)
    instrument.refresh_from_db()
    return instrument


def assess(
    *,
    actor: User,
    instrument: Instrument,
    scores: Mapping[str, tuple[int, str]],
    assessed_on: datetime.date,
) -> Assessment:
    """A new assessment of ``instrument``: {criterion: (score, rationale)} for every criterion."""
    _require_writer(actor, instrument)
    criteria = vocabularies.load("policy_criteria").codes()
    if set(scores) != criteria:
        raise ValueError(f"every criterion is scored once: {sorted(criteria ^ set(scores))}")
    for code, (score, _rationale) in scores.items():
        if isinstance(score, bool) or not isinstance(score, int) or not LOWEST <= score <= HIGHEST:
            raise ValueError(f"{code}: a score from {LOWEST} to {HIGHEST}")
    with transaction.atomic():
        made = Assessment.objects.create(
            instrument=instrument, assessed_on=assessed_on, assessed_by=actor
        )
        Score.objects.bulk_create(
            Score(assessment=made, criterion=code, score=score, rationale=rationale.strip())
            for code, (score, rationale) in sorted(scores.items())
        )
        audit_record(
            "observatory.assessed",
            actor=actor,
            target=instrument,
            detail={"total": sum(s for s, _r in scores.values()), "criteria": len(scores)},
        )
    return made


def publish_country(*, actor: User, country: str, published: bool) -> None:
    """Make the country's observatory page public (or private again); coordinators only."""
    if actor.role != Role.COORDINATOR:
        raise PermissionError("coordinators publish the observatory")
    code = country.upper()
    if code not in {value for value, _name in vocabularies.country_choices()}:
        raise ValueError(f"unknown country {country!r}")
    with transaction.atomic():
        if published:
            _made, created = PublishedCountry.objects.get_or_create(
                desk_id=actor.desk_id, country=code, defaults={"published_by": actor}
            )
            changed = created
        else:
            changed = bool(
                PublishedCountry.objects.filter(desk_id=actor.desk_id, country=code).delete()[0]
            )
        if changed:
            audit_record(
                "observatory.published" if published else "observatory.unpublished",
                actor=actor,
                target=None,
                detail={"country": code},
            )
