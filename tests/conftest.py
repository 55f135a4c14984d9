"""Personas shared by every test: one desk, one account per role, and an outsider desk.

Everything is created through the real action functions, the way the product creates it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from protectdesk.accounts import actions
from protectdesk.accounts.models import Desk, Role, User
from protectdesk.cases import actions as case_actions
from protectdesk.crypto import userkeys
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case

PASSWORD = "correct horse battery staple"


@dataclass
class Desks:
    """One desk with a person per role, one case, and a coordinator and caseworker of another.

    ``case`` was opened by ``caseworker``; ``defender`` is its defender's own account. The
    coordinator, the administrator and ``caseworker2`` are *not* members of it.
    """

    desk: Desk
    admin: User
    coordinator: User
    caseworker: User
    caseworker2: User
    defender: User
    outsider: User  # a coordinator of another desk
    recovery_phrase: str
    case: Case
    outsider_caseworker: User  # a caseworker of that other desk, with a case of their own
    trainer: User  # runs workshops; a member of no case
    analyst: User  # sees the desk's analytics only; a member of nothing


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
    invitation, token = actions.invite(actor=actor, role=role, login=login, display_name=name)
    return actions.accept_invitation(
        invitation=invitation, token=token, password=password, display_name=name
    )


@pytest.fixture
def desks(db) -> Desks:
    desk, coordinator, phrase = make_desk("Test Desk", "TD", "coordinator@test.example")
    admin = add_user(coordinator, Role.ADMIN, "admin@test.example", "Admin")
    caseworker = add_user(coordinator, Role.CASEWORKER, "caseworker@test.example", "Caseworker One")
    caseworker2 = add_user(
        coordinator, Role.CASEWORKER, "caseworker2@test.example", "Caseworker Two"
    )
    case = case_actions.open_case(
        actor=caseworker,
        keyring=keyring_of(caseworker),
        profile=case_actions.DefenderProfile(
            kind="individual", country="GT", subdivision="GT-16", name="Ana Test Defender"
        ),
        staff_notes="Internal assessment",
    )
    defender = add_defender_account(caseworker, case)
    _other, outsider, _ = make_desk("Other Desk", "OD", "outsider@other.example")
    outsider_caseworker = add_user(outsider, Role.CASEWORKER, "outsider-cw@other.example")
    case_actions.open_case(
        actor=outsider_caseworker,
        keyring=keyring_of(outsider_caseworker),
        profile=case_actions.DefenderProfile(kind="individual", country="GT", name="Other Person"),
    )
    trainer = add_user(coordinator, Role.TRAINER, "trainer@test.example", "Trainer One")
    analyst = add_user(coordinator, Role.ANALYST, "analyst@test.example", "Analyst One")
    return Desks(
        desk,
        admin,
        coordinator,
        caseworker,
        caseworker2,
        defender,
        outsider,
        phrase,
        case,
        outsider_caseworker,
        trainer,
        analyst,
    )


def caseworker_with_a_case(
    desk_name: str, prefix: str, caseworker_name: str, defender_name: str
) -> tuple[User, Case]:
    """A desk of its own, a caseworker of it, and one case that caseworker opened."""
    slug = prefix.lower()
    _desk, coordinator, _phrase = make_desk(desk_name, prefix, f"coordinator@{slug}.example")
    caseworker = add_user(
        coordinator, Role.CASEWORKER, f"caseworker@{slug}.example", caseworker_name
    )
    case = case_actions.open_case(
        actor=caseworker,
        keyring=keyring_of(caseworker),
        profile=case_actions.DefenderProfile(kind="individual", country="GT", name=defender_name),
    )
    return caseworker, case


def keyring_of(user: User, password: str = PASSWORD) -> Keyring:
    """The keyring a signed-in user would have (their private key opened with their password)."""
    user.refresh_from_db()
    private_key = userkeys.open_private_key(bytes(user.sealed_private_key), password, str(user.id))
    return Keyring(user, private_key)


def add_defender_account(member: User, case: Case, password: str = PASSWORD) -> User:
    """The defender's own account, made by a member and accepted through the real link."""
    _user, invitation, token = case_actions.invite_defender(
        actor=member, keyring=keyring_of(member), case=case
    )
    return actions.accept_invitation(
        invitation=invitation, token=token, password=password, display_name=""
    )


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


def make_attachment(
    member: User,
    case: Case,
    data: bytes = b"evidence text",
    name: str = "note.txt",
    staff_only: bool = False,
):
    """An attachment made by running the real encrypting upload handler over ``data``."""
    from protectdesk.attachments import actions as attachment_actions
    from protectdesk.attachments.uploads import encrypt_bytes

    return attachment_actions.add_attachment(
        actor=member,
        keyring=keyring_of(member),
        case=case,
        record_type="cases.case",
        record_id=case.id,
        upload=encrypt_bytes(name, data),
        staff_only=staff_only,
    )


@pytest.fixture
def no_worker_identity(monkeypatch):
    """The test starts as a plain process, not a job worker; the worker loop's signal handlers
    and its stop flag are undone afterwards (tests that start a worker in-process)."""
    import signal

    from protectdesk.records import jobs

    monkeypatch.setattr(jobs, "_WORKER", None)
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    jobs._STOPPING.clear()
    for sig, handler in handlers.items():
        signal.signal(sig, handler)
