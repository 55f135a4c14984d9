"""API tokens and documentation in the browser, JavaScript off: a caseworker makes a token in
My account (first refused: no password), sees it once, calls the API with it from outside the
browser, and revokes it; the documentation page reads without an account. Every page is
checked at 360 px, for weight, scripts and by axe-core."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, caseworker_with_a_case

pytestmark = pytest.mark.e2e


def _call(server: str, path: str, token: str) -> tuple[int, dict]:
    request = urllib.request.Request(server + path, headers={"Authorization": f"Bearer {token}"})  # noqa: S310 - the live server
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - the live server
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_caseworker_makes_uses_and_revokes_a_token(journey, audit, server):
    caseworker, case = caseworker_with_a_case("API Desk", "AD", "Caseworker", "Lucía Ramos")
    w = journey("caseworker")
    w.sign_in(caseworker.login)
    w.goto("/account/")
    w.click(w.page.get_by_role("link", name="Manage your API tokens"))
    w.check("tokens", phone=True)

    w.page.get_by_label("Label").fill("Partner case system")
    w.page.get_by_label("Read my cases", exact=True).check()
    w.page.get_by_role("button", name="Make the token").click()
    expect(w.page.locator("#error-summary")).to_contain_text("Enter your password")
    w.check("refused", phone=True, status=400)
    expect(w.page.get_by_label("Label")).to_have_value("Partner case system")

    w.page.get_by_label("Your password").fill(PASSWORD)
    w.click(w.page.get_by_role("button", name="Make the token"))
    w.check("made", phone=True)
    token = w.page.locator("code.secret").inner_text().strip()
    assert re.fullmatch(r"pd1_[A-Za-z0-9_-]{64}", token)
    expect(w.page.get_by_role("cell", name="Partner case system", exact=True)).to_be_visible()

    status, body = _call(server, "/api/v1/cases/", token)
    assert status == 200 and [c["reference"] for c in body["items"]] == [case.reference]
    assert body["items"][0]["defender"]["name"] == "Lucía Ramos"

    w.goto("/account/api-tokens/")
    expect(w.page.locator("code.secret")).to_have_count(0)  # shown once only
    w.click(w.page.get_by_role("button", name=re.compile("Revoke")))
    expect(w.page.locator(".messages")).to_contain_text("revoked")
    w.check("revoked", phone=True)
    status, problem = _call(server, "/api/v1/cases/", token)
    assert status == 401 and problem["status"] == 401
    audit.assert_clean()


def test_the_documentation_reads_without_an_account(journey, audit, server):
    r = journey("reader")
    r.goto("/api/v1/docs/")
    expect(r.page.locator("h1")).to_contain_text("Protection Desk API")
    expect(
        r.page.get_by_role("heading", name="POST /api/v1/cases/{case_id}/incidents/")
    ).to_be_visible()
    r.check("docs", phone=True)
    audit.assert_clean()
