"""Key derivation: Argon2id from passwords, keyed BLAKE2b sub-keys from a master secret.

Why two functions: a password is low-entropy and must be stretched (Argon2id, memory-hard);
the server's secret-key file and case keys are already uniformly random, so a fast keyed hash
with a distinct personalisation per purpose is the right tool to derive independent sub-keys.
"""

from __future__ import annotations

from dataclasses import dataclass

import nacl.hash
import nacl.pwhash.argon2id as argon2id
import nacl.utils

KEY_BYTES = 32
SALT_BYTES = argon2id.SALTBYTES  # 16


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost parameters; stored beside every password-sealed key so they can change."""

    opslimit: int
    memlimit: int

    def __post_init__(self) -> None:
        if self.opslimit < argon2id.OPSLIMIT_MIN or self.memlimit < argon2id.MEMLIMIT_MIN:
            raise ValueError("Argon2id parameters below libsodium's minimum")


#: Production parameters: 64 MiB and 3 passes, security.md's floor. A test pins these values.
PRODUCTION_KDF = KdfParams(opslimit=3, memlimit=64 * 1024 * 1024)
#: libsodium's minimum: only for test settings, never for real data.
MINIMUM_KDF = KdfParams(opslimit=argon2id.OPSLIMIT_MIN, memlimit=argon2id.MEMLIMIT_MIN)


def new_salt() -> bytes:
    """A fresh random Argon2id salt."""
    return nacl.utils.random(SALT_BYTES)


def password_key(password: str, salt: bytes, params: KdfParams) -> bytes:
    """Stretch ``password`` into a 32-byte key with Argon2id."""
    if len(salt) != SALT_BYTES:
        raise ValueError("Argon2id salt must be 16 bytes")
    return argon2id.kdf(
        KEY_BYTES,
        password.encode("utf-8"),
        salt,
        opslimit=params.opslimit,
        memlimit=params.memlimit,
    )


def subkey(master: bytes, purpose: str, size: int = KEY_BYTES) -> bytes:
    """Derive an independent key for ``purpose`` (at most 16 ASCII bytes) from ``master``.

    ``master`` may be any length: longer than BLAKE2b's 64-byte key limit, it is hashed first.
    """
    person = purpose.encode("ascii")
    if not 0 < len(person) <= nacl.hash.BLAKE2B_PERSONALBYTES:
        raise ValueError("purpose must be 1 to 16 ASCII bytes")
    if not master:
        raise ValueError("master secret is empty")
    key = master
    if len(key) > nacl.hash.BLAKE2B_KEYBYTES_MAX:
        key = nacl.hash.blake2b(key, digest_size=64, encoder=nacl.encoding.RawEncoder)
    return nacl.hash.blake2b(
        b"", digest_size=size, key=key, person=person, encoder=nacl.encoding.RawEncoder
    )


def keyed_digest(key: bytes, data: bytes, size: int = 32) -> bytes:
    """Keyed BLAKE2b of ``data``: a MAC / PRF output of ``size`` bytes."""
    return nacl.hash.blake2b(data, digest_size=size, key=key, encoder=nacl.encoding.RawEncoder)
