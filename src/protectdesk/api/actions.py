"""Every write to API tokens: making one, revoking one, dropping an account's tokens when the
account changes, destroying expired ones, and counting calls.

Who may hold which scope follows what the owner may do on the pages, checked again on every
call (``api.auth``): statistics for the roles that see analytics; reading and writing cases for
the roles that are members of cases (a coordinator or caseworker as staff, the defender's own
account for their own case). A token never widens what its owner can reach: it carries at most
the owner's own private key, and every call is authorized against the owner's current
memberships and role.

An account whose role changes, that is deactivated, or that gets a new key pair loses every
token at once (the copy of the old private key goes with them): the new situation is granted
afresh, never inherited.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from protectdesk.accounts.models import Role, User
from protectdesk.api.models import READS_CONTENT, Scope, Token, TokenKey
from protectdesk.audit.actions import record
from protectdesk.crypto import tokens, userkeys
from protectdesk.crypto.errors import EnvelopeError
from protectdesk.lib.database import checkpoint

#: Scopes each role may give a token (analytics.actions.VIEWERS see statistics; case members
#: read and write). An administrator and a trainer reach no case and no analytics: none.
SCOPES_OF_ROLE: dict[str, tuple[str, ...]] = {
    Role.COORDINATOR: (Scope.STATISTICS, Scope.READ, Scope.WRITE),
    Role.CASEWORKER: (Scope.READ, Scope.WRITE),
    Role.DEFENDER: (Scope.READ, Scope.WRITE),
    Role.ANALYST: (Scope.STATISTICS,),
}
LIFETIMES = (7, 30, 90, 365)
#: A token that carries its owner's key lives at most this many days: a stolen token and a
#: copy of the database together open the owner's cases for as long as the token lives.
MOST_DAYS_WITH_KEY = 90
MOST_LIVE = 10
#: Calls per token per minute; past it, 429 until the minute ends
#: (``PROTECTDESK_API_CALLS_PER_MINUTE``).
CALLS_PER_MINUTE = settings.PROTECTDESK_API_CALLS_PER_MINUTE


class TokenRefused(ValueError):
    """The token cannot be made (a scope the role may not give, too many, no key)."""


def scopes_for(user: User) -> tuple[str, ...]:
    return SCOPES_OF_ROLE.get(user.role, ()) if user.is_active else ()


def lifetimes_for(scope: str) -> tuple[int, ...]:
    if scope in READS_CONTENT:
        return tuple(n for n in LIFETIMES if n <= MOST_DAYS_WITH_KEY)
    return LIFETIMES


@dataclass(frozen=True)
class NewToken:
    token: Token
    text: str  # shown once, never stored


def create_token(
    *,
    actor: User,
    scope: str,
    days: int,
    label: str = "",
    private_key: bytes | None = None,
) -> NewToken:
    """A new token of ``actor``'s. A token that reads case content wraps ``private_key`` (the
    actor's own, opened by their session) under the token's secret."""
    if days not in lifetimes_for(scope):
        raise TokenRefused("lifetime")
    text, presented = tokens.new()
    sealed_label = (
        userkeys.seal_to(bytes(actor.public_key or b""), label.encode()) if label else b""
    )
    with transaction.atomic():
        # The account as it is now, locked: a deactivation or role change that lands meanwhile
        # either happened before (refused here) or waits and then drops this token too.
        actor = User.objects.select_for_update().get(pk=actor.pk)
        if scope not in scopes_for(actor):
            raise TokenRefused("scope")
        wrapped: bytes | None = None
        if scope in READS_CONTENT:
            public_key = bytes(actor.public_key or b"")
            if private_key is None or userkeys.public_key_of(private_key) != public_key:
                raise TokenRefused("key")
            wrapped = tokens.wrap_private_key(presented, actor.id, private_key)
        if live_tokens(actor).count() >= MOST_LIVE:
            raise TokenRefused("too many")
        token = Token.objects.create(
            id=presented.id,
            owner=actor,
            desk_id=actor.desk_id,
            scope=scope,
            label=sealed_label,
            digest=presented.check,
            expires_at=timezone.now() + datetime.timedelta(days=days),
        )
        if wrapped is not None:
            TokenKey.objects.create(token=token, wrapped_private_key=wrapped)
        record(
            "api.token_created", actor=actor, target=token, detail={"scope": scope, "days": days}
        )
    return NewToken(token, text)


def live_tokens(user: User) -> Any:
    return Token.objects.filter(owner=user, expires_at__gt=timezone.now())


def label_of(token: Token, private_key: bytes | None) -> str:
    """The token's label for its owner (empty if none or if the key cannot open it)."""
    if not token.label or private_key is None:
        return ""
    try:
        return userkeys.open_sealed(private_key, bytes(token.label)).decode()
    except (EnvelopeError, UnicodeDecodeError):
        return ""


def revoke_token(*, actor: User, token_id: uuid.UUID) -> bool:
    """Delete one of ``actor``'s tokens (and its copy of the key); False if there was none."""
    with transaction.atomic():
        token = Token.objects.select_for_update().filter(pk=token_id, owner=actor).first()
        if token is None:
            return False
        record("api.token_revoked", actor=actor, target=token, detail={"scope": token.scope})
        token.delete()
    checkpoint()
    return True


def drop_tokens(user: User, reason: str, actor: User | None = None) -> int:
    """Delete every token of ``user`` (role changed, deactivated, new key pair)."""
    found = list(Token.objects.filter(owner=user).values_list("pk", flat=True))
    if not found:
        return 0
    Token.objects.filter(pk__in=found).delete()
    transaction.on_commit(checkpoint)
    record(
        "api.tokens_dropped",
        actor=actor or user,
        target=user,
        detail={"count": len(found), "reason": reason},
    )
    return len(found)


def destroy_expired() -> int:
    """The worker's housekeeping: an expired token's row (and wrapped key) goes."""
    gone = Token.objects.filter(expires_at__lte=timezone.now()).delete()[1].get("api.Token", 0)
    if gone:
        checkpoint()
    return gone


def count_call(token: Token) -> int:
    """Count one call in the token's current minute; returns the calls of that minute so far.

    One row per token, updated in place: two processes counting at once both land (``F``), and
    a new minute restarts the count only if no other call restarted it first.
    """
    now = timezone.now()
    minute = now.replace(second=0, microsecond=0)
    rows = Token.objects.filter(pk=token.pk, window=minute)
    if rows.update(calls=F("calls") + 1, last_used_on=now.date()):
        return int(Token.objects.filter(pk=token.pk).values_list("calls", flat=True).first() or 0)
    restarted = (
        Token.objects.filter(pk=token.pk)
        .exclude(window=minute)
        .update(window=minute, calls=1, last_used_on=now.date())
    )
    if restarted:
        return 1
    rows.update(calls=F("calls") + 1)
    return int(Token.objects.filter(pk=token.pk).values_list("calls", flat=True).first() or 0)


def seconds_to_next_minute() -> int:
    now = timezone.now()
    return max(1, 60 - now.second)
