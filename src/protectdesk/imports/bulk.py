"""Writing checked rows, a batch at a time, inside the import's one transaction.

Per row, the incident and case actions cost some thirty queries and an audit entry per
record, a few imported rows a second; in batches of :data:`BATCH` rows the same records are
written through the floor's bulk path (``records.actions.create_many``, and
``cases.actions.open_cases`` for the new cases): sealed the same way under each case's keys,
indexed the same way, inserted a query per kind of row, audited once per kind and batch (the
import's own ``import.applied`` entry says what the batch was), the watchers (escalation
flags, plan reviews) run once per case and batch.

The incident's clear fields are set by the incidents module's own helpers, exactly as
``incidents.actions.log_incident`` sets them (severity from the types unless given, the
handling step from the reaction), so an imported incident is the incident the form would
have made. An import has no perpetrators or sources to link.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from protectdesk.accounts.models import User
from protectdesk.cases import actions as case_actions
from protectdesk.imports import validate
from protectdesk.incidents import actions as incident_actions
from protectdesk.incidents.models import Incident
from protectdesk.records import actions as records
from protectdesk.records.keyring import Keyring, NoCaseAccess
from protectdesk.records.models import Case

BATCH = 500

#: (incidents written, incidents in all) → None, inside the transaction (no database writes).
Tick = Callable[[int, int], None]


def _batches(rows: Iterable[validate.ImportRow]) -> Iterator[list[validate.ImportRow]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def new_incident(
    actor: User, case_id: uuid.UUID, data: incident_actions.IncidentData
) -> tuple[Incident, dict[str, Any]]:
    """The incident ``log_incident`` would make of ``data`` (not saved), and its texts."""
    incident = Incident(case_id=case_id, created_by=actor)
    incident_actions._apply(incident, data)  # the incidents module's own rules for clear fields
    texts = incident_actions._texts(data, data.analysis or "")
    incident.step = incident_actions._step(texts["reaction"], texts["analysis"])
    return incident, texts


def write(
    actor: User,
    keyring: Keyring,
    case: Case | None,
    rows: Iterable[validate.ImportRow],
    total: int,
    tick: Tick | None = None,
) -> tuple[int, int]:
    """Write every row: new cases for a desk import, incidents always; (incidents, cases)."""
    if case is not None and not keyring.has_staff_key(case.id):
        raise NoCaseAccess("only staff members of the case log incidents")
    opened: dict[bytes, uuid.UUID] = {}
    written = 0
    for batch in _batches(rows):
        if case is None:
            fresh: dict[bytes, validate.ImportRow] = {}
            for row in batch:
                if row.group not in opened and row.group not in fresh:
                    fresh[row.group] = row
            profiles = [row.profile for row in fresh.values() if row.profile is not None]
            if len(profiles) != len(fresh):
                raise ValueError("a desk import's row without its defender")
            made = case_actions.open_cases(
                actor=actor, keyring=keyring, profiles=profiles, keep_keys=True
            )
            opened.update(zip(fresh, (c.id for c in made), strict=True))
        incidents, texts = [], []
        for row in batch:
            incident, values = new_incident(
                actor, case.id if case is not None else opened[row.group], row.incident
            )
            incidents.append(incident)
            texts.append(values)
        records.create_many(
            actor,
            keyring,
            incidents,
            texts,
            audit="incident.created",
            detail={"case": str(case.id)} if case is not None else None,
        )
        written += len(batch)
        if tick is not None:
            tick(written, total)
    return written, len(opened)
