"""Template context for the shell: navigation by role, languages, desk name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import ACCOUNT_MANAGERS, Role, User
from protectdesk.records import registry
from protectdesk.records.registry import NavEntry


@dataclass(frozen=True)
class NavItem:
    url: str
    label: Promise | str
    current: bool


def _nav_for(user: User, path: str) -> list[NavItem]:
    entries = sorted([*PLATFORM_NAVIGATION, *registry.NAVIGATION], key=lambda e: e.order)
    items: list[tuple[str, Promise]] = [("home", _("Home"))]
    items += [(e.url_name, e.label) for e in entries if user.role in e.roles]
    items.append(("accounts:account", _("My account")))
    result = []
    for name, label in items:
        url = reverse(name)
        current = path == url if url == "/" else path.startswith(url)
        result.append(NavItem(url, label, current))
    return result


#: The platform's own entries; domain modules register theirs (records.registry.NAVIGATION)
#: from their integration.py, with an ``order`` that places them among these.
PLATFORM_NAVIGATION: list[NavEntry] = [
    NavEntry("accounts:staff", _("Staff"), frozenset(ACCOUNT_MANAGERS), order=80),
    NavEntry("accounts:desk_settings", _("Desk settings"), frozenset(ACCOUNT_MANAGERS), order=85),
    NavEntry("audit:log", _("Audit log"), frozenset(ACCOUNT_MANAGERS), order=90),
]


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {
            "nav": [],
            "desk_name": "",
            "role_label": "",
            "available_languages": settings.LANGUAGES,
        }
    return {
        "nav": _nav_for(user, request.path),
        "desk_name": user.desk.name,
        "role_label": Role(user.role).label,
        "available_languages": settings.LANGUAGES,
    }
