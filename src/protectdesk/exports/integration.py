"""How exports plug into the floor: URLs, routes, audit codes, a menu entry and a link from
the case page (staff only)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import Role
from protectdesk.audit import codes
from protectdesk.records import registry
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case
from protectdesk.records.registry import NavEntry, RouteRule, Section

EXPORTERS = frozenset({Role.COORDINATOR, Role.CASEWORKER})


def _case_section(request: HttpRequest, case: Case, keyring: Keyring) -> dict[str, Any]:
    return {}


def register() -> None:
    registry.register_urls("", "protectdesk.exports.urls")
    registry.register_section(
        Section("export", "exports/_case_section.html", _case_section, order=90, staff_only=True)
    )
    registry.register_navigation(NavEntry("exports:desk", _("Export"), EXPORTERS, order=80))
    codes.register(
        {
            "export.statistical": _("Incidents exported (statistical fields)"),
            "export.identifying": _("Incidents exported with identifying data"),
        }
    )
    registry.register_routes(
        {
            # Another desk's coordinator and caseworker see their own desk's page.
            "exports:desk": RouteRule(
                "GET", "staff", member=200, defender=403, overrides={"admin": 403}
            ),
            "exports:schema": RouteRule(
                "GET", "staff", member=200, defender=403, overrides={"admin": 403}
            ),
            "exports:case": RouteRule("GET", "case", member=200),
        }
    )
