"""The proof that the floor works (issue 9): ``tests/notes`` is a module made only of its own
declarations — a ``Note(CaseRecord)`` with one searchable encrypted field, its actions on the
one write path, and an ``integration.py`` — and it gets encryption, search, rotation, the
case page, the canary scan, the authorization matrix and deletion of its tokens and files
without any change to another module."""

from __future__ import annotations

from pathlib import Path

import pytest

from protectdesk.attachments import actions as attachment_actions
from protectdesk.attachments import storage
from protectdesk.attachments.models import Attachment
from protectdesk.attachments.uploads import encrypt_bytes
from protectdesk.crypto import envelope
from protectdesk.records import registry, rotation
from protectdesk.records.actions import EditConflict
from protectdesk.records.fields import identifying_fields
from protectdesk.records.models import SearchToken
from protectdesk.search import queries as search
from tests.conftest import keyring_of
from tests.notes import actions
from tests.notes.models import Note
from tests.routes import MATRIX
from tests.test_canaries import WRITERS


def _note(desks, text="The harbour meeting moved to Thursday"):
    return actions.add_note(
        actor=desks.caseworker, keyring=keyring_of(desks.caseworker), case=desks.case, text=text
    )


def test_the_note_is_stored_as_an_envelope_under_the_staff_key(desks):
    note = _note(desks)
    stored = bytes(Note.objects.get(pk=note.pk).text)
    assert b"harbour" not in stored
    header = envelope.parse(stored)
    assert header.purpose.label == "staff" and header.key_version == 1
    assert keyring_of(desks.caseworker).opened(note).text.startswith("The harbour")
    assert (Note, Note._meta.get_field("text")) in identifying_fields()


def test_the_defender_cannot_read_a_staff_note(desks):
    from protectdesk.records.keyring import StaffOnly

    note = _note(desks)
    with pytest.raises(StaffOnly):
        keyring_of(desks.defender).open_value(note, "text")


def test_search_finds_the_note_by_its_words_and_links_to_it(desks):
    note = _note(desks)
    results = search.search(keyring_of(desks.caseworker), "HARBOUR thursday")  # any case, any order
    assert [hit.record_id for hit in results.hits] == [note.id]
    assert results.hits[0].url == f"/cases/{desks.case.id}/notes-of-test/{note.id}/"
    assert results.hits[0].title == "Test note"


def test_an_edit_reindexes_and_a_stale_edit_saves_nothing(desks):
    keyring = keyring_of(desks.caseworker)
    note = _note(desks)
    actions.edit_note(
        actor=desks.caseworker, keyring=keyring, note=note, text="Lighthouse", expected_version=1
    )
    assert search.search(keyring, "harbour").total == 0
    assert search.search(keyring, "lighthouse").total == 1
    with pytest.raises(EditConflict):
        actions.edit_note(
            actor=desks.caseworker, keyring=keyring, note=note, text="Lost", expected_version=1
        )
    assert keyring_of(desks.caseworker).opened(Note.objects.get(pk=note.pk)).text == "Lighthouse"


def test_rotation_re_encrypts_the_note_and_its_tokens(desks):
    note = _note(desks)
    keyring = keyring_of(desks.caseworker)
    old_tokens = set(SearchToken.objects.filter(record_id=note.id).values_list("token", flat=True))
    rotation.rotate(actor=desks.caseworker, keyring=keyring, case=desks.case)
    stored = Note.objects.get(pk=note.pk)
    assert envelope.parse(bytes(stored.text)).key_version == 2
    new_tokens = set(SearchToken.objects.filter(record_id=note.id).values_list("token", flat=True))
    assert new_tokens and not (new_tokens & {bytes(t) for t in old_tokens})
    assert search.search(keyring_of(desks.caseworker), "harbour").hits[0].record_id == note.id


def test_deleting_the_note_drops_its_tokens_and_its_files(
    desks, django_capture_on_commit_callbacks
):
    keyring = keyring_of(desks.caseworker)
    note = _note(desks)
    attachment = attachment_actions.add_attachment(
        actor=desks.caseworker,
        keyring=keyring,
        case=desks.case,
        record_type="notes.note",
        record_id=note.id,
        upload=encrypt_bytes("minutes.txt", b"minutes of the meeting"),
        staff_only=True,
    )
    path = Path(storage.path_for(desks.case.id, attachment.id, attachment.generation))
    assert path.exists() and SearchToken.objects.filter(record_id=note.id).exists()
    with django_capture_on_commit_callbacks(execute=True):  # files go once the delete commits
        actions.delete_note(actor=desks.caseworker, keyring=keyring, note=note)
    assert not SearchToken.objects.filter(record_id=note.id).exists()
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not path.exists()
    assert search.search(keyring_of(desks.caseworker), "harbour").total == 0


def test_the_case_page_shows_the_section_to_staff_only(desks, signed_in_client):
    _note(desks)
    staff_page = signed_in_client(desks.caseworker).get(f"/cases/{desks.case.id}/")
    assert b"Test notes" in staff_page.content and b"The harbour meeting" in staff_page.content
    defender_page = signed_in_client(desks.defender).get(f"/cases/{desks.case.id}/")
    assert defender_page.status_code == 200 and b"Test notes" not in defender_page.content


def test_the_matrix_and_the_canary_scan_cover_the_note(desks):
    assert {"notes:detail", "notes:delete"} <= set(MATRIX)
    assert MATRIX["notes:detail"].expect["caseworker2"] == 404
    assert MATRIX["notes:detail"].expect["outsider"] == 404
    assert "notes.Note" in WRITERS and "notes.Note" in registry.CANARY_WRITERS
    assert registry.TYPES["notes.note"].attachable
