"""``protectdesk rotate --case REF --as LOGIN``: new keys for a case, everything re-encrypted.

Acts as a staff member of the case (password from a prompt or ``--password-file``). Resumes an
interrupted rotation of the same case.

``protectdesk rotate --one-key-cases --as LOGIN`` rotates, one after the other, every case the
person is a staff member of whose search index still uses the single search key of round one
(``Case.search_keys == 1``): the rotation rebuilds it under the two keys. Run it again after an
interruption: finished cases are skipped, the interrupted one resumes.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from protectdesk.accounts.models import User
from protectdesk.management.passwords import signed_in
from protectdesk.records import rotation
from protectdesk.records.keyring import Keyring, NoCaseAccess
from protectdesk.records.models import Case, CaseRotation, MemberKind


class Command(BaseCommand):
    help = "Rotate a case's keys: new keys, every value, file and search token re-encrypted."

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--case", help="the case reference, e.g. GT-2026-0042")
        which.add_argument(
            "--one-key-cases",
            action="store_true",
            help="every case of yours whose search index still uses one search key",
        )
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
        actor, keyring = signed_in(options["actor"], options["password_file"])
        if options["one_key_cases"]:
            cases = list(
                Case.objects.filter(
                    desk_id=actor.desk_id,
                    search_keys=1,
                    members__user=actor,
                    members__kind=MemberKind.STAFF,
                ).order_by("reference")
            )
            if not cases:
                self.stdout.write("No case of yours still uses one search key.")
            for case in cases:
                self._rotate(actor, keyring, case, options["batch_size"])
            return
        one = Case.compartments.filter(
            desk_id=actor.desk_id, reference=options["case"].upper()
        ).first()
        if one is None:
            raise CommandError("no such case on your desk")
        self._rotate(actor, keyring, one, options["batch_size"])

    def _rotate(self, actor: User, keyring: Keyring, case: Case, batch_size: int) -> None:
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
                batch_size=batch_size,
                after_batch=after_batch,
            )
        except NoCaseAccess:
            raise CommandError("you are not a staff member of this case") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {case.reference} now uses key version {done.to_version}; {done.converted} records re-encrypted; old keys destroyed."
            )
        )
