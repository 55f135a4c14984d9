"""``protectdesk import FILE --as LOGIN [--case REFERENCE] [--dry-run]``: a sheet from disk.

Acts as the named person (password from a prompt or ``--password-file``): a desk import opens
one case per defender (coordinators and caseworkers), ``--case`` imports every row as an
incident of that case (its staff members). Columns are taken by their headings, or as the desk
mapped the same header row on the web before. The whole file is checked first and the report
printed (row, column, problem, suggestion); with any problem nothing is saved and the command
exits with status 1. A progress bar goes to stderr.

The file is read into memory once; the command writes no copy of it anywhere.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from protectdesk.accounts.models import User
from protectdesk.imports import actions, bulk, sheets, validate
from protectdesk.imports.forms import column_label
from protectdesk.imports.messages import refusal_message
from protectdesk.management.passwords import signed_in
from protectdesk.records.keyring import Keyring, NoCaseAccess
from protectdesk.records.models import Case


class ProgressBar:
    """``checking  12,000 rows`` / ``saving [#####.....]  50%  2,500/5,000`` on one line."""

    WIDTH = 30

    def __init__(self, out: OutputWrapper) -> None:
        self.out = out
        self.last = 0.0

    def show(self, done: int, total: int, phase: str, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < 0.1:
            return
        self.last = now
        if total:
            filled = self.WIDTH * min(done, total) // total
            bar = "#" * filled + "." * (self.WIDTH - filled)
            line = f"{phase:<9}[{bar}] {100 * done // total:3d}%  {done:,}/{total:,}"
        else:
            line = f"{phase:<9}{done:,} rows"
        self.out.write("\r" + line, ending="")
        self.out.flush()

    def end(self) -> None:
        self.out.write("", ending="\n")
        self.out.flush()


#: For the kill test only (``tests/faults``): with ``PROTECTDESK_IMPORT_PAUSE_AFTER_ROWS=N``
#: the bulk writer's batches are N rows, and the command stops inside the import's transaction
#: once the first batch is written, and waits to be killed.
PAUSE_AFTER_ROWS = int(os.environ.get("PROTECTDESK_IMPORT_PAUSE_AFTER_ROWS", "0") or 0)


def _pause_for_fault_test(written: int) -> None:
    if PAUSE_AFTER_ROWS and written >= PAUSE_AFTER_ROWS:
        sys.stdout.write(f"PAUSED {written}\n")
        sys.stdout.flush()
        time.sleep(120)


class Command(BaseCommand):
    help = "Import incidents (and the defenders they concern) from a CSV or XLSX file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the CSV or XLSX file")
        parser.add_argument(
            "--as", dest="actor", required=True, help="your sign-in e-mail (who imports)"
        )
        parser.add_argument("--case", help="import every row into this case (its reference)")
        parser.add_argument("--dry-run", action="store_true", help="check only; save nothing")
        parser.add_argument("--password-file", help="read your password from this file")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            size = path.stat().st_size
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from None
        if size > sheets.MAX_BYTES:
            raise CommandError(refusal_message("too_large", {"megabytes": sheets.MAX_BYTES >> 20}))
        actor, keyring = signed_in(options["actor"], options["password_file"])
        case = None
        if options["case"]:
            case = Case.objects.filter(
                desk_id=actor.desk_id, reference=options["case"].upper()
            ).first()
            if case is None:
                raise CommandError("no such case on your desk")
        if not actions.may_import(actor, keyring, case):
            raise CommandError(
                "you are not a staff member of this case"
                if case is not None
                else "only coordinators and caseworkers import cases"
            )
        data = path.read_bytes()
        self._import(actor, keyring, case, data, dry_run=options["dry_run"])

    def _import(
        self, actor: User, keyring: Keyring, case: Case | None, data: bytes, *, dry_run: bool
    ) -> None:
        try:
            header = sheets.read(data).header
        except sheets.Refused as refused:
            raise CommandError(refusal_message(refused.code, refused.params)) from None
        mapping = actions.suggested_mapping(actor, header)
        mode = validate.CASE if case is not None else validate.DESK
        for index, name in enumerate(mapping):
            shown = name or "(not imported)"
            self.stdout.write(f"  {column_label(index, header)} -> {shown}")
        bar = ProgressBar(self.stderr)
        report = validate.dry_run(
            data, mapping, mode, lambda done: bar.show(done, 0, actions.CHECKING)
        )
        bar.show(report.rows, 0, actions.CHECKING, force=True)
        bar.end()
        for notice in report.notices:
            self.stdout.write(notice)
        if not report.ok:
            for finding in report.findings:
                where = f"row {finding.row}" if finding.row else "whole file"
                column = column_label(finding.column, header)
                line = f"{where}, column {column}: " if column else f"{where}: "
                line += finding.message
                if finding.suggestion:
                    line += f" {finding.suggestion}"
                self.stdout.write(line)
            if report.unlisted:
                self.stdout.write(f"... and {report.unlisted} more problems.")
            raise CommandError(f"the file has {report.error_count} problems: nothing was saved")
        summary = f"{report.rows} rows check out"
        if mode == validate.DESK:
            summary += f": {report.defenders} defenders (new cases), {report.incidents} incidents"
        self.stdout.write(summary + ".")
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")
            return

        if PAUSE_AFTER_ROWS:
            bulk.BATCH = PAUSE_AFTER_ROWS

        def tick(done: int, total: int) -> None:
            bar.show(done, total, actions.SAVING)
            _pause_for_fault_test(done)

        try:
            imported = actions.import_rows(
                actor=actor,
                keyring=keyring,
                case=case,
                data=data,
                mapping=mapping,
                progress=lambda done, total, phase: bar.show(done, total, phase, force=True),
                tick=tick,
                total=report.rows,
                source={"source": "command line"},
            )
        except actions.ImportRefused as refused:
            bar.end()
            raise CommandError(refused.message) from None
        except NoCaseAccess:
            bar.end()
            raise CommandError("you may not import here") from None
        bar.show(imported.incidents, imported.incidents, actions.SAVING, force=True)
        bar.end()
        actions.remember(actor, header, mapping)
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {imported.incidents} incidents"
                + (f" in {imported.cases} new cases." if mode == validate.DESK else ".")
            )
        )
