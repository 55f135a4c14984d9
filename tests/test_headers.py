"""The exact set of security headers (security.md "Other controls")."""

from django.test import Client

from tests.conftest import sign_in

CSP = {
    "default-src": "'none'",
    "style-src": "'self'",
    "img-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
}
SECURITY_HEADERS = {
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
#: Headers that carry no security policy; anything else appearing must be added here deliberately.
BENIGN = {
    "content-type",
    "content-length",
    "vary",
    "content-language",
    "location",
    "set-cookie",
    "last-modified",
    "etag",
    "access-control-allow-origin",
}


def _csp(value: str) -> dict[str, str]:
    directives = [part.strip() for part in value.split(";") if part.strip()]
    parsed = {d.split(" ", 1)[0]: d.split(" ", 1)[1] for d in directives}
    assert len(parsed) == len(directives), "no directive may repeat"
    return parsed


def _check_page(response) -> None:
    assert _csp(response["Content-Security-Policy"]) == CSP
    for name, value in SECURITY_HEADERS.items():
        assert response[name] == value, name
    assert response["Cache-Control"] == "no-store"
    expected = {h.lower() for h in SECURITY_HEADERS} | {"content-security-policy", "cache-control"}
    present = {h.lower() for h in response.headers}
    assert present - BENIGN == expected, present - BENIGN ^ expected


def test_anonymous_page_headers(db):
    _check_page(Client().get("/login/"))


def test_signed_in_page_headers(desks, client):
    sign_in(client, desks.caseworker.login)
    _check_page(client.get("/"))
    _check_page(client.get("/account/"))


def test_redirect_and_error_headers(desks, client):
    _check_page(client.get("/"))  # redirect to login
    _check_page(client.get("/no-such-page/"))


def test_png_view_headers(desks, client):
    sign_in(client, desks.caseworker.login)
    response = client.get("/login/two-factor/qr.png")
    _check_page(response)


def test_static_files_get_the_policy_headers_but_may_be_cached(db, client):
    # Through the full middleware stack, as gunicorn + WhiteNoise serve it in production.
    response = client.get("/static/protectdesk/app.css")
    assert response.status_code == 200
    assert _csp(response["Content-Security-Policy"]) == CSP
    for name, value in SECURITY_HEADERS.items():
        assert response[name] == value, name
    assert "no-store" not in response.get("Cache-Control", "")
