"""Helpers the account actions share across concepts; private to this package.

Who may manage accounts, and how an account's private key is made and sealed under its
password, must be the same rule wherever a desk is created, an invitation accepted or a
password changed, so each lives here once.
"""

from __future__ import annotations

from django.conf import settings

from protectdesk.accounts.models import ACCOUNT_MANAGERS, User
from protectdesk.crypto import userkeys


def _require_manager(actor: User) -> None:
    if actor.role not in ACCOUNT_MANAGERS:
        raise PermissionError("only administrators and coordinators manage accounts")


def _give_keypair(user: User, password: str) -> bytes:
    keys = userkeys.generate_keypair()
    user.public_key = keys.public_key
    user.sealed_private_key = userkeys.seal_private_key(
        keys.private_key, password, str(user.id), settings.PROTECTDESK_KDF
    )
    return keys.private_key


def _sealed_key_of(user: User) -> bytes:
    if user.sealed_private_key is None:
        raise PermissionError("this account has no keys yet; it gets them at its next sign-in")
    return bytes(user.sealed_private_key)
