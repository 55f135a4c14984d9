"""Every write to cases, membership and case keys, with its audit entry, in one transaction.

Key handling rules these functions keep:
* case keys exist in clear only in memory, inside the keyring of the member acting;
* every key is sealed to the desk recovery key as well as to members, so the desk can always
  restore a member's access with the recovery phrase;
* adding a member needs a current member's keyring (the server alone cannot grant access);
* removing a member deletes their boxes (rotation, which re-keys the case, is separate).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from protectdesk.accounts import actions as account_actions
from protectdesk.accounts import desk_keys
from protectdesk.accounts.models import ACCOUNT_MANAGERS, Desk, Invitation, Role, User
from protectdesk.audit.actions import record
from protectdesk.cases.keyring import Keyring, NoCaseAccess, fingerprint
from protectdesk.cases.models import (
    COLLECTIVE_KINDS,
    Case,
    CaseKeyBox,
    CaseMember,
    CaseSequence,
    CaseStatus,
    Consent,
    Defender,
    DefenderKind,
    DefenderLink,
    MemberKind,
)
from protectdesk.crypto import RecoveryPhraseError, casekeys, recovery, userkeys
from protectdesk.crypto.casekeys import Purpose
from protectdesk.search import actions as search_index

#: Roles that can work on cases. Administrators manage accounts; they become members only
#: if a member adds them (overview: "cannot read a case unless made a member").
CASE_ROLES = frozenset({Role.COORDINATOR, Role.CASEWORKER})
MEMBER_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR, Role.CASEWORKER})


class CaseError(Exception):
    """A request the rules refuse; ``message`` is translated and safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class EditConflict(Exception):
    """The record changed since the form was loaded; nothing was saved."""


# --- helpers --------------------------------------------------------------------------------


def seal_key_box(
    case: Case, purpose: Purpose, version: int, key: bytes, recipient: User | None, desk: Desk
) -> CaseKeyBox:
    public_key = recipient.public_key if recipient is not None else desk.recovery_public_key
    if public_key is None:
        raise CaseError(_("This account has no keys yet."))
    return CaseKeyBox(
        case=case,
        purpose=int(purpose),
        version=version,
        recipient=recipient,
        recipient_fingerprint=fingerprint(bytes(public_key)),
        sealed=casekeys.seal_case_key(bytes(public_key), case.id, purpose, version, key),
    )


def fresh_user(user: User) -> User:
    """The account as stored now: keys are sealed to the current public key only."""
    return User.objects.select_related("desk").get(pk=user.pk)


def require_staff_member(keyring: Keyring, case: Case) -> None:
    if not keyring.has_staff_key(case.id):
        raise NoCaseAccess("only staff members of the case can do this")


def _next_reference(desk: Desk) -> str:
    year = timezone.now().year
    sequence, _ = CaseSequence.objects.select_for_update().get_or_create(desk=desk, year=year)
    CaseSequence.objects.filter(pk=sequence.pk).update(last=F("last") + 1)
    sequence.refresh_from_db()
    return f"{desk.reference_prefix}-{year}-{sequence.last:04d}"


# --- cases ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DefenderProfile:
    """What is known about a defender when their case is opened or their profile edited."""

    kind: str
    country: str
    subdivision: str = ""
    sectors: tuple[str, ...] = ()
    gender: str = ""
    age_band: str = ""
    size_band: str = ""
    name: str = ""
    aliases: str = ""
    contacts: str = ""
    location: str = ""
    description: str = ""

    STATISTICAL = ("kind", "country", "subdivision", "gender", "age_band", "size_band")
    IDENTIFYING = ("name", "aliases", "contacts", "location", "description")

    def identifying(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.IDENTIFYING}


