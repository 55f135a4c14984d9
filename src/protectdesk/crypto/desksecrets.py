"""Desk secrets: named desk-level keys (e.g. the intake key), stored only as sealed boxes.

Like case keys, a desk secret is 32 random bytes sealed (X25519 sealed box) to each holder and
to the desk recovery key. Sealed boxes carry no context of their own, so the payload binds its
place: ``D | 0x01 | version u32 | desk uuid (16) | name length u8 | name (UTF-8) | secret (32)``.
Opening checks desk, name and version, so a box moved to another desk or name fails instead of
handing over the wrong secret; unknown formats and wrong lengths fail as well.
"""

from __future__ import annotations

import struct
import uuid

from protectdesk.crypto import aead, userkeys
from protectdesk.crypto.errors import EnvelopeError

TAG = b"D"
VERSION = 1
_HEADER = struct.Struct(">ccI16sB")
_MAX_NAME = 64


def new_desk_secret() -> bytes:
    """A fresh random desk secret."""
    return aead.new_key()


def _payload(desk_id: uuid.UUID, name: str, version: int, secret: bytes) -> bytes:
    encoded = name.encode("utf-8")
    if not 0 < len(encoded) <= _MAX_NAME:
        raise ValueError("desk secret names are 1 to 64 bytes")
    if len(secret) != aead.KEY_BYTES:
        raise ValueError("desk secrets are 32 bytes")
    header = _HEADER.pack(TAG, bytes([VERSION]), version, desk_id.bytes, len(encoded))
    return header + encoded + secret


def seal_desk_secret(
    recipient_public_key: bytes, desk_id: uuid.UUID, name: str, version: int, secret: bytes
) -> bytes:
    """Seal one desk secret to one recipient, binding desk, name and version."""
    return userkeys.seal_to(recipient_public_key, _payload(desk_id, name, version, secret))


def open_desk_secret(
    private_key: bytes, box: bytes, desk_id: uuid.UUID, name: str, version: int
) -> bytes:
    """Open a sealed desk secret, checking it belongs where the caller found it."""
    payload = userkeys.open_sealed(private_key, box)
    if len(payload) < _HEADER.size:
        raise EnvelopeError("desk secret: truncated")
    tag, ver, got_version, got_desk, name_length = _HEADER.unpack(payload[: _HEADER.size])
    if tag != TAG or ver[0] != VERSION:
        raise EnvelopeError("desk secret: unknown format")
    rest = payload[_HEADER.size :]
    if len(rest) != name_length + aead.KEY_BYTES:
        raise EnvelopeError("desk secret: wrong length")
    got_name, secret = rest[:name_length], rest[name_length:]
    if (got_version, got_desk, got_name) != (version, desk_id.bytes, name.encode("utf-8")):
        raise EnvelopeError("desk secret: belongs to another desk, name or version")
    return bytes(secret)
