"""The crypto module's exceptions: one base class, a few precise subclasses.

Messages name the format and the reason, never the data: they may reach logs.
"""


class CryptoError(Exception):
    """Any failure to parse, authenticate or decrypt protected data."""


class EnvelopeError(CryptoError):
    """A field envelope or wrapped secret is malformed, of an unknown version, or tampered with."""


class WrongPassword(CryptoError):
    """The password does not unlock this private key."""


class RecoveryPhraseError(CryptoError):
    """A recovery phrase is mistyped (bad characters, wrong length or checksum)."""


class StreamError(CryptoError):
    """An encrypted file is truncated, reordered, tampered with or of an unknown format."""
