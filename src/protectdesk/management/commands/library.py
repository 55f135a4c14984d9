"""``protectdesk library bundle --language es [--out FILE]``: the offline library as one zip."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from protectdesk.library import bundle
from protectdesk.library.models import LANGUAGES


class Command(BaseCommand):
    help = "Write the published library in one language as a zip of static pages (offline)."

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        make = verbs.add_parser("bundle", help="write the offline bundle of one language")
        make.add_argument("--language", required=True, choices=[code for code, _ in LANGUAGES])
        make.add_argument("--out", help="the zip to write (default: library-<language>.zip)")

    def handle(self, *args: Any, **options: Any) -> None:
        language = options["language"]
        out = Path(options["out"] or f"library-{language}.zip")
        if out.exists():
            raise CommandError(f"{out} already exists: choose another --out, or move it away.")
        try:
            with out.open("xb") as handle:
                count = bundle.write(language, handle)
        except OSError as error:
            raise CommandError(f"Could not write {out}: {error.strerror}") from None
        self.stdout.write(f"{out}: {count} resources in {dict(LANGUAGES)[language]}.")
