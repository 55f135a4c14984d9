"""Case keys as stored: sealing them to members and the recovery key, and who holds them.

Rules these functions keep (security.md Keys 2):

* a case key exists in clear only in memory, in the keyring of the member acting;
* every key is sealed to the desk recovery key as well as to members, so the desk can always
  restore a member's access with the recovery phrase;
* a box is sealed to the recipient's public key *as stored now* (never a stale copy) and
  records that key's fingerprint, so a box for a replaced keypair is recognised, not tried;
* giving keys to someone needs a current member's keyring: the server alone cannot grant
  access.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.utils.translation import gettext as _

from protectdesk.accounts.models import Desk, User
from protectdesk.crypto import casekeys, userkeys
from protectdesk.crypto.casekeys import Purpose
from protectdesk.records.keyring import Keyring, NoCaseAccess
from protectdesk.records.models import Case, CaseKeyBox, CaseMember, MemberKind


class NoKeysYet(Exception):
    """The account has no keypair yet (it has not accepted its invitation)."""

    def __init__(self) -> None:
        super().__init__(_("This account has no keys yet."))
        self.message = _("This account has no keys yet.")


def seal_key_box(
    case: Case, purpose: Purpose, version: int, key: bytes, recipient: User | None, desk: Desk
) -> CaseKeyBox:
    """One case key sealed to ``recipient`` (``None``: the desk recovery key); not saved."""
    public_key = recipient.public_key if recipient is not None else desk.recovery_public_key
    if public_key is None:
        raise NoKeysYet
    return CaseKeyBox(
        case=case,
        purpose=int(purpose),
        version=version,
        recipient=recipient,
        recipient_fingerprint=userkeys.fingerprint(bytes(public_key)),
        sealed=casekeys.seal_case_key(bytes(public_key), case.id, purpose, version, key),
    )


def fresh_user(user: User) -> User:
    """The account as stored now: keys are sealed to the current public key only."""
    return User.objects.select_related("desk").get(pk=user.pk)


def require_staff_member(keyring: Keyring, case: Case | uuid.UUID) -> None:
    """NoCaseAccess unless the keyring holds the case's staff key (a case or its id)."""
    if not keyring.has_staff_key(case.id if isinstance(case, Case) else case):
        raise NoCaseAccess("only staff members of the case can do this")


def new_case_keys() -> dict[Purpose, bytes]:
    """Fresh shared and staff keys for a case (held only in memory until sealed)."""
    return {Purpose.SHARED: casekeys.new_case_key(), Purpose.STAFF: casekeys.new_case_key()}


def seal_to_holders(
    case: Case,
    version: int,
    keys: dict[Purpose, bytes],
    holders: Iterable[tuple[User, tuple[Purpose, ...]]],
) -> None:
    """Seal ``keys`` (one version) to each holder's purposes and to the recovery key."""
    boxes = [
        seal_key_box(case, purpose, version, keys[purpose], user, case.desk)
        for user, purposes in holders
        for purpose in purposes
    ]
    boxes += [
        seal_key_box(case, purpose, version, key, None, case.desk) for purpose, key in keys.items()
    ]
    CaseKeyBox.objects.bulk_create(boxes)


def give_keys(
    keyring: Keyring, case: Case, user: User, purposes: tuple[Purpose, ...] = tuple(Purpose)
) -> None:
    """Seal every version the acting member holds of ``purposes`` to ``user``."""
    keys = keyring.keys_for(case.id)
    CaseKeyBox.objects.bulk_create(
        seal_key_box(case, purpose, version, key, user, case.desk)
        for (purpose, version), key in keys.all_keys().items()
        if purpose in purposes
    )


def drop_keys(case: Case, user: User) -> None:
    """Delete every box sealed to ``user`` for ``case``."""
    CaseKeyBox.objects.filter(case=case, recipient=user).delete()


def admit(
    keyring: Keyring,
    compartment: Case,
    user: User,
    *,
    actor: User,
    kind: str = MemberKind.STAFF,
    purposes: tuple[Purpose, ...] = tuple(Purpose),
) -> CaseMember:
    """Make ``user`` a member of a case or workshop and seal them the acting member's keys of
    ``purposes`` (every version); the caller checks who may be admitted and audits it."""
    member = CaseMember.compartments.create(case=compartment, user=user, kind=kind, added_by=actor)
    give_keys(keyring, compartment, user, purposes)
    return member


def dismiss(member: CaseMember) -> None:
    """End a membership: its row and every box sealed to the person for that compartment."""
    drop_keys(member.case, member.user)
    member.delete()


def current_key_holders(case: Case, version: int) -> list[tuple[User, tuple[Purpose, ...]]]:
    """Members who may receive new keys: active, and already holding the current keys.

    A membership row alone is not enough (security.md: access needs the row *and* a box): an
    account re-invited since (new keypair, possibly in someone else's hands until a coordinator
    restores it with the phrase), a deactivated account, or a forged membership row must not be
    handed fresh keys by a rotation. They stay "awaiting recovery".
    """
    holders = []
    for member in CaseMember.compartments.filter(case=case).select_related("user"):
        user = fresh_user(member.user)
        if not user.is_active or not user.public_key:
            continue
        holds_current = CaseKeyBox.objects.filter(
            case=case,
            recipient=user,
            version=version,
            purpose=int(Purpose.SHARED),
            recipient_fingerprint=userkeys.fingerprint(bytes(user.public_key)),
        ).exists()
        if holds_current:
            holders.append((user, member.purposes))
    return holders


def restore_from_recovery(recovery_private_key: bytes, member: CaseMember, user: User) -> None:
    """Re-seal ``member``'s keys of every version to ``user`` from the recovery boxes."""
    case = member.case
    drop_keys(case, user)
    boxes = []
    recovery_boxes = CaseKeyBox.objects.filter(
        case=case, recipient=None, purpose__in=[int(p) for p in member.purposes]
    )
    for box in recovery_boxes:
        key = casekeys.open_case_key(
            recovery_private_key, bytes(box.sealed), case.id, Purpose(box.purpose), box.version
        )
        boxes.append(seal_key_box(case, Purpose(box.purpose), box.version, key, user, case.desk))
    CaseKeyBox.objects.bulk_create(boxes)
