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


@dataclass(frozen=True)
class NavItem:
    url: str
    label: Promise | str
    current: bool


def _nav_for(user: User, path: str) -> list[NavItem]:
    items: list[tuple[str, Promise]] = [("home", _("Home"))]
    items += [(name, label) for name, label, roles in NAVIGATION if user.role in roles]
    items.append(("accounts:account", _("My account")))
    result = []
    for name, label in items:
        url = reverse(name)
        current = path == url if url == "/" else path.startswith(url)
        result.append(NavItem(url, label, current))
    return result


#: (url name, label, roles) in display order. Apps append their entries as they arrive.
NAVIGATION: list[tuple[str, Promise, frozenset[str]]] = [
    ("cases:list", _("Cases"), frozenset({Role.COORDINATOR, Role.CASEWORKER, Role.ADMIN})),
    ("search:search", _("Search"), frozenset({Role.COORDINATOR, Role.CASEWORKER, Role.ADMIN})),
    ("accounts:staff", _("Staff"), frozenset(ACCOUNT_MANAGERS)),
    ("accounts:desk_settings", _("Desk settings"), frozenset(ACCOUNT_MANAGERS)),
    ("audit:log", _("Audit log"), frozenset(ACCOUNT_MANAGERS)),
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
