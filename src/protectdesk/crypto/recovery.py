"""The desk recovery key as a printable phrase.

The recovery keypair is created with the desk; the public half is stored and every case key
is sealed to it; the private half is shown once as this phrase and never stored. A coordinator
who types the phrase can re-seal a user's case keys to that user's new keypair.

Encoding: the 32-byte private key plus a 2-byte keyed checksum, in RFC 4648 base32 (A-Z, 2-7),
grouped in fives: 55 characters in 11 groups. Parsing ignores case, spaces and dashes and
maps the look-alikes 0→O, 1→I, 8→B, so a phrase copied by hand off paper still parses; a typo
is caught by the checksum with a clear error instead of yielding a wrong key.
"""

from __future__ import annotations

import base64

from protectdesk.crypto import kdf, userkeys
from protectdesk.crypto.errors import RecoveryPhraseError

_CHECKSUM_BYTES = 2
_GROUP = 5
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})
_LENGTH = 55  # ceil((32 + 2) * 8 / 5)


def _checksum(private_key: bytes) -> bytes:
    return kdf.keyed_digest(b"pd-recovery-phrase", private_key, size=_CHECKSUM_BYTES)


def to_phrase(private_key: bytes) -> str:
    """Encode a recovery private key as a phrase of 11 groups of five characters."""
    if len(private_key) != userkeys.PRIVATE_KEY_BYTES:
        raise ValueError("recovery keys are 32 bytes")
    text = base64.b32encode(private_key + _checksum(private_key)).decode("ascii").rstrip("=")
    return " ".join(text[i : i + _GROUP] for i in range(0, len(text), _GROUP))


def from_phrase(phrase: str) -> bytes:
    """Decode a phrase back to the private key; :class:`RecoveryPhraseError` on any typo."""
    text = "".join(ch for ch in phrase.upper() if ch not in " -\t\r\n").translate(_LOOKALIKES)
    if len(text) != _LENGTH:
        raise RecoveryPhraseError("a recovery phrase has 55 characters (11 groups of five)")
    try:
        raw = base64.b32decode(text + "=" * (-len(text) % 8))
    except ValueError:
        raise RecoveryPhraseError(
            "a recovery phrase uses only the letters A-Z and digits 2-7"
        ) from None
    key, checksum = raw[: userkeys.PRIVATE_KEY_BYTES], raw[userkeys.PRIVATE_KEY_BYTES :]
    if len(key) != userkeys.PRIVATE_KEY_BYTES or checksum != _checksum(key):
        raise RecoveryPhraseError("the recovery phrase has a typo (checksum does not match)")
    return key
