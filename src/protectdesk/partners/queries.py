"""Reads of partners and referrals, scoped to what the viewer's keys open."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from protectdesk import vocabularies
from protectdesk.accounts.models import User
from protectdesk.partners.actions import DIRECTORY_ROLES, directory_of, partner_for
from protectdesk.partners.models import OPEN_STATUSES, Partner, PartnerContact, Referral
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case
from protectdesk.records.queries import staff_cases_of
from protectdesk.records.registry import REMINDER_DAYS, Reminder


def member_directory(keyring: Keyring) -> Case | None:
    """The desk's directory if the viewer can open it; None if it does not exist or they
    cannot (yet)."""
    if keyring.user.role not in DIRECTORY_ROLES:
        return None
    directory = directory_of(keyring.user.desk_id)
    if directory is None or not keyring.can_open(directory.id):
        return None
    return directory


def partner_in(keyring: Keyring, partner_id: uuid.UUID) -> Partner:
    directory = member_directory(keyring)
    found = Partner.objects.filter(case=directory, pk=partner_id).first() if directory else None
    if found is None:
        raise Http404
    return found


def contact_in(partner: Partner, contact_id: uuid.UUID) -> PartnerContact:
    found = PartnerContact.objects.filter(partner=partner, pk=contact_id).first()
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class PartnerRow:
    partner: Partner
    name: str
    services: list[str]
    countries: list[str]
    contacts: int


def partner_rows(
    keyring: Keyring, directory: Case, service: str = "", country: str = ""
) -> list[PartnerRow]:
    labels = vocabularies.load("partner_services")
    found = Partner.objects.filter(case=directory)
    rows = []
    for partner in found:
        if service and service not in partner.services:
            continue
        if country and country not in partner.countries:
            continue
        rows.append(
            PartnerRow(
                partner,
                keyring.text(partner, "name"),
                [labels.label(code) for code in partner.services],
                [vocabularies.country_name(code) for code in partner.countries],
                partner.contacts.count(),
            )
        )
    return sorted(rows, key=lambda row: (not row.partner.active, row.name.casefold()))


def partner_choices(keyring: Keyring, desk_id: uuid.UUID) -> list[tuple[str, str]]:
    """(id, "name — services") of the active partners the viewer can open."""
    directory = member_directory(keyring) if keyring.user.desk_id == desk_id else None
    if directory is None:
        return []
    labels = vocabularies.load("partner_services")
    return [
        (
            str(row.partner.id),
            f"{row.name} — {', '.join(labels.label(c) for c in row.partner.services)}",
        )
        for row in partner_rows(keyring, directory)
        if row.partner.active
    ]


@dataclass(frozen=True)
class ReferralRow:
    referral: Referral
    partner: str
    service: str
    is_open: bool


def referral_rows(keyring: Keyring, case: Case) -> list[ReferralRow]:
    """The case's referrals, the partner named for a viewer who can open the directory."""
    labels = vocabularies.load("partner_services")
    rows = []
    for referral in Referral.objects.filter(case=case):
        partner_id = keyring.text(referral, "partner_ref")
        partner = None
        try:
            partner = partner_for(keyring, case.desk_id, uuid.UUID(partner_id))
        except ValueError:
            partner = None
        rows.append(
            ReferralRow(
                referral,
                keyring.text(partner, "name") if partner is not None else _("a partner"),
                labels.label(referral.service),
                referral.status in OPEN_STATUSES,
            )
        )
    return rows


def people(users: list[User]) -> str:
    return ", ".join(user.label for user in users)


def reminders(viewer: User, today: datetime.date) -> list[Reminder]:
    """Open referrals to follow up soon (or overdue) in the viewer's cases (clear fields only)."""
    horizon = today + datetime.timedelta(days=REMINDER_DAYS)
    labels = vocabularies.load("partner_services")
    staff_cases = staff_cases_of(viewer)
    return [
        Reminder(
            referral.follow_up_on or today,
            referral.case.reference,
            _("Follow up the referral (%(service)s)") % {"service": labels.label(referral.service)},
            reverse("partners:referral", args=[referral.case_id, referral.id]),
        )
        for referral in Referral.objects.filter(
            case_id__in=staff_cases, follow_up_on__lte=horizon, status__in=OPEN_STATUSES
        ).select_related("case")
    ]
