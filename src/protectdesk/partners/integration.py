"""How partners and referrals plug into the floor: record types (so rotation, recovery and
the damaged-record check reach the directory), the case page's referrals, routes, navigation,
audit codes and the canary writers."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import Role, User
from protectdesk.audit import codes
from protectdesk.partners.models import Partner, PartnerContact, Referral
from protectdesk.records import registry
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case
from protectdesk.records.registry import NavEntry, RecordType, RouteRule, Section

_ROLES = frozenset({Role.COORDINATOR, Role.CASEWORKER})
#: Another desk has its own (empty) directory: what names this desk's answers 404 there.
_OTHER_DESK = {"admin": 403, "outsider": 404, "outsider_caseworker": 404}


def _directory_page(case: Case, record_id: uuid.UUID) -> str:
    partner = Partner.objects.filter(case=case, pk=record_id).first() or (
        Partner.objects.filter(case=case, contacts__pk=record_id).first()
    )
    if partner is None:
        return reverse("partners:directory")
    return reverse("partners:partner", args=[partner.id])


def _case_page(case: Case, _record_id: uuid.UUID) -> str:
    return reverse("cases:detail", args=[case.id]) + "#referrals"


def _section(request: HttpRequest, case: Case, keyring: Keyring) -> dict[str, Any]:
    from protectdesk.partners import queries

    return {"referrals": queries.referral_rows(keyring, case)}


def register() -> None:
    registry.register_urls("", "protectdesk.partners.urls")
    registry.register(RecordType(Partner, _("Partner"), _directory_page))
    registry.register(RecordType(PartnerContact, _("Partner's contact person"), _directory_page))
    registry.register(RecordType(Referral, _("Referral"), _case_page))
    registry.register_section(
        Section("referrals", "partners/_case_section.html", _section, order=36, staff_only=True)
    )
    registry.register_navigation(NavEntry("partners:directory", _("Partners"), _ROLES, order=55))
    from protectdesk.partners import queries

    registry.register_reminders(queries.reminders)
    codes.register(
        {
            "partners.opened": _("Partner directory opened"),
            "partners.access_given": _("Partner directory given to a colleague"),
            "partners.access_removed": _("Partner directory taken from an account"),
            "partners.partner_saved": _("Partner saved"),
            "partners.partner_viewed": _("Partner viewed"),
            "partners.contact_saved": _("Partner's contact person saved"),
            "partners.contact_removed": _("Partner's contact person removed"),
            "partners.recovered": _("Partner directory opened with the recovery phrase"),
            "referral.saved": _("Referral saved"),
        }
    )
    staff = {"defender": 403, **_OTHER_DESK}
    registry.register_routes(
        {
            "partners:directory": RouteRule(
                "GET", "staff", member=200, defender=403, overrides={"admin": 403}
            ),
            "partners:open": RouteRule(
                "POST", "staff", member=302, defender=403, overrides={"admin": 403}
            ),
            "partners:give_access": RouteRule(
                "POST", "staff", member=302, sample=_directory, overrides=staff
            ),
            # Only with nobody left who can open it; here a member remains: a 400 for every
            # coordinator (the phrase is missing), another desk's included.
            "partners:recover": RouteRule(
                "POST",
                "managers",
                member=400,
                overrides={"admin": 403, "outsider": 400},
            ),
            "partners:rotate": RouteRule(
                "POST", "staff", member=302, sample=_directory, overrides=staff
            ),
            "partners:new": RouteRule(
                "GET", "staff", member=200, sample=_directory, overrides=staff
            ),
            "partners:partner": RouteRule(
                "GET", "staff", member=200, sample=_partner, overrides=staff
            ),
            "partners:new_contact": RouteRule(
                "GET", "staff", member=200, sample=_partner, overrides=staff
            ),
            "partners:contact": RouteRule(
                "GET", "staff", member=200, sample=_contact, overrides=staff
            ),
            "partners:remove_contact": RouteRule(
                "POST", "staff", member=302, sample=_contact, overrides=staff
            ),
            "partners:new_referral": RouteRule("GET", "case", member=200),
            "partners:referral": RouteRule("GET", "case", member=200, sample=_referral),
        }
    )
    registry.register_canary(["partners.Partner", "partners.PartnerContact"], _canary_directory)
    registry.register_canary(["partners.Referral"], _canary_referral)


# --- samples for the authorization matrix (written through the module's actions) ---------


def _sample_directory(actor: User, keyring: Keyring) -> Case:
    """The desk's directory, given to every colleague who may hold it (the matrix's members)."""
    from protectdesk.partners import actions

    directory = actions.open_directory(actor=actor, keyring=keyring)
    waiting = [user.pk for user in actions.waiting(directory)]
    if waiting:
        actions.give_access(actor=actor, keyring=keyring, directory=directory, user_ids=waiting)
    return directory


def _sample_partner(actor: User, keyring: Keyring) -> Partner:
    from protectdesk.partners import actions

    directory = _sample_directory(actor, keyring)
    existing = Partner.objects.filter(case=directory).first()
    if existing is not None:
        return existing
    return actions.save_partner(
        actor=actor,
        keyring=keyring,
        directory=directory,
        data=actions.PartnerData("Sample legal clinic", ("legal_aid",), ("GT",)),
    )


def _directory(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    _sample_directory(actor, keyring)
    return {}


def _partner(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    return {"partner_id": _sample_partner(actor, keyring).id}


def _contact(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    from protectdesk.partners import actions

    partner = _sample_partner(actor, keyring)
    contact = actions.save_contact(
        actor=actor, keyring=keyring, partner=partner, data=actions.ContactData("Sample lawyer")
    )
    return {"partner_id": partner.id, "contact_id": contact.id}


def _referral(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    from protectdesk.partners import actions

    partner = _sample_partner(actor, keyring)
    made = actions.save_referral(
        actor=actor,
        keyring=keyring,
        case=case,
        data=actions.ReferralData(partner.id, "legal_aid", datetime.date(2026, 11, 2)),
    )
    return {"referral_id": made.id}


# --- the canary writers ---------------------------------------------------------------------


def _canary_directory(
    actor: User, keyring: Keyring, case: Case, values: dict[str, dict[str, str]]
) -> Case:
    """A partner and a contact person with every field a canary; returns the directory."""
    from protectdesk.partners import actions

    directory = actions.open_directory(actor=actor, keyring=keyring)
    text = values["partners.Partner"]
    partner = actions.save_partner(
        actor=actor,
        keyring=keyring,
        directory=directory,
        data=actions.PartnerData(
            text["name"], ("relocation", "legal_aid"), ("GT", "HN"), text["description"]
        ),
    )
    person = values["partners.PartnerContact"]
    actions.save_contact(
        actor=actor,
        keyring=keyring,
        partner=partner,
        data=actions.ContactData(
            person["name"], person["role"], person["channels"], person["notes"]
        ),
    )
    return directory


def _canary_referral(
    actor: User, keyring: Keyring, case: Case, values: dict[str, dict[str, str]]
) -> None:
    """A referral of ``case``. Its ``partner_ref`` holds a partner's id: its canary rides in
    the outcome, beside the outcome's own."""
    from protectdesk.partners import actions

    partner = _sample_partner(actor, keyring)
    text = values["partners.Referral"]
    actions.save_referral(
        actor=actor,
        keyring=keyring,
        case=case,
        data=actions.ReferralData(
            partner.id,
            "legal_aid",
            datetime.date(2026, 11, 2),
            outcome=f"{text['outcome']} {text['partner_ref']}",
        ),
    )
