"""TOTP enrolment without JavaScript, the code step, recovery codes, desk policy."""

import base64
import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from protectdesk.accounts.models import Desk, Role
from tests.conftest import PASSWORD, add_user, make_desk, sign_in


def _secret_from(response) -> bytes:
    match = re.search(rb'<code class="secret">([A-Z2-7 ]+)</code>', response.content)
    assert match, "the enrolment page shows the secret as text"
    return base64.b32decode(match.group(1).replace(b" ", b""))


def _code(secret: bytes, offset: int = 0) -> str:
    return f"{totp(secret, drift=offset):06d}"


def _enrol(client) -> tuple[bytes, list[str]]:
    page = client.get("/account/two-factor/")
    assert page.status_code == 200
    secret = _secret_from(page)
    qr = client.get("/login/two-factor/qr.png")
    assert qr["Content-Type"] == "image/png" and qr.content.startswith(b"\x89PNG")
    done = client.post("/account/two-factor/", {"code": _code(secret)})
    assert done.status_code == 200
    codes = re.findall(rb"<code>([0-9a-f]{8}-[0-9a-f]{8})</code>", done.content)
    assert len(codes) == 10
    return secret, [c.decode() for c in codes]


def test_enrolment_then_sign_in_needs_the_code(desks, client):
    sign_in(client, desks.caseworker.login)
    secret, _codes = _enrol(client)
    assert TOTPDevice.objects.filter(user=desks.caseworker, confirmed=True).count() == 1

    fresh = Client()
    response = fresh.post("/login/", {"login": desks.caseworker.login, "password": PASSWORD})
    assert response["Location"] == "/login/code/"
    # Half signed in: nothing else is served.
    assert fresh.get("/").status_code == 302
    assert fresh.get("/account/").status_code == 302
    # The enrolment used the current window; the next one is accepted (drift tolerance 1).
    response = fresh.post("/login/code/", {"code": _code(secret, offset=1)})
    assert response.status_code == 302 and response["Location"] == "/"
    assert fresh.get("/").status_code == 200


def _wrong_code(secret: bytes) -> str:
    valid = {_code(secret, offset) for offset in (-1, 0, 1, 2)}
    return next(c for c in ("000000", "111111", "222222", "333333", "444444") if c not in valid)


def test_wrong_codes_are_refused_then_throttled(desks, client):
    sign_in(client, desks.caseworker.login)
    secret, _codes = _enrol(client)
    fresh = Client()
    fresh.post("/login/", {"login": desks.caseworker.login, "password": PASSWORD})
    wrong = fresh.post("/login/code/", {"code": _wrong_code(secret)})
    assert b"This code is not right" in wrong.content
    # django-otp's throttle: right after a failure even the right code must wait.
    throttled = fresh.post("/login/code/", {"code": _code(secret, offset=1)})
    assert b"Too many wrong codes" in throttled.content
    assert fresh.get("/").status_code == 302


def test_recovery_code_works_once(desks, client):
    sign_in(client, desks.caseworker.login)
    _secret, codes = _enrol(client)
    for expected in (302, 200):
        fresh = Client()
        fresh.post("/login/", {"login": desks.caseworker.login, "password": PASSWORD})
        response = fresh.post("/login/code/", {"code": codes[0]})
        assert response.status_code == expected


def test_wrong_enrolment_code_writes_nothing(desks, client):
    sign_in(client, desks.caseworker.login)
    client.get("/account/two-factor/")
    response = client.post("/account/two-factor/", {"code": "12345"})
    assert b"This code is not right" in response.content
    assert not TOTPDevice.objects.filter(user=desks.caseworker).exists()


def test_desk_requiring_2fa_forces_enrolment_at_sign_in(db):
    _desk, coordinator, _ = make_desk("Strict Desk", "SD", "strict@test.example", require_2fa=True)
    user = add_user(coordinator, Role.CASEWORKER, "new@test.example")
    client = Client()
    response = client.post("/login/", {"login": user.login, "password": PASSWORD})
    assert response["Location"] == "/login/two-factor/"
    assert client.get("/").status_code == 302
    page = client.get("/login/two-factor/")
    secret = _secret_from(page)
    response = client.post("/login/two-factor/", {"code": _code(secret)})
    assert response.status_code == 200 and b"recovery codes" in response.content
    assert client.get("/").status_code == 200


def test_defenders_are_not_forced_into_2fa(db):
    _desk, coordinator, _ = make_desk("Strict Desk", "SD", "strict@test.example", require_2fa=True)
    defender = add_user(coordinator, Role.DEFENDER, "d-strict-0001")
    client = Client()
    sign_in(client, defender.login)


def test_policy_switched_on_mid_session_signs_staff_out(desks, client):
    sign_in(client, desks.caseworker.login)
    Desk.objects.filter(pk=desks.desk.pk).update(require_staff_2fa=True)
    response = client.get("/account/")
    assert response.status_code == 302 and response["Location"] == "/login/"


def test_cannot_turn_off_2fa_when_desk_requires_it(desks, client):
    from protectdesk.accounts.actions import two_factor
    from protectdesk.accounts.actions.errors import AccountError
    from protectdesk.accounts.models import User

    sign_in(client, desks.caseworker.login)
    _enrol(client)
    Desk.objects.filter(pk=desks.desk.pk).update(require_staff_2fa=True)
    user = User.objects.get(pk=desks.caseworker.pk)
    with pytest.raises(AccountError, match="requires two-factor"):
        two_factor.disable_totp(user=user)
    assert TOTPDevice.objects.filter(user=user).exists()


def test_two_factor_changes_need_the_password(desks, signed_in_client):
    # Regression test from the round-one security review: new recovery codes and turning
    # two-factor off ask for the password.
    client = signed_in_client(desks.caseworker)
    _enrol(client)
    assert (
        client.post(
            "/account/recovery-codes/", {"password": "wrong password!!"}, follow=True
        ).content.count(b"<code>")
        == 0
    )
    page = client.post("/account/recovery-codes/", {"password": PASSWORD})
    assert len(re.findall(rb"<code>[0-9a-f]{8}-[0-9a-f]{8}</code>", page.content)) == 10
    client.post("/account/two-factor/remove/", {"password": "wrong password!!"})
    assert TOTPDevice.objects.filter(user=desks.caseworker).exists()
    client.post("/account/two-factor/remove/", {"password": PASSWORD})
    assert not TOTPDevice.objects.filter(user=desks.caseworker).exists()
