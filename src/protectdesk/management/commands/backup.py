"""``protectdesk backup [--output FILE]``: one encrypted archive of the database and files.

The archive is written to ``<name>.partial`` beside its final name, fsynced, renamed into
place (one atomic step) and the folder fsynced: a backup interrupted at any point (killed,
power lost) leaves no file under the final name, only a ``.partial`` that the next backup into
the same folder deletes. The writer holds an exclusive lock (``flock``) on its ``.partial``
for as long as it writes, so that clean-up never deletes the file of a backup still running:
the lock dies with the process that held it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from protectdesk.accounts.models import Desk
from protectdesk.audit.actions import record
from protectdesk.backups import archive
from protectdesk.backups.database import Database

PARTIAL = ".partial"


def _fault_injection(step: str) -> None:
    """For the interruption test only: pause at ``step`` so the test can kill the process."""
    if os.environ.get("PROTECTDESK_BACKUP_PAUSE_AT") == step:
        sys.stdout.write(f"PAUSED {step}\n")
        sys.stdout.flush()
        time.sleep(120)


def _locked(path: Path, flags: int) -> int | None:
    """``path`` opened and locked for us alone, or None when another process holds it."""
    fd = os.open(path, flags, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    if os.fstat(fd).st_ino != os.stat(path).st_ino:  # replaced while we opened it
        os.close(fd)
        return None
    return fd


def remove_stale_partials(folder: Path) -> list[Path]:
    """Delete the ``.partial`` archives of backups that died (no live process holds them)."""
    removed = []
    for path in folder.glob(f"*.pdbackup{PARTIAL}"):
        with contextlib.suppress(FileNotFoundError):
            fd = _locked(path, os.O_RDONLY)
            if fd is None:
                continue  # a backup is writing it now
            try:
                path.unlink()
                removed.append(path)
            finally:
                os.close(fd)
    return removed


class Command(BaseCommand):
    help = "Write an encrypted backup (database and files), sealed to every desk's recovery key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", help="archive file to write (default: <data dir>/backups/<time>.pdbackup)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        recipients = [
            bytes(key)
            for key in Desk.objects.exclude(recovery_public_key=None).values_list(
                "recovery_public_key", flat=True
            )
            if key is not None
        ]
        if not recipients:
            raise CommandError("there is no desk yet, so no recovery key to seal a backup to")
        if options["output"]:
            output = Path(options["output"])
        else:
            folder = Path(settings.DATA_DIR) / "backups"
            folder.mkdir(mode=0o700, exist_ok=True)
            output = folder / f"protectdesk-{datetime.now(UTC):%Y%m%d-%H%M%S}.pdbackup"
        if output.exists():
            raise CommandError(f"{output} exists already; choose another name")
        for stale in remove_stale_partials(output.parent):
            self.stdout.write(f"Deleted {stale}, left by a backup that was interrupted.")
        partial = output.with_name(output.name + PARTIAL)
        # Truncated only once locked: O_TRUNC would cut the file of a backup still writing it.
        fd = _locked(partial, os.O_WRONLY | os.O_CREAT)
        if fd is None:
            raise CommandError(f"another backup is writing {output} right now")
        try:
            os.ftruncate(fd, 0)
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "wb") as out:
                manifest = archive.create(
                    out,
                    source=Database.from_django(connection.settings_dict),
                    files_dir=Path(settings.FILES_DIR),
                    secret=settings.SECRET_KEY,
                    recipients=recipients,
                    progress_out=self.stderr._out,
                    checkpoint=_fault_injection,
                )
                out.flush()
                os.fsync(out.fileno())
                # Renamed while still locked: no clean-up can take it for a dead one.
                os.replace(partial, output)
            _fsync_folder(output.parent)
        finally:
            partial.unlink(missing_ok=True)
        record(
            "backup.created",
            actor=None,
            detail={"tables": len(manifest["tables"]), "files": len(manifest["members"]) - 2},
        )
        files = sum(1 for name in manifest["members"] if name.startswith("files/"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {output} ({len(manifest['tables'])} tables, {files} files)."
            )
        )
        self.stdout.write(
            "It opens only with a desk's recovery phrase. Test a restore from time to time."
        )


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (the new name is an entry in the folder)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
