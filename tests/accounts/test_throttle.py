"""Sign-in throttling: delays per typed name that slow guessing without locking the owner out.

Time is moved by replacing the throttle's clock, never by sleeping; the test hasher is a fast
Argon2, so a thousand attempts take seconds.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone, translation
from django_otp.oath import totp

from protectdesk.accounts.actions import throttle, two_factor
from protectdesk.accounts.models import LoginThrottle, User
from protectdesk.audit.models import AuditEntry
from tests.conftest import PASSWORD, sign_in

WRONG = "wrong password!!"


class FakeClock:
    def __init__(self) -> None:
        self.now = timezone.now()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(throttle, "clock", fake)
    return fake


def _post(client, login, password=WRONG, code=None):
    data = {"login": login, "password": password}
    if code is not None:
        data["code"] = code
    return client.post("/login/", data)


def _fail(client, login, times):
    for _ in range(times):
        response = _post(client, login)
    return response


def _enrol(user: User) -> tuple[bytes, list[str]]:
    """Give ``user`` an authenticator through the real action; returns its key and codes."""
    secret_hex = two_factor.new_enrolment_secret()
    key = bytes.fromhex(secret_hex)
    codes = two_factor.confirm_totp(user=user, secret_hex=secret_hex, code=f"{totp(key):06d}")
    assert codes is not None
    return key, codes


def _code(key: bytes, offset: int = 1) -> str:
    # The enrolment used the current window; the next one is accepted (drift tolerance 1).
    return f"{totp(key, drift=offset):06d}"


def _wrong_code(key: bytes) -> str:
    valid = {f"{totp(key, drift=offset):06d}" for offset in (-1, 0, 1, 2)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


def _wait_seconds(response) -> int:
    """The wait the page asks for, in seconds (minutes are converted)."""
    match = re.search(rb"Wait (\d+) (second|minute)s? and try again", response.content)
    assert match, response.content.decode()[:2000]
    return int(match.group(1)) * (60 if match.group(2) == b"minute" else 1)


def _is_delayed(response) -> bool:
    return b"Too many failed sign-in attempts for this e-mail or handle." in response.content


def _row(user: User) -> LoginThrottle | None:
    return LoginThrottle.objects.filter(name_digest=throttle.login_name_digest(user.login)).first()


def _delay(client, login, clock, failures):
    """``failures`` counted wrong passwords, waiting out each delay like a patient attacker;
    the delay after the last one is still running when this returns."""
    for number in range(failures):
        response = _post(client, login)
        assert not _is_delayed(response)
        if number < failures - 1 and b"and try again" in response.content:
            clock.advance(_wait_seconds(response))
    return response


def _signed_in(client) -> bool:
    return client.get("/").status_code == 200


def _when(moment: datetime) -> str:
    with translation.override("en"):
        return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


# --- the required scenario ---------------------------------------------------------------------


def test_a_thousand_wrong_passwords_do_not_stop_the_owner_with_password_and_second_factor(
    desks, clock
):
    owner = desks.caseworker
    key, _codes = _enrol(owner)
    attacker = Client()
    started = clock()
    for attempt in range(1000):
        # A fast attacker, a second apart, now and then with a made-up code as well.
        _post(attacker, owner.login, code=_wrong_code(key) if attempt % 10 == 0 else None)
        clock.advance(1)
    row = _row(owner)
    assert row.failures + row.refused == 1000
    # The delays held the guessing down to a dozen passwords outside a delay.
    assert row.failures <= 15, row.failures

    person = Client()
    refused = _post(person, owner.login, PASSWORD)
    assert refused.status_code == 200 and _is_delayed(refused)
    assert b'name="code"' in refused.content, "the form offers the second factor"
    assert not _signed_in(person)

    done = _post(person, owner.login, PASSWORD, code=_code(key))
    assert done.status_code == 302 and done["Location"] == "/"
    home = person.get("/")
    assert home.status_code == 200
    # ... and the owner is told: how many, first and last time.
    assert b"There were 1001 failed attempts to sign in to your account" in home.content
    assert _when(started).encode() in home.content
    assert _when(clock() - timedelta(seconds=0)).encode() in home.content
    assert _row(owner) is None, "the count starts again after a sign-in"
    assert AuditEntry.objects.filter(action="login.succeeded", actor_id=owner.id).exists()


def test_the_delays_grow_with_the_failures_and_stop_at_a_cap(desks, clock):
    client = Client()
    login = desks.caseworker.login
    for _ in range(throttle.free_failures()):
        response = _post(client, login)
        assert b"do not match an active account" in response.content
        assert b"and try again" not in response.content, "typos cost nothing"
    delays, shown = [], []
    for _ in range(10):
        response = _post(client, login)
        assert b"do not match an active account" in response.content
        shown.append(_wait_seconds(response))
        delays.append(throttle.delay_after(_row(desks.caseworker).failures).total_seconds())
        # Too early: refused, even with the right password, and hammering moves nothing.
        clock.advance(delays[-1] - 1)
        for _ in range(3):
            early = _post(client, login, PASSWORD)
            assert _is_delayed(early)
        assert _wait_seconds(early) == 1
        clock.advance(1)
    assert delays == [2, 4, 8, 16, 32, 64, 128, 256, 300, 300]
    assert shown == [2, 4, 8, 16, 32, 120, 180, 300, 300, 300]  # "Wait 2 minutes" for 64 s
    assert _row(desks.caseworker).failures == throttle.free_failures() + 10
    # Once the delay is over, the right password alone signs in (no second factor here).
    sign_in(client, login)


def test_failures_are_counted_before_the_password_is_checked(desks, clock):
    """Parallel requests cannot try more passwords than the schedule: the count comes first."""
    for _ in range(throttle.free_failures() + 1):
        assert not throttle.begin_attempt(desks.caseworker.login).delayed
    assert throttle.begin_attempt(desks.caseworker.login).delayed


# --- during a delay, nothing tells whether the password was right --------------------------


def _normalised(response, login) -> bytes:
    body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", response.content)
    return body.replace(login.encode(), b"LOGIN")


def test_during_a_delay_the_answer_does_not_tell_whether_the_password_was_right(desks, clock):
    owner = desks.caseworker
    key, _codes = _enrol(owner)
    unknown = "nobody-here@test.example"
    attacker = Client()
    _fail(attacker, owner.login, throttle.free_failures() + 1)
    _fail(attacker, unknown, throttle.free_failures() + 1)

    answers = {}
    for label, login, password, code in [
        ("right, no code", owner.login, PASSWORD, None),
        ("wrong, no code", owner.login, WRONG, None),
        ("unknown name, no code", unknown, PASSWORD, None),
        ("right, wrong code", owner.login, PASSWORD, _wrong_code(key)),
        ("wrong, wrong code", owner.login, WRONG, _wrong_code(key)),
        ("unknown name, a code", unknown, PASSWORD, _wrong_code(key)),
    ]:
        with CaptureQueriesContext(connection) as queries:
            response = _post(attacker, login, password, code)
        answers[label] = (
            response.status_code,
            _normalised(response, login),
            sorted(response.cookies.keys()),
            len(queries),
        )
    assert (
        answers["right, no code"] == answers["wrong, no code"] == answers["unknown name, no code"]
    )
    assert (
        answers["right, wrong code"]
        == answers["wrong, wrong code"]
        == answers["unknown name, a code"]
    )
    assert answers["right, no code"][0] == 200
    assert not _signed_in(attacker)


def test_a_recovery_code_also_gets_the_owner_through_a_delay(desks, clock):
    owner = desks.caseworker
    _key, codes = _enrol(owner)
    _fail(Client(), owner.login, 20)
    client = Client()
    response = _post(client, owner.login, PASSWORD, code=codes[0])
    assert response.status_code == 302
    assert b"You signed in with a recovery code. 9 codes are left." in client.get("/").content
    # Spent: the same code does not work twice.
    _fail(Client(), owner.login, 20)
    again = Client()
    assert _is_delayed(_post(again, owner.login, PASSWORD, code=codes[0]))
    assert not _signed_in(again)


def test_half_the_factors_cannot_be_used_to_guess_the_other_half(desks, clock):
    """Someone with the phone (a valid code) but not the password gets delays of their own
    during a delay; attempts with both factors wrong never trigger them."""
    owner = desks.caseworker
    key, _codes = _enrol(owner)
    attacker = Client()
    _delay(attacker, owner.login, clock, 12)  # a long password delay from here on
    for _ in range(30):
        _post(attacker, owner.login, WRONG, code=_wrong_code(key))  # neither factor
    for _ in range(throttle.free_failures() + 1):
        _post(attacker, owner.login, WRONG, code=_code(key))  # the phone, not the password
    row = _row(owner)
    assert row.factor_failures == throttle.free_failures() + 1
    # Even the right password with the valid code waits for this delay now...
    guess = Client()
    assert _is_delayed(_post(guess, owner.login, PASSWORD, code=_code(key)))
    assert not _signed_in(guess)
    # ... and goes through once it has passed, while the password delay still runs.
    clock.advance(throttle.delay_after(row.factor_failures).total_seconds())
    owner_client = Client()
    assert _post(owner_client, owner.login, PASSWORD, code=_code(key)).status_code == 302
    assert _signed_in(owner_client)


# --- accounts without a second factor ----------------------------------------------------------


def test_a_defender_without_two_factor_gets_the_delays_too(desks, clock):
    defender = desks.defender
    attacker = Client()
    _delay(attacker, defender.login, clock, throttle.free_failures() + 3)
    owner = Client()
    # Without a second factor the delay is the only brake: the right password waits too ...
    first = _post(owner, defender.login, PASSWORD)
    assert _is_delayed(first)
    assert _is_delayed(_post(owner, defender.login, PASSWORD, code="123456"))
    assert not _signed_in(owner)
    # ... but no longer than the delay, however often the attacker tries in between.
    for _ in range(50):
        _post(attacker, defender.login)
    clock.advance(_wait_seconds(first))
    sign_in(owner, defender.login)
    assert b"failed attempts to sign in to your account" in owner.get("/").content


# --- telling the owner and the coordinator -----------------------------------------------------


def test_the_owner_is_told_once(desks, clock):
    owner = desks.caseworker
    attacker = Client()
    first = clock()
    _delay(attacker, owner.login, clock, 5)
    clock.advance(throttle.MAX_DELAY_SECONDS)
    client = Client()
    sign_in(client, owner.login)
    page = client.get("/").content
    assert b"There were 5 failed attempts to sign in to your account" in page
    assert _when(first).encode() in page
    assert b"Turn on two-factor authentication on your account page" in page
    assert client.get("/").content.count(b"failed attempts") == 0, "shown once"
    again = Client()
    sign_in(again, owner.login)
    assert b"failed attempt" not in again.get("/").content


def test_one_or_two_typos_are_not_worth_a_notice(desks, clock):
    client = Client()
    _fail(client, desks.caseworker.login, throttle.NOTICE_AFTER - 1)
    sign_in(client, desks.caseworker.login)
    assert b"failed attempt" not in client.get("/").content


def test_the_coordinator_sees_accounts_under_repeated_attack(desks, clock, signed_in_client):
    attacked = desks.caseworker2
    attacker = Client()
    _delay(attacker, attacked.login, clock, 6)
    for _ in range(throttle.UNDER_ATTACK_AFTER):
        _post(attacker, attacked.login)  # refused during the delay, still counted
    _fail(attacker, desks.caseworker.login, 2)  # a typo or two: not an attack
    _fail(attacker, "not-an-account@test.example", 30)  # no account: nothing to show
    last = clock()

    page = signed_in_client(desks.coordinator).get("/staff/")
    assert page.status_code == 200
    section = page.content.split(b'id="h-attempts"')[1].split(b"</section>")[0]
    assert attacked.login.encode() in section
    assert f"<td>{6 + throttle.UNDER_ATTACK_AFTER}</td>".encode() in section
    assert _when(last).encode() in section
    assert desks.caseworker.login.encode() not in section
    assert b"not-an-account" not in page.content

    # Once the owner has signed in (and been told), the coordinator's list is clear again.
    clock.advance(throttle.MAX_DELAY_SECONDS)
    sign_in(Client(), attacked.login)
    assert b'id="h-attempts"' not in signed_in_client(desks.coordinator).get("/staff/").content


# --- what is and is not stored -----------------------------------------------------------------


def test_the_delay_is_per_name_not_per_client(desks, clock):
    client = Client()
    _fail(client, desks.caseworker.login, 20)
    # Same client (same IP, as behind Tor): another account is unaffected.
    sign_in(client, desks.caseworker2.login)


def test_no_ip_user_agent_or_typed_name_is_stored(desks, clock):
    _fail(Client(), "someone-typed-this@test.example", 20)
    client = Client(HTTP_USER_AGENT="CanaryBrowser/9.9", REMOTE_ADDR="203.0.113.77")
    _fail(client, desks.caseworker.login, 20)
    clock.advance(throttle.MAX_DELAY_SECONDS)
    sign_in(client, desks.caseworker.login)
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from introspection
            dump = repr(cursor.fetchall())
            assert "203.0.113.77" not in dump, table
            assert "CanaryBrowser" not in dump, table
            assert "someone-typed-this" not in dump, table


def test_every_failed_attempt_is_audited_with_the_digest_only(desks, clock):
    client = Client()
    _fail(client, "typo-name@test.example", throttle.free_failures() + 1)
    _post(client, "typo-name@test.example", code="123456")  # during the delay, with a code
    entries = AuditEntry.objects.filter(action="login.failed").order_by("seq")
    assert entries.count() == throttle.free_failures() + 2
    digests = {entry.detail["name_digest"] for entry in entries}
    assert len(digests) == 1 and "typo" not in next(iter(digests))
    assert entries.last().detail.get("delayed") is True
