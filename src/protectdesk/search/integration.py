"""How search plugs into the floor (called from ``AppConfig.ready``).

The index itself is written by the floor (:mod:`protectdesk.records.index`) for every field
declared ``searchable``; this module only offers the page that searches it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import STAFF_ROLES, Role
from protectdesk.audit import codes
from protectdesk.records import registry
from protectdesk.records.registry import NavEntry, RouteRule


def register() -> None:
    registry.register_urls("search/", "protectdesk.search.urls")
    registry.register_navigation(
        NavEntry(
            "search:search",
            _("Search"),
            STAFF_ROLES | {Role.DEFENDER},
            order=30,
        )
    )
    codes.register({"search.performed": _("Encrypted search")})
    registry.register_routes({"search:search": RouteRule("GET", "staff", member=200, defender=200)})
