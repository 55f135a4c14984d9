"""Everything the notes module tells the floor — and nothing else in the project knows of it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from protectdesk.accounts.models import User
from protectdesk.audit import codes
from protectdesk.records import registry
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case
from protectdesk.records.registry import RecordType, RouteRule, Section
from tests.notes import actions
from tests.notes.models import Note


def _page(case: Case, note_id: Any) -> str:
    return reverse("notes:detail", args=[case.id, note_id])


def _section(request: HttpRequest, case: Case, keyring: Keyring) -> dict[str, Any]:
    return {"test_notes": [keyring.opened(n) for n in Note.objects.filter(case=case)]}


def _sample(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    return {"note_id": actions.add_note(actor=actor, keyring=keyring, case=case, text="sample").id}


def _canary(actor: User, keyring: Keyring, case: Case, values: dict[str, dict[str, str]]) -> None:
    note = actions.add_note(actor=actor, keyring=keyring, case=case, text="first draft")
    actions.edit_note(
        actor=actor,
        keyring=keyring,
        note=note,
        text=values["notes.Note"]["text"],
        expected_version=note.row_version,
    )


def register() -> None:
    registry.register(RecordType(Note, "Test note", _page, attachable=True))
    registry.register_urls("cases/", "tests.notes.urls")
    registry.register_section(
        Section("test-notes", "notes/_section.html", _section, order=35, staff_only=True)
    )
    codes.register(
        {
            "note.created": "Note written",
            "note.updated": "Note edited",
            "note.deleted": "Note deleted",
        }
    )
    registry.register_routes(
        {
            "notes:detail": RouteRule("GET", "case", member=200, sample=_sample),
            "notes:delete": RouteRule("POST", "case", member=302, sample=_sample),
        }
    )
    registry.register_canary(["notes.Note"], _canary)
