"""Sign-in throttling that slows guessing down without locking the account's owner out.

Why this shape (the same reasoning is in ``docs/security.md``, "Sign-in throttling"):

* **Per typed name, never per client.** Attempts are counted on a row keyed by the keyed digest
  of the typed name (:func:`login_name_digest`): never the name, an IP address or a user agent,
  because Tor users share exit addresses and a desk must not hold a list of its visitors. A
  name that matches no account is throttled exactly like one that does, so the answers never
  tell whether an account exists.
* **Delays, not a lock.** The first :data:`FREE_FAILURES` wrong passwords cost nothing (typos);
  after that each attempt must wait :func:`delay_after` — 2 s, 4 s, 8 s … up to
  :data:`MAX_DELAY_SECONDS` — from the last counted failure. An attempt that arrives during a
  delay is *refused* and changes neither the count nor the delay, so an attacker who keeps
  hammering cannot push the owner's next chance further away: guessing is held to one
  password per delay and the owner waits at most the cap.
* **Password and second factor always sign in.** During a delay a password is checked only
  together with a two-factor code (TOTP or recovery code); both right signs in at once,
  whatever the failure count. Anything less gets the same refusal, the same queries and the
  same writes whether the password, the code, both or neither were right, and whether the
  account exists (:func:`sign_in_during_delay`): someone without the second factor learns
  nothing about the password, and nobody learns anything faster than one guess per delay.
  Attempts where exactly one factor was right (someone holding the password or the phone, but
  not both) are counted apart and get their own delays, so the code cannot be used to test
  passwords quickly, nor the password to test codes. Attempts where both were wrong cannot
  trigger those delays, so an attacker without either factor cannot block the owner.
* **Without a second factor the delay is the only brake** on guessing, so accounts without
  two-factor authentication (defenders, desks that do not require it) wait like everyone.
* **The owner and the coordinator are told.** The row keeps how many attempts failed and when
  (first and last; nothing about the client) until the account's next successful sign-in,
  which shows the owner that summary once and clears it; the staff page lists accounts of the
  desk whose row holds :data:`UNDER_ATTACK_AFTER` or more, by matching each account's login
  digest against the rows (the typed name is never stored).

The password check itself stays one Argon2 hash whatever the outcome (an unknown name hashes
anyway, see ``backends.py``); a delayed attempt without a code skips it, which depends only on
what the client sent.
"""

from __future__ import annotations

import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from protectdesk.accounts.actions import two_factor
from protectdesk.accounts.models import LoginThrottle, RecoveryCode, User, normalise_login
from protectdesk.audit.actions import record
from protectdesk.lib.server_keys import digest

#: Wrong passwords allowed without any delay (typos).
FREE_FAILURES = 3
#: The delay after the first failure beyond the free ones; it doubles with each further one.
FIRST_DELAY_SECONDS = 2
#: The longest delay: guessing is held to one password per this many seconds.
MAX_DELAY_SECONDS = 300
#: At their next sign-in the owner is told of the failed attempts when there were this many.
NOTICE_AFTER = 3
#: The staff page lists an account as under repeated attack from this many failed attempts.
UNDER_ATTACK_AFTER = 10

_NO_ACCOUNT = uuid.UUID(int=0)  # stands in for a missing account so the queries are the same


def clock() -> datetime:
    """The time the throttle works with (tests replace it to move time without sleeping)."""
    return timezone.now()


def seconds_until(moment: datetime) -> float:
    """Seconds from now (by :func:`clock`) to ``moment``; 0 if it has passed."""
    return max(0.0, (moment - clock()).total_seconds())


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def free_failures() -> int:
    return _setting("PROTECTDESK_LOGIN_FREE_FAILURES", FREE_FAILURES)


def delay_after(failures: int) -> timedelta:
    """How long the next attempt waits after ``failures`` counted failures."""
    beyond = failures - free_failures()
    if beyond <= 0:
        return timedelta(0)
    first = _setting("PROTECTDESK_LOGIN_FIRST_DELAY_SECONDS", FIRST_DELAY_SECONDS)
    cap = _setting("PROTECTDESK_LOGIN_MAX_DELAY_SECONDS", MAX_DELAY_SECONDS)
    return timedelta(seconds=min(cap, first * 2 ** min(beyond - 1, 20)))


