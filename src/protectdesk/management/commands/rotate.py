"""``protectdesk rotate --case REF --as LOGIN``: new keys for a case, everything re-encrypted.

Acts as a staff member of the case (password from a prompt or ``--password-file``). Resumes an
interrupted rotation of the same case.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from django.contrib.auth import authenticate
from django.core.management.base import BaseCommand, CommandError, CommandParser

from protectdesk.accounts.models import User
from protectdesk.crypto import userkeys
from protectdesk.management.passwords import read_password
from protectdesk.records import rotation
from protectdesk.records.keyring import Keyring, NoCaseAccess
from protectdesk.records.models import Case, CaseRotation


class Command(BaseCommand):
    help = "Rotate a case's keys: new keys, every value, file and search token re-encrypted."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--case", required=True, help="the case reference, e.g. GT-2026-0042")
        parser.add_argument(
            "--as",
            dest="actor",
            required=True,
            help="your sign-in e-mail (a staff member of the case)",
        )
        parser.add_argument("--password-file", help="read your password from this file")
        parser.add_argument(
            "--batch-size", type=int, default=rotation.BATCH_SIZE, help="records per transaction"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = read_password(options["password_file"], "Your password: ")
        actor = authenticate(login=options["actor"], password=password)
        if not isinstance(actor, User) or actor.sealed_private_key is None:
            raise CommandError("the e-mail and password do not match an active account")
        case = Case.objects.filter(desk_id=actor.desk_id, reference=options["case"].upper()).first()
        if case is None:
            raise CommandError("no such case on your desk")
        keyring = Keyring(
            actor,
            userkeys.open_private_key(bytes(actor.sealed_private_key), password, str(actor.id)),
        )
        pause_after = int(os.environ.get("PROTECTDESK_ROTATE_PAUSE_AFTER_BATCHES", "0") or 0)
        batches = 0

        def after_batch(progress: CaseRotation) -> None:
            nonlocal batches
            batches += 1
            self.stdout.write(f"  {progress.converted} records re-encrypted")
            if pause_after and batches == pause_after:  # fault injection for the resume test
                self.stdout.write("PAUSED")
                self.stdout.flush()
                sys.stdout.flush()
                time.sleep(120)

        resuming = rotation.open_rotation(case) is not None
        self.stdout.write(
            ("Resuming" if resuming else "Starting") + f" the key rotation of {case.reference}."
        )
        try:
            done = rotation.rotate(
                actor=actor,
                keyring=keyring,
                case=case,
                batch_size=options["batch_size"],
                after_batch=after_batch,
            )
        except NoCaseAccess:
            raise CommandError("you are not a staff member of this case") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {case.reference} now uses key version {done.to_version}; {done.converted} records re-encrypted; old keys destroyed."
            )
        )
