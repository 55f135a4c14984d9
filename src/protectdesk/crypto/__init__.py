"""Protection Desk's cryptography: one small module with a narrow, typed API on PyNaCl only.

Nothing here imports Django. Callers pass bytes and parameters in and get bytes out; where a
value must be bound to its place (a field of a row, a user, a session) the caller supplies that
context and the module binds it as AEAD associated data, so a ciphertext moved elsewhere fails.

The hierarchy (see docs/security.md in the project, and shared/design/security.md):

* a **user keypair** (X25519); the private key is sealed under a key derived from the user's
  password with Argon2id and its own random salt (:mod:`.userkeys`);
* two **case keys** per case (shared and staff), 32 random bytes each, stored only as sealed
  boxes to each member's public key and the desk recovery key (:mod:`.casekeys`);
* **field envelopes**: XChaCha20-Poly1305 under a case key, associated data
  ``table:field:record-uuid:key-id:key-version`` (:mod:`.envelope`);
* **wrapped secrets**: a secret under a symmetric key with caller-supplied context, used for the
  session copy of a private key and for invitation-held private keys (:mod:`.wrap`);
* the **desk recovery key**, shown once as a printable phrase (:mod:`.recovery`);
* **encrypted files**: libsodium secretstream in 64 KiB chunks under a per-file key
  (:mod:`.stream`);
* keyed BLAKE2b sub-keys derived from the server secret for the audit chain and login digests
  (:mod:`.kdf`).

Every binary format starts with a one-byte type tag and a one-byte version and is parsed
strictly: any malformed, truncated, unknown or tampered input raises :class:`CryptoError` (or
one of its subclasses) with a message that names the format but never echoes its content.
"""

from protectdesk.crypto.errors import (
    CryptoError,
    EnvelopeError,
    RecoveryPhraseError,
    StreamError,
    WrongPassword,
)

__all__ = [
    "CryptoError",
    "EnvelopeError",
    "RecoveryPhraseError",
    "StreamError",
    "WrongPassword",
]
