"""The authorization matrix over the API: every operation × every persona, with tokens.

Each persona calls with the token their role allows (statistics for the analyst; reading and
writing cases for coordinators, caseworkers and the defender's own account; a second
coordinator persona with a statistics token). The administrator and the trainer can make no
token, so they call with none, like anyone without an account. An operation of the schema
with no row here fails :func:`test_every_operation_has_a_row`.
"""

from __future__ import annotations

from typing import Any

from protectdesk.api.endpoints import api
from protectdesk.api.models import Scope
from tests.api.conftest import ApiClient, make_token
from tests.incidents.helpers import log_incident_with

#: persona → (the account on the desks fixture, the token's scope; None: no token at all)
PERSONAS: dict[str, tuple[str | None, str | None]] = {
    "anonymous": (None, None),
    "admin": ("admin", None),
    "trainer": ("trainer", None),
    "coordinator": ("coordinator", Scope.WRITE),
    "coordinator_statistics": ("coordinator", Scope.STATISTICS),
    "caseworker": ("caseworker", Scope.WRITE),
    "caseworker_read": ("caseworker", Scope.READ),
    "caseworker2": ("caseworker2", Scope.WRITE),
    "defender": ("defender", Scope.WRITE),
    "outsider": ("outsider", Scope.WRITE),
    "outsider_caseworker": ("outsider_caseworker", Scope.WRITE),
    "analyst": ("analyst", Scope.STATISTICS),
}
NO_TOKEN = {"anonymous": 401, "admin": 401, "trainer": 401}
#: Reading the case of ``desks`` (the caseworker is staff of it, the defender is its defender).
CASE_READ = {
    **NO_TOKEN,
    "coordinator": 404,
    "coordinator_statistics": 403,
    "caseworker": 200,
    "caseworker_read": 200,
    "caseworker2": 404,
    "defender": 200,
    "outsider": 404,
    "outsider_caseworker": 404,
    "analyst": 403,
}
STATISTICS = {
    **{p: 403 for p in PERSONAS},
    **NO_TOKEN,
    "coordinator_statistics": 200,
    "analyst": 200,
}
EVERY_TOKEN = {**{p: 200 for p in PERSONAS}, **NO_TOKEN}
#: Lists of the token owner's own: each persona sees their own (possibly empty) list.
OWN_CASES = {**EVERY_TOKEN, "coordinator_statistics": 403, "analyst": 403}


def _case(desks: Any) -> dict[str, Any]:
    return {"case_id": desks.case.id}


def _incident(desks: Any) -> dict[str, Any]:
    incident = log_incident_with(desks.caseworker, desks.case)
    return {"case_id": desks.case.id, "incident_id": incident.id}


#: (method, path template) → (kwargs for the path, expected status by persona, body for a POST)
MATRIX: dict[tuple[str, str], tuple[Any, dict[str, int], Any]] = {
    ("GET", "/api/v1/vocabularies/"): (None, EVERY_TOKEN, None),
    ("GET", "/api/v1/vocabularies/{name}/"): (lambda d: {"name": "sectors"}, EVERY_TOKEN, None),
    ("GET", "/api/v1/statistics/"): (None, STATISTICS, None),
    ("GET", "/api/v1/statistics/{slug}/"): (
        lambda d: {"slug": "incidents-by-type"},
        STATISTICS,
        None,
    ),
    ("GET", "/api/v1/cases/"): (None, OWN_CASES, None),
    ("GET", "/api/v1/cases/{case_id}/"): (_case, CASE_READ, None),
    ("GET", "/api/v1/cases/{case_id}/incidents/"): (_case, CASE_READ, None),
    ("GET", "/api/v1/cases/{case_id}/incidents/{incident_id}/"): (_incident, CASE_READ, None),
    ("POST", "/api/v1/cases/{case_id}/incidents/"): (
        _case,
        {**CASE_READ, "caseworker": 201, "defender": 201, "caseworker_read": 403},
        {
            "title": "Matrix",
            "when": "2026-11",
            "narrative": "Written by the matrix.",
            "types": ["surveillance"],
        },
    ),
    ("GET", "/api/v1/cases/{case_id}/export/"): (_case, {**CASE_READ, "defender": 404}, None),
    ("GET", "/api/v1/exports/incidents/"): (
        None,
        {**OWN_CASES, "defender": 404},
        None,
    ),
}


def _operations() -> set[tuple[str, str]]:
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    return {(m.upper(), path) for path, methods in schema["paths"].items() for m in methods}


def test_every_operation_has_a_row():
    assert _operations() == set(MATRIX), (
        f"missing: {sorted(_operations() - set(MATRIX))}; stale: {sorted(set(MATRIX) - _operations())}"
    )


def _client(desks: Any, persona: str) -> ApiClient:
    account, scope = PERSONAS[persona]
    if scope is None:
        return ApiClient(None)
    return ApiClient(make_token(getattr(desks, account), scope))


def test_each_operation_answers_each_persona_as_specified(desks):
    """Every persona, every operation, on one desks fixture (the personas' calls do not change
    what another persona may reach); every mismatch is listed at once."""
    wrong = []
    for persona in sorted(PERSONAS):
        client = _client(desks, persona)
        for (method, template), (kwargs, expected, body) in sorted(MATRIX.items()):
            path = template.format(**(kwargs(desks) if kwargs else {}))
            response = client.get(path) if method == "GET" else client.post(path, body)
            if response.status_code != expected[persona]:
                wrong.append((persona, method, template, response.status_code, expected[persona]))
            if response.status_code >= 400:
                assert response["Content-Type"] == "application/problem+json", (method, template)
    assert not wrong, wrong
