"""Reading a password for commands that act as a user: a prompt or a file, never a flag.

A flag would land in shell history and in ``ps`` output for every user of the machine.
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.management.base import CommandError

if TYPE_CHECKING:
    from protectdesk.accounts.models import User
    from protectdesk.records.keyring import Keyring


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


def signed_in(
    login: str, password_file: str | None, password: str | None = None
) -> tuple[User, Keyring]:
    """The person a command acts as, with the keyring their sign-in would give them.

    The password is read as :func:`read_password` reads it and checked as the sign-in form
    checks it (the same throttle and audit; ``password`` if the command has read it already); the private key is opened with it (Argon2id).
    """
    from django.contrib.auth import authenticate

    from protectdesk.accounts.models import User
    from protectdesk.crypto import userkeys
    from protectdesk.records.keyring import Keyring

    if password is None:
        password = read_password(password_file, "Your password: ")
    actor = authenticate(login=login, password=password)
    if not isinstance(actor, User) or actor.sealed_private_key is None:
        raise CommandError("the e-mail and password do not match an active account")
    private_key = userkeys.open_private_key(
        bytes(actor.sealed_private_key), password, str(actor.id)
    )
    return actor, Keyring(actor, private_key)
