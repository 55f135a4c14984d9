"""Signing in: opening the private key with the password, and throttling the attempts.

Attempts are counted per typed name, by its keyed digest, before the password is checked, so
parallel requests cannot try more passwords than the limit; the audit log records the digest,
never the name. A successful sign-in also gives older accounts their keypair, or re-seals it
with the current Argon2id parameters.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from protectdesk.accounts.actions._common import _give_keypair, _sealed_key_of
from protectdesk.accounts.models import LoginThrottle, Session, User, normalise_login
from protectdesk.audit.actions import record
from protectdesk.crypto import userkeys
from protectdesk.lib.server_keys import digest

# --- the private key, opened at sign-in -----------------------------------------------------


def unlock_private_key(user: User, password: str) -> bytes:
    """Open the user's private key with their password, creating or upgrading it if needed.

    Users created before keys existed get their keypair here, at their next login; a key sealed
    with older Argon2id parameters is re-sealed with the current ones.
    """
    if not user.has_keypair:
        with transaction.atomic():
            private_key = _give_keypair(user, password)
            user.save(update_fields=["public_key", "sealed_private_key"])
            record("account.keypair_created", actor=user, target=user)
        return private_key
    blob = _sealed_key_of(user)
    private_key = userkeys.open_private_key(blob, password, str(user.id))
    if userkeys.kdf_params_of(blob) != settings.PROTECTDESK_KDF:
        user.sealed_private_key = userkeys.seal_private_key(
            private_key, password, str(user.id), settings.PROTECTDESK_KDF
        )
        user.save(update_fields=["sealed_private_key"])
    return private_key


# --- sign-in events and throttling ----------------------------------------------------------


def login_name_digest(typed: str) -> bytes:
    return digest("pd-login-name", normalise_login(typed))


def begin_attempt(typed: str) -> bool:
    """Count a sign-in attempt for the typed name *before* the password is checked.

    Returns False when the name is locked (or this attempt goes over the limit), so parallel
    requests cannot try more passwords than the limit allows. A success deletes the count.
    """
    name_digest = login_name_digest(typed)
    now = timezone.now()
    cooloff = timedelta(minutes=settings.PROTECTDESK_LOGIN_COOLOFF_MINUTES)
    with transaction.atomic():
        row, created = LoginThrottle.objects.select_for_update().get_or_create(
            name_digest=name_digest, defaults={"failures": 0}
        )
        if row.locked_until and row.locked_until > now:
            return False
        if not created and row.last_failure_at < now - cooloff:
            row.failures = 0  # failures older than the cool-off are forgiven
        if row.failures >= settings.PROTECTDESK_LOGIN_FAILURE_LIMIT:
            _lock(row, now, cooloff)
            return False
        row.failures += 1
        row.last_failure_at = now
        row.save()
    return True


def _lock(row: LoginThrottle, now: Any, cooloff: timedelta) -> None:
    row.locked_until = now + cooloff
    row.failures = 0
    row.save()
    record("login.locked", actor=None, detail={"name_digest": bytes(row.name_digest).hex()[:32]})


def note_login_failure(typed: str) -> bool:
    """Audit a failed attempt (already counted); returns True if the name is now locked."""
    name_digest = login_name_digest(typed)
    now = timezone.now()
    cooloff = timedelta(minutes=settings.PROTECTDESK_LOGIN_COOLOFF_MINUTES)
    with transaction.atomic():
        record("login.failed", actor=None, detail={"name_digest": name_digest.hex()[:32]})
        row = LoginThrottle.objects.select_for_update().filter(name_digest=name_digest).first()
        if row is not None and row.failures >= settings.PROTECTDESK_LOGIN_FAILURE_LIMIT:
            _lock(row, now, cooloff)
            return True
    return False


def clear_expired_sessions() -> int:
    """Delete sessions past their idle expiry (and the wrapped keys they hold)."""
    count, _ = Session.objects.filter(expire_date__lte=timezone.now()).delete()
    return count


def note_login(user: User) -> None:
    clear_expired_sessions()
    with transaction.atomic():
        LoginThrottle.objects.filter(name_digest=login_name_digest(user.login)).delete()
        User.objects.filter(pk=user.pk).update(last_login=timezone.now())
        record("login.succeeded", actor=user, target=user)


def clear_attempts(typed: str) -> None:
    LoginThrottle.objects.filter(name_digest=login_name_digest(typed)).delete()


def note_unlock(user: User) -> None:
    with transaction.atomic():
        LoginThrottle.objects.filter(name_digest=login_name_digest(user.login)).delete()
        record("login.unlocked", actor=user, target=user)


def note_second_factor_failure(user: User) -> None:
    record("login.second_factor_failed", actor=user, target=user)


def note_logout(user: User) -> None:
    record("logout", actor=user, target=user)
