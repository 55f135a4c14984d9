"""End-to-end journeys in Chromium with JavaScript disabled (overview.md promise 3).

Each journey checks every page it reaches (``Journey.check``: screenshot, no script, no foreign
request, page weight, axe-core audit) and ends with ``audit.assert_clean()``.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from protectdesk.accounts.models import Role
from tests.conftest import add_user, make_desk
from tests.e2e.conftest import current_totp, let_a_totp_window_pass

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "a quiet river under the old bridge"


def test_accept_invitation(journey, audit, server):
    _desk, coordinator, _phrase = make_desk("Invitation Desk", "IV", "coordinator@iv.example")

    # The coordinator signs in and creates an invitation link from the Staff page.
    coord = journey("coordinator")
    coord.sign_in(coordinator.login)
    assert coord.path == "/"
    coord.check("home", phone=True)
    coord.click(coord.page.get_by_role("navigation").get_by_role("link", name="Staff"))
    assert coord.path == "/staff/"
    coord.check("staff")
    coord.page.get_by_label("E-mail").fill("new.caseworker@iv.example")
    coord.page.get_by_label("Name", exact=True).fill("Ana Nueva")
    coord.page.get_by_label("Role", exact=True).select_option(label="Caseworker")
    coord.click(coord.page.get_by_role("button", name="Create invitation link"))
    expect(coord.page.locator("h1")).to_have_text("Invitation link")
    link_field = coord.page.locator("input#link")
    expect(link_field).to_have_attribute("readonly", "")
    link = link_field.input_value()
    assert re.fullmatch(re.escape(server) + r"/invitation/[A-Za-z0-9_-]{20,}/", link), link
    coord.check("invitation-link", phone=True)

    # The invitee opens the link in their own browser and chooses a password.
    invitee = journey("invitee")
    invitee.goto(link)
    expect(invitee.page.locator("h1")).to_have_text("Accept your invitation")
    expect(invitee.page.locator("main")).to_contain_text("new.caseworker@iv.example")
    invitee.check("accept-form", phone=True)
    # By field id: the labels' wording is still being edited; axe checks every field is labelled.
    invitee.page.locator("#id_display_name").fill("Ana Nueva")
    invitee.page.locator("#id_new_password").fill(NEW_PASSWORD)
    invitee.page.locator("#id_new_password_again").fill(NEW_PASSWORD)
    invitee.click(invitee.page.get_by_role("button", name="Create my account"))
    assert invitee.path == "/login/"
    expect(invitee.page.locator(".messages")).to_contain_text("Your account is ready")
    invitee.check("account-ready")

    # ... and signs in with it.
    invitee.sign_in("new.caseworker@iv.example", NEW_PASSWORD, check=False)
    assert invitee.path == "/"
    expect(invitee.page.locator("h1")).to_have_text("My work")
    expect(invitee.page.locator("header")).to_contain_text("Ana Nueva")
    expect(invitee.page.locator("header")).to_contain_text("Caseworker")
    invitee.check("home", phone=True)

    # The link worked once only.
    again = journey("link-reused")
    again.goto(link)
    expect(again.page.locator("h1")).to_have_text("This invitation is not valid")
    again.check("link-used", status=404)

    audit.assert_clean()


def test_sign_in_and_enrol_two_factor(journey, audit, server):
    _desk, coordinator, _phrase = make_desk("Two-factor Desk", "TF", "coordinator@tf.example")
    caseworker = add_user(coordinator, Role.CASEWORKER, "caseworker@tf.example", "Caseworker")

    person = journey("caseworker")
    person.sign_in(caseworker.login)
    assert person.path == "/"
    person.check("home")
    person.click(person.page.get_by_role("navigation").get_by_role("link", name="My account"))
    assert person.path == "/account/"
    person.check("account")
    person.click(person.page.get_by_role("link", name="Set up two-factor authentication"))
    assert person.path == "/account/two-factor/"
    person.check("enrol", phone=True)

    secret = person.page.locator("code.secret").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{1,4})+", secret), secret
    qr_src = person.page.locator("img.qr").get_attribute("src")
    assert qr_src
    qr = person.context.request.get(server + qr_src if qr_src.startswith("/") else qr_src)
    assert qr.ok and qr.headers["content-type"] == "image/png"
    assert qr.body().startswith(b"\x89PNG\r\n\x1a\n")

    person.page.get_by_label("Code from your authenticator app").fill(current_totp(secret))
    person.click(person.page.get_by_role("button", name="Confirm"))
    expect(person.page.locator("h1")).to_have_text("Your recovery codes")
    codes = person.page.locator("ul.codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{8}", c) for c in codes), (
        codes
    )
    person.check("recovery-codes", phone=True)
    person.click(person.page.get_by_role("link", name=re.compile("I have kept them safe")))
    assert person.path == "/"

    # Sign out, sign in again: now the code step appears.
    person.click(person.page.get_by_role("button", name="Sign out"))
    assert person.path == "/login/"
    person.sign_in(caseworker.login, check=False)
    assert person.path == "/login/code/"
    expect(person.page.locator("h1")).to_have_text("Two-factor code")
    person.check("code-step", phone=True)
    # Codes are single-use: the enrolment code would be refused. Instead of waiting for the next
    # 30-second window, move the device there; the app shows that window's code.
    let_a_totp_window_pass(caseworker)
    person.page.get_by_label("Code", exact=True).fill(current_totp(secret, windows_later=1))
    person.click(person.page.get_by_role("button", name="Continue"))
    assert person.path == "/"
    expect(person.page.locator("h1")).to_have_text("My work")
    person.check("home-after-code")

    audit.assert_clean()


def test_switch_language(journey, audit):
    visitor = journey("visitor")
    visitor.goto("/login/")
    expect(visitor.page.locator("html")).to_have_attribute("lang", "en")
    expect(visitor.page.locator("h1")).to_have_text("Sign in")
    visitor.check("english", phone=True)

    # The first switch uses the English button label; later ones the form's own button.
    visitor.page.locator("select#language").select_option(label="Español")
    visitor.click(visitor.page.get_by_role("button", name="Change"))

    translations = [
        ("es", "Iniciar sesión", None),
        ("fr", "Se connecter", "Français"),
        ("pt", "Entrar", "Português"),
    ]
    problems = []
    for code, sign_in, option in translations:
        if option:
            visitor.page.locator("select#language").select_option(label=option)
            visitor.click(visitor.page.locator("form.language button[type=submit]"))
        assert visitor.path == "/login/"
        expect(visitor.page.locator("html")).to_have_attribute("lang", code)
        expect(visitor.page.locator("select#language option[selected]")).to_have_attribute(
            "value", code
        )
        heading = visitor.heading()
        button = visitor.page.locator("main form button[type=submit]").first.inner_text().strip()
        if heading != sign_in or button != sign_in:
            problems.append(
                f"{code}: heading {heading!r} and button {button!r}, expected {sign_in!r}"
            )
        visitor.check(code, phone=True)

    # Back to English.
    visitor.page.locator("select#language").select_option(label="English")
    visitor.click(visitor.page.locator("form.language button[type=submit]"))
    expect(visitor.page.locator("html")).to_have_attribute("lang", "en")
    expect(visitor.page.locator("h1")).to_have_text("Sign in")

    assert not problems, "Not translated: " + "; ".join(problems)
    audit.assert_clean()


def test_sign_out(journey, audit):
    _desk, coordinator, _phrase = make_desk("Sign-out Desk", "SO", "coordinator@so.example")
    caseworker = add_user(coordinator, Role.CASEWORKER, "caseworker@so.example", "Caseworker")

    person = journey("caseworker")
    person.goto("/")
    assert person.path == "/login/?next=/", "an anonymous visit to / must lead to the login page"
    person.check("login", phone=True)
    person.sign_in(caseworker.login, check=False)
    assert person.path == "/"
    person.check("home", phone=True)
    cookies_before = person.context.cookies()
    assert {c["name"] for c in cookies_before} >= {"pd_session", "pd_key"}

    person.click(person.page.get_by_role("button", name="Sign out"))
    assert person.path == "/login/"
    expect(person.page.locator(".messages")).to_contain_text("You are signed out.")
    person.check("signed-out")
    assert "pd_key" not in {c["name"] for c in person.context.cookies()}

    person.goto("/")
    assert person.path == "/login/?next=/"
    expect(person.page.locator("h1")).to_have_text("Sign in")

    # The cookies of the signed-in browser, copied before signing out, open nothing now.
    thief = journey("old-cookies", cookies=cookies_before)
    for path in ("/", "/account/"):
        thief.goto(path)
        assert thief.path.startswith("/login/?next="), f"{path} with old cookies: {thief.page.url}"
        expect(thief.page.locator("h1")).to_have_text("Sign in")
        expect(thief.page.get_by_role("button", name="Sign out")).to_have_count(0)
    thief.check("old-cookies")

    audit.assert_clean()


def test_desk_requiring_two_factor_forces_enrolment(journey, audit):
    _desk, coordinator, _phrase = make_desk(
        "Strict Desk", "SD", "coordinator@sd.example", require_2fa=True
    )
    caseworker = add_user(coordinator, Role.CASEWORKER, "caseworker@sd.example", "Caseworker")

    person = journey("new-staff")
    person.sign_in(caseworker.login)
    assert person.path == "/login/two-factor/"
    expect(person.page.locator("h1")).to_have_text("Set up two-factor authentication")
    expect(person.page.locator("main")).to_contain_text("Your desk requires a second step")
    person.check("forced-enrol", phone=True)

    # No page opens before enrolment: every one leads back to the enrolment step.
    for path in ("/", "/account/", "/staff/", "/audit/"):
        person.goto(path)
        assert person.path == "/login/two-factor/", (
            f"{path} reached {person.page.url} before enrolment"
        )
        expect(person.page.get_by_role("navigation")).to_have_count(0)

    secret = person.page.locator("code.secret").inner_text().strip()
    person.page.get_by_label("Code from your authenticator app").fill(current_totp(secret))
    person.click(person.page.get_by_role("button", name="Confirm"))
    expect(person.page.locator("h1")).to_have_text("Your recovery codes")
    expect(person.page.locator("ul.codes code")).to_have_count(10)
    person.check("recovery-codes")
    person.click(person.page.get_by_role("link", name=re.compile("I have kept them safe")))
    assert person.path == "/"
    expect(person.page.locator("h1")).to_have_text("My work")
    person.check("home", phone=True)
    person.click(person.page.get_by_role("navigation").get_by_role("link", name="My account"))
    expect(person.page.locator("#h-2fa + p")).to_contain_text("On.")
    person.check("account")

    audit.assert_clean()
