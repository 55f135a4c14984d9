"""Invitations: the only way an account comes to exist or gets its access back.

A one-time link is handed over in person or over a trusted channel (no e-mail is ever sent);
the invitee chooses the password that seals their private key, so nobody else ever knows it.
A pre-keyed invitation carries a keypair made by the inviter (a defender's account, already
a case member), wrapped under a key derived from the link's token; closing such an invitation
destroys that wrapped key.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from protectdesk.accounts.actions._common import _give_keypair, _require_manager
from protectdesk.accounts.actions.errors import AccountError
from protectdesk.accounts.models import (
    STAFF_ROLES,
    TEAM_ROLES,
    DeskSecretBox,
    Invitation,
    Role,
    Session,
    User,
    normalise_login,
)
from protectdesk.accounts.signals import account_voided, keypair_replaced
from protectdesk.audit.actions import record
from protectdesk.crypto import kdf, userkeys, wrap
from protectdesk.lib.server_keys import digest


def _require_manager_or_caseworker(actor: User) -> None:
    if actor.role not in STAFF_ROLES:
        raise PermissionError("only staff invite")


def invitation_token_digest(token: str) -> bytes:
    return digest("pd-invitation", token)


def invite(
    *,
    actor: User,
    role: str,
    login: str,
    display_name: str = "",
    user: User | None = None,
) -> tuple[Invitation, str]:
    """Create a one-time invitation; returns it and the token to hand over (shown once).

    An invitation for an existing account (``user``) needs a coordinator: accepting it replaces
    the account's password and keys, which shuts its owner out of their cases until their
    access is restored with the recovery phrase, so an administrator alone must not do it.
    """
    _require_manager(actor)
    if user is not None and actor.role != Role.COORDINATOR:
        raise AccountError(
            _(
                "Only a coordinator can give an existing account a new invitation, because "
                "accepting it replaces the person's keys and shuts them out of their cases "
                "until their access is restored. Ask a coordinator."
            )
        )
    login = normalise_login(login)
    if user is None:
        if role not in TEAM_ROLES and role != Role.DEFENDER:
            raise AccountError(_("Unknown role."))
        if User.objects.filter(login=login).exists():
            raise AccountError(_("An account with this e-mail or handle already exists."))
        if Invitation.objects.filter(
            login=login, accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
        ).exists():
            raise AccountError(_("An open invitation for this e-mail or handle already exists."))
    elif user.desk_id != actor.desk_id:
        raise AccountError(_("This account belongs to another desk."))
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        if user is not None:
            _close_other_invitations(user)  # only the newest link for an account works
        invitation = Invitation.objects.create(
            desk_id=actor.desk_id,
            role=user.role if user else role,
            login=user.login if user else login,
            display_name=user.display_name if user else display_name,
            user=user,
            token_digest=invitation_token_digest(token),
            created_by=actor,
            expires_at=timezone.now() + Invitation.default_expiry(),
        )
        record(
            "invitation.created",
            actor=actor,
            target=invitation,
            detail={"role": invitation.role, "for_existing_account": user is not None},
        )
    return invitation, token


def invitation_key(token: str) -> bytes:
    """The key a pre-keyed invitation's private key is wrapped under: derived from the token."""
    return kdf.subkey(token.encode("ascii"), "pd-invite-key")


def _invitation_context(invitation: Invitation) -> str:
    return f"invitation-private-key:{invitation.id}:{invitation.user_id}"


def prekeyed_invitation(*, actor: User, user: User, private_key: bytes) -> tuple[Invitation, str]:
    """An invitation for an account whose keypair already exists (made by the inviter).

    Used for defender accounts: the inviting case member creates the account and its keypair,
    seals the case's shared key to it, and hands over the link; the private key travels only
    as this wrapped blob, openable with the link's token.
    """
    _require_manager_or_caseworker(actor)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation(
            desk_id=actor.desk_id,
            role=user.role,
            login=user.login,
            user=user,
            token_digest=invitation_token_digest(token),
            created_by=actor,
            expires_at=timezone.now() + Invitation.default_expiry(),
        )
        invitation.wrapped_private_key = wrap.wrap(
            invitation_key(token), private_key, _invitation_context(invitation)
        )
        invitation.save()
        record(
            "invitation.created",
            actor=actor,
            target=invitation,
            detail={"role": user.role, "prekeyed": True},
        )
    return invitation, token


