"""Who is calling the API, and what they may do: a personal access token, checked on every call.

Order of checks (each refusal is a problem document, never a hint of which check failed when
that would help a guesser):

1. ``Authorization: Bearer pd1_…`` parses (no database lookup otherwise) and names a token
   whose stored check matches: else **401**, one message for "unknown", "wrong secret",
   "expired" and "revoked" alike;
2. its owner is still active, of the token's desk, and — if the desk now requires two-factor
   authentication of its staff — has an authenticator: else 401 (tokens of a deactivated
   account are also deleted at deactivation; this is the belt to those braces);
3. the token's calls this minute stay within ``actions.CALLS_PER_MINUTE``: else **429** with
   ``Retry-After``;
4. the operation's scope is one the token has, and the owner's role may still use it (a role
   can change between the token's making and its use; role changes delete tokens too): else
   **403**;
5. for content, the owner's private key opens from the token's own wrapped copy: a keyring is
   built from it exactly as a signed-in session builds one, so every case read or write below
   is authorized by the case's memberships and keys (the same functions the pages use).

No session is read or written: the API never sees the session cookie's keys, and a browser
signed in to the desk cannot call the API with its cookies (no CSRF surface).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from protectdesk.accounts.models import User
from protectdesk.accounts.queries import has_confirmed_totp
from protectdesk.api import actions
from protectdesk.api.models import READS_CONTENT, Token, TokenKey
from protectdesk.crypto import tokens
from protectdesk.crypto.errors import EnvelopeError
from protectdesk.records.keyring import Keyring

_CALLER = "_pd_api_caller"


class Problem(Exception):
    """An API error with its problem kind (``lib/problems.STATUSES``) and how to fix it."""

    def __init__(
        self,
        kind: str,
        detail: str = "",
        *,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(kind)
        self.kind = kind
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


def unauthorized() -> Problem:
    return Problem(
        "unauthorized",
        _(
            "Send a token made in My account → API tokens as “Authorization: Bearer <token>”. "
            "A token that expired or was revoked no longer works: make a new one."
        ),
        headers={"WWW-Authenticate": 'Bearer realm="protectdesk"'},
    )


@dataclass
class Caller:
    token: Token
    user: User
    presented: tokens.Presented
    _keyring: Keyring | None = field(default=None, repr=False)

    @property
    def keyring(self) -> Keyring:
        """The owner's keyring, opened with the token's copy of their private key."""
        if self._keyring is None:
            if self.token.scope not in READS_CONTENT:
                raise Problem("forbidden", _("This token reads statistics only."))
            try:
                stored = TokenKey.objects.filter(token=self.token).first()
                private_key = tokens.open_private_key(
                    self.presented,
                    self.user.id,
                    bytes(stored.wrapped_private_key if stored else b""),
                )
            except EnvelopeError:
                raise unauthorized() from None
            self._keyring = Keyring(self.user, private_key)
        return self._keyring


def caller_of(request: HttpRequest) -> Caller | None:
    return getattr(request, _CALLER, None)


class TokenAuth(HttpBearer):
    """The API's one way in (what the OpenAPI schema documents as ``TokenAuth``, HTTP bearer)."""

    openapi_scheme = "bearer"

    def __call__(self, request: HttpRequest) -> Any:
        caller = super().__call__(request)
        if caller is None:
            raise unauthorized()
        return caller

    def authenticate(self, request: HttpRequest, token: str) -> Caller:
        try:
            presented = tokens.parse(token)
        except tokens.MalformedToken:
            raise unauthorized() from None
        found = Token.objects.select_related("owner__desk").filter(pk=presented.id).first()
        if found is None or not presented.matches(bytes(found.digest)) or found.expired:
            raise unauthorized()
        owner = found.owner
        if not owner.is_active or owner.desk_id != found.desk_id:
            raise unauthorized()
        if owner.must_use_2fa and not has_confirmed_totp(owner):
            raise unauthorized()
        caller = Caller(found, owner, presented)
        setattr(request, _CALLER, caller)
        if owner.language and "HTTP_ACCEPT_LANGUAGE" not in request.META:
            translation.activate(owner.language)
            request.LANGUAGE_CODE = owner.language
        calls = actions.count_call(found)
        if calls > actions.CALLS_PER_MINUTE:
            request._pd_api_throttled = calls  # type: ignore[attr-defined]
            wait = actions.seconds_to_next_minute()
            raise Problem(
                "too-many-requests",
                _("This token made more than %(most)d calls this minute. Wait %(seconds)d seconds.")
                % {"most": actions.CALLS_PER_MINUTE, "seconds": wait},
                headers={"Retry-After": str(wait)},
            )
        return caller


def require(request: HttpRequest, *scopes: str) -> Caller:
    """The caller, if their token has one of ``scopes`` and their role may still use it."""
    caller = caller_of(request)
    if caller is None:
        raise unauthorized()
    if caller.token.scope not in scopes or caller.token.scope not in actions.scopes_for(
        caller.user
    ):
        raise Problem(
            "forbidden",
            _("This token's scope (%(scope)s) does not allow this operation.")
            % {"scope": caller.token.get_scope_display()},
        )
    return caller
