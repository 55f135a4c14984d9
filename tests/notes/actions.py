"""Every write of a note goes through the floor's one write path."""

from __future__ import annotations

from protectdesk.accounts.models import User
from protectdesk.records import actions as records
from protectdesk.records.keyring import Keyring
from protectdesk.records.keys import require_staff_member
from protectdesk.records.models import Case
from tests.notes.models import Note


def add_note(
    *, actor: User, keyring: Keyring, case: Case, text: str, topic: str = "general"
) -> Note:
    require_staff_member(keyring, case)
    note = Note(case=case, topic=topic)
    return records.save(actor, keyring, note, {"text": text}, audit="note.created")


def edit_note(
    *, actor: User, keyring: Keyring, note: Note, text: str, expected_version: int
) -> Note:
    require_staff_member(keyring, note.case)
    return records.save(
        actor,
        keyring,
        note,
        {"text": text},
        audit="note.updated",
        expected_version=expected_version,
    )


def delete_note(*, actor: User, keyring: Keyring, note: Note) -> None:
    require_staff_member(keyring, note.case)
    records.delete(actor, keyring, note, audit="note.deleted")
