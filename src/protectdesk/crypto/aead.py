"""XChaCha20-Poly1305 (IETF) with random 24-byte nonces: the one symmetric primitive we use.

Random nonces are safe at this size (192 bits), so no counter state is kept anywhere.
"""

from __future__ import annotations

import nacl.bindings as sodium
import nacl.exceptions
import nacl.utils

from protectdesk.crypto.errors import EnvelopeError

KEY_BYTES = sodium.crypto_aead_xchacha20poly1305_ietf_KEYBYTES  # 32
NONCE_BYTES = sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES  # 24
TAG_BYTES = sodium.crypto_aead_xchacha20poly1305_ietf_ABYTES  # 16


def new_key() -> bytes:
    """32 random bytes from the operating system's CSPRNG (through libsodium)."""
    return nacl.utils.random(KEY_BYTES)


def encrypt(key: bytes, plaintext: bytes, associated_data: bytes) -> tuple[bytes, bytes]:
    """Encrypt under ``key``; returns ``(nonce, ciphertext-with-tag)``."""
    _check_key(key)
    nonce = nacl.utils.random(NONCE_BYTES)
    ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
        plaintext, associated_data, nonce, key
    )
    return nonce, ciphertext


def decrypt(
    key: bytes, nonce: bytes, ciphertext: bytes, associated_data: bytes, what: str
) -> bytes:
    """Authenticate and decrypt, or raise :class:`EnvelopeError` naming ``what`` failed."""
    _check_key(key)
    if len(nonce) != NONCE_BYTES or len(ciphertext) < TAG_BYTES:
        raise EnvelopeError(f"{what}: truncated")
    try:
        return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
            ciphertext, associated_data, nonce, key
        )
    except nacl.exceptions.CryptoError:
        raise EnvelopeError(
            f"{what}: authentication failed (wrong key, wrong place or tampered)"
        ) from None


def _check_key(key: bytes) -> None:
    if len(key) != KEY_BYTES:
        raise ValueError("XChaCha20-Poly1305 keys are 32 bytes")
