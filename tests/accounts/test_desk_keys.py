"""The desk keyring (security.md Keys 6), exercised with a secret registered for the test."""

import pytest

from protectdesk.accounts import desk_keys
from protectdesk.accounts.actions import desk as desk_actions
from protectdesk.accounts.actions import invitations
from protectdesk.accounts.models import DeskSecretBox, Role
from protectdesk.cases import actions as case_actions
from protectdesk.crypto import EnvelopeError, userkeys
from tests.conftest import PASSWORD, add_user


@pytest.fixture
def intake_secret(monkeypatch, desks):
    monkeypatch.setitem(desk_keys.DESK_SECRETS, "test-intake", frozenset({Role.COORDINATOR}))
    desk_keys.create(desks.desk, "test-intake")
    return "test-intake"


def _key(user, password=PASSWORD):
    user.refresh_from_db()
    return userkeys.open_private_key(bytes(user.sealed_private_key), password, str(user.id))


def test_only_holder_roles_and_the_recovery_key_get_the_secret(desks, intake_secret):
    secret = desk_keys.open_secret(desks.coordinator, _key(desks.coordinator), intake_secret)
    assert len(secret) == 32
    for user in (desks.admin, desks.caseworker, desks.defender):
        with pytest.raises(PermissionError):
            desk_keys.open_secret(user, _key(user), intake_secret)
    assert DeskSecretBox.objects.filter(name=intake_secret, recipient=None).count() == 1


def test_a_holder_grants_it_to_a_new_coordinator(desks, intake_secret):
    desk_actions.change_role(actor=desks.admin, user=desks.caseworker2, role=Role.COORDINATOR)
    desk_keys.grant(
        actor=desks.coordinator,
        actor_private_key=_key(desks.coordinator),
        user=desks.caseworker2,
        name=intake_secret,
    )
    assert desk_keys.open_secret(
        desks.caseworker2, _key(desks.caseworker2), intake_secret
    ) == desk_keys.open_secret(desks.coordinator, _key(desks.coordinator), intake_secret)
    desk_actions.change_role(actor=desks.admin, user=desks.caseworker2, role=Role.CASEWORKER)
    assert not DeskSecretBox.objects.filter(recipient=desks.caseworker2).exists()


def test_recovery_restores_the_secret_after_a_new_password(desks, intake_secret):
    original = desk_keys.open_secret(desks.coordinator, _key(desks.coordinator), intake_secret)
    # Re-inviting an existing account takes a coordinator (an administrator is refused).
    colleague = add_user(desks.coordinator, Role.COORDINATOR, "coordinator2@test.example", "C2")
    invitation, token = invitations.invite(
        actor=colleague,
        role=Role.COORDINATOR,
        login=desks.coordinator.login,
        user=desks.coordinator,
    )
    invitations.accept_invitation(
        invitation=invitation, token=token, password="new coordinator passphrase", display_name="C"
    )
    with pytest.raises(PermissionError):
        desk_keys.open_secret(
            desks.coordinator, _key(desks.coordinator, "new coordinator passphrase"), intake_secret
        )
    case_actions.restore_access(
        actor=desks.admin, phrase=desks.recovery_phrase, user=desks.coordinator
    )
    assert (
        desk_keys.open_secret(
            desks.coordinator, _key(desks.coordinator, "new coordinator passphrase"), intake_secret
        )
        == original
    )


def test_a_box_moved_to_another_name_does_not_open(desks, intake_secret, monkeypatch):
    monkeypatch.setitem(desk_keys.DESK_SECRETS, "other", frozenset({Role.COORDINATOR}))
    DeskSecretBox.objects.filter(name=intake_secret).update(name="other")
    with pytest.raises(EnvelopeError):
        desk_keys.open_secret(desks.coordinator, _key(desks.coordinator), "other")


def test_the_intake_key_is_the_one_secret_and_it_is_given_one_by_one():
    # security.md Keys 6: "first: none; later the intake key".
    assert {"intake": frozenset({Role.COORDINATOR, Role.CASEWORKER})} == desk_keys.DESK_SECRETS
    assert {"intake"} == desk_keys.GIVEN_ONE_BY_ONE


def test_a_secret_given_one_by_one_is_restored_only_to_an_account_that_held_it(desks):
    from protectdesk.intake import actions as intake

    intake.open_door(actor=desks.coordinator)
    for user in (desks.caseworker, desks.caseworker2):
        invitation, token = invitations.invite(
            actor=desks.coordinator, role=Role.CASEWORKER, login=user.login, user=user
        )
        invitations.accept_invitation(
            invitation=invitation, token=token, password="a new passphrase here", display_name="C"
        )
    intake.give_key(keyring=_keyring(desks.coordinator), user_ids=[])
    DeskSecretBox.objects.create(  # caseworker held it (a box sealed to their old key)
        desk=desks.desk,
        name="intake",
        version=1,
        recipient=desks.caseworker,
        sealed=b"sealed to the replaced keypair",
    )
    for user in (desks.caseworker, desks.caseworker2):
        case_actions.restore_access(actor=desks.admin, phrase=desks.recovery_phrase, user=user)
    assert desk_keys.holds(desks.caseworker, "intake")
    assert (
        len(
            desk_keys.open_secret(
                desks.caseworker, _key(desks.caseworker, "a new passphrase here"), "intake"
            )
        )
        == 32
    )
    assert not desk_keys.holds(desks.caseworker2, "intake")


def _keyring(user):
    from tests.conftest import keyring_of

    return keyring_of(user)


def test_every_write_of_the_desk_keyring_is_audited_without_the_secret(desks, intake_secret):
    from protectdesk.audit.models import AuditEntry

    desk_actions.change_role(actor=desks.admin, user=desks.caseworker2, role=Role.COORDINATOR)
    desk_keys.grant(
        actor=desks.coordinator,
        actor_private_key=_key(desks.coordinator),
        user=desks.caseworker2,
        name=intake_secret,
    )
    actions = list(
        AuditEntry.objects.filter(action__startswith="desk_secret.").values_list(
            "action", flat=True
        )
    )
    assert actions[:2] == ["desk_secret.created", "desk_secret.granted"]
    secret = desk_keys.open_secret(desks.coordinator, _key(desks.coordinator), intake_secret)
    details = repr(list(AuditEntry.objects.values_list("detail", flat=True)))
    assert secret.hex() not in details and repr(secret) not in details
