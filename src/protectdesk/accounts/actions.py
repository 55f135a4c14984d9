"""Every write to accounts and desks, each with its audit entry, in one transaction.

Views and commands call these; they never save account models themselves.
"""

from __future__ import annotations

import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from protectdesk.accounts import desk_keys
from protectdesk.accounts.models import (
    ACCOUNT_MANAGERS,
    STAFF_ROLES,
    Desk,
    DeskSecretBox,
    Invitation,
    LoginThrottle,
    RecoveryCode,
    Role,
    Session,
    User,
    normalise_login,
)
from protectdesk.accounts.signals import account_voided, keypair_replaced
from protectdesk.audit.actions import record
from protectdesk.crypto import kdf, recovery, userkeys, wrap
from protectdesk.lib.server_keys import digest


class AccountError(Exception):
    """A request the rules refuse; ``message`` is translated and safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- desks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewDesk:
    desk: Desk
    coordinator: User
    recovery_phrase: str


def create_desk(
    *,
    name: str,
    country: str,
    languages: list[str],
    reference_prefix: str,
    require_staff_2fa: bool,
    coordinator_login: str,
    coordinator_name: str,
    coordinator_password: str,
) -> NewDesk:
    """Create a desk, its recovery keypair and its first coordinator.

    The recovery private key is returned once, as a phrase, and never stored.
    """
    recovery_keys = userkeys.generate_keypair()
    with transaction.atomic():
        desk = Desk.objects.create(
            name=name,
            country=country.upper(),
            languages=languages,
            reference_prefix=reference_prefix.upper(),
            require_staff_2fa=require_staff_2fa,
            recovery_public_key=recovery_keys.public_key,
        )
        coordinator = User(
            desk=desk,
            role=Role.COORDINATOR,
            login=normalise_login(coordinator_login),
            display_name=coordinator_name,
        )
        validate_password(coordinator_password, coordinator)
        coordinator.set_password(coordinator_password)
        _give_keypair(coordinator, coordinator_password)
        coordinator.save()
        record("desk.created", actor=coordinator, target=desk)
        record("account.keypair_created", actor=coordinator, target=coordinator)
    return NewDesk(desk, coordinator, recovery.to_phrase(recovery_keys.private_key))


def update_desk(
    *, actor: User, desk: Desk, name: str, require_staff_2fa: bool, languages: list[str]
) -> None:
    _require_manager(actor)
    with transaction.atomic():
        changed = sorted(
            field
            for field, value in (
                ("name", name),
                ("require_staff_2fa", require_staff_2fa),
                ("languages", languages),
            )
            if getattr(desk, field) != value
        )
        desk.name, desk.require_staff_2fa, desk.languages = name, require_staff_2fa, languages
        desk.save(update_fields=["name", "require_staff_2fa", "languages"])
        record("desk.settings_changed", actor=actor, target=desk, detail={"fields": changed})


# --- keys -----------------------------------------------------------------------------------


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


# --- invitations ----------------------------------------------------------------------------


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
    """Create a one-time invitation; returns it and the token to hand over (shown once)."""
    _require_manager(actor)
    login = normalise_login(login)
    if user is None:
        if role not in STAFF_ROLES and role != Role.DEFENDER:
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
        invitation.save(update_fields=["accepted_at", "user", "wrapped_private_key"])
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


# --- roles and activity ---------------------------------------------------------------------


def _require_manager(actor: User) -> None:
    if actor.role not in ACCOUNT_MANAGERS:
        raise PermissionError("only administrators and coordinators manage accounts")


def _require_manager_or_caseworker(actor: User) -> None:
    if actor.role not in STAFF_ROLES:
        raise PermissionError("only staff invite")


def _is_last_manager(user: User) -> bool:
    return (
        not User.objects.filter(desk_id=user.desk_id, role__in=ACCOUNT_MANAGERS, is_active=True)
        .exclude(pk=user.pk)
        .exists()
    )


def change_role(*, actor: User, user: User, role: str) -> None:
    _require_manager(actor)
    if user.desk_id != actor.desk_id:
        raise PermissionError("account of another desk")
    if role not in STAFF_ROLES or user.role not in STAFF_ROLES:
        raise AccountError(
            _(
                "A defender account's role cannot be changed. Staff roles are administrator, coordinator "
                "and caseworker."
            )
        )
    if user.role in ACCOUNT_MANAGERS and role not in ACCOUNT_MANAGERS and _is_last_manager(user):
        raise AccountError(_("The desk needs at least one active administrator or coordinator."))
    if role == user.role:
        return
    with transaction.atomic():
        old = user.role
        user.role = role
        user.save(update_fields=["role"])
        desk_keys.revoke(user)
        record("account.role_changed", actor=actor, target=user, detail={"from": old, "to": role})


def set_active(*, actor: User, user: User, active: bool) -> None:
    _require_manager(actor)
    if user.desk_id != actor.desk_id:
        raise PermissionError("account of another desk")
    if not active and user.pk == actor.pk:
        raise AccountError(_("You cannot deactivate your own account."))
    if not active and user.role in ACCOUNT_MANAGERS and _is_last_manager(user):
        raise AccountError(_("The desk needs at least one active administrator or coordinator."))
    if user.is_active == active:
        return
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        if not active:
            Session.objects.filter(user=user).delete()
        record("account.reactivated" if active else "account.deactivated", actor=actor, target=user)


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


def revoke_sessions(*, user: User, keep_session_key: str | None = None) -> int:
    """Delete every session of ``user`` (except, if given, the current one)."""
    with transaction.atomic():
        sessions = Session.objects.filter(user=user)
        if keep_session_key:
            sessions = sessions.exclude(session_key=keep_session_key)
        count, _ = sessions.delete()
        record("sessions.revoked", actor=user, target=user, detail={"count": count})
    return count


def set_language(*, user: User, language: str) -> None:
    if language in dict(settings.LANGUAGES) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])


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


# --- two-factor authentication --------------------------------------------------------------

RECOVERY_CODE_COUNT = 10


def new_enrolment_secret() -> str:
    """A fresh TOTP secret (hex) for enrolment; kept in the session until confirmed."""
    return secrets.token_hex(20)


def enrolment_uri(user: User, secret_hex: str) -> str:
    """The ``otpauth://`` URI the authenticator app scans (an unsaved device builds it)."""
    return str(TOTPDevice(user=user, key=secret_hex, name="authenticator").config_url)


