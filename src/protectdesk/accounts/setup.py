"""First run from the web: create the desk, its first coordinator, and show the recovery phrase.

Only while the database has no desk, and only with the one-time setup token that
``protectdesk serve`` prints on the server's console (whoever reaches a fresh server first must
not be able to claim it). The token's hash is kept in the data directory and deleted on use.
"""

from __future__ import annotations

import hmac
import secrets
from pathlib import Path

from django.conf import settings

from protectdesk.accounts.models import Desk
from protectdesk.crypto import kdf

_FILE = "setup-token.hash"


def _path() -> Path:
    return Path(settings.DATA_DIR) / _FILE


def _digest(token: str) -> str:
    return kdf.keyed_digest(b"pd-setup-token", token.encode()).hex()


def issue_token() -> str | None:
    """A fresh setup token if the database has no desk yet (its hash replaces any older one)."""
    if Desk.objects.exists():
        _path().unlink(missing_ok=True)
        return None
    token = secrets.token_urlsafe(24)
    path = _path()
    path.write_text(_digest(token), encoding="ascii")
    path.chmod(0o600)
    return token


def token_is_valid(token: str) -> bool:
    path = _path()
    if not token or not path.exists() or Desk.objects.exists():
        return False
    return hmac.compare_digest(path.read_text(encoding="ascii").strip(), _digest(token))


def spend_token() -> None:
    _path().unlink(missing_ok=True)
