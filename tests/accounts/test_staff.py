"""Staff management by administrators and coordinators."""

from protectdesk.accounts.models import Role, Session, User
from protectdesk.audit.models import AuditEntry


def test_role_change_is_audited(desks, signed_in_client):
    client = signed_in_client(desks.admin)
    response = client.post(f"/staff/{desks.caseworker.pk}/role/", {"role": Role.COORDINATOR})
    assert response.status_code == 302
    assert User.objects.get(pk=desks.caseworker.pk).role == Role.COORDINATOR
    entry = AuditEntry.objects.filter(action="account.role_changed").latest("seq")
    assert entry.detail == {"from": "caseworker", "to": "coordinator"}
    assert entry.actor_id == desks.admin.id


def test_the_last_manager_cannot_be_demoted_or_deactivated(db):
    from django.test import Client

    from tests.conftest import make_desk, sign_in

    desk, coordinator, _ = make_desk("Solo", "SO", "solo@test.example")
    client = Client()
    sign_in(client, coordinator.login)
    other = User.objects.create(desk=desk, role=Role.ADMIN, login="x@test.example", is_active=False)
    response = client.post(f"/staff/{other.pk}/role/", {"role": Role.CASEWORKER})
    assert User.objects.get(pk=coordinator.pk).role == Role.COORDINATOR
    assert response.status_code == 302


def test_deactivation_signs_the_account_out(desks, signed_in_client):
    victim = signed_in_client(desks.caseworker)
    assert Session.objects.filter(user=desks.caseworker).exists()
    admin = signed_in_client(desks.admin)
    admin.post(f"/staff/{desks.caseworker.pk}/active/", {"active": "0"})
    assert not User.objects.get(pk=desks.caseworker.pk).is_active
    assert not Session.objects.filter(user=desks.caseworker).exists()
    assert victim.get("/").status_code == 302


def test_accounts_of_another_desk_are_invisible(desks, signed_in_client):
    client = signed_in_client(desks.outsider)
    assert (
        client.post(f"/staff/{desks.caseworker.pk}/role/", {"role": Role.COORDINATOR}).status_code
        == 404
    )
    assert client.post(f"/staff/{desks.caseworker.pk}/active/", {"active": "0"}).status_code == 404
    assert desks.caseworker.login.encode() not in client.get("/staff/").content


def test_desk_settings(desks, signed_in_client):
    client = signed_in_client(desks.coordinator)
    bad = client.post("/desk/", {"name": "", "languages": []})
    assert bad.status_code == 400
    response = client.post(
        "/desk/", {"name": "Renamed Desk", "require_staff_2fa": "on", "languages": ["en", "pt"]}
    )
    assert response.status_code == 302
    desks.desk.refresh_from_db()
    assert (
        desks.desk.name == "Renamed Desk"
        and desks.desk.require_staff_2fa
        and desks.desk.languages == ["en", "pt"]
    )
    # Turning the 2FA rule on signs out staff who have not verified a second factor (themselves too).
    assert client.get("/").status_code == 302
