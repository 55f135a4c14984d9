"""How the public intake plugs into the floor: the desk secret it holds, the case record a
submission becomes (so rotation, search, backups and the canary scan reach it), the case
page's section, routes, navigation, retention on the worker's housekeeping, audit codes."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from protectdesk.accounts import desk_keys
from protectdesk.accounts.models import Role, User
from protectdesk.audit import codes
from protectdesk.intake.models import ReceivedReport
from protectdesk.records import jobs, registry
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case
from protectdesk.records.registry import NavEntry, RecordType, RouteRule, Section

_ROLES = frozenset({Role.COORDINATOR, Role.CASEWORKER})


def _case_page(case: Case, _record_id: uuid.UUID) -> str:
    return reverse("cases:detail", args=[case.id]) + "#received"


def _section(request: HttpRequest, case: Case, keyring: Keyring) -> dict[str, Any]:
    from protectdesk.intake import queries

    return {"received": queries.received_reports(keyring, case)}


def register() -> None:
    from protectdesk.intake import actions

    desk_keys.DESK_SECRETS[actions.SECRET] = actions.OFFICER_ROLES
    desk_keys.GIVEN_ONE_BY_ONE.add(actions.SECRET)
    registry.register_urls("", "protectdesk.intake.urls")
    registry.register(
        RecordType(
            ReceivedReport,
            _("Report received through the public form"),
            _case_page,
            attachable=True,
            staff_files=True,
        )
    )
    registry.register_section(
        Section("received", "intake/_case_section.html", _section, order=38, staff_only=True)
    )
    registry.register_navigation(NavEntry("intake:inbox", _("Intake"), _ROLES, order=57))
    jobs.register_housekeeping(actions.destroy_expired)
    codes.register(
        {
            "intake.door_opened": _("Public intake opened"),
            "intake.door_changed": _("Public intake settings changed"),
            "intake.read": _("Report from the public form read"),
            "intake.file_downloaded": _("File of a report from the public form downloaded"),
            "intake.replied": _("Reply sent to a person who reported"),
            "intake.moved": _("Report from the public form added to a case"),
            "intake.moved_out": _("Report from the public form moved into a case"),
            "intake.closed": _("Report from the public form destroyed by an officer"),
            "intake.key_renewed": _("Intake key replaced"),
            "intake.expired": _("Reports from the public form destroyed after retention"),
        }
    )
    _register_routes()
    registry.register_canary(["intake.ReceivedReport"], _canary_received)


def _register_routes() -> None:
    officers = {"admin": 403, "outsider": 404, "outsider_caseworker": 404}
    registry.register_routes(
        {
            "intake:report": RouteRule("GET", "public", member=200, sample=_public_door),
            "intake:follow": RouteRule("GET", "public", member=200, sample=_public_door),
            # No receipt: the page asks for one (400) whoever posts.
            "intake:answer": RouteRule("POST", "public", member=400, sample=_public_door),
            "intake:inbox": RouteRule(
                "GET", "staff", member=200, defender=403, overrides={"admin": 403}
            ),
            "intake:settings": RouteRule(
                "GET", "staff", member=200, defender=403, overrides={"admin": 403}
            ),
            "intake:open_door": RouteRule(
                "POST",
                "managers",
                member=302,
                overrides={"admin": 403, "outsider": 302},
            ),
            "intake:change_door": RouteRule(
                "POST", "managers", member=400, sample=_door, overrides={"admin": 403}
            ),
            "intake:give_key": RouteRule(
                "POST", "staff", member=400, defender=403, sample=_door, overrides=officers
            ),
            "intake:take_key": RouteRule(
                "POST", "managers", member=302, sample=_officer, overrides={"admin": 403}
            ),
            "intake:renew_key": RouteRule(
                "POST", "staff", member=302, defender=403, sample=_door, overrides=officers
            ),
            "intake:recover": RouteRule(
                "POST", "managers", member=400, sample=_door, overrides={"admin": 403}
            ),
            "intake:submission": RouteRule(
                "GET", "staff", member=200, defender=403, sample=_submission, overrides=officers
            ),
            "intake:reply": RouteRule(
                "POST", "staff", member=400, defender=403, sample=_submission, overrides=officers
            ),
            "intake:open_case": RouteRule(
                "POST", "staff", member=400, defender=403, sample=_submission, overrides=officers
            ),
            "intake:add_to_case": RouteRule(
                "POST", "staff", member=400, defender=403, sample=_submission, overrides=officers
            ),
            "intake:close": RouteRule(
                "POST", "staff", member=400, defender=403, sample=_submission, overrides=officers
            ),
            "intake:download": RouteRule(
                "GET", "staff", member=200, defender=403, sample=_file, overrides=officers
            ),
        }
    )


# --- samples for the authorization matrix (written through the module's actions) ---------


def _sample_door(actor: User) -> Any:
    """The desk's door, its key sealed to every colleague who may be an officer."""
    from protectdesk.intake import actions

    door = actions.door_of(actor.desk_id)
    if door is not None:
        return door
    holders = [
        user
        for user in User.objects.filter(
            desk_id=actor.desk_id, role__in=actions.OFFICER_ROLES, is_active=True
        ).exclude(public_key=None)
    ]
    return actions.make_door(actor, holders)


def _public_door(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    return {"desk_id": _sample_door(actor).desk_id}


def _door(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    _sample_door(actor)
    return {}


def _officer(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    _sample_door(actor)
    return {"user_id": actor.pk}


def _sample_submission(actor: User, files: bool = False) -> Any:
    from protectdesk.intake import actions

    door = _sample_door(actor)
    uploads = []
    if files:
        from protectdesk.attachments.uploads import encrypt_bytes

        uploads = [encrypt_bytes("note.txt", b"what the person attached\n" * 4)]
    return actions.receive(
        desk_id=door.desk_id,
        report=actions.Report("a report for the matrix"),
        uploads=uploads,
        form_token=str(uuid.uuid4()),
    ).submission


def _submission(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    return {"submission_id": _sample_submission(actor).id}


def _file(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    submission = _sample_submission(actor, files=True)
    part = submission.parts.get(kind="file")
    return {"submission_id": submission.id, "part_id": part.id}


def _canary_received(
    actor: User, keyring: Keyring, case: Case, values: dict[str, dict[str, str]]
) -> None:
    """A report sent with canaries in every field, an officer's reply and an answer with
    canaries in the conversation, then added to ``case``: every field of the case record."""
    from protectdesk.intake import actions

    given = values["intake.ReceivedReport"]
    door = _sample_door(actor)
    received = actions.receive(
        desk_id=door.desk_id,
        report=actions.Report(
            given["what"], given["when"], given["where"], given["who"], given["contact"]
        ),
        uploads=[],
        form_token=str(uuid.uuid4()),
    )
    submission = received.submission
    actions.reply(
        actor=actor,
        submission=submission,
        text=given["conversation"],
        expected_version=submission.row_version,
    )
    submission.refresh_from_db()
    actions.add_to_case(
        actor=actor,
        keyring=keyring,
        submission=submission,
        case=case,
        expected_version=submission.row_version,
    )
