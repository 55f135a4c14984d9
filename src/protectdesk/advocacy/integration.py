"""How the observatory plugs in: routes, navigation and audit codes. It holds public
information only (no case data), so it declares no record type and no canary writer."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import Role, User
from protectdesk.audit import codes
from protectdesk.records import registry
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case
from protectdesk.records.registry import NavEntry, RouteRule

_ROLES = frozenset({Role.COORDINATOR, Role.CASEWORKER})
#: An instrument names its desk: another desk's staff get 404, its administrator 403.
_OTHER_DESK = {"admin": 403, "outsider": 404, "outsider_caseworker": 404}


def register() -> None:
    registry.register_urls("", "protectdesk.advocacy.urls")
    registry.register_navigation(NavEntry("advocacy:index", _("Observatory"), _ROLES, order=57))
    codes.register(
        {
            "observatory.instrument_saved": _("Observatory instrument saved"),
            "observatory.assessed": _("Observatory instrument assessed"),
        }
    )
    own = {"admin": 403}
    registry.register_routes(
        {
            "advocacy:index": RouteRule("GET", "staff", member=200, defender=403, overrides=own),
            "advocacy:compare": RouteRule("GET", "staff", member=200, defender=403, overrides=own),
            "advocacy:country": RouteRule(
                "GET", "staff", member=200, defender=403, sample=_country, overrides=own
            ),
            "advocacy:new_instrument": RouteRule(
                "GET", "staff", member=200, defender=403, overrides=own
            ),
            "advocacy:instrument": RouteRule(
                "GET", "staff", member=200, defender=403, sample=_instrument, overrides=_OTHER_DESK
            ),
            "advocacy:assess": RouteRule(
                "GET", "staff", member=200, defender=403, sample=_instrument, overrides=_OTHER_DESK
            ),
        }
    )


def _made(actor: User) -> Any:
    from protectdesk.advocacy import actions
    from protectdesk.advocacy.models import Instrument

    existing = Instrument.objects.filter(desk_id=actor.desk_id).first()
    if existing is not None:
        return existing
    return actions.save_instrument(
        actor=actor,
        data=actions.InstrumentData(
            "GT", "policy", "Sample protection policy", adopted_on=datetime.date(2024, 5, 2)
        ),
    )


def _country(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    return {"code": _made(actor).country}


def _instrument(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    return {"instrument_id": _made(actor).id}
