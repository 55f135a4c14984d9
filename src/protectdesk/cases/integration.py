"""How cases plug into the floor: record types, the case page's sections, navigation, audit
codes and routes (called from ``AppConfig.ready``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import STAFF_ROLES, User
from protectdesk.audit import codes
from protectdesk.cases import actions, sections
from protectdesk.cases.models import Defender
from protectdesk.records import registry
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case, CaseMember, MemberKind
from protectdesk.records.registry import NavEntry, RecordType, RouteRule, Section


def _case_page(case: Case, _record_id: Any) -> str:
    return reverse("cases:detail", args=[case.id])


def register() -> None:
    registry.register_urls("cases/", "protectdesk.cases.urls")
    registry.register(RecordType(Case, _("Staff notes"), _case_page, attachable=True))
    registry.register(RecordType(Defender, _("Defender profile"), _case_page))
    for section in (
        Section("profile", "cases/_section_profile.html", sections.profile, order=10),
        Section("links", "cases/_section_links.html", sections.links, order=20),
        Section("consent", "cases/_section_consent.html", sections.consent, order=40),
        Section("notes", "cases/_section_notes.html", sections.notes, 60, staff_only=True),
        Section("status", "cases/_section_status.html", sections.status, 70, staff_only=True),
        Section("members", "cases/_section_members.html", sections.members, 80, staff_only=True),
        Section("keys", "cases/_section_keys.html", sections.keys, 90, staff_only=True),
    ):
        registry.register_section(section)
    registry.register_navigation(NavEntry("cases:list", _("Cases"), STAFF_ROLES, order=10))
    codes.register(
        {
            "defender.created": _("Defender registered"),
            "defender.updated": _("Defender profile updated"),
            "defender.updated_by_defender": _("Profile updated by the defender"),
            "defender.linked": _("Defender linked to an organisation or community"),
            "defender.unlinked": _("Defender link removed"),
            "case.consent_changed": _("Consent record changed"),
            "case.notes_updated": _("Staff notes updated"),
        }
    )
    registry.register_routes(
        {
            "cases:list": RouteRule("GET", "staff", member=200, defender=200),
            "cases:new": RouteRule(
                "GET", "staff", member=200, defender=403, overrides={"admin": 403}
            ),
            "cases:detail": RouteRule("GET", "case", member=200, defender=200),
            "cases:status": RouteRule("POST", "case", member=302),
            "cases:notes": RouteRule("POST", "case", member=400),
            "cases:add_member": RouteRule("POST", "case", member=302),
            "cases:remove_member": RouteRule("POST", "case", member=302, sample=_defender_account),
            "cases:invite_defender": RouteRule("POST", "case", member=302),
            "cases:rotate": RouteRule("POST", "case", member=302),
            "cases:edit_defender": RouteRule("GET", "case", member=200),
            "cases:own_profile": RouteRule("GET", "case", member=404, defender=200),
            "cases:consent": RouteRule("POST", "case", member=400),
            "cases:link": RouteRule("POST", "case", member=302),
            "cases:unlink": RouteRule("POST", "case", member=302, sample=_link),
            "cases:recovery_list": RouteRule("GET", "managers", member=200),
            "cases:restore_access": RouteRule(
                "GET", "managers", member=200, sample=_member_to_restore
            ),
        }
    )


def _defender_account(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    member = CaseMember.objects.get(case=case, kind=MemberKind.DEFENDER)
    return {"user_id": member.user_id}


def _member_to_restore(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    return {"user_id": actor.id}


def _link(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    collective = actions.open_case(
        actor=actor,
        keyring=keyring,
        profile=actions.DefenderProfile(kind="community", country="GT", name="A community"),
    )
    link = actions.link_defender(actor=actor, keyring=keyring, case=case, collective=collective)
    return {"link_id": link.pk}
