"""The public intake's cryptography: the receipt, the person's key pair, sealed parts.

Design (docs/research/issue18-design.md; compared with GlobaLeaks in docs/security.md):

* **The desk's intake key** is an X25519 key pair. Its private half is the desk secret
  ``"intake"`` (32 random bytes, :mod:`protectdesk.crypto.desksecrets`), sealed to each intake
  officer and to the recovery key; its public half is stored in clear. Everything a person
  sends is sealed to the public half *inside the request that receives it*: once that request
  ends, the server holds nothing that opens it.
* **The receipt** is :data:`RECEIPT_LENGTH` characters of RFC 4648 base32 drawn uniformly by
  :mod:`secrets`: 120 bits (the issue asks for at least 80; GlobaLeaks' 16 digits have about
  53). It is shown once and never stored. Two values are derived from it with BLAKE2b, keyed
  by the desk id and under two different personalisations:

  - the **lookup**, stored, to find the submission (unique per desk);
  - the **unlock key**, never stored, which encrypts the private half of the submission's
    **person key pair** (XChaCha20-Poly1305, the submission id as associated data).

  At 120 bits nothing is gained by a slow hash: an offline guesser with the database faces
  2^120 BLAKE2b calls, where GlobaLeaks needs Argon2id to make 53 bits expensive. Online
  guessing is throttled by the application (``protectdesk.intake.throttle``).
* **Two-way, encrypted both ways.** Every part of the conversation (the report, each answer,
  each officer's reply) is sealed twice: to the intake key (officers read the whole thread)
  and to the person's public key (the person reads it back with the receipt). An officer
  replies without the receipt: the public half suffices.
* **Sealed boxes carry no context of their own**, so each payload binds its place: a header
  ``I | version | submission uuid | part uuid`` is sealed with it and checked when opened, so a
  box copied onto another submission or message does not open there. The body is padded
  (:func:`protectdesk.crypto.envelope.pad`) so lengths say little.
* Files stay where the upload handler wrote them (chunked secretstream under a random per-file
  key); that key, with the file's name and type, is a sealed part like any other.
"""

from __future__ import annotations

import base64
import json
import secrets
import struct
import uuid
from collections.abc import Mapping
from typing import Any

from protectdesk.crypto import aead, envelope, kdf, userkeys
from protectdesk.crypto.errors import EnvelopeError

#: 24 base32 characters: 120 bits, shown in six groups of four.
RECEIPT_LENGTH = 24
RECEIPT_BITS = RECEIPT_LENGTH * 5
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_GROUP = 4
#: Characters people mistake when copying by hand: read as the base32 letter they look like.
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})
_TAG = b"I"
_VERSION = 1
_HEADER = struct.Struct(">cB16s16s")
#: Texts are padded to a multiple of this many bytes, so reports of the same number of
#: kilobytes look alike.
PAD_TO = 1024


class ReceiptError(ValueError):
    """A typed receipt that cannot be one (wrong length or characters)."""


def new_receipt() -> str:
    """A fresh receipt, as shown to the person: six groups of four characters."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(RECEIPT_LENGTH))
    return format_receipt(raw)


def format_receipt(receipt: str) -> str:
    text = normalise(receipt)
    return " ".join(text[i : i + _GROUP] for i in range(0, len(text), _GROUP))


def normalise(typed: str) -> str:
    """The receipt as typed, without spaces and dashes, upper case, look-alikes mapped;
    :class:`ReceiptError` when it cannot be a receipt."""
    text = "".join(ch for ch in typed.upper() if ch not in " -\t\r\n").translate(_LOOKALIKES)
    if len(text) != RECEIPT_LENGTH:
        raise ReceiptError("length")
    if any(ch not in _ALPHABET for ch in text):
        raise ReceiptError("characters")
    return text


def _derive(receipt: str, desk_id: uuid.UUID, purpose: str) -> bytes:
    return kdf.subkey(desk_id.bytes + normalise(receipt).encode("ascii"), purpose)


def lookup(receipt: str, desk_id: uuid.UUID) -> bytes:
    """What is stored to find a submission by its receipt (not a key: it opens nothing)."""
    return _derive(receipt, desk_id, "pd-intake-find")


def unlock_key(receipt: str, desk_id: uuid.UUID) -> bytes:
    """The key that opens the person's private key; derived on each visit, never stored."""
    return _derive(receipt, desk_id, "pd-intake-open")


def counter_subject(receipt: str, desk_id: uuid.UUID) -> str:
    """What the per-receipt throttle counts under: derived from the receipt, so a counter row
    cannot be tied to a submission by someone who holds the database."""
    return _derive(receipt, desk_id, "pd-intake-count").hex()[:32]


def _person_ad(submission_id: uuid.UUID) -> bytes:
    return b"intake-person-key|" + submission_id.bytes


def wrap_person_key(private_key: bytes, unlock: bytes, submission_id: uuid.UUID) -> bytes:
    nonce, ciphertext = aead.encrypt(unlock, private_key, _person_ad(submission_id))
    return nonce + ciphertext


def unwrap_person_key(blob: bytes, unlock: bytes, submission_id: uuid.UUID) -> bytes:
    """The person's private key; :class:`EnvelopeError` for another receipt or submission."""
    blob = bytes(blob)
    nonce, ciphertext = blob[: aead.NONCE_BYTES], blob[aead.NONCE_BYTES :]
    return aead.decrypt(unlock, nonce, ciphertext, _person_ad(submission_id), "intake person key")


def seal_part(
    public_key: bytes,
    submission_id: uuid.UUID,
    part_id: uuid.UUID,
    content: Mapping[str, Any],
) -> bytes:
    """``content`` (JSON-able) sealed to ``public_key``, bound to its submission and part."""
    encoded = json.dumps(content, ensure_ascii=False).encode("utf-8")
    # To the next multiple of PAD_TO (at least one): a length says only "about n KB".
    body = envelope.pad(encoded, (len(encoded) // PAD_TO + 1) * PAD_TO)
    header = _HEADER.pack(_TAG, _VERSION, submission_id.bytes, part_id.bytes)
    return userkeys.seal_to(public_key, header + body)


def open_part(
    private_key: bytes, box: bytes, submission_id: uuid.UUID, part_id: uuid.UUID
) -> dict[str, Any]:
    """Open a sealed part, checking that it belongs where the caller found it."""
    payload = userkeys.open_sealed(private_key, bytes(box))
    if len(payload) < _HEADER.size:
        raise EnvelopeError("intake part: truncated")
    tag, version, got_submission, got_part = _HEADER.unpack(payload[: _HEADER.size])
    if tag != _TAG or version != _VERSION:
        raise EnvelopeError("intake part: unknown format")
    if (got_submission, got_part) != (submission_id.bytes, part_id.bytes):
        raise EnvelopeError("intake part: belongs to another submission or part")
    try:
        content = json.loads(envelope.unpad(payload[_HEADER.size :]).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise EnvelopeError("intake part: unreadable content") from None
    if not isinstance(content, dict):
        raise EnvelopeError("intake part: unreadable content")
    return content


def intake_public_key(secret: bytes) -> bytes:
    """The intake key's public half, from the desk secret that is its private half."""
    return userkeys.public_key_of(secret)


def encode_key(key: bytes) -> str:
    return base64.b64encode(key).decode("ascii")


def decode_key(text: str) -> bytes:
    try:
        key = base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise EnvelopeError("intake part: bad file key") from None
    if len(key) != aead.KEY_BYTES:
        raise EnvelopeError("intake part: bad file key")
    return key
