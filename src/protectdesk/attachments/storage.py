"""Where encrypted files live: ``<data dir>/files/<case id>/<attachment id>.<generation>``.

Nothing here ever sees plaintext: files arrive already encrypted (in a temporary file under
``<data dir>/tmp``, on the same file system, then renamed into place).
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from django.conf import settings


def temp_dir() -> Path:
    path = Path(settings.DATA_DIR) / "tmp"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def path_for(case_id: uuid.UUID, attachment_id: uuid.UUID, generation: int) -> Path:
    return Path(settings.FILES_DIR) / str(case_id) / f"{attachment_id}.{generation}"


def place(temp: Path, case_id: uuid.UUID, attachment_id: uuid.UUID, generation: int) -> Path:
    """Move an encrypted temporary file into its final place (atomic rename, fsynced)."""
    final = path_for(case_id, attachment_id, generation)
    final.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with open(temp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temp, final)
    return final


def remove(case_id: uuid.UUID, attachment_id: uuid.UUID, generation: int) -> None:
    path_for(case_id, attachment_id, generation).unlink(missing_ok=True)
