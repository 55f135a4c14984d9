"""Personas shared by every test: one desk, one account per role, and an outsider desk.

Everything is created through the real action functions, the way the product creates it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from protectdesk.accounts import actions
from protectdesk.accounts.models import Desk, Role, User

PASSWORD = "correct horse battery staple"


@dataclass
class Desks:
    desk: Desk
    admin: User
    coordinator: User
    caseworker: User
    caseworker2: User
    defender: User
    outsider: User  # a coordinator of another desk
    recovery_phrase: str


def make_desk(
    name: str, prefix: str, coordinator_login: str, require_2fa: bool = False
) -> tuple[Desk, User, str]:
    created = actions.create_desk(
        name=name,
        country="GT",
        languages=["en", "es"],
        reference_prefix=prefix,
        require_staff_2fa=require_2fa,
        coordinator_login=coordinator_login,
        coordinator_name="Coordinator",
        coordinator_password=PASSWORD,
    )
    return created.desk, created.coordinator, created.recovery_phrase


def add_user(actor: User, role: str, login: str, name: str = "", password: str = PASSWORD) -> User:
    invitation, _token = actions.invite(actor=actor, role=role, login=login, display_name=name)
    return actions.accept_invitation(invitation=invitation, password=password, display_name=name)


@pytest.fixture
def desks(db) -> Desks:
    desk, coordinator, phrase = make_desk("Test Desk", "TD", "coordinator@test.example")
    admin = add_user(coordinator, Role.ADMIN, "admin@test.example", "Admin")
    caseworker = add_user(coordinator, Role.CASEWORKER, "caseworker@test.example", "Caseworker One")
    caseworker2 = add_user(
        coordinator, Role.CASEWORKER, "caseworker2@test.example", "Caseworker Two"
    )
    defender = add_user(coordinator, Role.DEFENDER, "d-test-0001")
    _other, outsider, _ = make_desk("Other Desk", "OD", "outsider@other.example")
    return Desks(desk, admin, coordinator, caseworker, caseworker2, defender, outsider, phrase)


def sign_in(client: Client, login: str, password: str = PASSWORD) -> None:
    """Sign in through the real login view (no 2FA on the test desk); asserts it worked."""
    response = client.post("/login/", {"login": login, "password": password})
    assert response.status_code == 302, response.content[:500]
    assert response["Location"] == "/", response["Location"]
    assert client.cookies.get("pd_key"), "the login must set the pd_key cookie"


@pytest.fixture
def signed_in_client():
    """``signed_in_client(user)`` → a Client signed in as that user."""

    def make(user: User) -> Client:
        client = Client()
        sign_in(client, user.login)
        return client

    return make
