"""Sessions hold only a wrapped private key; pd_key is the only way to unwrap it."""

import base64
import io
from datetime import timedelta

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from protectdesk.accounts.models import Session
from protectdesk.crypto import userkeys
from tests.conftest import PASSWORD, sign_in


def _private_key(user) -> bytes:
    return userkeys.open_private_key(bytes(user.sealed_private_key), PASSWORD, str(user.id))


def test_cookie_flags(desks, client):
    response = client.post("/login/", {"login": desks.caseworker.login, "password": PASSWORD})
    pd_key = response.cookies["pd_key"]
    assert pd_key["httponly"] and pd_key["samesite"] == "Strict"
    assert not pd_key["max-age"] and not pd_key["expires"]
    assert len(base64.urlsafe_b64decode(pd_key.value + "==")) == 32
    session = response.cookies["pd_session"]
    assert session["httponly"] and session["samesite"] == "Strict" and not session["max-age"]


def test_session_row_holds_no_private_key_and_the_cookie_holds_no_data(desks, client):
    sign_in(client, desks.caseworker.login)
    private_key = _private_key(desks.caseworker)
    row = Session.objects.get(user=desks.caseworker)
    raw = row.session_data.encode()
    decoded = repr(row.get_decoded()).encode()
    assert private_key not in raw and base64.b64encode(private_key) not in raw
    assert private_key not in decoded and base64.b64encode(private_key) not in decoded
    cookie = base64.urlsafe_b64decode(client.cookies["pd_key"].value + "==")
    assert cookie != private_key


def test_missing_pd_key_sends_to_unlock_and_password_unlocks(desks, client):
    sign_in(client, desks.caseworker.login)
    del client.cookies["pd_key"]
    response = client.get("/account/")
    assert response.status_code == 302 and response["Location"].startswith("/unlock/")
    wrong = client.post(
        "/unlock/?next=/account/", {"password": "not my password", "next": "/account/"}
    )
    assert b"This password is not right" in wrong.content
    right = client.post("/unlock/", {"password": PASSWORD, "next": "/account/"})
    assert right["Location"] == "/account/"
    assert client.get("/account/").status_code == 200


def test_forged_pd_key_does_not_unlock(desks, client):
    sign_in(client, desks.caseworker.login)
    client.cookies["pd_key"] = base64.urlsafe_b64encode(bytes(32)).decode().rstrip("=")
    assert client.get("/").status_code == 302


def test_logout_makes_the_old_cookies_useless(desks, client):
    sign_in(client, desks.caseworker.login)
    stolen = {name: morsel.value for name, morsel in client.cookies.items()}
    client.post("/logout/")
    assert not Session.objects.filter(user=desks.caseworker).exists()
    thief = Client()
    for name, value in stolen.items():
        thief.cookies[name] = value
    assert thief.get("/").status_code == 302


def test_sign_out_all_sessions(desks):
    laptop, phone = Client(), Client()
    sign_in(laptop, desks.caseworker.login)
    sign_in(phone, desks.caseworker.login)
    assert Session.objects.filter(user=desks.caseworker).count() == 2
    response = laptop.post("/account/sessions/revoke/")
    assert response["Location"] == "/login/"
    assert not Session.objects.filter(user=desks.caseworker).exists()
    assert phone.get("/").status_code == 302
    assert laptop.get("/").status_code == 302


def test_idle_session_expires(desks, client):
    sign_in(client, desks.caseworker.login)
    Session.objects.filter(user=desks.caseworker).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert client.get("/").status_code == 302


def test_expired_sessions_are_deleted_with_their_keys(desks):
    # Regression test from the round-one security review (M4): deleted when seen and by
    # `protectdesk cleanup`, not only ignored.
    client = Client()
    sign_in(client, desks.caseworker.login)
    Session.objects.filter(user=desks.caseworker).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert client.get("/").status_code == 302
    assert not Session.objects.filter(user=desks.caseworker).exists()
    other = Client()
    sign_in(other, desks.caseworker2.login)
    Session.objects.filter(user=desks.caseworker2).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    call_command("cleanup", stdout=io.StringIO())
    assert not Session.objects.filter(user=desks.caseworker2).exists()


def test_idle_expiry_default_is_thirty_minutes(settings):
    assert settings.PROTECTDESK_IDLE_MINUTES == 30
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_password_change_signs_out_other_sessions(desks):
    laptop, phone = Client(), Client()
    sign_in(laptop, desks.caseworker.login)
    sign_in(phone, desks.caseworker.login)
    new = "a brand new passphrase"
    response = laptop.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password": new, "new_password_again": new},
    )
    assert response.status_code == 302
    assert laptop.get("/").status_code == 200
    assert phone.get("/").status_code == 302
