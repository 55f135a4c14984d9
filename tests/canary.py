"""Canary scanning: unique strings planted in identifying fields must never appear at rest."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection


def canary(label: str) -> str:
    """A unique, greppable marker (ASCII, so every encoding of it is predictable)."""
    return f"CANARY{label.upper().replace('_', '')}{secrets.token_hex(6).upper()}"


def encodings(text: str) -> list[bytes]:
    """The canary as it could appear at rest: raw, UTF-16, base64 at each alignment, hex."""
    raw = text.encode()
    forms = [raw, text.encode("utf-16-le"), raw.hex().encode()]
    for shift in range(3):
        # The middle of the base64 of the canary at each byte alignment: any base64 of a larger
        # buffer that holds the canary contains one of these three.
        forms.append(base64.b64encode(b"x" * shift + raw)[4:-4])
    return [f for f in forms if len(f) >= 12]


def find(canaries: list[str], blob: bytes) -> list[str]:
    return [c for c in canaries if any(form in blob for form in encodings(c))]


def database_at_rest() -> dict[str, bytes]:
    """What a seized server's database looks like: the SQLite file and WAL, or a pg_dump."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        path = Path(connection.settings_dict["NAME"])
        return {
            str(p): p.read_bytes()
            for p in (path, Path(f"{path}-wal"), Path(f"{path}-journal"))
            if p.exists()
        }
    env = {"PATH": "/usr/bin:/bin", "PGPASSWORD": db.get("PASSWORD") or ""}
    dump = subprocess.run(
        [  # noqa: S607 - pg_dump from the fixed PATH above
            "pg_dump",
            "-h",
            db.get("HOST") or "127.0.0.1",
            "-p",
            str(db.get("PORT") or 5432),
            "-U",
            db.get("USER") or "postgres",
            connection.settings_dict["NAME"],
        ],
        capture_output=True,
        check=True,
        env=env,
    ).stdout
    return {"pg_dump": dump}


def log_files() -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in Path(settings.LOG_DIR).glob("*") if p.is_file()}


def files_under(directory: Path, since: float) -> dict[str, bytes]:
    """Every file below ``directory`` modified since ``since``. A directory another process
    removes during the walk (a parallel test's temp dir) is passed over, not an error:
    ``os.walk`` ignores what it can no longer list, where ``Path.rglob`` raises."""
    found = {}
    for root, _dirs, names in os.walk(directory):
        for name in names:
            path = Path(root) / name
            try:
                if (
                    path.is_file()
                    and path.stat().st_mtime >= since
                    and path.stat().st_size < 50_000_000
                ):
                    found[str(path)] = path.read_bytes()
            except OSError:
                continue
    return found
