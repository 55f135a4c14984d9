"""Every URL name of the project, and the authorization matrix the tests hold it to.

Each entry: the HTTP method to probe, how to build the URL's arguments from the personas, and
what each persona must get. ``LOGIN`` means "redirected to the sign-in page". Adding a route
without adding it here fails ``test_every_route_has_an_entry``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

LOGIN = "login"
PERSONAS = ["anonymous", "admin", "coordinator", "caseworker", "caseworker2", "defender"]


@dataclass(frozen=True)
class Route:
    method: str
    expect: dict[str, int | str]
    kwargs: Callable[[Any], dict[str, Any]] = field(default=lambda desks: {})


def _all(anonymous: int | str, signed_in: int | str) -> dict[str, int | str]:
    return {"anonymous": anonymous, **{p: signed_in for p in PERSONAS[1:]}}


def _managers(
    anonymous: int | str, managers: int | str, others: int | str = 403
) -> dict[str, int | str]:
    return {
        "anonymous": anonymous,
        "admin": managers,
        "coordinator": managers,
        "caseworker": others,
        "caseworker2": others,
        "defender": others,
    }


def _case(
    member: int | str, defender: int | str, non_member: int | str = 404
) -> dict[str, int | str]:
    """A route of ``desks.case``: the caseworker is a member; the defender's account is a member
    with the shared key only; the administrator, the coordinator and caseworker2 are not members."""
    return {
        "anonymous": LOGIN,
        "admin": non_member,
        "coordinator": non_member,
        "caseworker": member,
        "caseworker2": non_member,
        "defender": defender,
    }


def _case_kwargs(desks: Any) -> dict[str, Any]:
    return {"case_id": desks.case.id}


def _case_member_kwargs(desks: Any) -> dict[str, Any]:
    return {"case_id": desks.case.id, "user_id": desks.defender.id}


def _recovery_target(desks: Any) -> dict[str, Any]:
    return {"user_id": desks.caseworker.id}


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
    "accounts:totp_disable": Route("POST", _all(LOGIN, 302)),
    "accounts:recovery_codes": Route("POST", _all(LOGIN, 302)),
    "accounts:staff": Route("GET", _managers(LOGIN, 200)),
    "accounts:invite": Route("POST", _managers(LOGIN, 400)),
    "accounts:reinvite": Route("POST", _managers(LOGIN, 200), _staff_target),
    "accounts:change_role": Route("POST", _managers(LOGIN, 302), _staff_target),
    "accounts:set_active": Route("POST", _managers(LOGIN, 302), _staff_target),
    "accounts:revoke_invitation": Route("POST", _managers(LOGIN, 302), _open_invitation),
    "accounts:desk_settings": Route("GET", _managers(LOGIN, 200)),
    "audit:log": Route("GET", _managers(LOGIN, 200)),
    "cases:list": Route("GET", _all(LOGIN, 200)),
    "cases:new": Route("GET", {**_all(LOGIN, 200), "admin": 403, "defender": 403}),
    "cases:detail": Route("GET", _case(200, 200), _case_kwargs),
    "cases:status": Route("POST", _case(302, 404), _case_kwargs),
    "cases:notes": Route("POST", _case(400, 404), _case_kwargs),
    "cases:add_member": Route("POST", _case(302, 404), _case_kwargs),
    "cases:remove_member": Route("POST", _case(302, 404), _case_member_kwargs),
    "cases:invite_defender": Route("POST", _case(302, 404), _case_kwargs),
    "cases:recovery_list": Route("GET", _managers(LOGIN, 200)),
    "cases:restore_access": Route("GET", _managers(LOGIN, 200), _recovery_target),
}


def url_names() -> set[str]:
    """Every named URL pattern, with its namespace (``app:name``)."""
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return names


def _setup_token(desks: Any) -> dict[str, Any]:
    return {"token": "not-a-valid-token"}


MATRIX["accounts:first_run"] = Route("GET", _all(404, 404), _setup_token)


def _attachment_kwargs(desks: Any) -> dict[str, Any]:
    from tests.conftest import make_attachment

    return {
        "case_id": desks.case.id,
        "attachment_id": make_attachment(desks.caseworker, desks.case).id,
    }


MATRIX.update(
    {
        "attachments:upload": Route("POST", _case(302, 302), _case_kwargs),
        "attachments:download": Route("GET", _case(200, 200), _attachment_kwargs),
        "attachments:remove": Route("POST", _case(302, 404), _attachment_kwargs),
    }
)


MATRIX["search:search"] = Route("GET", {**_all(LOGIN, 200), "defender": 403})


MATRIX["cases:rotate"] = Route("POST", _case(302, 404), _case_kwargs)


def _incident_kwargs(desks: Any) -> dict[str, Any]:
    from tests.incidents.helpers import log_incident_with

    return {
        "case_id": desks.case.id,
        "incident_id": log_incident_with(desks.caseworker, desks.case).id,
    }


def _actor_kwargs(desks: Any) -> dict[str, Any]:
    from protectdesk.incidents import actions as incident_actions
    from tests.conftest import keyring_of

    actor = incident_actions.add_actor(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        case=desks.case,
        actor_type="state_police",
        name="Unit 7",
    )
    return {"case_id": desks.case.id, "actor_id": actor.id}


def _link_kwargs(desks: Any) -> dict[str, Any]:
    from protectdesk.cases import actions as case_actions
    from tests.conftest import keyring_of

    keyring = keyring_of(desks.caseworker)
    collective = case_actions.open_case(
        actor=desks.caseworker,
        keyring=keyring,
        profile=case_actions.DefenderProfile(
            kind="community", country="GT", name="Community of the test"
        ),
    )
    link = case_actions.link_defender(
        actor=desks.caseworker, keyring=keyring, case=desks.case, collective=collective
    )
    return {"case_id": desks.case.id, "link_id": link.pk}


MATRIX.update(
    {
        "incidents:list": Route("GET", {**_all(LOGIN, 200), "defender": 403}),
        "incidents:new": Route("GET", _case(200, 404), _case_kwargs),
        "incidents:detail": Route("GET", _case(200, 200), _incident_kwargs),
        "incidents:edit": Route("GET", _case(200, 404), _incident_kwargs),
        "incidents:actors": Route("GET", _case(200, 404), _case_kwargs),
        "incidents:edit_actor": Route("GET", _case(200, 404), _actor_kwargs),
        "cases:edit_defender": Route("GET", _case(200, 404), _case_kwargs),
        "cases:consent": Route("POST", _case(400, 404), _case_kwargs),
        "cases:link": Route("POST", _case(302, 404), _case_kwargs),
        "cases:unlink": Route("POST", _case(302, 404), _link_kwargs),
    }
)
