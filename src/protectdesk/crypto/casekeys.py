"""Case keys: 32 random bytes per (case, purpose, version), stored only as sealed boxes.

A case has two keys: ``shared`` (members, the defender's account, the recovery key) and
``staff`` (staff members and the recovery key only). Each key is sealed to each recipient's
X25519 public key with a sealed box.

Sealed boxes do not authenticate the sealer and carry no context of their own, so the sealed
payload binds its place: ``K | 0x01 | purpose | version u32 | case uuid (16) | key (32)``.
Opening checks that the box is for the case, purpose and version the caller expects; a box
moved to another case or relabelled as the other purpose fails instead of silently handing the
caller the wrong key.
"""

from __future__ import annotations

import enum
import struct
import uuid

from protectdesk.crypto import aead, userkeys
from protectdesk.crypto.errors import EnvelopeError

TAG = b"K"
VERSION = 1
_LAYOUT = struct.Struct(">ccBI16s32s")


class Purpose(enum.IntEnum):
    """Which of a case's two keys: the value is stored in envelopes, never renumber."""

    SHARED = 1
    STAFF = 2

    @property
    def label(self) -> str:
        return self.name.lower()


def new_case_key() -> bytes:
    """A fresh random case key."""
    return aead.new_key()


def key_id(case_id: uuid.UUID, purpose: Purpose) -> str:
    """The stable identity of a case key lineage, used in associated data: ``<uuid>.<purpose>``."""
    return f"{case_id}.{purpose.label}"


def seal_case_key(
    recipient_public_key: bytes, case_id: uuid.UUID, purpose: Purpose, version: int, key: bytes
) -> bytes:
    """Seal one case key to one recipient, binding case, purpose and version."""
    if len(key) != aead.KEY_BYTES:
        raise ValueError("case keys are 32 bytes")
    payload = _LAYOUT.pack(TAG, bytes([VERSION]), int(purpose), version, case_id.bytes, key)
    return userkeys.seal_to(recipient_public_key, payload)


def open_case_key(
    private_key: bytes, box: bytes, case_id: uuid.UUID, purpose: Purpose, version: int
) -> bytes:
    """Open a sealed case key, checking it belongs where the caller found it."""
    payload = userkeys.open_sealed(private_key, box)
    if len(payload) != _LAYOUT.size:
        raise EnvelopeError("sealed case key: wrong length")
    tag, ver, got_purpose, got_version, got_case, key = _LAYOUT.unpack(payload)
    if tag != TAG or ver[0] != VERSION:
        raise EnvelopeError("sealed case key: unknown format")
    if (got_purpose, got_version, got_case) != (int(purpose), version, case_id.bytes):
        raise EnvelopeError("sealed case key: belongs to another case, purpose or version")
    return bytes(key)
