"""Two-factor authentication: one TOTP device per account, and single-use recovery codes.

Nothing is stored until the person proves their authenticator works, so a half-finished
enrolment cannot lock them out; recovery codes are kept only as keyed digests.
"""

from __future__ import annotations

import secrets
import time
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from protectdesk.accounts.actions.errors import AccountError
from protectdesk.accounts.models import RecoveryCode, User
from protectdesk.audit.actions import record
from protectdesk.lib.server_keys import digest

RECOVERY_CODE_COUNT = 10


def new_enrolment_secret() -> str:
    """A fresh TOTP secret (hex) for enrolment; kept in the session until confirmed."""
    return secrets.token_hex(20)


def enrolment_uri(user: User, secret_hex: str) -> str:
    """The ``otpauth://`` URI the authenticator app scans (an unsaved device builds it)."""
    return str(TOTPDevice(user=user, key=secret_hex, name="authenticator").config_url)


def confirm_totp(*, user: User, secret_hex: str, code: str) -> list[str] | None:
    """Check a code against the enrolment secret; on success the device replaces any old one.

    Returns fresh recovery codes, or None if the code is wrong. Nothing is written on failure.
    """
    token = code.strip().replace(" ", "")
    try:
        key = bytes.fromhex(secret_hex)
    except ValueError:
        return None
    totp = TOTP(key, step=30, t0=0, digits=6, drift=0)
    totp.time = time.time()
    if not token.isdigit() or len(token) != 6 or not totp.verify(int(token), tolerance=1):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        TOTPDevice.objects.create(
            user=user, key=secret_hex, name="authenticator", confirmed=True, last_t=totp.t()
        )
        record("account.totp_enabled", actor=user, target=user)
        codes = _replace_recovery_codes(user)
    return codes


def disable_totp(*, user: User) -> None:
    if user.must_use_2fa:
        raise AccountError(_("Your desk requires two-factor authentication for staff."))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        record("account.totp_disabled", actor=user, target=user)


def new_recovery_codes(*, user: User) -> list[str]:
    with transaction.atomic():
        return _replace_recovery_codes(user)


def _replace_recovery_codes(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [f"{secrets.token_hex(4)}-{secrets.token_hex(4)}" for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_digest=recovery_digest(user.id, code)) for code in codes
    )
    record("account.recovery_codes_created", actor=user, target=user, detail={"count": len(codes)})
    return codes


def recovery_digest(user_id: uuid.UUID, code: str) -> bytes:
    """The keyed digest a recovery code is stored as (bound to its account)."""
    return digest("pd-recovery-code", f"{user_id}:{code.strip().lower()}")


def use_recovery_code(*, user: User, code: str) -> bool:
    """Spend one recovery code; True if it was valid and unused."""
    with transaction.atomic():
        spent = RecoveryCode.objects.filter(
            user=user, code_digest=recovery_digest(user.id, code), used_at=None
        ).update(used_at=timezone.now())
        if spent:
            record("account.recovery_code_used", actor=user, target=user)
    return bool(spent)
