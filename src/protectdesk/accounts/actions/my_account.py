"""What a signed-in person changes about their own account (the *My account* page).

The password is not only a login secret: it seals the private key that opens every case key,
so changing it re-seals that key. Signing out everywhere is the remedy for a lost phone. Both
send ``credentials_reset``: the API drops the account's tokens (each carries its own copy of
the private key, which a new password does not lock).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from protectdesk.accounts.actions._common import _sealed_key_of
from protectdesk.accounts.models import Session, User
from protectdesk.accounts.signals import credentials_reset
from protectdesk.audit.actions import record
from protectdesk.crypto import userkeys

# --- passwords, sessions, language ----------------------------------------------------------


def change_password(*, user: User, old_password: str, new_password: str) -> None:
    """Re-seal the private key under the new password; other sessions end."""
    private_key = userkeys.open_private_key(_sealed_key_of(user), old_password, str(user.id))
    validate_password(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.sealed_private_key = userkeys.seal_private_key(
            private_key, new_password, str(user.id), settings.PROTECTDESK_KDF
        )
        user.save(update_fields=["password", "sealed_private_key"])
        record("account.password_changed", actor=user, target=user)
        credentials_reset.send(sender=User, user=user, reason="password changed")


def revoke_sessions(*, user: User, keep_session_key: str | None = None) -> int:
    """Delete every session of ``user`` (except, if given, the current one)."""
    with transaction.atomic():
        sessions = Session.objects.filter(user=user)
        if keep_session_key:
            sessions = sessions.exclude(session_key=keep_session_key)
        count, _ = sessions.delete()
        record("sessions.revoked", actor=user, target=user, detail={"count": count})
        credentials_reset.send(sender=User, user=user, reason="signed out everywhere")
    return count


def set_language(*, user: User, language: str) -> None:
    if language in dict(settings.LANGUAGES) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
