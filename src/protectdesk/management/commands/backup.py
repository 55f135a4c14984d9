"""``protectdesk backup [--output FILE]``: one encrypted archive of the database and files."""

from __future__ import annotations

import os
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
        partial = output.with_name(output.name + ".partial")
        try:
            with open(partial, "wb") as out:
                os.chmod(partial, 0o600)
                manifest = archive.create(
                    out,
                    source=Database.from_django(connection.settings_dict),
                    files_dir=Path(settings.FILES_DIR),
                    secret=settings.SECRET_KEY,
                    recipients=recipients,
                    progress_out=self.stderr._out,
                )
                out.flush()
                os.fsync(out.fileno())
            os.replace(partial, output)
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
