"""User keypairs (X25519) and the password-sealed private key.

Design:
* The keypair is generated when the user first sets a password (accepting an invitation), so
  no administrator ever holds a user's private key or first password.
* The private key is stored encrypted under ``Argon2id(password, salt)`` with its **own** random
  salt (never the password hasher's), with the cost parameters stored beside it so production
  parameters can be raised later and old keys still open.
* Changing the password re-encrypts the private key only; case keys sealed to the public key
  are untouched.
* The user's id is bound as associated data, so a sealed key copied onto another account does
  not open there even with the right password.

Format v1 (``b"P"``): ``P | 0x01 | opslimit u32 | memlimit u64 | salt 16 | nonce 24 | ct``.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

import nacl.exceptions
import nacl.public

from protectdesk.crypto import aead, kdf
from protectdesk.crypto.errors import EnvelopeError, WrongPassword

TAG = b"P"
VERSION = 1
_PARAMS = struct.Struct(">IQ")
_HEADER_LENGTH = 2 + _PARAMS.size + kdf.SALT_BYTES
PUBLIC_KEY_BYTES = nacl.public.PublicKey.SIZE  # 32
PRIVATE_KEY_BYTES = nacl.public.PrivateKey.SIZE  # 32
_MAX_MEMLIMIT = 4 * 1024 * 1024 * 1024  # a stored parameter beyond this is corruption, not policy
_MAX_OPSLIMIT = 20  # likewise: no legitimate setting needs more passes


@dataclass(frozen=True)
class Keypair:
    """A user's (or the desk recovery) X25519 keypair as raw bytes."""

    public_key: bytes
    private_key: bytes = field(repr=False)


def generate_keypair() -> Keypair:
    """A fresh X25519 keypair."""
    private = nacl.public.PrivateKey.generate()
    return Keypair(public_key=bytes(private.public_key), private_key=bytes(private))


def public_key_of(private_key: bytes) -> bytes:
    """The public key belonging to ``private_key``."""
    return bytes(nacl.public.PrivateKey(private_key).public_key)


def seal_private_key(
    private_key: bytes, password: str, owner_id: str, params: kdf.KdfParams
) -> bytes:
    """Encrypt ``private_key`` under a key stretched from ``password``, bound to ``owner_id``."""
    if len(private_key) != PRIVATE_KEY_BYTES:
        raise ValueError("private keys are 32 bytes")
    salt = kdf.new_salt()
    header = TAG + bytes([VERSION]) + _PARAMS.pack(params.opslimit, params.memlimit) + salt
    key = kdf.password_key(password, salt, params)
    nonce, ciphertext = aead.encrypt(key, private_key, _ad(header, owner_id))
    return header + nonce + ciphertext


def open_private_key(blob: bytes, password: str, owner_id: str) -> bytes:
    """Recover the private key; :class:`WrongPassword` if the password does not open it."""
    blob = bytes(blob)
    if len(blob) < _HEADER_LENGTH + aead.NONCE_BYTES + aead.TAG_BYTES:
        raise EnvelopeError("sealed private key: truncated")
    if blob[:1] != TAG:
        raise EnvelopeError("sealed private key: not a sealed private key")
    if blob[1] != VERSION:
        raise EnvelopeError("sealed private key: unsupported version")
    opslimit, memlimit = _PARAMS.unpack_from(blob, 2)
    if memlimit > _MAX_MEMLIMIT or opslimit > _MAX_OPSLIMIT:
        raise EnvelopeError("sealed private key: implausible parameters")
    try:
        params = kdf.KdfParams(opslimit=opslimit, memlimit=memlimit)
    except ValueError:
        raise EnvelopeError("sealed private key: implausible parameters") from None
    header = blob[:_HEADER_LENGTH]
    salt = header[-kdf.SALT_BYTES :]
    key = kdf.password_key(password, salt, params)
    nonce = blob[_HEADER_LENGTH : _HEADER_LENGTH + aead.NONCE_BYTES]
    try:
        return aead.decrypt(
            key,
            nonce,
            blob[_HEADER_LENGTH + aead.NONCE_BYTES :],
            _ad(header, owner_id),
            "sealed private key",
        )
    except EnvelopeError:
        # With a well-formed blob, a failed authentication means the wrong password (or a blob
        # moved from another account, which the user experiences the same way).
        raise WrongPassword("the password does not unlock this key") from None


def kdf_params_of(blob: bytes) -> kdf.KdfParams:
    """The Argon2id parameters a sealed private key was made with (to decide on re-sealing)."""
    blob = bytes(blob)
    if len(blob) < _HEADER_LENGTH or blob[:1] != TAG or blob[1] != VERSION:
        raise EnvelopeError("sealed private key: not a sealed private key")
    opslimit, memlimit = _PARAMS.unpack_from(blob, 2)
    return kdf.KdfParams(opslimit=opslimit, memlimit=memlimit)


def seal_to(public_key: bytes, secret: bytes) -> bytes:
    """Anonymous sealed box: only the holder of the matching private key can open it."""
    return nacl.public.SealedBox(nacl.public.PublicKey(public_key)).encrypt(secret)


def open_sealed(private_key: bytes, box: bytes) -> bytes:
    """Open a sealed box with ``private_key``."""
    try:
        return nacl.public.SealedBox(nacl.public.PrivateKey(private_key)).decrypt(bytes(box))
    except nacl.exceptions.CryptoError:
        raise EnvelopeError("sealed box: cannot be opened with this key") from None


def _ad(header: bytes, owner_id: str) -> bytes:
    return header + b"|user-private-key|" + owner_id.encode("utf-8")


def fingerprint(public_key: bytes) -> bytes:
    """A short stable name for a public key, stored beside each box sealed to it (16 bytes)."""
    return kdf.keyed_digest(b"pd-key-fingerprint", bytes(public_key), size=16)
