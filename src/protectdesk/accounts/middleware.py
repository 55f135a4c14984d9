"""Gatekeeping for signed-in sessions: second factor, desk 2FA policy, and the session key.

Order of checks for a signed-in user:
1. the desk requires 2FA for staff but this session was not verified (the policy changed after
   sign-in): the session ends and the user signs in again, enrolling on the way;
2. the request carries no ``pd_key`` that opens this session's wrapped private key: the user is
   sent to the unlock page (password again) instead of seeing half-working pages.
A half-signed-in session (password given, code not yet) is not authenticated at all, so every
page but the code and enrolment steps already treats it as anonymous.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from protectdesk.accounts import session_keys
from protectdesk.accounts.models import User

#: Paths a signed-in user without an unlocked key may still reach. The JSON API reads no
#: session at all (a token is its only way in: api/auth.py), so a session cookie sent with a
#: call is not gated either.
_OPEN_PREFIXES = ("/static/", "/i18n/", "/favicon.ico", "/api/")
_OPEN_NAMES = ("accounts:unlock", "accounts:logout")


class SessionKeyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self._gate(request) or self.get_response(request)
        session_keys.apply_cookie(request, response)
        return response

    def _gate(self, request: HttpRequest) -> HttpResponse | None:
        user = request.user
        if not isinstance(user, User) or request.path.startswith(_OPEN_PREFIXES):
            return None
        if request.path in {reverse(name) for name in _OPEN_NAMES}:
            return None
        if user.must_use_2fa and not getattr(user, "is_verified", lambda: False)():
            auth.logout(request)
            session_keys.end(request)
            messages.info(
                request,
                _("Your desk now requires two-factor authentication. Sign in again to set it up."),
            )
            return HttpResponseRedirect(reverse(settings.LOGIN_URL))
        if session_keys.private_key(request) is None:
            query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
            return HttpResponseRedirect(reverse("accounts:unlock") + (f"?{query}" if query else ""))
        return None
