"""Field envelopes: one identifying value, encrypted under a case key, bound to its place.

Format v1 (all integers big-endian)::

    b"F" | 0x01 | purpose (1) | key version (u32) | nonce (24) | ciphertext + tag (>= 16)

* The associated data is ``table:field:record-uuid:key-id:key-version`` (security.md, Keys 3):
  a ciphertext copied to another row, another column, or presented as another key's output
  fails authentication.
* Plaintexts are padded (ISO/IEC 7816-4: a 0x80 byte, then zeros) to a multiple of
  :data:`PAD_BLOCK` bytes so a stored length says little about, say, the length of a name;
  a field may ask for a ``minimum`` padded size, so that whether it is empty or filled (a
  participant named, or linked to a case) does not show in its length either. The padding
  is inside the authenticated ciphertext: it is checked only after the tag.
* :func:`parse` is strict: anything but a well-formed v1 envelope raises :class:`EnvelopeError`
  with one short message; it never returns partial data.
"""

from __future__ import annotations

import struct
import uuid
from dataclasses import dataclass

import nacl.bindings as sodium

from protectdesk.crypto import aead
from protectdesk.crypto.casekeys import Purpose, key_id
from protectdesk.crypto.errors import EnvelopeError

TAG = b"F"
VERSION = 1
PAD_BLOCK = 32
_HEADER = struct.Struct(">ccBI")
HEADER_BYTES = _HEADER.size  # 7
MIN_LENGTH = HEADER_BYTES + aead.NONCE_BYTES + aead.TAG_BYTES


@dataclass(frozen=True)
class Place:
    """Where a value lives: the associated data of its envelope."""

    table: str
    field: str
    record_id: uuid.UUID
    case_id: uuid.UUID

    def associated_data(self, purpose: Purpose, key_version: int) -> bytes:
        return (
            f"{self.table}:{self.field}:{self.record_id}:"
            f"{key_id(self.case_id, purpose)}:{key_version}"
        ).encode()


@dataclass(frozen=True)
class Header:
    """The clear part of an envelope: which key (purpose and version) opens it."""

    purpose: Purpose
    key_version: int


def pad(plaintext: bytes, minimum: int = 0) -> bytes:
    """``plaintext``, a 0x80 byte and zeros, to a multiple of :data:`PAD_BLOCK` of at least
    ``minimum`` bytes (with ``minimum`` 0, exactly libsodium's ``sodium_pad``)."""
    if minimum <= len(plaintext):
        return bytes(sodium.sodium_pad(plaintext, PAD_BLOCK))
    size = -(-minimum // PAD_BLOCK) * PAD_BLOCK
    return plaintext + b"\x80" + b"\x00" * (size - len(plaintext) - 1)


def unpad(padded: bytes) -> bytes:
    """The plaintext of :func:`pad` (any amount of padding)."""
    body = padded.rstrip(b"\x00")
    if not body or body[-1] != 0x80 or len(padded) % PAD_BLOCK:
        raise EnvelopeError("envelope: bad padding")
    return body[:-1]


def seal(
    key: bytes,
    purpose: Purpose,
    key_version: int,
    place: Place,
    plaintext: bytes,
    minimum: int = 0,
) -> bytes:
    """Encrypt ``plaintext`` for ``place`` under the case key ``(purpose, key_version)``,
    padded to at least ``minimum`` bytes."""
    if not 0 < key_version < 2**32:
        raise ValueError("key version out of range")
    padded = pad(plaintext, minimum)
    nonce, ciphertext = aead.encrypt(key, padded, place.associated_data(purpose, key_version))
    return _HEADER.pack(TAG, bytes([VERSION]), int(purpose), key_version) + nonce + ciphertext


def parse(blob: bytes) -> Header:
    """Read an envelope's header strictly; :class:`EnvelopeError` if it is not a v1 envelope."""
    if not isinstance(blob, bytes | bytearray | memoryview):
        raise EnvelopeError("envelope: not bytes")
    blob = bytes(blob)
    if len(blob) < MIN_LENGTH:
        raise EnvelopeError("envelope: truncated")
    tag, version, purpose, key_version = _HEADER.unpack_from(blob)
    if tag != TAG:
        raise EnvelopeError("envelope: not a field envelope")
    if version[0] != VERSION:
        raise EnvelopeError("envelope: unsupported version")
    try:
        parsed_purpose = Purpose(purpose)
    except ValueError:
        raise EnvelopeError("envelope: unknown key purpose") from None
    if key_version == 0:
        raise EnvelopeError("envelope: invalid key version")
    return Header(purpose=parsed_purpose, key_version=key_version)


def unseal(key: bytes, place: Place, blob: bytes) -> bytes:
    """Decrypt an envelope found at ``place`` with the case key its header names."""
    header = parse(blob)
    blob = bytes(blob)
    nonce = blob[HEADER_BYTES : HEADER_BYTES + aead.NONCE_BYTES]
    padded = aead.decrypt(
        key,
        nonce,
        blob[HEADER_BYTES + aead.NONCE_BYTES :],
        place.associated_data(header.purpose, header.key_version),
        "envelope",
    )
    return unpad(bytes(padded))
