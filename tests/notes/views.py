from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from protectdesk.lib.access import current_user
from protectdesk.records.access import case_view
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case
from tests.notes import actions
from tests.notes.models import Note


def _note(case: Case, note_id: uuid.UUID) -> Note:
    note = Note.objects.filter(case=case, pk=note_id).first()
    if note is None:
        raise Http404
    return note


@require_GET
@case_view(staff_only=True)
def detail(request: HttpRequest, case: Case, keyring: Keyring, note_id: uuid.UUID) -> HttpResponse:
    note = keyring.opened(_note(case, note_id))
    return render(request, "notes/note.html", {"case": case, "note": note})


@require_POST
@case_view(staff_only=True)
def delete(request: HttpRequest, case: Case, keyring: Keyring, note_id: uuid.UUID) -> HttpResponse:
    actions.delete_note(actor=current_user(request), keyring=keyring, note=_note(case, note_id))
    return redirect("cases:detail", case_id=case.id)