def open_case(
    *, actor: User, keyring: Keyring, profile: DefenderProfile, staff_notes: str = ""
) -> Case:
    """Open a case for a defender: new keys, sealed to the actor and the recovery key."""
    if actor.role not in CASE_ROLES:
        raise PermissionError("only coordinators and caseworkers open cases")
    desk = actor.desk
    shared, staff = casekeys.new_case_key(), casekeys.new_case_key()
    with transaction.atomic():
        case = Case(desk=desk, reference=_next_reference(desk), created_by=actor)
        keyring.adopt(case.id, 1, {Purpose.SHARED: shared, Purpose.STAFF: staff})
        keyring.seal(case, {"staff_notes": staff_notes}, fill_missing=True)
        case.save()
        CaseMember.objects.create(case=case, user=actor, kind=MemberKind.STAFF, added_by=actor)
        CaseKeyBox.objects.bulk_create(
            seal_key_box(case, purpose, 1, key, recipient, desk)
            for purpose, key in ((Purpose.SHARED, shared), (Purpose.STAFF, staff))
            for recipient in (actor, None)
        )
        defender = Defender(case=case, **_statistical(profile))
        keyring.seal(defender, profile.identifying(), fill_missing=True)
        defender.save()
        search_index.index_record(keyring, defender, profile.identifying())
        search_index.index_record(keyring, case, {"staff_notes": staff_notes})
        record("case.created", actor=actor, target=case)
        record("defender.created", actor=actor, target=defender, detail={"kind": defender.kind})
    keyring.forget(case.id)  # from now on the keys come from the boxes, like for everyone
    return case


def _statistical(profile: DefenderProfile) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(profile, name) for name in profile.STATISTICAL}
    values["country"] = profile.country.upper()
    values["sectors"] = sorted(set(profile.sectors))
    return values


def change_status(*, actor: User, keyring: Keyring, case: Case, status: str) -> None:
    require_staff_member(keyring, case)
    if status not in CaseStatus.values:
        raise CaseError(_("Unknown status."))
    if status == case.status:
        return
    with transaction.atomic():
        old = case.status
        Case.objects.filter(pk=case.pk).update(status=status, row_version=F("row_version") + 1)
        case.refresh_from_db()
        record("case.status_changed", actor=actor, target=case, detail={"from": old, "to": status})


def update_staff_notes(
    *, actor: User, keyring: Keyring, case: Case, notes: str, expected_version: int
) -> None:
    """Staff-only notes on the case; a stale form raises :class:`EditConflict`."""
    require_staff_member(keyring, case)
    with transaction.atomic():
        keyring.seal(case, {"staff_notes": notes})
        updated = Case.objects.filter(pk=case.pk, row_version=expected_version).update(
            staff_notes=case.staff_notes, row_version=F("row_version") + 1
        )
        if not updated:
            raise EditConflict
        search_index.index_record(keyring, case, {"staff_notes": notes})
        record("case.notes_updated", actor=actor, target=case)


# --- membership -----------------------------------------------------------------------------


def add_member(*, actor: User, keyring: Keyring, case: Case, user: User) -> CaseMember:
    """A current staff member seals the case keys (every version they hold) to ``user``."""
    require_staff_member(keyring, case)
    user = fresh_user(user)
    if user.desk_id != case.desk_id or user.role not in MEMBER_ROLES or not user.is_active:
        raise CaseError(_("Only active staff of this desk can be added to a case."))
    if not user.has_keypair:
        raise CaseError(_("This person has not signed in yet; add them after their first sign-in."))
    if CaseMember.objects.filter(case=case, user=user).exists():
        raise CaseError(_("This person is already a member of the case."))
    keys = keyring.keys_for(case.id)
    with transaction.atomic():
        member = CaseMember.objects.create(
            case=case, user=user, kind=MemberKind.STAFF, added_by=actor
        )
        CaseKeyBox.objects.bulk_create(
            seal_key_box(case, purpose, version, key, user, case.desk)
            for (purpose, version), key in keys.all_keys().items()
        )
        record(
            "case.member_added",
            actor=actor,
            target=case,
            detail={"user": str(user.id), "kind": member.kind},
        )
    return member


