"""Signing in: opening the private key with the password, and the sign-in events.

The throttle (delays per typed name, the way through them with a second factor) is in
``throttle``. A successful sign-in also gives older accounts their keypair, or re-seals it with
the current Argon2id parameters, and collects what the owner must be told.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from protectdesk.accounts.actions import throttle
from protectdesk.accounts.actions._common import _give_keypair, _sealed_key_of
from protectdesk.accounts.models import Invitation, Session, User
from protectdesk.audit.actions import record
from protectdesk.crypto import userkeys

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


# --- sign-in events ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SignInNotices:
    """What the account's owner is told once they are signed in (see ``notices.py``)."""

    #: failed attempts on their name since their last sign-in (shown once, then cleared)
    failed_attempts: throttle.FailedAttempts | None = None
    #: a re-invitation they accepted, which replaced their keys (shown once)
    keys_replaced: Invitation | None = None
    #: an unused re-invitation of their account: whoever accepts it replaces their keys
    open_reinvitation: Invitation | None = None


def clear_expired_sessions() -> int:
    """Delete sessions past their idle expiry (and the wrapped keys they hold)."""
    count, _ = Session.objects.filter(expire_date__lte=timezone.now()).delete()
    return count


def note_login(user: User) -> SignInNotices:
    """A completed sign-in: audit it, start the failure count again, collect the notices."""
    clear_expired_sessions()
    now = timezone.now()
    with transaction.atomic():
        failed = throttle.take_failed_attempts(user)
        untold = Invitation.objects.filter(
            user=user, replaced_keys=True, owner_told_at=None, accepted_at__isnull=False
        )
        replaced = untold.order_by("-accepted_at").first()
        untold.update(owner_told_at=now)
        pending = (
            Invitation.objects.filter(
                user=user,
                accepted_at=None,
                revoked_at=None,
                expires_at__gt=now,
                wrapped_private_key__isnull=True,
            )
            .order_by("-created_at")
            .first()
        )
        User.objects.filter(pk=user.pk).update(last_login=now)
        record("login.succeeded", actor=user, target=user)
    return SignInNotices(failed, replaced, pending)


def note_unlock(user: User, attempt: throttle.Attempt) -> None:
    with transaction.atomic():
        throttle.refund_attempt(attempt)
        record("login.unlocked", actor=user, target=user)


def note_second_factor_failure(user: User) -> None:
    record("login.second_factor_failed", actor=user, target=user)


def note_logout(user: User) -> None:
    record("logout", actor=user, target=user)
