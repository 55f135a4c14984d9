"""How the API plugs into the floor: its URLs, audit codes, page routes, the housekeeping that
destroys expired tokens, and the account events that drop an account's tokens.

The operations of ``/api/v1/`` are not page routes: their authorization matrix is declared in
``tests/api`` over tokens, and ``tests/routes.py`` leaves the ``api:api-v1`` names to it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from protectdesk.accounts import signals
from protectdesk.accounts.models import User
from protectdesk.audit import codes
from protectdesk.records import jobs, registry
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case
from protectdesk.records.registry import RouteRule

#: Roles with no scope to give see the page (it says so) but may not post its form.
_NO_SCOPE = {"admin": 403, "trainer": 403}


def _own_token(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    """A token of the case's caseworker: only they may revoke it; for everyone else, revoking
    it finds nothing of theirs (302 back to their own list, the token untouched)."""
    from protectdesk.api import actions

    made = actions.create_token(actor=actor, scope="read", days=7, private_key=keyring._private_key)
    return {"token_id": made.token.pk}


def _dropped(reason: str) -> Any:
    def receiver(sender: Any, user: User, actor: User | None = None, **kwargs: Any) -> None:
        from protectdesk.api import actions

        actions.drop_tokens(user, reason, actor)

    return receiver


def _credentials_reset(sender: Any, user: User, reason: str, **kwargs: Any) -> None:
    from protectdesk.api import actions

    actions.drop_tokens(user, reason)


_RECEIVERS = {
    "role changed": _dropped("role changed"),
    "deactivated": _dropped("deactivated"),
    "new key pair": _dropped("new key pair"),
}


def register() -> None:
    from protectdesk.api import actions

    registry.register_urls("", "protectdesk.api.urls")
    codes.register(
        {
            "api.token_created": _("API token made"),
            "api.token_revoked": _("API token revoked"),
            "api.tokens_dropped": _("API tokens of an account dropped"),
            "api.call": _("API call"),
        }
    )
    registry.register_routes(
        {
            "api:tokens": RouteRule("GET", "public", member=200, overrides={"anonymous": "login"}),
            "api:revoke": RouteRule(
                "POST", "public", member=302, sample=_own_token, overrides={"anonymous": "login"}
            ),
            "api:docs": RouteRule("GET", "public", member=200),
        }
    )
    jobs.register_housekeeping(actions.destroy_expired)
    signals.role_changed.connect(_RECEIVERS["role changed"], dispatch_uid="api-role-changed")
    signals.account_deactivated.connect(_RECEIVERS["deactivated"], dispatch_uid="api-deactivated")
    signals.keypair_replaced.connect(_RECEIVERS["new key pair"], dispatch_uid="api-new-keypair")
    signals.credentials_reset.connect(_credentials_reset, dispatch_uid="api-credentials-reset")
