"""Every page each persona can open: no script, no other host, within 60 KB with its CSS."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.routes import MATRIX, PERSONAS
from tests.test_authorization_matrix import _client_for

CSS = Path(__file__).resolve().parents[1] / "src/protectdesk/static/protectdesk/app.css"
BUDGET = 60 * 1024
URL_ATTRIBUTE = re.compile(
    rb'\b(?:src|href|action|formaction|srcset|poster|data)\s*=\s*"([^"]*)"', re.I
)


@pytest.mark.parametrize("persona", PERSONAS)
def test_pages_are_light_local_and_script_free(desks, persona):
    client = _client_for(desks, persona)
    pages = 0
    for name, route in sorted(MATRIX.items()):
        if route.method != "GET":
            continue
        response = client.get(reverse(name, kwargs=route.kwargs(desks)))
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        pages += 1
        html = response.content
        assert b"<script" not in html.lower(), name
        assert b" style=" not in html and b"<style" not in html, (
            f"{name}: inline styles are blocked by the CSP"
        )
        for url in URL_ATTRIBUTE.findall(html):
            assert url.startswith((b"/", b"?", b"#")) or url == b"", f"{name} refers to {url!r}"
        assert len(html) + CSS.stat().st_size <= BUDGET, f"{name}: {len(html)} bytes of HTML"
        assert b'<html lang="' in html and b"<main" in html, name
        assert re.search(rb"<h1[ >]", html), f"{name}: every page has a heading"
    assert pages >= 2
