"""The desk keyring: named desk-level secrets sealed to the roles that need them (Keys 6).

Design:
* :data:`DESK_SECRETS` names each secret and the roles that hold it. It is empty today; the
  public intake form will register ``"intake"`` for coordinators.
* A secret is 32 random bytes, sealed (X25519 sealed box) to every active account of those
  roles and to the desk recovery key, like case keys. The payload binds desk, name and
  version, so a box moved to another desk or name does not open as that secret.
* Only someone who holds a secret can give it to another account (:func:`grant`), e.g. when a
  new coordinator joins; with the recovery phrase, a coordinator can restore it.
"""

from __future__ import annotations

from django.db import transaction

from protectdesk.accounts.models import Desk, DeskSecretBox, User
from protectdesk.audit.actions import record
from protectdesk.crypto import desksecrets

#: name → roles that hold it. Registered by the modules that need a desk secret.
DESK_SECRETS: dict[str, frozenset[str]] = {}


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


def create(desk: Desk, name: str) -> int:
    """Create ``name`` for ``desk`` (version 1), sealed to its holders and the recovery key."""
    if name not in DESK_SECRETS:
        raise KeyError(f"unregistered desk secret {name!r}")
    secret = desksecrets.new_desk_secret()
    with transaction.atomic():
        if DeskSecretBox.objects.filter(desk=desk, name=name).exists():
            raise ValueError(f"desk secret {name!r} exists already")
        boxes = [_box(desk, name, 1, secret, user) for user in holders(desk, name)]
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
    if user.desk_id != actor.desk_id or user.role not in DESK_SECRETS[name] or not user.public_key:
        raise PermissionError("this account's role does not hold this desk secret")
    secret = open_secret(actor, actor_private_key, name)
    version = (
        DeskSecretBox.objects.filter(desk_id=actor.desk_id, name=name, recipient=actor)
        .order_by("-version")
        .values_list("version", flat=True)[0]
    )
    with transaction.atomic():
        DeskSecretBox.objects.filter(desk_id=user.desk_id, name=name, recipient=user).delete()
        DeskSecretBox.objects.create(**_fields(_box(actor.desk, name, version, secret, user)))
        record("desk_secret.granted", actor=actor, detail={"name": name, "user": str(user.id)})


def restore(*, recovery_private_key: bytes, user: User) -> int:
    """Re-seal every desk secret ``user``'s role needs, from the recovery copies."""
    desk = user.desk
    restored = 0
    for name, roles in DESK_SECRETS.items():
        if user.role not in roles:
            continue
        box = (
            DeskSecretBox.objects.filter(desk=desk, name=name, recipient=None)
            .order_by("-version")
            .first()
        )
        if box is None:
            continue
        secret = desksecrets.open_desk_secret(
            recovery_private_key, bytes(box.sealed), desk.id, name, box.version
        )
        DeskSecretBox.objects.filter(desk=desk, name=name, recipient=user).delete()
        DeskSecretBox.objects.create(**_fields(_box(desk, name, box.version, secret, user)))
        record(
            "desk_secret.restored",
            actor=None,
            desk_id=desk.id,
            detail={"name": name, "user": str(user.id)},
        )
        restored += 1
    return restored


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


def _fields(box: DeskSecretBox) -> dict[str, object]:
    return {
        "desk": box.desk,
        "name": box.name,
        "version": box.version,
        "recipient": box.recipient,
        "sealed": box.sealed,
    }
