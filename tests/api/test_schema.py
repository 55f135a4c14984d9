"""The OpenAPI schema is generated from the code and snapshot-tested: a change to what the API
accepts or answers shows up here as a diff to docs/api/openapi-v1.json, reviewed with the code.

To accept a deliberate change: ``.venv/bin/protectdesk openapi > docs/api/openapi-v1.json``.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.test import Client

from protectdesk.management.commands.openapi import schema_text

SNAPSHOT = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi-v1.json"


def test_the_schema_matches_its_snapshot():
    assert schema_text() == SNAPSHOT.read_text(encoding="utf-8"), (
        "the API's schema changed: if that is intended, run "
        "`.venv/bin/protectdesk openapi > docs/api/openapi-v1.json` and commit the diff"
    )


def test_the_served_schema_is_the_snapshot_and_openapi_3_1(db):
    served = Client().get("/api/v1/openapi.json")
    assert served.status_code == 200
    schema = served.json()
    assert schema["openapi"].startswith("3.1")
    assert schema == json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    # Every operation needs the token, and documents its problem answers.
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            assert operation["security"] == [{"TokenAuth": []}], (method, path)
            assert "401" in operation["responses"], (method, path)


def test_the_documentation_page_lists_every_operation(db):
    page = Client().get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<script" not in html.lower()
    schema = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    for path, methods in schema["paths"].items():
        for method in methods:
            assert f"{method.upper()} {path}" in html, (method, path)
    assert 'id="problem-unauthorized"' in html
