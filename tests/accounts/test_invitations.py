"""One-time invitation links: the invitee chooses the password; only the token's hash is kept."""

import io
import logging
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import formats, timezone

from protectdesk.accounts.actions import invitations
from protectdesk.accounts.actions.errors import AccountError
from protectdesk.accounts.models import Invitation, Role, User
from protectdesk.audit.models import AuditEntry
from protectdesk.cases import actions as case_actions
from protectdesk.crypto import EnvelopeError
from protectdesk.records.models import CaseKeyBox, CaseMember
from tests.conftest import PASSWORD, keyring_of, sign_in

NEW_PASSWORD = "a long and private passphrase"


def _invite(client, login="newcomer@test.example", role=Role.CASEWORKER) -> str:
    response = client.post(
        "/staff/invite/", {"login": login, "display_name": "New Comer", "role": role}
    )
    assert response.status_code == 200, response.content[:300]
    match = re.search(rb'value="(http://testserver/invitation/[^"]+/)"', response.content)
    assert match, "the link is shown once on the response page"
    return match.group(1).decode().replace("http://testserver", "")


def _accept(path, password=NEW_PASSWORD, again=None):
    return Client().post(
        path,
        {
            "display_name": "New Comer",
            "new_password": password,
            "new_password_again": again or password,
        },
    )


def test_invitation_accept_and_sign_in(desks, signed_in_client):
    path = _invite(signed_in_client(desks.admin))
    assert _accept(path).status_code == 302
    user = User.objects.get(login="newcomer@test.example")
    assert user.role == Role.CASEWORKER and user.has_keypair and user.display_name == "New Comer"
    sign_in(Client(), user.login, NEW_PASSWORD)
    assert AuditEntry.objects.filter(action="invitation.accepted", actor_id=user.id).exists()


def test_link_works_once(desks, signed_in_client):
    path = _invite(signed_in_client(desks.coordinator))
    assert _accept(path).status_code == 302
    second = _accept(path, password="another passphrase here")
    assert second.status_code == 404
    assert b"not valid" in second.content


def test_only_the_token_hash_is_stored(desks, signed_in_client):
    path = _invite(signed_in_client(desks.coordinator))
    token = path.strip("/").split("/")[-1]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_invitation")
        assert token not in repr(cursor.fetchall())


def test_weak_and_mismatched_passwords_are_refused_in_the_users_language(desks, signed_in_client):
    path = _invite(signed_in_client(desks.coordinator))
    short = _accept(path, password="short")
    assert short.status_code == 200 and b"too short" in short.content
    common = _accept(path, password="password1234")
    assert b"too common" in common.content
    mismatch = _accept(path, password=NEW_PASSWORD, again=NEW_PASSWORD + "x")
    assert b"The two passwords differ" in mismatch.content
    spanish = Client(HTTP_ACCEPT_LANGUAGE="es").post(
        path, {"display_name": "", "new_password": "corta", "new_password_again": "corta"}
    )
    assert b"demasiado corta" in spanish.content
    assert not User.objects.filter(login="newcomer@test.example").exists()


def test_revoked_and_expired_invitations_do_not_work(desks, signed_in_client):
    client = signed_in_client(desks.coordinator)
    revoked = _invite(client, "revoked@test.example")
    invitation = Invitation.objects.get(login="revoked@test.example")
    client.post(f"/staff/invitations/{invitation.pk}/revoke/")
    assert _accept(revoked).status_code == 404
    expired = _invite(client, "late@test.example")
    Invitation.objects.filter(login="late@test.example").update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert _accept(expired).status_code == 404


def test_duplicate_login_is_refused(desks, signed_in_client):
    client = signed_in_client(desks.coordinator)
    response = client.post(
        "/staff/invite/",
        {"login": desks.caseworker.login, "display_name": "", "role": Role.CASEWORKER},
    )
    assert response.status_code == 400 and b"already exists" in response.content


def test_reinvitation_replaces_the_password_and_keys(desks, signed_in_client):
    client = signed_in_client(desks.coordinator)
    old_public = bytes(desks.caseworker.public_key)
    response = client.post(f"/staff/{desks.caseworker.pk}/reinvite/")
    path = (
        re.search(rb'value="http://testserver(/invitation/[^"]+/)"', response.content)
        .group(1)
        .decode()
    )
    page = Client().get(path)
    assert b"replaces your password and your encryption keys" in page.content
    assert _accept(path).status_code == 302
    desks.caseworker.refresh_from_db()
    assert bytes(desks.caseworker.public_key) != old_public
    sign_in(Client(), desks.caseworker.login, NEW_PASSWORD)
    assert (
        Client()
        .post("/login/", {"login": desks.caseworker.login, "password": PASSWORD})
        .status_code
        == 200
    )


def _prekeyed(desks):
    """A defender's invitation made with the case: the account's key waits in the invitation."""
    return case_actions.invite_defender(
        actor=desks.caseworker2,
        keyring=keyring_of(desks.caseworker2),
        case=case_actions.open_case(
            actor=desks.caseworker2,
            keyring=keyring_of(desks.caseworker2),
            profile=case_actions.DefenderProfile(
                kind="individual", country="GT", name="Not yet accepted"
            ),
        ),
    )


