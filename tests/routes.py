"""Every URL name of the project, and the authorization matrix the tests hold it to.

Each entry: the HTTP method to probe, how to build the URL's arguments from the personas, and
what each persona must get. ``LOGIN`` means "redirected to the sign-in page".

The platform's own routes (accounts, audit, the shell) are listed here. Every domain module
declares its routes from its own ``integration.py`` (``records.registry.register_routes``) and
they are translated into entries below, so adding a module edits no file of another. A route
with no entry either way fails ``test_every_route_has_an_entry``.

Personas: one desk's administrator, coordinator, two caseworkers and the defender's own
account, plus two **outsiders** — a coordinator and a caseworker of another desk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from protectdesk.records import registry
from protectdesk.records.registry import RouteRule

LOGIN = "login"
PERSONAS = [
    "anonymous",
    "admin",
    "coordinator",
    "caseworker",
    "caseworker2",
    "defender",
    "outsider",
    "outsider_caseworker",
    "trainer",
    "analyst",
]


@dataclass(frozen=True)
class Route:
    method: str
    expect: dict[str, int | str]
    kwargs: Callable[[Any], dict[str, Any]] = field(default=lambda desks: {})


def _all(anonymous: int | str, signed_in: int | str) -> dict[str, int | str]:
    return {"anonymous": anonymous, **{p: signed_in for p in PERSONAS[1:]}}


def _managers(
    anonymous: int | str,
    managers: int | str,
    others: int | str = 403,
    outsider: int | str | None = None,
) -> dict[str, int | str]:
    """Coordinators and administrators; ``outsider`` is what another desk's coordinator gets
    (by default the same as this desk's: the page of their own desk; 404 when the URL names
    someone or something of this desk)."""
    return {
        "anonymous": anonymous,
        "admin": managers,
        "coordinator": managers,
        "caseworker": others,
        "caseworker2": others,
        "defender": others,
        "outsider": managers if outsider is None else outsider,
        "outsider_caseworker": others,
        "trainer": others,
        "analyst": others,
    }


def _case(
    member: int | str, defender: int | str, non_member: int | str = 404
) -> dict[str, int | str]:
    """A route of ``desks.case``: the caseworker is a member; the defender's account is a member
    with the shared key only; the administrator, the coordinator and caseworker2 are not members,
    and neither is anyone of another desk."""
    return {
        "anonymous": LOGIN,
        "admin": non_member,
        "coordinator": non_member,
        "caseworker": member,
        "caseworker2": non_member,
        "defender": defender,
        "outsider": non_member,
        "outsider_caseworker": non_member,
        "trainer": non_member,
        "analyst": non_member,
    }


def _staff(
    member: int | str, defender: int | str, trainer: int | str = 403
) -> dict[str, int | str]:
    """Pages of the signed-in staff member's own desk (outsiders see their own desk's). A
    trainer is not case staff: 403 unless said; an analyst sees analytics only: 403."""
    return {**_all(LOGIN, member), "defender": defender, "trainer": trainer, "analyst": 403}


def _trainers(member: int | str) -> dict[str, int | str]:
    """Pages of the desk's training, for those who may run workshops (coordinators,
    caseworkers, trainers: training.actions.TRAINING_ROLES); administrators and the defender's
    account get 403, and so does the analyst (analytics only)."""
    return {**_all(LOGIN, member), "admin": 403, "defender": 403, "analyst": 403}


def _workshop(member: int | str) -> dict[str, int | str]:
    """A route of one workshop the trainer made (the sample): nobody else is a member, so for
    everyone else of this desk or another the workshop does not exist."""
    return {**_all(LOGIN, 404), "trainer": member}


def _staff_target(desks: Any) -> dict[str, Any]:
    return {"user_id": desks.caseworker2.pk}


def _open_invitation(desks: Any) -> dict[str, Any]:
    from protectdesk.accounts import actions

    invitation, _token = actions.invite(
        actor=desks.coordinator, role="caseworker", login="pending@test.example"
    )
    return {"invitation_id": invitation.pk}


def _invitation_token(desks: Any) -> dict[str, Any]:
    from protectdesk.accounts import actions

    _invitation, token = actions.invite(
        actor=desks.coordinator, role="caseworker", login="invitee@test.example"
    )
    return {"token": token}


MATRIX: dict[str, Route] = {
    "home": Route("GET", _all(LOGIN, 200)),
    "set_language": Route("POST", _all(302, 302)),
    "accounts:login": Route("GET", _all(200, 302)),
    "accounts:login_code": Route("GET", _all(302, 302)),
    "accounts:login_enrol": Route("GET", _all(302, 302)),
    "accounts:totp_qr": Route("GET", _all(404, 200)),
    "accounts:unlock": Route("GET", _all(LOGIN, 302)),
    "accounts:logout": Route("POST", _all(302, 302)),
    "accounts:accept_invitation": Route("GET", _all(200, 200), _invitation_token),
    "accounts:account": Route("GET", _all(LOGIN, 200)),
    "accounts:change_password": Route("POST", _all(LOGIN, 400)),
    "accounts:revoke_sessions": Route("POST", _all(LOGIN, 302)),
    "accounts:totp_enrol": Route("GET", _all(LOGIN, 200)),
    "accounts:totp_disable": Route("POST", _all(LOGIN, 400)),  # no password: shown again
    "accounts:recovery_codes": Route("POST", _all(LOGIN, 302)),
    "accounts:staff": Route("GET", _managers(LOGIN, 200)),
    "accounts:invite": Route("POST", _managers(LOGIN, 400)),
    # Only a coordinator re-invites an existing account (it replaces their keys): issue 10.
    "accounts:reinvite": Route(
        "POST", {**_managers(LOGIN, 200, outsider=404), "admin": 403}, _staff_target
    ),
    "accounts:change_role": Route("POST", _managers(LOGIN, 302, outsider=404), _staff_target),
    "accounts:set_active": Route("POST", _managers(LOGIN, 302, outsider=404), _staff_target),
    "accounts:revoke_invitation": Route(
        "POST", _managers(LOGIN, 302, outsider=404), _open_invitation
    ),
    "accounts:desk_settings": Route("GET", _managers(LOGIN, 200)),
    "audit:log": Route("GET", _managers(LOGIN, 200)),
}


#: The JSON API's operations answer tokens, not sessions: their matrix is tests/api/test_matrix.py.
API_NAMESPACE = "api:api-v1:"


def url_names() -> set[str]:
    """Every named URL pattern, with its namespace (``app:name``), but the API's operations."""
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return {name for name in names if not name.startswith(API_NAMESPACE)}


