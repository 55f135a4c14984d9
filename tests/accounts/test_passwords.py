"""Password hashing and policy; changing the password re-seals the private key only."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.test.utils import override_settings

from protectdesk.accounts.actions import throttle
from protectdesk.accounts.hashers import ProtectDeskArgon2Hasher
from protectdesk.crypto import WrongPassword, userkeys
from tests.conftest import PASSWORD, sign_in


def test_production_hasher_parameters_are_pinned():
    from protectdesk import settings as production

    assert production.PASSWORD_HASHERS == ["protectdesk.accounts.hashers.ProtectDeskArgon2Hasher"]
    hasher = ProtectDeskArgon2Hasher()
    assert (hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (3, 65536, 4)
    assert (
        production.PROTECTDESK_KDF.memlimit == 64 * 1024 * 1024
        and production.PROTECTDESK_KDF.opslimit == 3
    )


@override_settings(PASSWORD_HASHERS=["protectdesk.accounts.hashers.ProtectDeskArgon2Hasher"])
def test_production_hasher_produces_argon2id_with_those_parameters():
    encoded = ProtectDeskArgon2Hasher().encode(
        "a long passphrase", ProtectDeskArgon2Hasher().salt()
    )
    assert encoded.startswith("argon2$argon2id$v=19$m=65536,t=3,p=4$")


def test_policy_is_length_and_common_list_without_composition_rules(desks):
    for weak in [
        "short",
        "password1234",
        "qwertyuiopasdf",
        "Contraseña2024",
        "motdepasse123",
        "aaaaaaaaaaaaaa",
        "abababababab",
    ]:
        try:
            validate_password(weak, desks.caseworker)
        except ValidationError:
            continue
        raise AssertionError(f"{weak!r} should be refused")
    validate_password("lowercase words only here", desks.caseworker)


def test_change_password_reseals_the_same_private_key(desks, client):
    sign_in(client, desks.caseworker.login)
    before = userkeys.open_private_key(
        bytes(desks.caseworker.sealed_private_key), PASSWORD, str(desks.caseworker.id)
    )
    public_before = bytes(desks.caseworker.public_key)
    new = "another long passphrase"
    response = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password": new, "new_password_again": new},
    )
    assert response.status_code == 302
    desks.caseworker.refresh_from_db()
    assert bytes(desks.caseworker.public_key) == public_before
    assert (
        userkeys.open_private_key(
            bytes(desks.caseworker.sealed_private_key), new, str(desks.caseworker.id)
        )
        == before
    )
    try:
        userkeys.open_private_key(
            bytes(desks.caseworker.sealed_private_key), PASSWORD, str(desks.caseworker.id)
        )
    except WrongPassword:
        pass
    else:
        raise AssertionError("the old password must no longer open the key")
    sign_in(Client(), desks.caseworker.login, new)


def test_wrong_current_password_changes_nothing(desks, client):
    sign_in(client, desks.caseworker.login)
    sealed = bytes(desks.caseworker.sealed_private_key)
    response = client.post(
        "/account/password/",
        {"old_password": "not it at all", "new_password": "x" * 14, "new_password_again": "x" * 14},
    )
    assert response.status_code == 400 and b"This password is not right" in response.content
    desks.caseworker.refresh_from_db()
    assert bytes(desks.caseworker.sealed_private_key) == sealed


def test_old_password_guesses_are_throttled(desks, signed_in_client):
    # Regression test from the round-one security review: wrong current passwords count like
    # failed sign-ins, so the change form cannot be used to guess the password.
    client = signed_in_client(desks.caseworker)
    for _ in range(throttle.free_failures() + 1):  # the free ones, then one that starts a delay
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
    assert b"Too many failed sign-in attempts" in response.content
    assert b"and try again." in response.content
