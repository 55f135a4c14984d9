"""How analytics plugs into the floor: URLs, navigation, audit codes and routes. No record
types, sections or canary writers: analytics stores no case data (its settings only) and
reads only clear statistical fields."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import User
from protectdesk.audit import codes
from protectdesk.records import registry
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case
from protectdesk.records.registry import NavEntry, RouteRule

#: Coordinators and analysts (analytics.actions.VIEWERS); the administrator does not.
_VIEWERS = {"admin": 403, "analyst": 200}


def _sample_view(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    return {"slug": "incidents-by-type"}


def register() -> None:
    from protectdesk.analytics.actions import VIEWERS

    registry.register_urls("", "protectdesk.analytics.urls")
    registry.register_navigation(NavEntry("analytics:index", _("Analytics"), VIEWERS, order=58))
    codes.register(
        {
            "analytics.settings_changed": _("Analytics settings changed"),
            "analytics.pool_joined": _("Desk joined the network's pooled statistics"),
            "analytics.pool_left": _("Desk left the network's pooled statistics"),
        }
    )
    registry.register_routes(
        {
            "analytics:index": RouteRule("GET", "managers", member=200, overrides=_VIEWERS),
            # ``sample`` names no record of this desk: another desk's coordinator sees their
            # own desk's numbers (200), as for the index.
            "analytics:view": RouteRule(
                "GET",
                "managers",
                member=200,
                sample=_sample_view,
                overrides={**_VIEWERS, "outsider": 200},
            ),
            "analytics:csv": RouteRule(
                "GET",
                "managers",
                member=200,
                sample=_sample_view,
                overrides={**_VIEWERS, "outsider": 200},
            ),
            "analytics:settings": RouteRule(
                "GET", "managers", member=200, overrides={"admin": 403}
            ),
        }
    )