def remove_member(*, actor: User, keyring: Keyring, case: Case, user: User) -> None:
    """Delete the membership and every box sealed to ``user`` for this case.

    The person may have seen the keys already; when a member leaves under suspicion, rotate the
    case keys as well (the case page offers it).
    """
    require_staff_member(keyring, case)
    member = CaseMember.objects.filter(case=case, user=user).first()
    if member is None:
        raise CaseError(_("This person is not a member of the case."))
    if (
        member.kind == MemberKind.STAFF
        and not CaseMember.objects.filter(case=case, kind=MemberKind.STAFF)
        .exclude(user=user)
        .exists()
    ):
        raise CaseError(_("A case needs at least one staff member."))
    with transaction.atomic():
        CaseKeyBox.objects.filter(case=case, recipient=user).delete()
        member.delete()
        record(
            "case.member_removed",
            actor=actor,
            target=case,
            detail={"user": str(user.id), "kind": member.kind},
        )


def invite_defender(
    *, actor: User, keyring: Keyring, case: Case, handle: str | None = None
) -> tuple[User, Invitation, str]:
    """Create the defender's own account for this case and its one-time invitation link.

    The account's keypair is made now, so the acting member seals the case's **shared** key to
    it immediately (never the staff key); the private key waits in the invitation, wrapped
    under a key derived from the link's token.
    """
    require_staff_member(keyring, case)
    if CaseMember.objects.filter(case=case, kind=MemberKind.DEFENDER).exists():
        raise CaseError(_("This case already has a defender account."))
    keypair = userkeys.generate_keypair()
    keys = keyring.keys_for(case.id)
    with transaction.atomic():
        user = User(
            desk_id=case.desk_id,
            role=Role.DEFENDER,
            login=handle or account_actions.new_defender_handle(),
        )
        user.set_unusable_password()
        user.public_key = keypair.public_key
        user.save()
        CaseMember.objects.create(case=case, user=user, kind=MemberKind.DEFENDER, added_by=actor)
        CaseKeyBox.objects.bulk_create(
            seal_key_box(case, purpose, version, key, user, case.desk)
            for (purpose, version), key in keys.all_keys().items()
            if purpose == Purpose.SHARED
        )
        invitation, token = account_actions.prekeyed_invitation(
            actor=actor, user=user, private_key=keypair.private_key
        )
        record(
            "case.member_added",
            actor=actor,
            target=case,
            detail={"user": str(user.id), "kind": MemberKind.DEFENDER},
        )
    return user, invitation, token


# --- recovery -------------------------------------------------------------------------------


def restore_access(*, actor: User, phrase: str, user: User) -> int:
    """Re-seal every case key of ``user``'s memberships to their current public key.

    The desk recovery private key is derived from the phrase, used in memory, and dropped.
    Returns the number of cases restored.
    """
    if actor.role not in ACCOUNT_MANAGERS or actor.desk_id != user.desk_id:
        raise PermissionError("only the desk's coordinators and administrators restore access")
    user = fresh_user(user)  # seal to the public key the account has now, never a stale copy
    if not user.has_keypair:
        raise CaseError(_("This person has not accepted their new invitation yet."))
    try:
        recovery_private = recovery.from_phrase(phrase)
    except RecoveryPhraseError:
        raise CaseError(
            _("This recovery phrase has a typo: check each group of five characters.")
        ) from None
    desk = user.desk
    if userkeys.public_key_of(recovery_private) != bytes(desk.recovery_public_key or b""):
        raise CaseError(_("This is not the recovery phrase of this desk."))
    restored = 0
    with transaction.atomic():
        for member in CaseMember.objects.filter(user=user).select_related("case"):
            case = member.case
            CaseKeyBox.objects.filter(case=case, recipient=user).delete()
            recovery_boxes = CaseKeyBox.objects.filter(
                case=case, recipient=None, purpose__in=[int(p) for p in member.purposes]
            )
            boxes = []
            for box in recovery_boxes:
                key = casekeys.open_case_key(
                    recovery_private, bytes(box.sealed), case.id, Purpose(box.purpose), box.version
                )
                boxes.append(seal_key_box(case, Purpose(box.purpose), box.version, key, user, desk))
            CaseKeyBox.objects.bulk_create(boxes)
            record("case.access_recovered", actor=actor, target=case, detail={"user": str(user.id)})
            restored += 1
        desk_keys.restore(recovery_private_key=recovery_private, user=user)
    return restored