def _setup_token(desks: Any) -> dict[str, Any]:
    return {"token": "not-a-valid-token"}


MATRIX["accounts:first_run"] = Route("GET", _all(404, 404), _setup_token)


def _expectations(rule: RouteRule) -> dict[str, int | str]:
    if rule.access == "case":
        expect = _case(rule.member, rule.defender)
    elif rule.access == "staff":
        expect = _staff(rule.member, rule.defender)
    elif rule.access == "managers":
        expect = _managers(LOGIN, rule.member, outsider=404 if rule.sample else None)
    elif rule.access == "public":
        expect = _all(rule.member, rule.member)
    elif rule.access == "trainers":
        expect = _trainers(rule.member)
    elif rule.access == "workshop":
        expect = _workshop(rule.member)
    else:
        raise ValueError(f"unknown access class {rule.access!r}")
    return {**expect, **(rule.overrides or {})}


def _kwargs_from(rule: RouteRule) -> Callable[[Any], dict[str, Any]]:
    def build(desks: Any) -> dict[str, Any]:
        from tests.conftest import keyring_of

        kwargs: dict[str, Any] = {"case_id": desks.case.id} if rule.access == "case" else {}
        actor = desks.trainer if rule.access == "workshop" else desks.caseworker
        if rule.sample is not None:
            kwargs.update(rule.sample(actor, keyring_of(actor), desks.case))
        return kwargs

    return build


def module_routes() -> dict[str, Route]:
    """The routes the domain modules declared in their integration.py."""
    return {
        name: Route(rule.method, _expectations(rule), _kwargs_from(rule))
        for name, rule in registry.ROUTES.items()
    }


MATRIX.update(module_routes())
