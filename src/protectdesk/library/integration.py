"""What the library module declares to the rest of the product (see docs/architecture.md)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import ACCOUNT_MANAGERS, STAFF_ROLES, Role, User
from protectdesk.audit import codes
from protectdesk.records import registry
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case
from protectdesk.records.registry import NavEntry, RouteRule


def register() -> None:
    registry.register_urls("library/", "protectdesk.library.urls")
    registry.register_navigation(
        NavEntry("library:manage", _("Library"), frozenset(STAFF_ROLES), order=60)
    )
    # Trainers write no library resource (the desk's staff do): they read the public library.
    registry.register_navigation(
        NavEntry("library:index", _("Library"), frozenset({Role.TRAINER}), order=60)
    )
    codes.register(
        {
            "library.resource_created": _("Library resource created"),
            "library.resource_updated": _("Library resource details saved"),
            "library.resource_deleted": _("Library resource deleted"),
            "library.version_saved": _("Library resource language version saved"),
            "library.version_deleted": _("Library resource language version deleted"),
            "library.published": _("Library resource published"),
            "library.withdrawn": _("Library resource withdrawn to draft"),
        }
    )
    own_desk_only = {"outsider": 404, "outsider_caseworker": 404}
    registry.register_routes(
        {
            "library:index": RouteRule("GET", "public", member=200),
            "library:resource": RouteRule("GET", "public", member=200, sample=_published),
            "library:version": RouteRule("GET", "public", member=200, sample=_published_version),
            "library:download": RouteRule("GET", "public", member=200, sample=_published_version),
            "library:offline": RouteRule("GET", "public", member=200, sample=_offline),
            "library:manage": RouteRule("GET", "staff", member=200, defender=403),
            "library:new": RouteRule("GET", "staff", member=200, defender=403),
            "library:edit": RouteRule(
                "GET", "staff", member=200, defender=403, sample=_draft, overrides=own_desk_only
            ),
            "library:edit_version": RouteRule(
                "GET",
                "staff",
                member=200,
                defender=403,
                sample=_draft_version,
                overrides=own_desk_only,
            ),
            "library:publish": RouteRule("POST", "managers", member=302, sample=_draft),
            "library:delete": RouteRule(
                "POST", "staff", member=302, defender=403, sample=_draft, overrides=own_desk_only
            ),
            "library:delete_version": RouteRule(
                "POST",
                "staff",
                member=302,
                defender=403,
                sample=_draft_version,
                overrides=own_desk_only,
            ),
        }
    )


# --- samples for the authorization matrix (written through the module's actions) ---------


def _resource(actor: User, slug: str, publish: bool) -> Any:
    from protectdesk.library import actions
    from protectdesk.library.models import Resource

    existing = Resource.objects.filter(slug=slug).first()
    if existing is not None:  # one sample per test, however many routes ask for it
        return existing
    publisher = User.objects.filter(desk_id=actor.desk_id, role__in=ACCOUNT_MANAGERS)[0]
    return actions.create_with_versions(
        author=actor,
        data=actions.ResourceData(
            slug=slug,
            kind="guide",
            audience="defenders",
            topics=("digital_security",),
            licence="cc-by-4.0",
        ),
        versions=[
            (
                actions.VersionData("en", "Phones at checkpoints", body="Lock the phone."),
                actions.Upload("checklist.txt", 24, [b"1. Lock the phone first.\n"]),
            )
        ],
        publisher=publisher if publish else None,
    )


def _published(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    return {"slug": _resource(actor, "phones-at-checkpoints", publish=True).slug}


def _published_version(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    return {**_published(actor, keyring, case), "lang": "en"}


def _offline(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    return {"lang": _published_version(actor, keyring, case)["lang"]}


def _draft(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    return {"resource_id": _resource(actor, "draft-guide", publish=False).id}


def _draft_version(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    return {**_draft(actor, keyring, case), "lang": "en"}
