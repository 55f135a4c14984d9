"""The signed-in user's private key, held for the length of a session without being stored.

Design (security.md, Keys 8):

* At the password step the private key is unlocked with the password and immediately wrapped
  under a fresh random 32-byte *session key*. The session row keeps only that wrapped copy.
* The session key travels only in the ``pd_key`` cookie (base64url, HttpOnly, SameSite=Strict,
  Secure under HTTPS, no Max-Age), so neither the database nor the browser alone can unwrap
  the private key: a stolen session table is ciphertext, a stolen cookie is a random string.
* The wrapped copy is bound to the user id; logout, idle expiry and "sign out all" delete the
  session row, after which the cookie opens nothing.
* ``request.session_keys.private_key`` unwraps on demand, once per request.
"""

from __future__ import annotations

import base64
import binascii

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from protectdesk.accounts.sessions import WRAPPED_KEY
from protectdesk.crypto import EnvelopeError, aead, wrap

COOKIE = "pd_key"


def _context(user_id: object) -> str:
    return f"session-private-key:{user_id}"


def begin(request: HttpRequest, user_id: object, private_key: bytes) -> None:
    """Wrap ``private_key`` under a new session key; the middleware sets the cookie."""
    session_key = aead.new_key()
    wrapped = wrap.wrap(session_key, private_key, _context(user_id))
    request.session[WRAPPED_KEY] = base64.b64encode(wrapped).decode("ascii")
    setattr(request, _NEW_KEY, session_key)
    session_keys(request).reset()


def end(request: HttpRequest) -> None:
    """Forget the session key: the middleware deletes the cookie."""
    request.session.pop(WRAPPED_KEY, None)
    setattr(request, _DROP_KEY, True)


_NEW_KEY = "_pd_new_session_key"
_DROP_KEY = "_pd_drop_session_key"
_ATTRIBUTE = "_pd_session_keys"


def session_keys(request: HttpRequest) -> SessionKeys:
    """This request's :class:`SessionKeys`, created on first use."""
    keys: SessionKeys | None = getattr(request, _ATTRIBUTE, None)
    if keys is None:
        keys = SessionKeys(request)
        setattr(request, _ATTRIBUTE, keys)
    return keys


def private_key(request: HttpRequest) -> bytes | None:
    """The signed-in user's private key for this request, or None if the session cannot open it."""
    return session_keys(request).private_key


class SessionKeys:
    """Lazy access to the current user's private key for one request."""

    def __init__(self, request: HttpRequest) -> None:
        self._request = request
        self._private_key: bytes | None = None
        self._tried = False

    def reset(self) -> None:
        self._private_key, self._tried = None, False

    def _cookie_key(self) -> bytes | None:
        fresh = getattr(self._request, _NEW_KEY, None)
        if fresh is not None:
            return bytes(fresh)
        raw = self._request.COOKIES.get(COOKIE, "")
        if not raw:
            return None
        try:
            key = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
        except (binascii.Error, ValueError):
            return None
        return key if len(key) == aead.KEY_BYTES else None

    def private_key_for(self, user_id: object) -> bytes | None:
        """The unwrapped private key of ``user_id``, or None if the session cannot provide it."""
        if self._tried:
            return self._private_key
        self._tried = True
        session_key = self._cookie_key()
        stored = self._request.session.get(WRAPPED_KEY)
        if session_key is None or not stored:
            return None
        try:
            self._private_key = wrap.unwrap(
                session_key, base64.b64decode(stored), _context(user_id)
            )
        except (EnvelopeError, binascii.Error, ValueError):
            self._private_key = None
        return self._private_key

    @property
    def private_key(self) -> bytes | None:
        user = getattr(self._request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return self.private_key_for(user.id)


def apply_cookie(request: HttpRequest, response: HttpResponse) -> None:
    """Set or delete ``pd_key`` as the request decided."""
    new = getattr(request, _NEW_KEY, None)
    if new is not None:
        response.set_cookie(
            COOKIE,
            base64.urlsafe_b64encode(new).decode("ascii").rstrip("="),
            httponly=True,
            samesite="Strict",
            secure=settings.HTTPS,
            path="/",
        )
    elif getattr(request, _DROP_KEY, False):
        response.delete_cookie(COOKIE, path="/", samesite="Strict")