def login_name_digest(typed: str) -> bytes:
    return digest("pd-login-name", normalise_login(typed))


@dataclass(frozen=True)
class Attempt:
    """The throttle's decision on one attempt: checked and counted, or refused until a time."""

    name_digest: bytes
    delayed_until: datetime | None = None

    @property
    def delayed(self) -> bool:
        return self.delayed_until is not None


@dataclass(frozen=True)
class FailedAttempts:
    """What the owner and the coordinator are shown: a count and two times, nothing else."""

    count: int
    first_at: datetime
    last_at: datetime


def _retry_at(row: LoginThrottle) -> datetime:
    return row.last_failure_at + delay_after(row.failures)


def begin_attempt(typed: str) -> Attempt:
    """Decide on an attempt for the typed name *before* any password is checked.

    Outside a delay the attempt is counted as a failure at once (so parallel requests cannot
    try more passwords than the schedule allows); :func:`refund_attempt` takes it back when the
    password was right. During a delay nothing is written here: the caller refuses the attempt
    with :func:`refuse` or settles it with :func:`sign_in_during_delay`.
    """
    name_digest = login_name_digest(typed)
    now = clock()
    with transaction.atomic():
        row, created = LoginThrottle.objects.select_for_update().get_or_create(
            name_digest=name_digest,
            defaults={"first_failure_at": now, "last_failure_at": now, "last_attempt_at": now},
        )
        if not created and _retry_at(row) > now:
            return Attempt(name_digest, _retry_at(row))
        if row.failures == 0 and row.refused == 0:
            row.first_failure_at = now
        row.failures += 1
        row.last_failure_at = now
        row.last_attempt_at = now
        row.save()
    return Attempt(name_digest)


def note_login_failure(attempt: Attempt) -> datetime | None:
    """Audit a wrong password (already counted); returns when the next attempt may come, if the
    schedule now makes it wait."""
    with transaction.atomic():
        record("login.failed", actor=None, detail={"name_digest": attempt.name_digest.hex()[:32]})
        row = LoginThrottle.objects.filter(name_digest=attempt.name_digest).first()
    if row is None:
        return None
    retry_at = _retry_at(row)
    return retry_at if retry_at > clock() else None


def refund_attempt(attempt: Attempt) -> None:
    """The password was right: it was counted in advance as a failure, take that back."""
    if attempt.delayed:
        return
    with transaction.atomic():
        LoginThrottle.objects.filter(name_digest=attempt.name_digest).update(
            failures=Greatest(F("failures") - 1, 0)
        )
        LoginThrottle.objects.filter(
            name_digest=attempt.name_digest, failures=0, refused=0
        ).delete()


def refuse(attempt: Attempt) -> None:
    """An attempt that came during a delay and carried no second factor: counted for the
    owner's notice only (it moves no delay, so hammering cannot keep the owner out)."""
    LoginThrottle.objects.filter(name_digest=attempt.name_digest).update(
        refused=F("refused") + 1, last_attempt_at=clock()
    )


# --- the way through a delay: password and second factor together ---------------------------


@dataclass(frozen=True)
class DelayedSignIn:
    """The outcome of :func:`sign_in_during_delay`: ``user`` and ``device`` set on success."""

    user: User | None = None
    device: TOTPDevice | None = None
    used_recovery_code: bool = False


def _password_matches(user: User | None, password: str) -> bool:
    """One Argon2 hash whether or not the account exists (as the sign-in backend does)."""
    if user is None:
        User().set_password(password)
        return False
    return bool(user.check_password(password)) and user.is_active


