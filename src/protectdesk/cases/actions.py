"""Every write to cases, membership and case keys, with its audit entry, in one transaction.

Key handling rules these functions keep:
* case keys exist in clear only in memory, inside the keyring of the member acting;
* every key is sealed to the desk recovery key as well as to members, so the desk can always
  restore a member's access with the recovery phrase;
* adding a member needs a current member's keyring (the server alone cannot grant access);
* removing a member deletes their boxes (rotation, which re-keys the case, is separate).
"""

from __future__ import annotations

from collections.abc import Sequence
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
from protectdesk.cases.models import (
    COLLECTIVE_KINDS,
    CaseSequence,
    Consent,
    Defender,
    DefenderKind,
    DefenderLink,
)
from protectdesk.crypto import userkeys
from protectdesk.crypto.casekeys import Purpose
from protectdesk.records import actions as records
from protectdesk.records import keys as case_keys
from protectdesk.records.keyring import Keyring, NoCaseAccess
from protectdesk.records.keys import fresh_user, require_staff_member
from protectdesk.records.models import (
    Case,
    CaseKeyBox,
    CaseKind,
    CaseMember,
    CaseStatus,
    MemberKind,
)

#: Roles that can work on cases. Administrators manage accounts; they become members only
#: if a member adds them (overview: "cannot read a case unless made a member").
CASE_ROLES = frozenset({Role.COORDINATOR, Role.CASEWORKER})
MEMBER_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR, Role.CASEWORKER})


class CaseError(Exception):
    """A request the rules refuse; ``message`` is translated and safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- helpers --------------------------------------------------------------------------------


def _next_reference(desk: Desk) -> str:
    return _next_references(desk, 1)[0]


def _next_references(desk: Desk, count: int) -> list[str]:
    """``count`` consecutive references of this year (the desk's sequence locked meanwhile)."""
    year = timezone.now().year
    sequence, _ = CaseSequence.objects.select_for_update().get_or_create(desk=desk, year=year)
    CaseSequence.objects.filter(pk=sequence.pk).update(last=F("last") + count)
    sequence.refresh_from_db()
    first = sequence.last - count + 1
    return [f"{desk.reference_prefix}-{year}-{n:04d}" for n in range(first, sequence.last + 1)]


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
    *,
    actor: User,
    keyring: Keyring,
    profile: DefenderProfile,
    staff_notes: str = "",
    keep_keys: bool = False,
) -> Case:
    """Open a case for a defender: new keys, sealed to the actor and the recovery key.

    ``keep_keys``: the keyring keeps holding the new keys afterwards, for a caller that goes on
    writing in the case with a keyring that cannot open boxes (an import's background job).
    """
    if actor.role not in CASE_ROLES:
        raise PermissionError("only coordinators and caseworkers open cases")
    desk = actor.desk
    keys = case_keys.new_case_keys()
    with transaction.atomic():
        case = Case(desk=desk, reference=_next_reference(desk), created_by=actor)
        keyring.adopt(case.id, 1, keys)
        records.save(actor, keyring, case, {"staff_notes": staff_notes}, audit="case.created")
        CaseMember.objects.create(case=case, user=actor, kind=MemberKind.STAFF, added_by=actor)
        case_keys.seal_to_holders(case, 1, keys, [(actor, (Purpose.SHARED, Purpose.STAFF))])
        defender = Defender(case=case, **_statistical(profile))
        records.save(
            actor,
            keyring,
            defender,
            profile.identifying(),
            audit="defender.created",
            detail={"kind": defender.kind},
        )
    if not keep_keys:
        keyring.forget(case.id)  # from now on the keys come from the boxes, like for everyone
    return case


def open_cases(
    *,
    actor: User,
    keyring: Keyring,
    profiles: Sequence[DefenderProfile],
    keep_keys: bool = False,
) -> list[Case]:
    """Open one case per profile at once (a spreadsheet import): for each, what
    :func:`open_case` does — new keys sealed to the actor and the recovery key, the actor the
    first staff member, the defender's profile — with a query per kind of row instead of per
    row, and one audit entry per kind naming the cases (``records.actions.create_many``)."""
    if actor.role not in CASE_ROLES:
        raise PermissionError("only coordinators and caseworkers open cases")
    if not profiles:
        return []
    desk = actor.desk
    both = (Purpose.SHARED, Purpose.STAFF)
    with transaction.atomic():
        cases, members, boxes = [], [], []
        for reference in _next_references(desk, len(profiles)):
            case = Case(desk=desk, reference=reference, created_by=actor)
            keys = case_keys.new_case_keys()
            keyring.adopt(case.id, 1, keys)
            cases.append(case)
            members.append(CaseMember(case=case, user=actor, kind=MemberKind.STAFF, added_by=actor))
            boxes += [
                case_keys.seal_key_box(case, purpose, 1, keys[purpose], holder, desk)
                for holder in (actor, None)
                for purpose in both
            ]
        named = {"cases": [str(case.id) for case in cases]}
        records.create_many(
            actor,
            keyring,
            cases,
            [{"staff_notes": ""}] * len(cases),
            audit="case.created",
            detail=named,
        )
        CaseMember.objects.bulk_create(members)
        CaseKeyBox.objects.bulk_create(boxes)
        defenders = [
            Defender(case=case, **_statistical(profile))
            for case, profile in zip(cases, profiles, strict=True)
        ]
        records.create_many(
            actor,
            keyring,
            defenders,
            [profile.identifying() for profile in profiles],
            audit="defender.created",
            detail=named,
        )
    if not keep_keys:
        for case in cases:
            keyring.forget(case.id)
    return cases


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
    old = case.status
    case.status = status
    records.save(
        actor,
        keyring,
        case,
        {},
        audit="case.status_changed",
        expected_version=case.row_version,
        detail={"from": old, "to": status},
    )


