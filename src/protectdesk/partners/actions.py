"""Every write of partners and referrals: the desk's partner directory (a compartment, see
:mod:`protectdesk.partners.models`), partners and their contacts, and referrals of a case.

Rules these functions keep:

* the directory is opened by a coordinator or caseworker (:data:`DIRECTORY_ROLES`); it is
  made with fresh keys sealed to them and to the recovery key; colleagues are given it by a
  member, one by one (their keyring seals it), never by the server alone; an account that
  changes role or is deactivated leaves it; with nobody left, a coordinator recovers it with
  the recovery phrase;
* only members read or write partners; a partner belongs to one desk's directory, so another
  desk can neither see it nor refer to it;
* a referral is written by a staff member of the case, to a partner of their own desk's
  directory they can open, for a service that partner offers; its partner is stored as an
  encrypted, padded id;
* a referral can also become a measure of the case's current plan (the plan lists it).
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from protectdesk import vocabularies
from protectdesk.accounts import desk_keys
from protectdesk.accounts.models import Role, User
from protectdesk.accounts.queries import lock_colleagues
from protectdesk.audit.actions import record as audit_record
from protectdesk.crypto.casekeys import Purpose
from protectdesk.lib.refusals import Refusal
from protectdesk.partners.models import Partner, PartnerContact, Referral, ReferralStatus
from protectdesk.plans import actions as plans
from protectdesk.plans.models import Measure, Strategy
from protectdesk.records import actions as records
from protectdesk.records import keys as case_keys
from protectdesk.records.keyring import Keyring, NoCaseAccess
from protectdesk.records.models import Case, CaseKeyBox, CaseKind, CaseMember

#: Who holds the partner directory: the desk's coordinators and caseworkers.
DIRECTORY_ROLES = frozenset({Role.COORDINATOR, Role.CASEWORKER})


class PartnerError(Refusal):
    """A write the rules refuse: ``code`` names the rule, ``message`` says it (translated)."""


# --- the directory --------------------------------------------------------------------------


def directory_of(desk_id: uuid.UUID) -> Case | None:
    return Case.compartments.filter(desk_id=desk_id, kind=CaseKind.DIRECTORY).first()


def eligible(desk_id: uuid.UUID) -> list[User]:
    """Accounts that may hold the directory: active coordinators and caseworkers with keys."""
    return list(
        User.objects.filter(desk_id=desk_id, role__in=DIRECTORY_ROLES, is_active=True).exclude(
            public_key=None
        )
    )


def waiting(directory: Case) -> list[User]:
    """Colleagues who may hold the directory and do not yet."""
    members = set(CaseMember.compartments.filter(case=directory).values_list("user_id", flat=True))
    return [user for user in eligible(directory.desk_id) if user.pk not in members]


def _require_member(keyring: Keyring, directory_id: uuid.UUID) -> None:
    if keyring.user.role not in DIRECTORY_ROLES or not keyring.has_staff_key(directory_id):
        raise NoCaseAccess("only members of the partner directory do this")


def open_directory(*, actor: User, keyring: Keyring) -> Case:
    """Create the desk's directory, sealed to ``actor`` and the recovery key; if it exists
    already, return it (two first visits at once make one). Colleagues are given it next,
    one by one (:func:`give_access`)."""
    if actor.role not in DIRECTORY_ROLES:
        raise PermissionError("the partner directory is for coordinators and caseworkers")
    existing = directory_of(actor.desk_id)
    if existing is not None:
        return existing
    keys = case_keys.new_case_keys()
    both = (Purpose.SHARED, Purpose.STAFF)
    directory = Case(
        desk=actor.desk,
        kind=CaseKind.DIRECTORY,
        reference=f"{actor.desk.reference_prefix}-PARTNERS",
        created_by=actor,
    )
    try:
        with transaction.atomic():
            keyring.adopt(directory.id, 1, keys)
            records.save(actor, keyring, directory, {"staff_notes": ""}, audit="partners.opened")
            CaseMember.compartments.create(case=directory, user=actor, kind="staff", added_by=actor)
            case_keys.seal_to_holders(directory, 1, keys, [(actor, both)])
    except IntegrityError:  # a colleague opened it at the same moment: theirs is the one
        found = directory_of(actor.desk_id)
        if found is None:
            raise
        return found
    finally:
        keyring.forget(directory.id)  # from now on the keys come from the boxes
    return directory


def give_access(
    *, actor: User, keyring: Keyring, directory: Case, user_ids: list[uuid.UUID]
) -> int:
    """Seal the directory to the colleagues chosen (by a member, one by one: an account made
    by an administrator's invitation is not handed the directory by a click for someone
    else); how many. Each is locked and checked again in the transaction, so a role change
    or a deactivation at the same moment cannot slip a trainer or an inactive account in."""
    _require_member(keyring, directory.id)
    given = 0
    with transaction.atomic():
        for user in lock_colleagues(directory.desk_id, user_ids, DIRECTORY_ROLES):
            if CaseMember.compartments.filter(case=directory, user=user).exists():
                continue
            case_keys.admit(keyring, directory, user, actor=actor)
            audit_record(
                "partners.access_given",
                actor=actor,
                target=directory,
                detail={"user": str(user.id)},
            )
            given += 1
    return given


def recover_directory(*, actor: User, phrase: str) -> Case:
    """A coordinator opens the directory again with the desk's recovery phrase when no member
    is left who can (everyone who held it left, was deactivated or lost their keys): it is
    sealed to the coordinator from the recovery key's copies."""
    if actor.role != Role.COORDINATOR:
        raise PermissionError("a coordinator recovers the partner directory")
    directory = directory_of(actor.desk_id)
    if directory is None:
        raise PartnerError("no_directory", _("The desk has no partner directory yet: open it."))
    try:
        recovery_private = desk_keys.recovery_key(actor.desk, phrase)
    except desk_keys.RecoveryRefused as refused:
        raise PartnerError(refused.code, refused.message) from None
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=actor.pk)
        member, _created = CaseMember.compartments.get_or_create(
            case=directory, user=user, defaults={"kind": "staff", "added_by": actor}
        )
        case_keys.restore_from_recovery(recovery_private, member, user)
        audit_record("partners.recovered", actor=actor, target=directory)
    return directory


