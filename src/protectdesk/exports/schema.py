"""The JSON Schema (draft 2020-12) of the JSON export, generated from ``incidents/columns.py``.

The published copy is ``docs/formats/incidents-v1.schema.json``; a test keeps it equal to
:func:`incidents_schema` (regenerate it with ``python -m protectdesk.exports.schema`` under
Django settings, or from the test's failure message).
"""

from __future__ import annotations

import json
from typing import Any

from django.utils import translation

from protectdesk import vocabularies
from protectdesk.cases import models as case_models
from protectdesk.exports.rows import INTEGERS
from protectdesk.incidents import columns
from protectdesk.incidents import models as incident_models

SCHEMA_ID = "https://protectdesk.example/formats/incidents-v1.schema.json"

_CHOICES = {
    "DefenderKind": case_models.DefenderKind,
    "Gender": case_models.Gender,
    "AgeBand": case_models.AgeBand,
    "DatePrecision": incident_models.DatePrecision,
    "Nature": incident_models.Nature,
    "Step": incident_models.Step,
}

_PATTERNS = {
    "month": r"^[0-9]{4}-(0[1-9]|1[0-2])$",
    "country": r"^[A-Z]{2}$",
    "defender_country": r"^[A-Z]{2}$",
    "subdivision": r"^[A-Z]{2}-[A-Z0-9]{1,3}$",
}

_RANGES = {"year": (1900, 2100), "severity": (1, 5)}


def _codes(column: columns.Column) -> list[str]:
    if column.vocabulary:
        return [term.code for term in vocabularies.load(column.vocabulary).terms]
    if column.choices:
        return [str(value) for value in _CHOICES[column.choices].values]
    return []


def _property(column: columns.Column) -> dict[str, Any]:
    description = str(column.label)
    if column.multiple:
        return {
            "description": description,
            "type": "array",
            "items": {"enum": _codes(column)},
            "uniqueItems": True,
        }
    if column.name in INTEGERS:
        low, high = _RANGES[column.name]
        kind: Any = "integer" if column.required else ["integer", "null"]
        return {"description": description, "type": kind, "minimum": low, "maximum": high}
    if column.kind == columns.IDENTIFYING:
        return {"description": description + " (identifying)", "type": "string"}
    prop: dict[str, Any] = {"description": description}
    codes = _codes(column)
    if codes:
        prop["enum"] = [*codes, None] if not column.required else codes
    else:
        prop["type"] = "string" if column.required else ["string", "null"]
        if column.name in _PATTERNS:
            prop["pattern"] = _PATTERNS[column.name]
    return prop


def incidents_schema() -> dict[str, Any]:
    """The schema of version 1 of the ``protectdesk-incidents`` JSON format (English labels)."""
    with translation.override("en"):
        return _schema()


def _schema() -> dict[str, Any]:
    properties: dict[str, Any] = {
        "incident_id": {"description": "incident id", "type": "string", "format": "uuid"}
    }
    statistical: list[str] = ["incident_id"]
    for column in columns.COLUMNS:
        properties[column.name] = _property(column)
        if column.kind == columns.STATISTICAL:
            statistical.append(column.name)
        if column.huridocs:
            name = f"{column.name}_huridocs"
            properties[name] = {
                "description": f"HURIDOCS codes of {column.name}",
                "type": "array",
                "items": {"type": "string", "pattern": "^[0-9]{12}$"},
            }
            statistical.append(name)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Protection Desk incidents, version 1",
        "description": (
            "Incidents exported by Protection Desk. Identifying properties are present only "
            "when 'identifying' is true."
        ),
        "type": "object",
        "required": ["format", "version", "exported_at", "identifying", "incidents"],
        "additionalProperties": False,
        "properties": {
            "format": {"const": "protectdesk-incidents"},
            "version": {"const": 1},
            "exported_at": {"type": "string", "format": "date-time"},
            "identifying": {"type": "boolean"},
            "incidents": {"type": "array", "items": {"$ref": "#/$defs/incident"}},
        },
        "$defs": {
            "incident": {
                "type": "object",
                "required": statistical,
                "additionalProperties": False,
                "properties": properties,
            }
        },
    }


def as_text() -> str:
    return json.dumps(incidents_schema(), indent=2, ensure_ascii=False) + "\n"
