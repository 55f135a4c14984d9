"""Keys derived from the server's secret-key file, one per purpose (keyed BLAKE2b)."""

from __future__ import annotations

from functools import cache

from django.conf import settings

from protectdesk.crypto import kdf


@cache
def _master() -> bytes:
    return settings.SECRET_KEY.encode("utf-8")


def server_subkey(purpose: str) -> bytes:
    """A 32-byte key for ``purpose`` (e.g. ``"pd-audit"``), stable while the secret file is."""
    return kdf.subkey(_master(), purpose)


def digest(purpose: str, value: str) -> bytes:
    """A keyed hash of ``value`` for lookups and logs that must not hold the value itself."""
    return kdf.keyed_digest(server_subkey(purpose), value.encode("utf-8"))


def reset_cache() -> None:
    """For tests that swap the secret key."""
    _master.cache_clear()