def usable_holders(directory: Case) -> list[User]:
    """Members who can still open the directory: active, of its roles, with their boxes."""
    boxed = set(
        CaseKeyBox.objects.filter(case=directory)
        .exclude(recipient=None)
        .values_list("recipient_id", flat=True)
    )
    return [
        member.user
        for member in CaseMember.compartments.filter(case=directory).select_related("user")
        if member.user.is_active and member.user.role in DIRECTORY_ROLES and member.user_id in boxed
    ]


def leave_directory(user: User, actor: User | None = None) -> None:
    """Dismiss ``user`` from the directory (their role no longer holds it, or the account was
    deactivated). If nobody is left who can open it, a coordinator recovers it with the
    desk's recovery phrase (:func:`recover_directory`)."""
    directory = directory_of(user.desk_id)
    member = (
        CaseMember.compartments.filter(case=directory, user=user).first() if directory else None
    )
    if member is not None:
        case_keys.dismiss(member)
        audit_record(
            "partners.access_removed", actor=actor, target=directory, detail={"user": str(user.id)}
        )


# --- partners -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartnerData:
    name: str
    services: tuple[str, ...]
    countries: tuple[str, ...] = ()
    description: str = ""
    active: bool = True


def _check(data: PartnerData) -> None:
    known = vocabularies.load("partner_services").codes()
    if not data.services or not set(data.services) <= known:
        raise ValueError(f"services must be codes of partner_services: {data.services}")


def _duplicate(
    keyring: Keyring, directory: Case, name: str, exclude: uuid.UUID | None = None
) -> bool:
    wanted = " ".join(name.casefold().split())
    others = Partner.objects.filter(case=directory)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    return any(
        " ".join(keyring.text(other, "name").casefold().split()) == wanted for other in others
    )


def save_partner(
    *,
    actor: User,
    keyring: Keyring,
    directory: Case,
    data: PartnerData,
    partner: Partner | None = None,
    expected_version: int | None = None,
) -> Partner:
    """A new partner of the directory, or ``partner`` edited (with the version it was loaded
    with; a stale form raises ``EditConflict``)."""
    _require_member(keyring, directory.id)
    _check(data)
    with transaction.atomic():
        records.lock_case(directory.id)
        if _duplicate(keyring, directory, data.name, exclude=partner.pk if partner else None):
            raise PartnerError(
                "duplicate",
                _("A partner of this name is already in the directory: open it instead."),
            )
        target = partner or Partner(case=directory, created_by=actor)
        target.services = sorted(set(data.services))
        target.countries = sorted({code.upper() for code in data.countries})
        target.active = data.active
        return records.save(
            actor,
            keyring,
            target,
            {"name": data.name.strip(), "description": data.description},
            audit="partners.partner_saved",
            expected_version=expected_version,
        )