def _code_kind(user_id: uuid.UUID, code: str) -> tuple[str | None, TOTPDevice | None]:
    """Which second factor ``code`` is for the account, without spending or throttling it.

    The same queries and hashes run for every account and for none (``_NO_ACCOUNT``): the
    device is looked up, a TOTP computed (with a random key when there is no device) and the
    recovery-code digest looked up, so the work does not depend on the account or its factors.
    """
    device = TOTPDevice.objects.filter(user_id=user_id, confirmed=True).first()
    token = code.replace(" ", "")
    kind = None
    if device is not None:
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        tolerance, min_t = device.tolerance, device.last_t + 1
    else:
        totp = TOTP(secrets.token_bytes(20), 30, 0, 6, 0)
        tolerance, min_t = 1, 0
    totp.time = time.time()
    if token.isdigit() and totp.verify(int(token), tolerance, min_t) and device is not None:
        kind = "totp"
    spare = RecoveryCode.objects.filter(
        user_id=user_id, code_digest=two_factor.recovery_digest(user_id, token), used_at=None
    ).exists()
    if "-" in token and spare and device is not None:
        kind = "recovery"
    return kind, device


def _spend(kind: str, user: User, device: TOTPDevice, code: str) -> bool:
    """Use the code for real (replay protection, the device's own throttle, single use)."""
    token = code.replace(" ", "")
    if kind == "totp":
        return bool(device.verify_token(token))
    return two_factor.use_recovery_code(user=user, code=token)


def sign_in_during_delay(attempt: Attempt, typed: str, password: str, code: str) -> DelayedSignIn:
    """Check password and second factor together during a delay; sign in only if both are right.

    Every outcome short of success writes the same row update and the same audit entry, after
    the same lookups: the response and the work do not show which factor was wrong, nor
    whether the account exists.
    """
    user = User.objects.select_related("desk").filter(login=normalise_login(typed)).first()
    password_ok = _password_matches(user, password)
    kind, device = _code_kind(user.id if user is not None else _NO_ACCOUNT, code)
    now = clock()
    with transaction.atomic():
        # get_or_create: the owner's sign-in may have cleared the row since begin_attempt.
        row, _created = LoginThrottle.objects.select_for_update().get_or_create(
            name_digest=attempt.name_digest,
            defaults={"first_failure_at": now, "last_failure_at": now, "last_attempt_at": now},
        )
        factor_free = (
            row.factor_failed_at is None
            or row.factor_failed_at + delay_after(row.factor_failures) <= now
        )
        if (
            password_ok
            and kind is not None
            and factor_free
            and user is not None
            and device is not None
            and _spend(kind, user, device, code)
        ):
            return DelayedSignIn(user, device, used_recovery_code=kind == "recovery")
        row.refused += 1
        row.last_attempt_at = now
        if password_ok != (kind is not None):
            # One factor right, the other wrong: someone holds half of the account.
            row.factor_failures += 1
            row.factor_failed_at = now
        row.save()
        record(
            "login.failed",
            actor=None,
            detail={"name_digest": attempt.name_digest.hex()[:32], "delayed": True},
        )
    return DelayedSignIn()


# --- what the owner and the coordinator are told ---------------------------------------------


def _summary(row: LoginThrottle) -> FailedAttempts:
    return FailedAttempts(row.failures + row.refused, row.first_failure_at, row.last_attempt_at)


def take_failed_attempts(user: User) -> FailedAttempts | None:
    """At a successful sign-in: the failed attempts since the last one (if enough to tell the
    owner), and the count starts again. Shown once, because the row is gone afterwards."""
    row = (
        LoginThrottle.objects.select_for_update()
        .filter(name_digest=login_name_digest(user.login))
        .first()
    )
    if row is None:
        return None
    summary = _summary(row)
    row.delete()
    return summary if summary.count >= NOTICE_AFTER else None


def failed_attempts_of(users: list[User]) -> dict[uuid.UUID, FailedAttempts]:
    """For the staff page: accounts whose name got :data:`UNDER_ATTACK_AFTER` or more failed
    attempts since their last sign-in (one digest per account, one query)."""
    by_digest = {login_name_digest(user.login): user.id for user in users}
    rows = LoginThrottle.objects.filter(name_digest__in=list(by_digest))
    found = {by_digest[bytes(row.name_digest)]: _summary(row) for row in rows}
    return {uid: seen for uid, seen in found.items() if seen.count >= UNDER_ATTACK_AFTER}