def confirm_totp(*, user: User, secret_hex: str, code: str) -> list[str] | None:
    """Check a code against the enrolment secret; on success the device replaces any old one.

    Returns fresh recovery codes, or None if the code is wrong. Nothing is written on failure.
    """
    token = code.strip().replace(" ", "")
    try:
        key = bytes.fromhex(secret_hex)
    except ValueError:
        return None
    totp = TOTP(key, step=30, t0=0, digits=6, drift=0)
    totp.time = time.time()
    if not token.isdigit() or len(token) != 6 or not totp.verify(int(token), tolerance=1):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        TOTPDevice.objects.create(
            user=user, key=secret_hex, name="authenticator", confirmed=True, last_t=totp.t()
        )
        record("account.totp_enabled", actor=user, target=user)
        codes = _replace_recovery_codes(user)
    return codes


def disable_totp(*, user: User) -> None:
    if user.must_use_2fa:
        raise AccountError(_("Your desk requires two-factor authentication for staff."))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        record("account.totp_disabled", actor=user, target=user)


def new_recovery_codes(*, user: User) -> list[str]:
    with transaction.atomic():
        return _replace_recovery_codes(user)


def _replace_recovery_codes(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [f"{secrets.token_hex(4)}-{secrets.token_hex(4)}" for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_digest=_recovery_digest(user.id, code)) for code in codes
    )
    record("account.recovery_codes_created", actor=user, target=user, detail={"count": len(codes)})
    return codes


def _recovery_digest(user_id: uuid.UUID, code: str) -> bytes:
    return digest("pd-recovery-code", f"{user_id}:{code.strip().lower()}")


def use_recovery_code(*, user: User, code: str) -> bool:
    """Spend one recovery code; True if it was valid and unused."""
    with transaction.atomic():
        spent = RecoveryCode.objects.filter(
            user=user, code_digest=_recovery_digest(user.id, code), used_at=None
        ).update(used_at=timezone.now())
        if spent:
            record("account.recovery_code_used", actor=user, target=user)
    return bool(spent)
