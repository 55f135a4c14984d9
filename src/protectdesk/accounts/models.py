"""Desks, users, invitations and the records that keep authentication honest.

What is in clear here and why: a desk's name and country; staff accounts' login e-mail and
display name (staff are the desk's own people, and the admin must be able to list them without
any key); defender accounts carry only a generated handle, never a name. Passwords are Argon2
hashes; private keys are sealed under the user's password (see protectdesk.crypto.userkeys).
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    CASEWORKER = "caseworker", _("Caseworker")
    DEFENDER = "defender", _("Defender")
    TRAINER = "trainer", _("Trainer")
    ANALYST = "analyst", _("Analyst")


STAFF_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR, Role.CASEWORKER})
#: Roles that may invite, deactivate and change the roles of staff (overview: "manage staff access").
ACCOUNT_MANAGERS = frozenset({Role.ADMIN, Role.COORDINATOR})
#: Roles a coordinator can invite into the desk's team. A trainer runs workshops and coaching
#: (protectdesk.training) and is not case staff: no case list, search or export.
#: An analyst sees the desk's anonymised statistics (protectdesk.analytics) and nothing else:
#: no case, search, export, library management, partners, training or observatory.
TEAM_ROLES = STAFF_ROLES | {Role.TRAINER, Role.ANALYST}


#: Profile fields a defender's account may edit, and which of them a new desk allows.
DEFENDER_EDITABLE = ("name", "aliases", "contacts", "location", "description")


def default_defender_editable() -> list[str]:
    return ["contacts", "description"]


class Desk(models.Model):
    """A protection desk: the organisation's team, its settings and its recovery public key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=120)
    country = models.CharField(_("country"), max_length=2)
    languages = models.JSONField(_("working languages"), default=list)
    #: The parts of their profile a defender's own account may edit (cases.DefenderProfile's
    #: identifying fields); the rest only staff change.
    defender_editable = models.JSONField(
        _("what defenders may edit in their profile"), default=default_defender_editable
    )
    reference_prefix = models.CharField(_("case reference prefix"), max_length=8)
    require_staff_2fa = models.BooleanField(
        _("require two-factor authentication for staff"), default=True
    )
    recovery_public_key = models.BinaryField(null=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"desk {self.id}"


class UserManager(BaseUserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(login=normalise_login(username or ""))


def normalise_login(value: str) -> str:
    """E-mails and handles are matched case-insensitively, without surrounding spaces."""
    return value.strip().lower()


class User(AbstractBaseUser):
    """A person with an account on one desk, in one role."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    desk = models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="users")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    login = models.CharField(_("e-mail or handle"), max_length=254, unique=True)
    display_name = models.CharField(_("display name"), max_length=120, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    public_key = models.BinaryField(null=True, editable=False)
    sealed_private_key = models.BinaryField(null=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "login"
    REQUIRED_FIELDS = []

    class Meta:
        ordering = ["display_name", "login"]

    def __str__(self) -> str:
        return f"user {self.id}"

    @property
    def is_staff_member(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_team_member(self) -> bool:
        """Staff, trainer or analyst: someone of the desk's own team (not a defender's account)."""
        return self.role in TEAM_ROLES

    @property
    def is_defender(self) -> bool:
        return self.role == Role.DEFENDER

    @property
    def can_manage_accounts(self) -> bool:
        return self.role in ACCOUNT_MANAGERS

    @property
    def label(self) -> str:
        """How the interface names this account: display name, else the login."""
        return self.display_name or self.login

    @property
    def has_keypair(self) -> bool:
        return bool(self.public_key) and bool(self.sealed_private_key)

    @property
    def must_use_2fa(self) -> bool:
        return self.role in TEAM_ROLES and self.desk.require_staff_2fa


class Invitation(models.Model):
    """A one-time link an account manager hands over; the invitee chooses the password.

    Only a hash of the token is stored. An invitation for an existing account (``user`` set)
    is how a person who lost their password comes back: a new password means a new keypair,
    and a coordinator with the recovery phrase re-seals their case keys.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=16, choices=Role.choices)
    login = models.CharField(max_length=254)
    display_name = models.CharField(max_length=120, blank=True)
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    token_digest = models.BinaryField(unique=True, editable=False)
    #: A pre-keyed invitation (defender accounts): the keypair is made when inviting, so a case
    #: member can seal the case key to it at once; the private key waits here wrapped under a
    #: key derived from the invitation token, which only the link carries.
    wrapped_private_key = models.BinaryField(null=True, editable=False)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    #: accepting it replaced the account's existing keypair (a re-invitation)
    replaced_keys = models.BooleanField(default=False)
    #: when the account's owner was told, at their next sign-in, that their keys were replaced
    owner_told_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"invitation {self.id}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )

    @staticmethod
    def default_expiry() -> timedelta:
        return timedelta(days=settings.PROTECTDESK_INVITATION_DAYS)


class Session(AbstractBaseSession):
    """Django's database session plus its owner, so "sign out all my sessions" can find them.

    The session data holds the user id, the 2FA state and the user's private key wrapped under
    the session key that only the browser's ``pd_key`` cookie carries: never plaintext.
    """

    user = models.ForeignKey(User, null=True, on_delete=models.CASCADE, related_name="sessions")

    @classmethod
    def get_session_store_class(cls):  # type: ignore[no-untyped-def]
        from protectdesk.accounts.sessions import SessionStore

        return SessionStore


class LoginThrottle(models.Model):
    """Failed sign-ins per typed name: a keyed hash of the name, never the name, never an IP.

    Throttling by name only (not IP) because Tor users share exit addresses. The row lives
    until the account's next successful sign-in, which shows its owner the count and clears
    it; see :mod:`protectdesk.accounts.actions.throttle` for the delays it drives.
    """

    name_digest = models.BinaryField(primary_key=True)
    #: wrong passwords checked outside a delay; the delay grows with this count
    failures = models.PositiveIntegerField(default=0)
    #: the last of those: the delay runs from here
    last_failure_at = models.DateTimeField(default=timezone.now)
    #: attempts that came during a delay (counted for the owner's notice, they move no delay)
    refused = models.PositiveIntegerField(default=0)
    first_failure_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(default=timezone.now)
    #: during a delay, attempts with exactly one of password and second factor right
    factor_failures = models.PositiveIntegerField(default=0)
    factor_failed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return "login throttle"


class RecoveryCode(models.Model):
    """Single-use codes for when the authenticator is lost; stored as keyed hashes."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_digest = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"recovery code {self.pk}"


class DeskSecretBox(models.Model):
    """One named desk-level secret (e.g. the future intake key) sealed to one recipient.

    Recipients are the accounts whose role needs the secret, and the desk recovery key
    (``recipient`` null). See :mod:`protectdesk.accounts.desk_keys`.
    """

    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="secret_boxes")
    name = models.CharField(max_length=64)
    version = models.PositiveIntegerField(default=1)
    recipient = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="secret_boxes"
    )
    sealed = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["desk", "name", "version", "recipient"],
                condition=models.Q(recipient__isnull=False),
                name="one_secret_box_per_recipient",
            ),
            models.UniqueConstraint(
                fields=["desk", "name", "version"],
                condition=models.Q(recipient__isnull=True),
                name="one_recovery_secret_box",
            ),
        ]

    def __str__(self) -> str:
        return f"desk secret box {self.pk}"
