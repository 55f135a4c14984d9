"""Reading configuration from environment variables (with ``*_FILE`` variants for secrets)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool = False) -> bool:
    """A boolean variable: 1/true/yes/on or 0/false/no/off (anything else is an error)."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off")


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number") from None


def read_secret_key(explicit_file: str | None, data_dir: Path) -> tuple[str, Path, bool]:
    """The server secret: from ``explicit_file`` if given, else ``<data dir>/secret.key``.

    Returns ``(secret, path, generated_here)``. Only the data-dir default is ever generated
    (development and the demo); an explicitly configured file must already exist, because a
    typo in production must not silently mint a new key (which would break the audit chain).
    """
    if explicit_file:
        path = Path(explicit_file)
        if not path.is_file():
            raise ImproperlyConfigured(
                f"PROTECTDESK_SECRET_KEY_FILE points to {path}, which does not exist"
            )
        secret = path.read_text(encoding="utf-8").strip()
        if len(secret) < 50:
            raise ImproperlyConfigured(f"the secret key in {path} is shorter than 50 characters")
        return secret, path, False
    path = data_dir / "secret.key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        # O_EXCL: two processes starting at once must not both write a different key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(secrets.token_urlsafe(64) + "\n")
    return path.read_text(encoding="utf-8").strip(), path, True
