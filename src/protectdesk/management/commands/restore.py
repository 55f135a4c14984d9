"""``protectdesk restore ARCHIVE [--phrase-file F] [--force]``: restore a backup.

Restores into the database and data directory this installation is configured with (the
settings), which must be empty unless ``--force``. The phrase comes from a prompt or a file.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from protectdesk.backups import archive
from protectdesk.backups.database import Database
from protectdesk.crypto import CryptoError
from protectdesk.management.passwords import read_password


def _fault_injection(step: str) -> None:
    """For the interruption test only: pause at ``step`` so the test can kill the process."""
    if os.environ.get("PROTECTDESK_RESTORE_PAUSE_AT") == step:
        sys.stdout.write(f"PAUSED {step}\n")
        sys.stdout.flush()
        time.sleep(120)


class Command(BaseCommand):
    help = "Restore a backup archive (needs a desk's recovery phrase)."
    requires_system_checks: list[str] = []  # the target database may not exist yet
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="the .pdbackup file")
        parser.add_argument("--phrase-file", help="read the recovery phrase from this file")
        parser.add_argument(
            "--force", action="store_true", help="replace a database that is not empty"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["archive"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        phrase = read_password(options["phrase_file"], "Recovery phrase: ")
        target = archive.RestoreTarget(
            database=Database.from_django(connection.settings_dict),
            data_dir=Path(settings.DATA_DIR),
            files_dir=Path(settings.FILES_DIR),
            secret_path=Path(settings.SECRET_KEY_PATH),
            secret_is_default=bool(settings.SECRET_KEY_GENERATED),
        )
        try:
            report = archive.restore(
                path,
                phrase,
                target,
                force=options["force"],
                checkpoint=_fault_injection,
                progress_out=self.stderr._out,
            )
        except CryptoError as error:
            raise CommandError(f"the archive cannot be opened: {error}") from None
        except archive.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored: {report.tables} tables and {report.files} files, verified against the backup's checksums."
            )
        )
        if report.secret_note:
            self.stdout.write(report.secret_note)
        if report.tokens_dropped:
            self.stdout.write(
                f"{report.tokens_dropped} rows of API tokens were not restored: a token revoked "
                "since the backup must not work again. Their owners make new ones in My account."
            )
        self.stdout.write(
            "Run `protectdesk migrate` if this backup came from an older version, then `protectdesk audit verify`."
        )
