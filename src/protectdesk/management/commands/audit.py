"""``protectdesk audit verify [--head SEQ:HASH]``: check the audit chain, exit 1 if broken."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from protectdesk.audit import chain


class Command(BaseCommand):
    help = "Audit log tools."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="Verify every entry of the audit chain.")
        verify.add_argument(
            "--head",
            help="A head printed by an earlier verify (SEQ:HASH); it must still be in the chain.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            verdict = chain.verify(options.get("head"))
        except ValueError as error:
            raise CommandError(str(error)) from None
        if not verdict.ok:
            self.stderr.write(f"BROKEN at entry {verdict.broken_seq}: {verdict.problem}")
            raise SystemExit(1)
        self.stdout.write(f"OK: {verdict.count} entries verified. Head: {verdict.head}")
        self.stdout.write(
            "Keep the head somewhere else; verify --head with it later detects a rewritten chain."
        )