@dataclass(frozen=True)
class ContactData:
    name: str
    role: str = ""
    channels: str = ""
    notes: str = ""


def save_contact(
    *,
    actor: User,
    keyring: Keyring,
    partner: Partner,
    data: ContactData,
    contact: PartnerContact | None = None,
    expected_version: int | None = None,
) -> PartnerContact:
    _require_member(keyring, partner.case_id)
    target = contact or PartnerContact(case_id=partner.case_id, partner=partner)
    return records.save(
        actor,
        keyring,
        target,
        {"name": data.name, "role": data.role, "channels": data.channels, "notes": data.notes},
        audit="partners.contact_saved",
        expected_version=expected_version,
    )


def remove_contact(*, actor: User, keyring: Keyring, contact: PartnerContact) -> None:
    _require_member(keyring, contact.case_id)
    records.delete(actor, keyring, contact, audit="partners.contact_removed")


# --- referrals ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferralData:
    partner_id: uuid.UUID
    service: str
    referred_on: datetime.date
    status: str = ReferralStatus.REQUESTED
    follow_up_on: datetime.date | None = None
    outcome: str = ""


def partner_for(keyring: Keyring, desk_id: uuid.UUID, partner_id: uuid.UUID) -> Partner | None:
    """A partner of this desk's directory that the viewer can open (None otherwise: another
    desk's partner, or no directory key)."""
    directory = directory_of(desk_id)
    if directory is None or not keyring.can_open(directory.id):
        return None
    return Partner.objects.filter(case=directory, pk=partner_id).first()


def save_referral(
    *,
    actor: User,
    keyring: Keyring,
    case: Case,
    data: ReferralData,
    referral: Referral | None = None,
    expected_version: int | None = None,
) -> Referral:
    if not keyring.has_staff_key(case.id):
        raise NoCaseAccess("only staff members of the case refer")
    partner = partner_for(keyring, case.desk_id, data.partner_id)
    kept = (
        referral is not None
        and str(data.partner_id) == keyring.text(referral, "partner_ref")
        and data.service == referral.service
    )
    if partner is None and kept:
        # The same partner and service as saved (a case member who cannot open the directory,
        # or a partner since made inactive, updates the status and the outcome).
        pass
    elif partner is None:
        raise PartnerError(
            "unknown_partner",
            _(
                "This partner is not in your desk's directory (or you cannot open the "
                "directory yet): choose one of the list."
            ),
        )
    elif data.service not in partner.services and not kept:
        raise PartnerError(
            "service_not_offered",
            _("This partner does not offer that service: choose one of the services it offers."),
        )
    if data.status not in ReferralStatus.values:
        raise ValueError(f"unknown status {data.status!r}")
    if data.follow_up_on is not None and data.follow_up_on < data.referred_on:
        raise PartnerError(
            "follow_up_before",
            _("The follow-up date is before the referral: enter a later day."),
        )
    target = referral or Referral(case=case, created_by=actor)
    target.service, target.referred_on = data.service, data.referred_on
    target.status, target.follow_up_on = data.status, data.follow_up_on
    return records.save(
        actor,
        keyring,
        target,
        {"partner_ref": str(data.partner_id), "outcome": data.outcome},
        audit="referral.saved",
        expected_version=expected_version,
        detail={"service": data.service, "status": data.status},
    )


def referral_to_measure(*, actor: User, keyring: Keyring, referral: Referral) -> Measure:
    """The referral as a measure of the case's current plan ("Referral: legal aid")."""
    if not keyring.has_staff_key(referral.case_id):
        raise NoCaseAccess("only staff members of the case plan")
    version = plans.current(referral.case_id)
    if version is None:
        raise PartnerError(
            "no_plan",
            _("Start the protection plan first: the measure goes into its current version."),
        )
    service = vocabularies.load("partner_services").label(referral.service)
    due = referral.follow_up_on
    if due is not None and due < version.started_on:
        due = None  # a measure is not due before its plan began (plans.DueBeforePlan)
    return plans.save_measure(
        actor=actor,
        keyring=keyring,
        version=version,
        data=plans.MeasureData(
            description=_("Referral: %(service)s") % {"service": service},
            strategy=Strategy.PROTECTION,
            due=due,
        ),
    )