def revoke_invitation(*, actor: User, invitation: Invitation) -> None:
    _require_manager(actor)
    with transaction.atomic():
        _close(invitation, revoked=True)
        record("invitation.revoked", actor=actor, target=invitation)


def _close(invitation: Invitation, *, revoked: bool) -> None:
    """Close an invitation for good; a pre-keyed one also loses its wrapped private key, and its
    account, if nobody ever accepted it, is voided (no keys, no case membership)."""
    if revoked and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
    prekeyed = invitation.wrapped_private_key is not None
    invitation.wrapped_private_key = None
    invitation.save(update_fields=["revoked_at", "wrapped_private_key"])
    user = invitation.user
    if prekeyed and user is not None and user.sealed_private_key is None:
        User.objects.filter(pk=user.pk).update(is_active=False, public_key=None)
        account_voided.send(sender=User, user=user)


def _close_other_invitations(user: User, keep: Invitation | None = None) -> None:
    others = Invitation.objects.filter(user=user, accepted_at=None, revoked_at=None)
    if keep is not None:
        others = others.exclude(pk=keep.pk)
    for other in others:
        _close(other, revoked=True)


def expire_invitations() -> int:
    """Destroy the wrapped keys of expired, unused invitations (and void their accounts)."""
    expired = Invitation.objects.filter(
        accepted_at=None, expires_at__lte=timezone.now(), wrapped_private_key__isnull=False
    ).select_related("user")
    count = 0
    with transaction.atomic():
        for invitation in expired:
            _close(invitation, revoked=False)
            count += 1
    return count


def accept_invitation(
    *, invitation: Invitation, token: str, password: str, display_name: str
) -> User:
    """The invitee chooses a password, which from now on seals their private key.

    * a new account gets a fresh keypair;
    * a pre-keyed invitation (a defender account, already a case member) keeps the keypair made
      when inviting: its private key is unwrapped with the token and sealed under the password;
    * an existing account (a re-invitation after a lost password) gets a new keypair: case keys
      sealed to the old one are useless until a coordinator restores them with the recovery
      phrase, and the ``keypair_replaced`` signal lets the cases app delete them.
    """
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_open:
            raise AccountError(
                _("This invitation has already been used, has been revoked or has expired.")
            )
        user = invitation.user or User(
            desk_id=invitation.desk_id, role=invitation.role, login=invitation.login
        )
        if user.role != Role.DEFENDER:
            user.display_name = display_name or invitation.display_name
        validate_password(password, user)
        user.set_password(password)
        replaced = False
        if invitation.wrapped_private_key is not None:
            private_key = wrap.unwrap(
                invitation_key(token),
                bytes(invitation.wrapped_private_key),
                _invitation_context(invitation),
            )
            if userkeys.public_key_of(private_key) != bytes(user.public_key or b""):
                raise AccountError(
                    _("This invitation has already been used, has been revoked or has expired.")
                )
            user.sealed_private_key = userkeys.seal_private_key(
                private_key, password, str(user.id), settings.PROTECTDESK_KDF
            )
        else:
            replaced = user.has_keypair
            _give_keypair(user, password)
        user.is_active = True
        user.save()
        invitation.accepted_at = timezone.now()
        invitation.user = user
        invitation.wrapped_private_key = None
        invitation.replaced_keys = replaced  # its owner is told at their next sign-in
        invitation.save(
            update_fields=["accepted_at", "user", "wrapped_private_key", "replaced_keys"]
        )
        _close_other_invitations(user, keep=invitation)
        Session.objects.filter(user=user).delete()
        if replaced:
            DeskSecretBox.objects.filter(recipient=user).delete()
            keypair_replaced.send(sender=User, user=user)
        record("invitation.accepted", actor=user, target=invitation)
        record("account.keypair_created", actor=user, target=user)
    return user


def new_defender_handle() -> str:
    """A generated login handle for a defender account: no name, nothing identifying."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    while True:
        handle = (
            "d-"
            + "".join(secrets.choice(alphabet) for _ in range(4))
            + "-"
            + "".join(secrets.choice(alphabet) for _ in range(4))
        )
        if not User.objects.filter(login=handle).exists():
            return handle
