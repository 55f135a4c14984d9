"""Hostile input to the API: arbitrary JSON bodies, query strings and Authorization headers get
a 2xx or a problem document, never a server error, and a refused body saves nothing."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protectdesk.api.models import Scope
from protectdesk.incidents.models import Incident
from tests.api.conftest import ApiClient, make_token

FIELDS = list(
    [
        "title",
        "when",
        "narrative",
        "types",
        "nature",
        "country",
        "subdivision",
        "exact_time",
        "place",
        "consequences",
        "affected",
        "authority_response",
        "authority_details",
        "reaction",
        "analysis",
        "severity",
    ]
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
BODIES = st.one_of(
    JSON,
    st.dictionaries(st.sampled_from(FIELDS), JSON, max_size=len(FIELDS)),
    st.fixed_dictionaries(
        {
            "title": st.text(max_size=400),
            "when": st.text(max_size=20)
            | st.sampled_from(["2026", "2026-02", "2026-02-30", "13/2026", "9999-12-31"]),
            "narrative": st.text(max_size=200),
            "types": st.lists(
                st.sampled_from(["surveillance", "threat", "killing", "", "x" * 300]), max_size=3
            ),
        },
        optional={
            "severity": st.integers(-3, 9) | st.text(max_size=3),
            "exact_time": st.text(max_size=8),
        },
    ),
)
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _client(desks, user, scope) -> ApiClient:
    """One token per account and scope for all of a test's examples (Hypothesis runs them on
    one fixture; a token per example would pass the owner's limit of live tokens)."""
    cache = desks.__dict__.setdefault("_api_clients", {})
    if (user.pk, scope) not in cache:
        cache[user.pk, scope] = ApiClient(make_token(user, scope))
    return cache[user.pk, scope]


def _is_problem(response) -> bool:
    return (
        response["Content-Type"] == "application/problem+json"
        and json.loads(response.content)["status"] == response.status_code
    )


@SETTINGS
@given(body=BODIES)
def test_any_body_is_saved_or_refused_cleanly(desks, body):
    client = _client(desks, desks.caseworker, Scope.WRITE)
    before = Incident.objects.count()
    response = client.post(f"/api/v1/cases/{desks.case.id}/incidents/", body)
    assert response.status_code in (201, 400, 422), (body, response.content[:300])
    if response.status_code == 201:
        assert Incident.objects.count() == before + 1
    else:
        assert _is_problem(response)
        assert Incident.objects.count() == before


@SETTINGS
@given(raw=st.binary(max_size=200))
def test_any_bytes_as_a_body_are_refused_cleanly(desks, raw):
    client = _client(desks, desks.caseworker, Scope.WRITE)
    response = client.client.post(
        f"/api/v1/cases/{desks.case.id}/incidents/",
        raw,
        content_type="application/json",
        headers=client.headers,
    )
    assert response.status_code in (201, 400, 422)
    assert response.status_code == 201 or _is_problem(response)


@SETTINGS
@given(
    query=st.dictionaries(
        st.sampled_from(["page", "page_size", "scope", "type", "period", "format", "x"]),
        st.text(max_size=12),
        max_size=4,
    )
)
def test_any_query_string_is_answered_or_refused_cleanly(desks, query):
    reader = _client(desks, desks.caseworker, Scope.READ)
    stats = _client(desks, desks.coordinator, Scope.STATISTICS)
    for client, path in (
        (reader, f"/api/v1/cases/{desks.case.id}/incidents/"),
        (reader, "/api/v1/cases/"),
        (reader, f"/api/v1/cases/{desks.case.id}/export/"),
        (stats, "/api/v1/statistics/incidents-by-type/"),
    ):
        response = client.get(path, data=query)
        assert response.status_code in (200, 404, 422), (path, query, response.status_code)
        assert response.status_code == 200 or _is_problem(response)


@SETTINGS
@given(header=st.text(max_size=120))
def test_any_authorization_header_is_refused_without_a_server_error(db, header):
    from django.test import Client

    try:
        response = Client().get("/api/v1/cases/", headers={"Authorization": header})
    except ValueError:  # a header the HTTP layer itself cannot carry (a newline)
        return
    assert response.status_code == 401
    assert _is_problem(response)
