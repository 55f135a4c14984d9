"""Personal access tokens of the JSON API: what a token is, how it is checked, what it opens.

A token is ``pd1_`` followed by the URL-safe base64 of 48 random bytes: the first 16 are the
token's id (the row's UUID, so the server finds the row without searching), the last 32 its
secret. It is shown to its owner once and never stored. The server stores:

* ``check`` = keyed BLAKE2b(id + secret, "pd-api-check"): comparing a presented token costs
  one hash, and the stored value gives nothing back (a preimage of a 256-bit secret);
* for a token that reads case content only, the owner's **private key wrapped** under
  ``open`` = keyed BLAKE2b(id + secret, "pd-api-open"), with the token and owner ids as the
  associated data. ``open`` exists only while a request carrying the token runs.

So a stolen database yields neither a usable token nor a private key: the wrapped copy opens
with the secret only, and the secret is in the database in no form. Revoking a token deletes
its row, and with it the only copy of the private key wrapped for it; what the owner's other
tokens, sessions and password open is untouched. A statistics token carries no key at all:
statistics are statistical codes, readable without one.

No Django here (security.md: crypto in a module of its own).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
import uuid
from dataclasses import dataclass

from protectdesk.crypto import kdf, wrap
from protectdesk.crypto.errors import EnvelopeError

PREFIX = "pd1_"
ID_BYTES = 16
SECRET_BYTES = 32
#: Length of a token as typed: the prefix and 64 base64 characters.
LENGTH = len(PREFIX) + (ID_BYTES + SECRET_BYTES) * 4 // 3


class MalformedToken(ValueError):
    """What was presented is not a token of this format (no database lookup is needed)."""


@dataclass(frozen=True)
class Presented:
    """A token as parsed from a request: its id and its secret."""

    id: uuid.UUID
    secret: bytes

    def _material(self) -> bytes:
        return self.id.bytes + self.secret

    @property
    def check(self) -> bytes:
        return kdf.subkey(self._material(), "pd-api-check")

    @property
    def open_key(self) -> bytes:
        return kdf.subkey(self._material(), "pd-api-open")

    def matches(self, stored_check: bytes) -> bool:
        return hmac.compare_digest(self.check, bytes(stored_check))


def new() -> tuple[str, Presented]:
    """A new token: the text to show once, and its parsed form."""
    presented = Presented(
        uuid.UUID(bytes=secrets.token_bytes(ID_BYTES)), secrets.token_bytes(SECRET_BYTES)
    )
    return format_token(presented), presented


def format_token(presented: Presented) -> str:
    raw = presented.id.bytes + presented.secret
    return PREFIX + base64.urlsafe_b64encode(raw).decode("ascii")


def parse(text: str) -> Presented:
    """The token in ``text``; :class:`MalformedToken` if it cannot be one."""
    text = text.strip()
    if len(text) != LENGTH or not text.startswith(PREFIX):
        raise MalformedToken("not a Protection Desk token")
    try:
        raw = base64.urlsafe_b64decode(text[len(PREFIX) :].encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError) as error:
        raise MalformedToken("not a Protection Desk token") from error
    if len(raw) != ID_BYTES + SECRET_BYTES:
        raise MalformedToken("not a Protection Desk token")
    return Presented(uuid.UUID(bytes=raw[:ID_BYTES]), raw[ID_BYTES:])


def _context(token_id: uuid.UUID, owner_id: object) -> str:
    return f"api-token-private-key:{token_id}:{owner_id}"


def wrap_private_key(presented: Presented, owner_id: object, private_key: bytes) -> bytes:
    """The owner's private key, wrapped so that only this token opens it."""
    return wrap.wrap(presented.open_key, private_key, _context(presented.id, owner_id))


def open_private_key(presented: Presented, owner_id: object, blob: bytes) -> bytes:
    """The owner's private key from this token's copy; :class:`EnvelopeError` if it does not open."""
    if not blob:
        raise EnvelopeError("this token carries no key")
    return wrap.unwrap(presented.open_key, bytes(blob), _context(presented.id, owner_id))
