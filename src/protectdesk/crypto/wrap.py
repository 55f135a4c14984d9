"""Wrapped secrets: a short secret encrypted under a symmetric key, bound to a context.

Used for the session copy of a user's private key (wrapped under the per-session key that only
the browser's ``pd_key`` cookie holds) and for invitation-held private keys. Per-file keys are
not wrapped here: each travels inside its attachment's field envelope, under a case key.

Format v1: ``b"W" | 0x01 | nonce (24) | ciphertext+tag``. The context string is the associated
data, so a wrapped secret copied to another user, session or file fails to open.
"""

from __future__ import annotations

from protectdesk.crypto import aead
from protectdesk.crypto.errors import EnvelopeError

TAG = b"W"
VERSION = 1
HEADER = TAG + bytes([VERSION])
MIN_LENGTH = len(HEADER) + aead.NONCE_BYTES + aead.TAG_BYTES


def wrap(key: bytes, secret: bytes, context: str) -> bytes:
    """Encrypt ``secret`` under ``key``, bound to ``context``."""
    nonce, ciphertext = aead.encrypt(key, secret, _ad(context))
    return HEADER + nonce + ciphertext


def unwrap(key: bytes, blob: bytes, context: str) -> bytes:
    """Open a wrapped secret; :class:`EnvelopeError` if malformed, tampered or out of context."""
    if not isinstance(blob, bytes | bytearray | memoryview):
        raise EnvelopeError("wrapped secret: not bytes")
    blob = bytes(blob)
    if len(blob) < MIN_LENGTH:
        raise EnvelopeError("wrapped secret: truncated")
    if blob[:1] != TAG:
        raise EnvelopeError("wrapped secret: not a wrapped secret")
    if blob[1] != VERSION:
        raise EnvelopeError("wrapped secret: unsupported version")
    nonce = blob[2 : 2 + aead.NONCE_BYTES]
    return aead.decrypt(key, nonce, blob[2 + aead.NONCE_BYTES :], _ad(context), "wrapped secret")


def _ad(context: str) -> bytes:
    return HEADER + b"|" + context.encode("utf-8")
