"""Reading a password for commands that act as a user: a prompt or a file, never a flag.

A flag would land in shell history and in ``ps`` output for every user of the machine.
"""

from __future__ import annotations

import getpass
from pathlib import Path

from django.core.management.base import CommandError


def read_password(password_file: str | None, prompt: str, confirm: bool = False) -> str:
    if password_file:
        path = Path(password_file)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"cannot read the password file {path}: {error.strerror}") from None
        password = text.splitlines()[0] if text.splitlines() else ""
        if not password:
            raise CommandError(f"the password file {path} is empty")
        return password
    try:
        password = getpass.getpass(prompt)
        if confirm and getpass.getpass("Again: ") != password:
            raise CommandError("the two passwords differ")
    except (EOFError, KeyboardInterrupt):
        raise CommandError(
            "no password given (use --password-file when not at a terminal)"
        ) from None
    return password
