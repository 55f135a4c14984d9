"""CSRF on every form, as browsers send forms under Referrer-Policy: same-origin."""

import re

import pytest
from django.test import Client

from tests.conftest import PASSWORD


def _login_token(client: Client, secure: bool = False) -> str:
    """The CSRF token of the sign-in form, as a browser would submit it."""
    page = client.get("/login/", secure=secure).content
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()


@pytest.mark.parametrize("secure", [False, True])
def test_browser_style_post_with_same_origin_headers_works(desks, secure):
    """Under Referrer-Policy: same-origin a browser sends its own Origin and, over HTTPS, the
    Referer of the form's page: Django's stock middleware accepts both."""
    client = Client(enforce_csrf_checks=True)
    token = _login_token(client, secure=secure)
    scheme = "https" if secure else "http"
    response = client.post(
        "/login/",
        {"csrfmiddlewaretoken": token, "login": desks.caseworker.login, "password": PASSWORD},
        HTTP_ORIGIN=f"{scheme}://testserver",
        HTTP_REFERER=f"{scheme}://testserver/login/",
        secure=secure,
    )
    assert response.status_code == 302


def test_the_stock_middleware_is_installed_and_the_adaptation_is_gone():
    from django.conf import settings

    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE
    assert not any("NoReferrer" in name for name in settings.MIDDLEWARE)
    assert "security.W003" not in settings.SILENCED_SYSTEM_CHECKS


def test_post_without_token_is_refused(desks):
    client = Client(enforce_csrf_checks=True)
    client.get("/login/")
    response = client.post(
        "/login/",
        {"login": desks.caseworker.login, "password": PASSWORD},
        HTTP_ORIGIN="http://testserver",
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
