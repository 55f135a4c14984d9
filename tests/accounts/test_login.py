"""Sign-in: one field for e-mail or handle, generic errors, audit rows without names."""

from django.test import Client

from protectdesk.accounts.models import User
from protectdesk.audit.models import AuditEntry
from tests.conftest import PASSWORD, sign_in


def test_staff_sign_in_with_email_in_any_case(desks, client):
    sign_in(client, "  CaseWorker@Test.Example ")
    assert client.get("/").status_code == 200


def test_defender_signs_in_with_handle(desks, client):
    sign_in(client, desks.defender.login)
    assert b"My protection" in client.get("/").content


def test_wrong_password_is_refused_with_a_generic_message(desks, client):
    response = client.post(
        "/login/", {"login": "caseworker@test.example", "password": "not the password"}
    )
    assert response.status_code == 200
    assert b"do not match an active account" in response.content
    assert client.get("/").status_code == 302


def test_unknown_name_gets_the_same_message(desks, client):
    response = client.post(
        "/login/", {"login": "nobody@test.example", "password": "whatever it is"}
    )
    assert b"do not match an active account" in response.content


def test_failed_sign_in_audits_a_keyed_digest_not_the_name(desks, client):
    client.post("/login/", {"login": "typo-name@test.example", "password": "x" * 12})
    entry = AuditEntry.objects.filter(action="login.failed").latest("seq")
    assert entry.actor_id is None
    assert "typo-name" not in str(entry.detail)
    assert len(entry.detail["name_digest"]) == 32


def test_successful_sign_in_is_audited(desks, client):
    sign_in(client, "caseworker@test.example")
    entry = AuditEntry.objects.filter(action="login.succeeded").latest("seq")
    assert entry.actor_id == desks.caseworker.id


def test_deactivated_account_cannot_sign_in(desks, client):
    User.objects.filter(pk=desks.caseworker.pk).update(is_active=False)
    response = client.post("/login/", {"login": "caseworker@test.example", "password": PASSWORD})
    assert response.status_code == 200
    assert b"do not match an active account" in response.content


def test_next_parameter_only_follows_local_urls(desks):
    client = Client()
    response = client.post(
        "/login/?next=/account/",
        {"login": desks.caseworker.login, "password": PASSWORD, "next": "/account/"},
    )
    assert response["Location"] == "/account/"
    client = Client()
    response = client.post(
        "/login/",
        {"login": desks.caseworker.login, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_users_created_before_keys_get_a_keypair_at_next_login(desks, client):
    User.objects.filter(pk=desks.caseworker.pk).update(public_key=None, sealed_private_key=None)
    sign_in(client, desks.caseworker.login)
    desks.caseworker.refresh_from_db()
    assert desks.caseworker.has_keypair
    assert (
        AuditEntry.objects.filter(
            action="account.keypair_created", actor_id=desks.caseworker.id
        ).count()
        == 2
    )
