"""Every route × every persona gets exactly the response the matrix says (security.md)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import sign_in
from tests.routes import LOGIN, MATRIX, PERSONAS, url_names


def test_every_route_has_an_entry():
    missing = url_names() - set(MATRIX)
    stale = set(MATRIX) - url_names()
    assert not missing, f"routes without an authorization entry: {sorted(missing)}"
    assert not stale, f"matrix entries for routes that no longer exist: {sorted(stale)}"


def _client_for(desks, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        sign_in(client, getattr(desks, persona).login)
    return client


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_route_answers_each_persona_as_specified(desks, name, persona):
    route = MATRIX[name]
    url = reverse(name, kwargs=route.kwargs(desks))
    client = _client_for(desks, persona)
    response = client.get(url) if route.method == "GET" else client.post(url, {})
    expected = route.expect[persona]
    if expected == LOGIN:
        assert response.status_code == 302, (name, persona, response.status_code)
        assert response["Location"].startswith(reverse("accounts:login")), response["Location"]
    else:
        assert response.status_code == expected, (name, persona, response.status_code)


@pytest.mark.parametrize("name", sorted(n for n, r in MATRIX.items() if r.method == "POST"))
def test_post_routes_refuse_get(desks, name):
    route = MATRIX[name]
    client = _client_for(desks, "coordinator")
    assert client.get(reverse(name, kwargs=route.kwargs(desks))).status_code == 405
