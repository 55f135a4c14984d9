"""Where uploaded sheets wait: ``<data dir>/imports/<sheet id>``, ciphertext only.

The file is the upload handler's own stream (``attachments.uploads``), moved here from the
upload spool by a rename on the same file system; it is opened into memory (at most the upload
limit) with the per-file key, and deleted after the import, on cancel, on failure, or when it
is older than :data:`KEPT_FOR`.
"""

from __future__ import annotations

import io
import os
import time
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings

from protectdesk.attachments.uploads import file_context
from protectdesk.crypto import stream

#: An uploaded sheet not imported within this time is deleted.
KEPT_FOR = timedelta(hours=24)


def directory() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def path_for(sheet_id: uuid.UUID) -> Path:
    return directory() / str(sheet_id)


def place(temp: Path, sheet_id: uuid.UUID) -> None:
    """Move the spooled ciphertext into place (atomic rename, fsynced)."""
    with open(temp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temp, path_for(sheet_id))


def plaintext(sheet_id: uuid.UUID, key: bytes) -> bytes:
    """The whole sheet, decrypted and authenticated, in memory (never on disk)."""
    out = io.BytesIO()
    with open(path_for(sheet_id), "rb") as source:
        for chunk in stream.decrypt_chunks(key, file_context(sheet_id, 1), source):
            out.write(chunk)
    return out.getvalue()


def remove(sheet_id: uuid.UUID) -> None:
    path_for(sheet_id).unlink(missing_ok=True)


def remove_files_older_than(age: timedelta) -> int:
    """Delete every stored sheet older than ``age`` (by its file's time); files removed."""
    cutoff = time.time() - age.total_seconds()
    removed = 0
    for path in directory().iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed
