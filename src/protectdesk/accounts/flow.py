"""The sign-in flow's state between the password step and the second factor.

After the password step the session holds the user id, the stage ("code" or "enrol") and the
wrapped private key; it is *not* authenticated, so it serves only the code and enrolment steps.
The pending state lapses after :data:`PENDING_SECONDS`.
"""

from __future__ import annotations

import time

from django.contrib import auth
from django.http import HttpRequest
from django.utils import translation
from django_otp import login as otp_login
from django_otp.models import Device

from protectdesk.accounts import notices, session_keys
from protectdesk.accounts.actions import signin
from protectdesk.accounts.models import User
from protectdesk.accounts.sessions import PENDING_STAGE, PENDING_USER

PENDING_SECONDS = 5 * 60
_PENDING_SINCE = "pd_pending_since"
CODE, ENROL = "code", "enrol"


def begin_pending(request: HttpRequest, user: User, stage: str, private_key: bytes) -> None:
    request.session.cycle_key()
    request.session[PENDING_USER] = str(user.id)
    request.session[PENDING_STAGE] = stage
    request.session[_PENDING_SINCE] = int(time.time())
    session_keys.begin(request, user.id, private_key)


def pending_user(request: HttpRequest, stage: str) -> User | None:
    """The half-signed-in user at ``stage``, or None (never set, other stage, or lapsed)."""
    user_id = request.session.get(PENDING_USER)
    if not user_id or request.session.get(PENDING_STAGE) != stage:
        return None
    if int(time.time()) - int(request.session.get(_PENDING_SINCE, 0)) > PENDING_SECONDS:
        clear_pending(request)
        return None
    return User.objects.select_related("desk").filter(pk=user_id, is_active=True).first()


def pending_stage(request: HttpRequest) -> str | None:
    stage = request.session.get(PENDING_STAGE)
    return stage if isinstance(stage, str) else None


def clear_pending(request: HttpRequest) -> None:
    for key in (PENDING_USER, PENDING_STAGE, _PENDING_SINCE):
        request.session.pop(key, None)


def complete(
    request: HttpRequest, user: User, device: Device | None = None, private_key: bytes | None = None
) -> None:
    """Finish signing in: Django's login (new session id), the verified device, the key, and
    what the owner must be told (failed attempts, replaced keys)."""
    clear_pending(request)
    auth.login(request, user, backend="protectdesk.accounts.backends.LoginBackend")
    if device is not None:
        otp_login(request, device)
    if private_key is not None:
        session_keys.begin(request, user.id, private_key)
    if user.language:
        translation.activate(user.language)
    notices.tell_owner(request, user, signin.note_login(user))
