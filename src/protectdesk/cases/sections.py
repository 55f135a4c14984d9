"""The case page's own sections (profile, links, consent, notes, status, members, keys).

Each is registered from :mod:`protectdesk.cases.integration` like any other module's section;
the case page is the ordered list of every registered section the viewer may see.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from protectdesk import vocabularies
from protectdesk.cases import queries
from protectdesk.cases.forms import AddMemberForm, ConsentForm, LinkForm, StaffNotesForm, StatusForm
from protectdesk.cases.models import DefenderKind
from protectdesk.lib.access import current_user
from protectdesk.records import rotation
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case, MemberKind


def profile(request: HttpRequest, case: Case, keyring: Keyring) -> dict[str, Any]:
    defender = queries.defender_of(keyring, case)
    if defender is None:
        return {}
    return {
        "country_name": vocabularies.country_name(defender.country),
        "subdivision_name": vocabularies.subdivision_name(defender.subdivision),
        "sector_labels": [vocabularies.load("sectors").label(c) for c in defender.sectors],
    }


def links(request: HttpRequest, case: Case, keyring: Keyring) -> dict[str, Any]:
    defender = queries.defender_of(keyring, case)
    individual = defender is not None and defender.kind == DefenderKind.INDIVIDUAL
    return {
        "links": queries.links_of(keyring, case),
        "link_form": LinkForm(choices=queries.linkable_collectives(keyring, case))
        if individual and keyring.has_staff_key(case.id)
        else None,
    }


def consent(request: HttpRequest, case: Case, keyring: Keyring) -> dict[str, Any]:
    return {
        "consent": queries.current_consent(keyring, case),
        "consent_history": queries.consent_history(keyring, case),
        "consent_form": ConsentForm(initial={"given_on": timezone.localdate()}),
    }


def notes(request: HttpRequest, case: Case, keyring: Keyring) -> dict[str, Any]:
    return {
        "notes_form": StaffNotesForm(
            initial={
                "staff_notes": keyring.opened(case).staff_notes,
                "row_version": case.row_version,
            }
        )
    }


def status(request: HttpRequest, case: Case, keyring: Keyring) -> dict[str, Any]:
    return {"status_form": StatusForm(initial={"status": case.status})}


def members(request: HttpRequest, case: Case, keyring: Keyring) -> dict[str, Any]:
    people = queries.members_of(case)
    return {
        "members": people,
        "has_defender_account": any(m.kind == MemberKind.DEFENDER for m in people),
        "add_member_form": AddMemberForm(candidates=queries.addable_staff(case)),
        "viewer_id": current_user(request).id,
    }


def keys(request: HttpRequest, case: Case, keyring: Keyring) -> dict[str, Any]:
    return {"open_rotation": rotation.open_rotation(case)}
