"""The demo desk's partner directory and referrals, written through the partners' actions.

Fictional organisations and people. The coordinator opens the directory (sealed at once to
every coordinator and caseworker of the demo desk); Rosa Caal's caseworker refers her to two
of them, and one referral is also a measure of her protection plan.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from protectdesk.accounts.models import User
from protectdesk.partners import actions
from protectdesk.plans import actions as plan_actions
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case

#: name → (services, countries, description, contacts: (name, role, channels))
PARTNERS = {
    "Clínica Jurídica Tierra y Derechos (fictional)": (
        ("legal_aid",),
        ("GT",),
        "Defends land defenders facing criminal complaints; answers within 48 hours; send the "
        "complaint and the summons.",
        (("Lic. Marta Ajanel (fictional)", "Lawyer", "Signal, weekdays 8–18"),),
    ),
    "Red de Sanación Colectiva (fictional)": (
        ("psychosocial",),
        ("GT", "HN", "SV"),
        "Psychosocial support for communities after attacks; group sessions in Q'eqchi' and "
        "Spanish.",
        (("Ana Lucía Tzul (fictional)", "Coordinator", "Phone via the parish office"),),
    ),
    "Fondo Refugio Temporal (fictional)": (
        ("relocation", "emergency_grant"),
        ("GT", "MX", "CO"),
        "Temporary relocation and emergency grants up to four weeks; decision within 72 hours.",
        (
            ("Jorge Pérez (fictional)", "Case officer", "Encrypted e-mail, answers at night"),
            ("Sara Ixcot (fictional)", "Finance", "Signal"),
        ),
    ),
}


def create_partners(
    coordinator: User,
    coordinator_keyring: Keyring,
    caseworker: User,
    caseworker_keyring: Keyring,
    cases: dict[str, Case],
) -> int:
    """The directory, three partners and two referrals of Rosa Caal; returns the partners."""
    directory = actions.open_directory(actor=coordinator, keyring=coordinator_keyring)
    actions.give_access(
        actor=coordinator,
        keyring=coordinator_keyring,
        directory=directory,
        user_ids=[user.pk for user in actions.waiting(directory)],
    )
    made = {}
    for name, (services, countries, description, contacts) in PARTNERS.items():
        partner = actions.save_partner(
            actor=coordinator,
            keyring=coordinator_keyring,
            directory=directory,
            data=actions.PartnerData(name, services, countries, description),
        )
        for person, role, channels in contacts:
            actions.save_contact(
                actor=coordinator,
                keyring=coordinator_keyring,
                partner=partner,
                data=actions.ContactData(person, role, channels),
            )
        made[name] = partner
    rosa = cases["Rosa Caal (fictional)"]
    today = timezone.localdate()
    legal = actions.save_referral(
        actor=caseworker,
        keyring=caseworker_keyring,
        case=rosa,
        data=actions.ReferralData(
            made["Clínica Jurídica Tierra y Derechos (fictional)"].id,
            "legal_aid",
            datetime.date(2026, 10, 12),
            status="in_progress",
            follow_up_on=today + datetime.timedelta(days=9),
            outcome="The clinic took the criminal complaint; first hearing set.",
        ),
    )
    if plan_actions.current(rosa) is not None:
        actions.referral_to_measure(actor=caseworker, keyring=caseworker_keyring, referral=legal)
    actions.save_referral(
        actor=caseworker,
        keyring=caseworker_keyring,
        case=rosa,
        data=actions.ReferralData(
            made["Red de Sanación Colectiva (fictional)"].id,
            "psychosocial",
            today - datetime.timedelta(days=3),
            follow_up_on=today + datetime.timedelta(days=4),
        ),
    )
    return len(made)
