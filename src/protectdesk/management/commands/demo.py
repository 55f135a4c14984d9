"""``protectdesk demo``: create the demo desk (idempotent; fictional people only)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from protectdesk import demo
from protectdesk.accounts.models import Desk


class Command(BaseCommand):
    help = "Create the demo desk with its demo accounts (does nothing if it exists)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="only when the database has no desk at all"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if demo.demo_exists():
            self.stdout.write("The demo desk already exists.")
        elif options["if_empty"] and Desk.objects.exists():
            self.stdout.write("This database has a desk already; no demo desk added.")
            return
        else:
            phrase = demo.create_demo()
            path = settings.DATA_DIR / "demo-recovery-phrase.txt"
            path.write_text(
                "Recovery phrase of the DEMO desk only (fictional data). A real desk's phrase is "
                f"never written to disk.\n{phrase}\n",
                encoding="utf-8",
            )
            path.chmod(0o600)
            self.stdout.write(self.style.SUCCESS("Demo desk created."))
            self.stdout.write(f"Its recovery phrase (demo only) is in {path}.")
        self.stdout.write("Demo accounts, all with the password " + demo.DEMO_PASSWORD + ":")
        for account in demo.ACCOUNTS:
            self.stdout.write(f"  {account.login:<28} {account.role}")
