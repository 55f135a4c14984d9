"""The desk keyring: named desk-level secrets sealed to the roles that need them (Keys 6).

Design:
* :data:`DESK_SECRETS` names each secret and the roles that may hold it. A secret named in
  :data:`GIVEN_ONE_BY_ONE` is not sealed to every account of those roles: it starts with the
  account that creates it and is given to colleagues one by one (:func:`grant`), like the
  public intake's key (``protectdesk.intake``), whose holders are the desk's intake officers.
* A secret is 32 random bytes, sealed (X25519 sealed box) to every active account of those
  roles and to the desk recovery key, like case keys. The payload binds desk, name and
  version, so a box moved to another desk or name does not open as that secret.
* Only someone who holds a secret can give it to another account (:func:`grant`), e.g. when a
  new coordinator joins; with the recovery phrase, a coordinator can restore it.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from protectdesk.accounts.models import Desk, DeskSecretBox, User
from protectdesk.audit.actions import record
from protectdesk.crypto import RecoveryPhraseError, desksecrets, recovery, userkeys
from protectdesk.lib.refusals import Refusal


class RecoveryRefused(Refusal):
    """A recovery phrase with a typo (``typo``) or of another desk (``wrong_phrase``)."""


def recovery_key(desk: Desk, phrase: str) -> bytes:
    """The desk's recovery private key from its phrase, checked against the desk's public key
    (used in memory by the caller and dropped); :class:`RecoveryRefused` says what is wrong."""
    try:
        private = recovery.from_phrase(phrase)
    except RecoveryPhraseError:
        raise RecoveryRefused(
            "typo", _("This recovery phrase has a typo: check each group of five characters.")
        ) from None
    if userkeys.public_key_of(private) != bytes(desk.recovery_public_key or b""):
        raise RecoveryRefused("wrong_phrase", _("This is not the recovery phrase of this desk."))
    return private


#: name → roles that hold it. Registered by the modules that need a desk secret.
DESK_SECRETS: dict[str, frozenset[str]] = {}
#: Secrets held only by the accounts they were given to (not every account of the roles).
GIVEN_ONE_BY_ONE: set[str] = set()


def _box(
    desk: Desk, name: str, version: int, secret: bytes, recipient: User | None
) -> DeskSecretBox:
    public_key = bytes(
        (recipient.public_key if recipient is not None else desk.recovery_public_key) or b""
    )
    return DeskSecretBox(
        desk=desk,
        name=name,
        version=version,
        recipient=recipient,
        sealed=desksecrets.seal_desk_secret(public_key, desk.id, name, version, secret),
    )


def holders(desk: Desk, name: str) -> list[User]:
    roles = DESK_SECRETS[name]
    return list(
        User.objects.filter(desk=desk, role__in=roles, is_active=True).exclude(public_key=None)
    )


def create(desk: Desk, name: str, *, to: list[User] | None = None) -> int:
    """Create ``name`` for ``desk`` (version 1), sealed to its holders (or only to the
    accounts ``to``, who must be of its roles) and the recovery key; how many boxes."""
    secret = desksecrets.new_desk_secret()
    return create_with(desk, name, secret, to=to)


def create_with(desk: Desk, name: str, secret: bytes, *, to: list[User] | None = None) -> int:
    """:func:`create` for a secret the caller made (the intake key pair's private half)."""
    if name not in DESK_SECRETS:
        raise KeyError(f"unregistered desk secret {name!r}")
    recipients = holders(desk, name) if to is None else to
    if any(user.role not in DESK_SECRETS[name] or user.desk_id != desk.id for user in recipients):
        raise PermissionError("this account's role does not hold this desk secret")
    with transaction.atomic():
        if DeskSecretBox.objects.filter(desk=desk, name=name).exists():
            raise ValueError(f"desk secret {name!r} exists already")
        boxes = [_box(desk, name, 1, secret, user) for user in recipients]
        boxes.append(_box(desk, name, 1, secret, None))
        DeskSecretBox.objects.bulk_create(boxes)
        record("desk_secret.created", actor=None, desk_id=desk.id, detail={"name": name})
    return len(boxes)


def open_secret(user: User, private_key: bytes, name: str) -> bytes:
    """The secret ``name`` as ``user`` holds it, or :class:`PermissionError`."""
    box = (
        DeskSecretBox.objects.filter(desk_id=user.desk_id, name=name, recipient=user)
        .order_by("-version")
        .first()
    )
    if box is None:
        raise PermissionError("this account does not hold this desk secret")
    return desksecrets.open_desk_secret(
        private_key, bytes(box.sealed), user.desk_id, name, box.version
    )


def grant(*, actor: User, actor_private_key: bytes, user: User, name: str) -> None:
    """Seal ``name`` to ``user`` (whose role needs it) with the actor's own copy."""
    give(actor=actor, secret=open_secret(actor, actor_private_key, name), user=user, name=name)


def give(*, actor: User, secret: bytes, user: User, name: str) -> None:
    """:func:`grant` with the secret the actor's keyring has already opened."""
    if user.desk_id != actor.desk_id or user.role not in DESK_SECRETS[name] or not user.public_key:
        raise PermissionError("this account's role does not hold this desk secret")
    with transaction.atomic():
        version = (
            DeskSecretBox.objects.select_for_update()
            .filter(desk_id=actor.desk_id, name=name, recipient=actor)
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
        )
        if version is None:
            raise PermissionError("this account does not hold this desk secret")
        DeskSecretBox.objects.filter(desk_id=user.desk_id, name=name, recipient=user).delete()
        DeskSecretBox.objects.create(**_fields(_box(actor.desk, name, version, secret, user)))
        record("desk_secret.granted", actor=actor, detail={"name": name, "user": str(user.id)})


def restore(*, recovery_private_key: bytes, user: User) -> int:
    """Re-seal every desk secret ``user``'s role needs, from the recovery copies (a secret
    given one by one only if the account held it before)."""
    desk = user.desk
    restored = 0
    for name, roles in DESK_SECRETS.items():
        if user.role not in roles:
            continue
        if (
            name in GIVEN_ONE_BY_ONE
            and not DeskSecretBox.objects.filter(desk=desk, name=name, recipient=user).exists()
        ):
            continue
        restored += restore_secret(recovery_private_key=recovery_private_key, user=user, name=name)
    return restored


def restore_secret(*, recovery_private_key: bytes, user: User, name: str) -> int:
    """Seal ``name`` to ``user`` from its recovery copy (1), or 0 if the desk has none."""
    desk = user.desk
    if user.role not in DESK_SECRETS[name]:
        raise PermissionError("this account's role does not hold this desk secret")
    box = (
        DeskSecretBox.objects.filter(desk=desk, name=name, recipient=None)
        .order_by("-version")
        .first()
    )
    if box is None:
        return 0
    secret = desksecrets.open_desk_secret(
        recovery_private_key, bytes(box.sealed), desk.id, name, box.version
    )
    with transaction.atomic():
        DeskSecretBox.objects.filter(desk=desk, name=name, recipient=user).delete()
        DeskSecretBox.objects.create(**_fields(_box(desk, name, box.version, secret, user)))
        record(
            "desk_secret.restored",
            actor=None,
            desk_id=desk.id,
            detail={"name": name, "user": str(user.id)},
        )
    return 1


def revoke(user: User) -> None:
    """Drop every desk secret box of ``user`` (role change away from a holder role)."""
    dropped = (
        DeskSecretBox.objects.filter(recipient=user)
        .exclude(name__in=[n for n, roles in DESK_SECRETS.items() if user.role in roles])
        .delete()[0]
    )
    if dropped:
        record(
            "desk_secret.revoked",
            actor=None,
            desk_id=user.desk_id,
            detail={"user": str(user.id), "boxes": dropped},
        )


def renew(desk: Desk, name: str, secret: bytes, *, to: list[User]) -> int:
    """Replace ``name`` by a new version ``secret``, sealed to ``to`` and the recovery key
    only: every box of the old version is deleted (an account not in ``to`` loses it). The
    caller re-encrypts what the old secret protected, in the same transaction; the version."""
    if any(user.role not in DESK_SECRETS[name] or user.desk_id != desk.id for user in to):
        raise PermissionError("this account's role does not hold this desk secret")
    with transaction.atomic():
        current = (
            DeskSecretBox.objects.select_for_update()
            .filter(desk=desk, name=name)
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
        )
        version = (current or 0) + 1
        DeskSecretBox.objects.filter(desk=desk, name=name).delete()
        boxes = [_box(desk, name, version, secret, user) for user in to]
        boxes.append(_box(desk, name, version, secret, None))
        DeskSecretBox.objects.bulk_create(boxes)
        record(
            "desk_secret.renewed",
            actor=None,
            desk_id=desk.id,
            detail={"name": name, "version": version},
        )
    return version


def drop(user: User, name: str, actor: User | None = None) -> None:
    """Take the secret ``name`` from ``user`` (deactivated, or no longer given it)."""
    dropped = DeskSecretBox.objects.filter(recipient=user, name=name).delete()[0]
    if dropped:
        record(
            "desk_secret.revoked",
            actor=actor,
            desk_id=user.desk_id,
            detail={"user": str(user.id), "boxes": dropped},
        )


def holds(user: User, name: str) -> bool:
    return DeskSecretBox.objects.filter(desk_id=user.desk_id, name=name, recipient=user).exists()


def _fields(box: DeskSecretBox) -> dict[str, object]:
    return {
        "desk": box.desk,
        "name": box.name,
        "version": box.version,
        "recipient": box.recipient,
        "sealed": box.sealed,
    }
