"""A desk and one coordinator with an unlocked keyring, created through the real actions."""

from __future__ import annotations

from typing import Any


def bench_user(
    login: str,
    prefix: str,
    password: str = "benchmark passphrase",  # noqa: S107 - fictional
) -> tuple[Any, bytes, Any]:
    """(the coordinator, their private key, their keyring) on a fresh desk."""
    from protectdesk.accounts import actions
    from protectdesk.crypto import userkeys
    from protectdesk.records.keyring import Keyring

    created = actions.create_desk(
        name=f"Bench {prefix}",
        country="GT",
        languages=["en"],
        reference_prefix=prefix,
        require_staff_2fa=False,
        coordinator_login=login,
        coordinator_name="Bench",
        coordinator_password=password,
    )
    user = created.coordinator
    private_key = userkeys.open_private_key(bytes(user.sealed_private_key), password, str(user.id))
    return user, private_key, Keyring(user, private_key)