def test_revoking_a_defender_invitation_destroys_its_key_and_voids_the_account(desks):
    # Regression test from the round-one security review (H2).
    user, invitation, token = _prekeyed(desks)
    invitations.revoke_invitation(actor=desks.coordinator, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.wrapped_private_key is None
    assert not CaseKeyBox.objects.filter(recipient=user).exists()
    assert not CaseMember.objects.filter(user=user).exists()
    assert not User.objects.get(pk=user.pk).is_active
    with pytest.raises(AccountError):
        invitations.accept_invitation(
            invitation=invitation, token=token, password=PASSWORD, display_name=""
        )


def test_expired_defender_invitations_lose_their_key(desks):
    # Regression test from the round-one security review (H2).
    user, invitation, _token = _prekeyed(desks)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    call_command("cleanup", stdout=io.StringIO())
    assert Invitation.objects.get(pk=invitation.pk).wrapped_private_key is None
    assert not CaseKeyBox.objects.filter(recipient=user).exists()


def test_prekeyed_acceptance_checks_the_key_matches(desks):
    # Regression test from the round-one security review.
    user, invitation, token = _prekeyed(desks)
    User.objects.filter(pk=user.pk).update(public_key=bytes(32))  # someone swapped the public key
    with pytest.raises((AccountError, EnvelopeError)):
        invitations.accept_invitation(
            invitation=invitation, token=token, password=PASSWORD, display_name=""
        )


def test_only_the_newest_invitation_of_an_account_works(desks):
    # Regression test from the round-one security review (M1).
    older, older_token = invitations.invite(
        actor=desks.coordinator,
        role="caseworker",
        login=desks.caseworker.login,
        user=desks.caseworker,
    )
    newer, newer_token = invitations.invite(
        actor=desks.coordinator,
        role="caseworker",
        login=desks.caseworker.login,
        user=desks.caseworker,
    )
    older.refresh_from_db()
    assert older.revoked_at is not None
    with pytest.raises(AccountError):
        invitations.accept_invitation(
            invitation=older, token=older_token, password="attacker passphrase", display_name=""
        )
    invitations.accept_invitation(
        invitation=newer, token=newer_token, password="owner passphrase here", display_name=""
    )


def test_invitation_tokens_never_reach_the_log(desks, client):
    # Regression test from the round-one security review (M3).
    _invitation, token = invitations.invite(
        actor=desks.coordinator, role="caseworker", login="logged@test.example"
    )
    invitations.revoke_invitation(actor=desks.coordinator, invitation=_invitation)
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert client.get(f"/invitation/{token}/").status_code == 404
    assert client.get(f"/setup/{token}x/").status_code == 404
    for handler in logging.getLogger().handlers:
        handler.flush()
    log = b"".join(p.read_bytes() for p in Path(settings.LOG_DIR).glob("*"))
    assert b"/invitation/[redacted]/" in log
    assert token.encode() not in log


def test_opening_an_invitation_link_does_not_sign_anyone_out(desks, signed_in_client):
    # Regression test from the round-one security review: only submitting the form signs out.
    _invitation, token = invitations.invite(
        actor=desks.coordinator, role="caseworker", login="later@test.example"
    )
    client = signed_in_client(desks.caseworker)
    page = client.get(f"/invitation/{token}/")
    assert b"Creating this account signs you out" in page.content
    assert client.get("/account/").status_code == 200


# --- re-invitations: coordinators only, and the owner is told --------------------------------


def _reinvite_path(response) -> str:
    match = re.search(rb'value="http://testserver(/invitation/[^"]+/)"', response.content)
    assert match, response.content[:500]
    return match.group(1).decode()


def test_an_administrator_cannot_reinvite_an_existing_account(desks, signed_in_client):
    client = signed_in_client(desks.admin)
    old_public = bytes(desks.caseworker.public_key)
    staff = client.get("/staff/").content
    assert f"/staff/{desks.caseworker.pk}/reinvite/".encode() not in staff
    assert b"Ask a coordinator to give them a new invitation" in staff
    response = client.post(f"/staff/{desks.caseworker.pk}/reinvite/")
    assert response.status_code == 403
    assert b"Only a coordinator can give an existing account a new invitation" in response.content
    assert b"Ask a coordinator." in response.content
    assert not Invitation.objects.filter(user=desks.caseworker, accepted_at=None).exists()
    desks.caseworker.refresh_from_db()
    assert bytes(desks.caseworker.public_key) == old_public
    with pytest.raises(AccountError):
        invitations.invite(
            actor=desks.admin,
            role=desks.defender.role,
            login=desks.defender.login,
            user=desks.defender,
        )
    # A new account is still the administrator's to invite.
    assert _invite(client, "fresh@test.example")


def test_a_coordinator_reinvites_and_the_owner_is_told_at_the_next_sign_in(desks, signed_in_client):
    owner = desks.caseworker
    response = signed_in_client(desks.coordinator).post(f"/staff/{owner.pk}/reinvite/")
    assert response.status_code == 200
    path = _reinvite_path(response)
    today = formats.date_format(timezone.localtime(timezone.now()), "DATE_FORMAT").encode()

    # Before it is used, the owner (who can still sign in) is warned it exists.
    before = Client()
    sign_in(before, owner.login)
    page = before.get("/").content
    assert b"A new invitation for your account was made on " + today in page
    assert b"If you did not ask for it, ask a coordinator to revoke it." in page

    assert _accept(path).status_code == 302
    after = Client()
    sign_in(after, owner.login, NEW_PASSWORD)
    page = after.get("/").content
    assert b"A coordinator gave you a new invitation on " + today in page
    assert b"replaced your password and your encryption keys" in page
    assert b"restores your access with the desk&#x27;s recovery phrase" in page
    assert b"has not been used" not in page
    # Once only.
    again = Client()
    sign_in(again, owner.login, NEW_PASSWORD)
    assert b"new invitation" not in again.get("/").content


def test_a_first_invitation_brings_no_notice(desks, signed_in_client):
    path = _invite(signed_in_client(desks.coordinator))
    assert _accept(path).status_code == 302
    client = Client()
    sign_in(client, "newcomer@test.example", NEW_PASSWORD)
    assert b"new invitation" not in client.get("/").content
    assert not Invitation.objects.get(login="newcomer@test.example").replaced_keys
