"""CSRF on every form, as browsers actually send forms under Referrer-Policy: no-referrer."""

import re

import pytest
from django.test import Client

from tests.conftest import PASSWORD


def _login_token(client: Client, secure: bool = False) -> str:
    """The CSRF token of the sign-in form, as a browser would submit it."""
    page = client.get("/login/", secure=secure).content
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()


@pytest.mark.parametrize("secure", [False, True])
def test_browser_style_post_with_null_origin_and_no_referer_works(desks, secure):
    client = Client(enforce_csrf_checks=True)
    token = _login_token(client, secure=secure)
    response = client.post(
        "/login/",
        {"csrfmiddlewaretoken": token, "login": desks.caseworker.login, "password": PASSWORD},
        HTTP_ORIGIN="null",
        secure=secure,
    )
    assert response.status_code == 302


def test_post_without_token_is_refused(desks):
    client = Client(enforce_csrf_checks=True)
    client.get("/login/")
    response = client.post(
        "/login/", {"login": desks.caseworker.login, "password": PASSWORD}, HTTP_ORIGIN="null"
    )
    assert response.status_code == 403
    assert b"This form has expired" in response.content


def test_foreign_origin_is_refused_even_with_a_token(desks):
    client = Client(enforce_csrf_checks=True)
    token = _login_token(client)
    response = client.post(
        "/login/",
        {"csrfmiddlewaretoken": token, "login": desks.caseworker.login, "password": PASSWORD},
        HTTP_ORIGIN="https://attacker.example",
    )
    assert response.status_code == 403


def test_foreign_referer_is_refused_over_https(desks):
    client = Client(enforce_csrf_checks=True)
    token = _login_token(client, secure=True)
    response = client.post(
        "/login/",
        {"csrfmiddlewaretoken": token, "login": desks.caseworker.login, "password": PASSWORD},
        HTTP_REFERER="https://attacker.example/page",
        secure=True,
    )
    assert response.status_code == 403
