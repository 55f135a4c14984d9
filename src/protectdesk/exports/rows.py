"""Rows of the interchange format (``incidents/columns.py``) from the models.

Statistical rows read clear fields only; identifying rows add what the viewer's keyring opens
(shared-key fields: staff-key ones such as the analysis are never exported).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from protectdesk import vocabularies
from protectdesk.cases.models import Defender
from protectdesk.incidents import columns
from protectdesk.incidents.models import Incident
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case

Row = dict[str, Any]

#: Column → where its value lives: ("defender", field) or ("incident", field).
_SOURCE: dict[str, tuple[str, str]] = {
    "defender_kind": ("defender", "kind"),
    "defender_country": ("defender", "country"),
    "defender_sectors": ("defender", "sectors"),
    "defender_gender": ("defender", "gender"),
    "defender_age_band": ("defender", "age_band"),
    "defender_name": ("defender", "name"),
}

#: Integer columns (numbers in JSON and XLSX).
INTEGERS = frozenset({"year", "severity"})


def header(*, identifying: bool) -> list[str]:
    """Column names in order: ``incident_id``, then each column (and its ``_huridocs``)."""
    names = ["incident_id"]
    for column in columns.COLUMNS:
        if column.kind == columns.IDENTIFYING and not identifying:
            continue
        names.append(column.name)
        if column.huridocs:
            names.append(f"{column.name}_huridocs")
    return names


def huridocs_codes(vocabulary: str, codes: Iterable[str]) -> list[str]:
    """The HURIDOCS codes of ``codes`` (each once, in order), from the vocabulary's data."""
    terms = vocabularies.load(vocabulary)
    found: list[str] = []
    for code in codes:
        term = terms.get(code)
        value = str(term.extra.get("huridocs", "")) if term else ""
        if value and value not in found:
            found.append(value)
    return found


def _value(
    column: columns.Column,
    incident: Incident,
    defender: Defender | None,
    case: Case,
    keyring: Keyring | None,
) -> Any:
    if column.name == "case_reference":
        return case.reference
    where, field = _SOURCE.get(column.name, ("incident", column.name))
    record: Any = defender if where == "defender" else incident
    if record is None:
        return [] if column.multiple else None
    if column.kind == columns.IDENTIFYING:
        if keyring is None:  # never reached: identifying columns need a keyring
            raise ValueError("identifying columns need the viewer's keyring")
        return keyring.text(record, field)
    value = getattr(record, field)
    if column.multiple:
        return list(value or [])
    if column.name in INTEGERS:
        return None if value is None else int(value)
    return value or None


def incident_rows(
    case_ids: Iterable[uuid.UUID], *, keyring: Keyring | None = None
) -> Iterator[Row]:
    """One row per incident of these cases; identifying columns only when given a keyring."""
    ids = list(case_ids)
    cases = {case.id: case for case in Case.objects.filter(id__in=ids)}
    defenders = {d.case_id: d for d in Defender.objects.filter(case_id__in=ids)}
    wanted = set(header(identifying=keyring is not None))
    incidents = Incident.objects.filter(case_id__in=ids).order_by(
        "case_id", "year", "month", "created_at"
    )
    for incident in incidents.iterator():
        case = cases[incident.case_id]
        defender = defenders.get(incident.case_id)
        row: Row = {"incident_id": str(incident.id)}
        for column in columns.COLUMNS:
            if column.name not in wanted:
                continue
            value = _value(column, incident, defender, case, keyring)
            row[column.name] = value
            if column.huridocs:
                codes = value if isinstance(value, list) else [value] if value else []
                row[f"{column.name}_huridocs"] = huridocs_codes(column.vocabulary, codes)
        yield row


def count(case_ids: Iterable[uuid.UUID]) -> int:
    return Incident.objects.filter(case_id__in=list(case_ids)).count()
