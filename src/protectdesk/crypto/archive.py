"""Backup archives: a stream encrypted under a random archive key sealed to recovery keys.

Format v1::

    b"PDBK" | 0x01 | archive id (16) | recipient count (u8)
    for each recipient: box length (u16) | sealed box of  b"A" | archive id (16) | key (32)
    the body: an encrypted stream (:mod:`.stream`) under the archive key,
              context "backup:<archive id>"

Anyone holding one of the recovery private keys (a desk's recovery phrase) can open it; the
server needs no secret to *write* a backup, only the desks' public recovery keys. The archive
id inside each sealed box ties the box to this archive: boxes cannot be moved between
archives, and a box that opens must name the archive it was found in.
"""

from __future__ import annotations

import struct
import uuid
from typing import BinaryIO

from protectdesk.crypto import aead, userkeys
from protectdesk.crypto.errors import CryptoError, EnvelopeError

MAGIC = b"PDBK"
VERSION = 1
_BOX_PAYLOAD = struct.Struct(">c16s32s")


class NotForThisKey(CryptoError):
    """None of the archive's sealed boxes opens with this recovery key."""


def write_header(out: BinaryIO, recipients: list[bytes]) -> tuple[bytes, str]:
    """Start an archive for ``recipients`` (public keys); returns (archive key, stream context)."""
    if not recipients or len(recipients) > 255:
        raise ValueError("an archive needs 1 to 255 recipients")
    archive_id = uuid.uuid4().bytes
    key = aead.new_key()
    out.write(MAGIC + bytes([VERSION]) + archive_id + bytes([len(recipients)]))
    payload = _BOX_PAYLOAD.pack(b"A", archive_id, key)
    for public_key in recipients:
        box = userkeys.seal_to(public_key, payload)
        out.write(struct.pack(">H", len(box)) + box)
    return key, _context(archive_id)


def open_header(source: BinaryIO, private_key: bytes) -> tuple[bytes, str]:
    """Read the header and find the box ``private_key`` opens; returns (key, stream context)."""
    head = source.read(len(MAGIC) + 1 + 16 + 1)
    if len(head) < len(MAGIC) + 18 or head[: len(MAGIC)] != MAGIC:
        raise EnvelopeError("backup: not a Protection Desk backup archive")
    if head[len(MAGIC)] != VERSION:
        raise EnvelopeError("backup: unsupported archive version")
    archive_id = head[len(MAGIC) + 1 : len(MAGIC) + 17]
    count = head[-1]
    found: bytes | None = None
    for _ in range(count):
        raw_length = source.read(2)
        if len(raw_length) != 2:
            raise EnvelopeError("backup: truncated header")
        (length,) = struct.unpack(">H", raw_length)
        box = source.read(length)
        if len(box) != length:
            raise EnvelopeError("backup: truncated header")
        if found is not None:
            continue
        try:
            payload = userkeys.open_sealed(private_key, box)
        except EnvelopeError:
            continue
        if len(payload) != _BOX_PAYLOAD.size:
            raise EnvelopeError("backup: malformed key box")
        tag, box_archive, key = _BOX_PAYLOAD.unpack(payload)
        if tag != b"A" or box_archive != archive_id:
            raise EnvelopeError("backup: key box belongs to another archive")
        found = bytes(key)
    if found is None:
        raise NotForThisKey("this recovery key does not open this backup")
    return found, _context(archive_id)


def _context(archive_id: bytes) -> str:
    return f"backup:{uuid.UUID(bytes=archive_id)}"
