"""The demo desk: fictional people only, created through the same actions as real data.

Every demo account shares one documented password. The demo desk does not require 2FA.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from protectdesk.accounts import actions
from protectdesk.accounts.models import Desk, Role, User

DEMO_PASSWORD = "protect-demo-2026"  # noqa: S105 - the documented, public demo password
COORDINATOR = "coordinator@demo.example"


@dataclass(frozen=True)
class DemoAccount:
    login: str
    name: str
    role: str


ACCOUNTS = [
    DemoAccount("admin@demo.example", "Ana Admin", Role.ADMIN),
    DemoAccount(COORDINATOR, "Carla Coordinator", Role.COORDINATOR),
    DemoAccount("caseworker@demo.example", "Camilo Caseworker", Role.CASEWORKER),
    DemoAccount("caseworker2@demo.example", "Catalina Caseworker", Role.CASEWORKER),
    DemoAccount("demo-defender", "", Role.DEFENDER),
]


def demo_exists() -> bool:
    return User.objects.filter(login=COORDINATOR).exists()


def create_demo() -> str:
    """Create the demo desk and its accounts; returns the recovery phrase (demo only)."""
    with transaction.atomic():
        created = actions.create_desk(
            name="Demo Protection Desk",
            country="GT",
            languages=[code for code, _ in settings.LANGUAGES],
            reference_prefix="GT",
            require_staff_2fa=False,
            coordinator_login=COORDINATOR,
            coordinator_name="Carla Coordinator",
            coordinator_password=DEMO_PASSWORD,
        )
        coordinator = created.coordinator
        users: dict[str, User] = {COORDINATOR: coordinator}
        for account in ACCOUNTS:
            if account.login == COORDINATOR:
                continue
            invitation, token = actions.invite(
                actor=coordinator, role=account.role, login=account.login, display_name=account.name
            )
            users[account.login] = actions.accept_invitation(
                invitation=invitation, token=token, password=DEMO_PASSWORD, display_name=account.name
            )
    return created.recovery_phrase


def demo_desk() -> Desk | None:
    user = User.objects.select_related("desk").filter(login=COORDINATOR).first()
    return user.desk if user else None
