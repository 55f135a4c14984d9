"""Reads about accounts that views share, always scoped to what the caller may see."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from protectdesk.accounts.actions import throttle
from protectdesk.accounts.actions.invitations import invitation_token_digest
from protectdesk.accounts.models import Invitation, RecoveryCode, User


def lock_colleagues(
    desk_id: uuid.UUID, user_ids: Iterable[uuid.UUID], roles: Iterable[str]
) -> list[User]:
    """The accounts of ``user_ids`` that are active colleagues of the desk in ``roles`` with a
    keypair, each row locked (call inside a transaction), in a fixed order: what a holder of
    a key checks again before sealing it to them, so a role change or a deactivation at the
    same moment cannot slip an account in."""
    return list(
        User.objects.select_for_update()
        .filter(pk__in=list(user_ids), desk_id=desk_id, role__in=list(roles), is_active=True)
        .exclude(public_key=None)
        .exclude(sealed_private_key=None)
        .order_by("pk")
    )


def find_invitation(token: str) -> Invitation | None:
    """The open invitation for ``token``, if any (a read, kept here beside its writer)."""
    if not token or len(token) > 100:
        return None
    invitation = (
        Invitation.objects.select_related("desk", "user")
        .filter(token_digest=invitation_token_digest(token))
        .first()
    )
    return invitation if invitation and invitation.is_open else None


def accounts_under_attack(accounts: list[User]) -> dict[uuid.UUID, throttle.FailedAttempts]:
    """Of ``accounts`` (the viewer's desk), those with repeated failed sign-ins since their last
    sign-in: a count and the last time, nothing about who tried."""
    return throttle.failed_attempts_of(accounts)


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def unused_recovery_code_count(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at=None).count()


def desk_accounts(viewer: User) -> list[User]:
    """Every account of the viewer's desk (account managers only call this)."""
    return list(
        User.objects.filter(desk_id=viewer.desk_id).order_by("role", "display_name", "login")
    )


def open_invitations(viewer: User) -> list[Invitation]:
    return [
        invitation
        for invitation in Invitation.objects.filter(
            desk_id=viewer.desk_id, accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
        ).select_related("created_by")
    ]


def desk_account(viewer: User, user_id: uuid.UUID | str) -> User | None:
    return User.objects.filter(desk_id=viewer.desk_id, pk=user_id).first()


def has_confirmed_totp(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def users_with_totp(users: list[User]) -> set[object]:
    """Ids of the given users who have a confirmed authenticator (one query)."""
    return set(
        TOTPDevice.objects.filter(user__in=users, confirmed=True).values_list("user_id", flat=True)
    )