def update_staff_notes(
    *, actor: User, keyring: Keyring, case: Case, notes: str, expected_version: int
) -> None:
    """Staff-only notes on the case; a stale form raises :class:`EditConflict`."""
    require_staff_member(keyring, case)
    records.save(
        actor,
        keyring,
        case,
        {"staff_notes": notes},
        audit="case.notes_updated",
        expected_version=expected_version,
    )


# --- membership -----------------------------------------------------------------------------


def add_member(*, actor: User, keyring: Keyring, case: Case, user: User) -> CaseMember:
    """A current staff member seals the case keys (every version they hold) to ``user``."""
    require_staff_member(keyring, case)
    with transaction.atomic():
        # Locked: a role change to trainer at the same moment waits, then sees this membership.
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.desk_id != case.desk_id or user.role not in MEMBER_ROLES or not user.is_active:
            raise CaseError(_("Only active staff of this desk can be added to a case."))
        if not user.has_keypair:
            raise CaseError(
                _("This person has not signed in yet; add them after their first sign-in.")
            )
        if CaseMember.objects.filter(case=case, user=user).exists():
            raise CaseError(_("This person is already a member of the case."))
        member = case_keys.admit(keyring, case, user, actor=actor)
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
        case_keys.dismiss(member)
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
    keyring.keys_for(case.id)
    with transaction.atomic():
        user = User(
            desk_id=case.desk_id,
            role=Role.DEFENDER,
            login=handle or account_actions.new_defender_handle(),
        )
        user.set_unusable_password()
        user.public_key = keypair.public_key
        user.save()
        case_keys.admit(
            keyring, case, user, actor=actor, kind=MemberKind.DEFENDER, purposes=(Purpose.SHARED,)
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


@dataclass(frozen=True)
class Restored:
    """What a recovery gave back: defenders' cases, and workshops (compartments too)."""

    cases: int
    workshops: int


def restore_access(*, actor: User, phrase: str, user: User) -> Restored:
    """Re-seal every case key of ``user``'s memberships (cases and workshops) to their current
    public key.

    The desk recovery private key is derived from the phrase, used in memory, and dropped.
    """
    if actor.role not in ACCOUNT_MANAGERS or actor.desk_id != user.desk_id:
        raise PermissionError("only the desk's coordinators and administrators restore access")
    user = fresh_user(user)  # seal to the public key the account has now, never a stale copy
    if not user.has_keypair:
        raise CaseError(_("This person has not accepted their new invitation yet."))
    try:
        recovery_private = desk_keys.recovery_key(user.desk, phrase)
    except desk_keys.RecoveryRefused as refused:
        raise CaseError(refused.message) from None
    cases = workshops = 0
    with transaction.atomic():
        for member in CaseMember.compartments.filter(user=user).select_related("case"):
            case_keys.restore_from_recovery(recovery_private, member, user)
            record(
                "case.access_recovered",
                actor=actor,
                target=member.case,
                detail={"user": str(user.id)},
            )
            if member.case.kind == CaseKind.WORKSHOP:
                workshops += 1
            elif member.case.kind == CaseKind.DEFENDER:
                cases += 1
            # (the partner directory is restored too; the message names cases and workshops)
        desk_keys.restore(recovery_private_key=recovery_private, user=user)
    return Restored(cases, workshops)


# --- defenders: profile, consent, links -----------------------------------------------------


def update_defender(
    *, actor: User, keyring: Keyring, case: Case, profile: DefenderProfile, expected_version: int
) -> Defender:
    """Save an edited profile; a stale form raises :class:`EditConflict` and saves nothing."""
    if not keyring.can_open(case.id):
        raise NoCaseAccess("not a member")
    defender = Defender.objects.get(case=case)
    for name, value in _statistical(profile).items():
        setattr(defender, name, value)
    return records.save(
        actor,
        keyring,
        defender,
        profile.identifying(),
        audit="defender.updated",
        expected_version=expected_version,
    )


def update_own_profile(
    *, actor: User, keyring: Keyring, case: Case, values: dict[str, str], expected_version: int
) -> Defender:
    """The defender's own account edits the parts of its profile its desk allows.

    Only identifying fields listed in ``Desk.defender_editable`` are written (shared key); the
    statistical ones (kind, country, sectors…) stay as staff set them.
    """
    if not CaseMember.objects.filter(case=case, user=actor, kind=MemberKind.DEFENDER).exists():
        raise NoCaseAccess("only the defender's own account")
    allowed = set(case.desk.defender_editable)
    if not set(values) <= allowed:
        raise PermissionError("the desk does not let defenders edit these fields")
    defender = Defender.objects.get(case=case)
    return records.save(
        actor,
        keyring,
        defender,
        values,
        audit="defender.updated_by_defender",
        expected_version=expected_version,
        detail={"fields": sorted(values)},
    )


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
    consent = Consent(
        case=case,
        store_data=choice.store_data,
        share_with_partners=choice.share_with_partners,
        anonymised_statistics=choice.anonymised_statistics,
        advocacy_use=choice.advocacy_use,
        given_on=choice.given_on,
        recorded_by=actor,
    )
    return records.save(
        actor,
        keyring,
        consent,
        {"partners": choice.partners, "notes": choice.notes},
        audit="case.consent_changed",
        audit_target=case,
        detail={
            "store": choice.store_data,
            "share": choice.share_with_partners,
            "statistics": choice.anonymised_statistics,
            "advocacy": choice.advocacy_use,
        },
    )


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
