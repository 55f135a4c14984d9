"""The published JSON Schema: the checked-in file is the generated one, and exports match it."""

from __future__ import annotations

import json
from pathlib import Path

from protectdesk.exports import schema
from protectdesk.incidents import columns
from tests.exports.helpers import two_incidents

PUBLISHED = Path(__file__).resolve().parents[2] / "docs" / "formats" / "incidents-v1.schema.json"


def test_the_published_file_is_the_generated_schema():
    assert PUBLISHED.read_text() == schema.as_text(), (
        "docs/formats/incidents-v1.schema.json is stale: write schema.as_text() into it"
    )


def test_the_schema_lists_every_column_with_its_codes():
    incident = schema.incidents_schema()["$defs"]["incident"]["properties"]
    assert set(incident) == {"incident_id", "types_huridocs", *columns.BY_NAME}
    assert "surveillance" in incident["types"]["items"]["enum"]
    assert incident["nature"]["enum"] == ["physical", "digital", "both"]
    assert incident["year"]["type"] == "integer"
    assert incident["severity"]["type"] == ["integer", "null"]


def _check(value, rule, defs):
    """A small validator for the keywords the schema uses (jsonschema is not installed)."""
    if "$ref" in rule:
        rule = defs[rule["$ref"].rsplit("/", 1)[1]]
    if "const" in rule:
        assert value == rule["const"]
    if "enum" in rule:
        assert value in rule["enum"], (value, rule["enum"])
    kinds = rule.get("type")
    if kinds is not None:
        kinds = kinds if isinstance(kinds, list) else [kinds]
        python = {
            "string": str,
            "integer": int,
            "boolean": bool,
            "array": list,
            "object": dict,
            "null": type(None),
        }
        assert any(isinstance(value, python[k]) for k in kinds), (value, kinds)
    if isinstance(value, dict):
        assert set(rule.get("required", [])) <= set(value), set(rule["required"]) - set(value)
        if rule.get("additionalProperties") is False:
            assert set(value) <= set(rule["properties"]), set(value) - set(rule["properties"])
        for name, item in value.items():
            _check(item, rule["properties"][name], defs)
    if isinstance(value, list) and "items" in rule:
        for item in value:
            _check(item, rule["items"], defs)
    if isinstance(value, int) and not isinstance(value, bool) and "minimum" in rule:
        assert rule["minimum"] <= value <= rule["maximum"]


def _validate(doc):
    published = json.loads(PUBLISHED.read_text())
    try:
        import jsonschema
    except ImportError:
        _check(doc, published, published["$defs"])
    else:  # pragma: no cover - jsonschema is not a dependency today
        jsonschema.Draft202012Validator(published).validate(doc)


def test_both_exports_match_the_schema(desks, signed_in_client):
    two_incidents(desks)
    client = signed_in_client(desks.caseworker)
    url = f"/cases/{desks.case.id}/export/"
    statistical = json.loads(b"".join(client.get(url, {"format": "json"}).streaming_content))
    identifying = json.loads(
        b"".join(client.post(url, {"file_format": "json", "confirm": "on"}).streaming_content)
    )
    for doc in (statistical, identifying):
        assert len(doc["incidents"]) == 2
        _validate(doc)


def test_the_check_can_fail():
    """Control for the small validator: a wrong code and a missing column are caught."""
    published = json.loads(PUBLISHED.read_text())
    import pytest

    bad = {
        "format": "protectdesk-incidents",
        "version": 1,
        "exported_at": "x",
        "identifying": False,
        "incidents": [{"incident_id": "1", "types": ["nope"]}],
    }
    with pytest.raises(AssertionError):
        _check(bad, published, published["$defs"])