# --- defenders: profile, consent, links -----------------------------------------------------


def update_defender(
    *, actor: User, keyring: Keyring, case: Case, profile: DefenderProfile, expected_version: int
) -> Defender:
    """Save an edited profile; a stale form raises :class:`EditConflict` and saves nothing."""
    if not keyring.can_open(case.id):
        raise NoCaseAccess("not a member")
    with transaction.atomic():
        defender = Defender.objects.select_for_update().get(case=case)
        if defender.row_version != expected_version:
            raise EditConflict
        for name, value in _statistical(profile).items():
            setattr(defender, name, value)
        keyring.seal(defender, profile.identifying())
        defender.row_version += 1
        defender.updated_at = timezone.now()
        defender.save()
        search_index.index_record(keyring, defender, profile.identifying())
        record("defender.updated", actor=actor, target=defender)
    return defender


@dataclass(frozen=True)
class ConsentChoice:
    store_data: bool
    share_with_partners: bool
    anonymised_statistics: bool
    advocacy_use: bool
    given_on: Any
    partners: str = ""
    notes: str = ""


def record_consent(*, actor: User, keyring: Keyring, case: Case, choice: ConsentChoice) -> Consent:
    """A new consent record (the previous ones stay as history)."""
    if not keyring.has_staff_key(case.id):
        raise NoCaseAccess("only staff members record consent")
    with transaction.atomic():
        consent = Consent(
            case=case,
            store_data=choice.store_data,
            share_with_partners=choice.share_with_partners,
            anonymised_statistics=choice.anonymised_statistics,
            advocacy_use=choice.advocacy_use,
            given_on=choice.given_on,
            recorded_by=actor,
        )
        keyring.seal(
            consent, {"partners": choice.partners, "notes": choice.notes}, fill_missing=True
        )
        consent.save()
        record(
            "case.consent_changed",
            actor=actor,
            target=case,
            detail={
                "store": choice.store_data,
                "share": choice.share_with_partners,
                "statistics": choice.anonymised_statistics,
                "advocacy": choice.advocacy_use,
            },
        )
    return consent


def link_defender(*, actor: User, keyring: Keyring, case: Case, collective: Case) -> DefenderLink:
    """Link an individual's case to their organisation's or community's case (ids only)."""
    if not keyring.has_staff_key(case.id) or not keyring.can_open(collective.id):
        raise NoCaseAccess("you must be able to open both cases")
    kinds = dict(
        Defender.objects.filter(case__in=[case, collective]).values_list("case_id", "kind")
    )
    if (
        kinds.get(case.id) != DefenderKind.INDIVIDUAL
        or kinds.get(collective.id) not in COLLECTIVE_KINDS
    ):
        raise CaseError(_("Link an individual to an organisation, network or community."))
    with transaction.atomic():
        link, created = DefenderLink.objects.get_or_create(
            member_case=case, collective_case=collective, defaults={"created_by": actor}
        )
        if created:
            record(
                "defender.linked",
                actor=actor,
                target=case,
                detail={"other_case": str(collective.id)},
            )
    return link


def unlink_defender(*, actor: User, keyring: Keyring, link: DefenderLink) -> None:
    if not keyring.has_staff_key(link.member_case_id):
        raise NoCaseAccess("only staff members of the case")
    with transaction.atomic():
        record(
            "defender.unlinked",
            actor=actor,
            target=link.member_case,
            detail={"other_case": str(link.collective_case_id)},
        )
        link.delete()
