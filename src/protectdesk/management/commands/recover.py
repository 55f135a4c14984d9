"""``protectdesk recover``: restore a person's access to their cases with the recovery phrase.

Acts as a named coordinator (password from a prompt or ``--password-file``) so the audit log
records who did it; the phrase comes from a prompt or ``--phrase-file``, never from a flag.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.core.management.base import BaseCommand, CommandError, CommandParser

from protectdesk.accounts.models import User, normalise_login
from protectdesk.cases import actions
from protectdesk.management.passwords import read_password


class Command(BaseCommand):
    help = "Restore a person's access to their cases with the desk's recovery phrase."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as", dest="actor", required=True, help="your sign-in e-mail (a coordinator)"
        )
        parser.add_argument(
            "--user", required=True, help="e-mail or handle of the person to restore"
        )
        parser.add_argument("--password-file", help="read your password from this file")
        parser.add_argument("--phrase-file", help="read the recovery phrase from this file")

    def handle(self, *args: Any, **options: Any) -> None:
        password = read_password(options["password_file"], "Your password: ")
        actor = authenticate(login=options["actor"], password=password)
        if not isinstance(actor, User):
            raise CommandError("the e-mail and password do not match an active account")
        user = User.objects.filter(
            login=normalise_login(options["user"]), desk_id=actor.desk_id
        ).first()
        if user is None:
            raise CommandError("no such account on your desk")
        phrase = read_password(options["phrase_file"], "Recovery phrase: ")
        try:
            restored = actions.restore_access(actor=actor, phrase=phrase, user=user)
        except actions.CaseError as error:
            raise CommandError(error.message) from None
        except PermissionError as error:
            raise CommandError(str(error)) from None
        cases, workshops = restored.cases, restored.workshops
        said = f"Access restored to {cases} case{'s' if cases != 1 else ''}."
        if workshops:
            said += f" And to {workshops} workshop{'s' if workshops != 1 else ''}."
        self.stdout.write(self.style.SUCCESS(said))
