"""Regression tests for the findings of the security review (see docs/security.md)."""

import io
import logging
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from protectdesk.accounts.actions import invitations
from protectdesk.accounts.actions.errors import AccountError
from protectdesk.accounts.models import Invitation, Session, User
from protectdesk.cases import actions as case_actions
from protectdesk.crypto import EnvelopeError
from protectdesk.records.models import CaseKeyBox, CaseMember
from tests.conftest import PASSWORD, keyring_of, sign_in


def _prekeyed(desks):
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
    user, invitation, _token = _prekeyed(desks)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    call_command("cleanup", stdout=io.StringIO())
    assert Invitation.objects.get(pk=invitation.pk).wrapped_private_key is None
    assert not CaseKeyBox.objects.filter(recipient=user).exists()


def test_only_the_newest_invitation_of_an_account_works(desks):
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


def test_expired_sessions_are_deleted_with_their_keys(desks):
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


def test_the_recovery_phrase_is_never_echoed_back(desks, signed_in_client):
    client = signed_in_client(desks.coordinator)
    page = client.post(
        f"/cases/recovery/{desks.caseworker2.pk}/", {"phrase": desks.recovery_phrase}
    )
    assert desks.recovery_phrase.encode() not in page.content


def test_old_password_guesses_are_throttled(desks, signed_in_client, settings):
    client = signed_in_client(desks.caseworker)
    for _ in range(settings.PROTECTDESK_LOGIN_FAILURE_LIMIT):
        client.post(
            "/account/password/",
            {
                "old_password": "guess guess guess",
                "new_password": "x" * 14,
                "new_password_again": "x" * 14,
            },
        )
    response = client.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password": "a new passphrase",
            "new_password_again": "a new passphrase",
        },
    )
    assert b"Too many failed attempts" in response.content


def test_two_factor_changes_need_the_password(desks, signed_in_client):
    from tests.accounts.test_two_factor import _enrol

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
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert TOTPDevice.objects.filter(user=desks.caseworker).exists()
    client.post("/account/two-factor/remove/", {"password": PASSWORD})
    assert not TOTPDevice.objects.filter(user=desks.caseworker).exists()


def test_opening_an_invitation_link_does_not_sign_anyone_out(desks, signed_in_client):
    _invitation, token = invitations.invite(
        actor=desks.coordinator, role="caseworker", login="later@test.example"
    )
    client = signed_in_client(desks.caseworker)
    page = client.get(f"/invitation/{token}/")
    assert b"Creating this account signs you out" in page.content
    assert client.get("/account/").status_code == 200


def test_defender_does_not_see_the_staff_attribution(desks, signed_in_client):
    from protectdesk.incidents.actions import PerpetratorEntry
    from tests.incidents.helpers import log_incident_with

    incident = log_incident_with(
        desks.caseworker,
        desks.case,
        perpetrators=(
            PerpetratorEntry(
                new_actor_type="state_intelligence", new_actor_name="Unit X", confidence="likely"
            ),
        ),
        analysis="staff reasoning",
    )
    page = (
        signed_in_client(desks.defender)
        .get(f"/cases/{desks.case.id}/incidents/{incident.id}/")
        .content
    )
    assert b"Intelligence agency" not in page and b"Likely" not in page and b"Analysed" not in page


def test_prekeyed_acceptance_checks_the_key_matches(desks):
    user, invitation, token = _prekeyed(desks)
    User.objects.filter(pk=user.pk).update(public_key=bytes(32))  # someone swapped the public key
    with pytest.raises((AccountError, EnvelopeError)):
        invitations.accept_invitation(
            invitation=invitation, token=token, password=PASSWORD, display_name=""
        )
