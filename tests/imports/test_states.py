"""A sheet's states hold under races and afterwards: a check or a cancel never moves a sheet
that another tab has confirmed; the key and original name go with the file; a case import
waits for another task in the case; every step is audited; the remembered header is keyed."""

from __future__ import annotations

import pytest

from protectdesk.audit.models import AuditEntry
from protectdesk.imports import actions
from protectdesk.imports.models import ImportSheet, SheetState
from protectdesk.lib import server_keys
from protectdesk.records import jobs
from protectdesk.records.models import Job, JobKind
from tests.conftest import keyring_of
from tests.imports.helpers import HEADER, csv_bytes, private_key_of, row
from tests.imports.test_import import mapping_of, uploaded_sheet


@pytest.fixture
def client(desks, signed_in_client):
    return signed_in_client(desks.caseworker)


def test_a_check_or_a_cancel_from_a_stale_tab_leaves_an_import_under_way(desks, client):
    sheet = uploaded_sheet(client, csv_bytes([row(n) for n in range(2)]))
    client.post(f"/import/{sheet.id}/", mapping_of(sheet))
    ImportSheet.objects.filter(pk=sheet.pk).update(state=SheetState.IMPORTING)  # another tab
    stale = ImportSheet.objects.get(pk=sheet.pk)
    stale.state = SheetState.CHECKED  # as that tab read it
    key, _name = actions.sheet_key(stale, private_key_of(desks.caseworker))
    with pytest.raises(actions.ImportRefused):
        actions.check(actor=desks.caseworker, sheet=stale, key=key, mapping=HEADER)
    with pytest.raises(actions.ImportRefused):
        actions.cancel(actor=desks.caseworker, sheet=stale)
    sheet.refresh_from_db()
    assert sheet.state == SheetState.IMPORTING
    assert not AuditEntry.objects.filter(action="import.cancelled").exists()


def test_the_key_and_name_go_with_the_file(desks, client):
    imported = uploaded_sheet(client, csv_bytes([row(1)]), name="Rosa Tzul's log.csv")
    assert imported.sealed
    client.post(f"/import/{imported.id}/", mapping_of(imported))
    client.post(f"/import/{imported.id}/confirm/")
    cancelled = uploaded_sheet(client, csv_bytes([row(2)]))
    client.post(f"/import/{cancelled.id}/cancel/")
    for sheet in (imported, cancelled):
        sheet.refresh_from_db()
        assert sheet.state in (SheetState.IMPORTED, SheetState.CANCELLED)
        assert sheet.sealed == b""
    # Its page still says what happened, and a second confirm is refused with a message.
    again = client.post(f"/import/{imported.id}/confirm/", follow=True)
    assert "Check the file first" in again.content.decode()


def test_a_case_import_waits_for_another_task_in_the_case(desks, client, monkeypatch):
    monkeypatch.setattr(actions, "JOB_ROWS", 1)
    monkeypatch.setattr(jobs, "_WORKER", None)
    jobs.start_worker()
    try:
        assert client.post(f"/cases/{desks.case.id}/rotate/").status_code == 302
        rotation = Job.objects.get(case=desks.case, kind=JobKind.ROTATION)
        sheet = uploaded_sheet(
            client, csv_bytes([row(n) for n in range(3)]), url=f"/cases/{desks.case.id}/import/"
        )
        client.post(f"/import/{sheet.id}/", mapping_of(sheet))
        page = client.post(f"/import/{sheet.id}/confirm/", follow=True).content.decode()
    finally:
        jobs.stop_worker()
    assert "Another background task is under way in this case" in page
    sheet.refresh_from_db()
    assert (sheet.state, sheet.job_id) == (SheetState.CHECKED, None)
    assert Job.objects.filter(case=desks.case).get() == rotation


def test_receiving_is_audited_with_ids_only(desks, client):
    sheet = uploaded_sheet(client, csv_bytes([row(1)]), name="Secret name.csv")
    received = AuditEntry.objects.get(action="import.received")
    assert received.detail == {"sheet": str(sheet.id), "format": "csv", "bytes": sheet.size}


def test_the_remembered_header_is_keyed_by_the_server_secret(settings):
    header = ["Nombre", "Fecha", "Relato"]
    first = actions.header_digest(header)
    assert first == actions.header_digest([" nombre ", "FECHA", "relato"])
    settings.SECRET_KEY = "another server secret, at least fifty characters long......"
    server_keys.reset_cache()
    try:
        assert actions.header_digest(header) != first
    finally:
        server_keys.reset_cache()


def test_an_import_settled_as_failed_meanwhile_saves_nothing(desks, client):
    """Its worker taken for dead, the sheet was marked failed while it was being checked
    again: the import rolls back rather than report "imported" over "nothing was saved"."""
    from protectdesk.incidents.models import Incident

    sheet = uploaded_sheet(client, csv_bytes([row(n) for n in range(4)]))
    client.post(f"/import/{sheet.id}/", mapping_of(sheet))
    sheet.refresh_from_db()
    key, _name = actions.sheet_key(sheet, private_key_of(desks.caseworker))
    before = Incident.objects.count()

    def housekeeping_meanwhile(done, total, phase):
        ImportSheet.objects.filter(pk=sheet.pk).update(state=SheetState.FAILED)

    with pytest.raises(actions.ImportRefused):
        actions.apply(
            actor=desks.caseworker,
            keyring=keyring_of(desks.caseworker),
            sheet=sheet,
            key=key,
            progress=housekeeping_meanwhile,
        )
    assert Incident.objects.count() == before
    sheet.refresh_from_db()
    assert sheet.state == SheetState.FAILED


def test_a_confirm_after_the_job_has_run_does_not_queue_it_again(desks, client, monkeypatch):
    monkeypatch.setattr(actions, "JOB_ROWS", 1)
    sheet = uploaded_sheet(client, csv_bytes([row(n) for n in range(3)]))
    client.post(f"/import/{sheet.id}/", mapping_of(sheet))
    sheet.refresh_from_db()
    key, _name = actions.sheet_key(sheet, private_key_of(desks.caseworker))
    fake = Job(kind=JobKind.IMPORT, subject_id=sheet.id)

    def a_fast_worker(**kwargs):
        ImportSheet.objects.filter(pk=sheet.pk).update(state=SheetState.IMPORTED)
        return fake

    monkeypatch.setattr(jobs, "start_job", a_fast_worker)
    actions.confirm(
        actor=desks.caseworker, keyring=keyring_of(desks.caseworker), sheet=sheet, key=key
    )
    sheet.refresh_from_db()
    assert (sheet.state, sheet.job_id) == (SheetState.IMPORTED, fake.id)


def test_a_rotation_waits_for_an_import_under_way_in_the_case(desks, client, monkeypatch):
    monkeypatch.setattr(actions, "JOB_ROWS", 1)
    monkeypatch.setattr(jobs, "_WORKER", None)
    jobs.start_worker()
    try:
        sheet = uploaded_sheet(
            client, csv_bytes([row(n) for n in range(3)]), url=f"/cases/{desks.case.id}/import/"
        )
        client.post(f"/import/{sheet.id}/", mapping_of(sheet))
        client.post(f"/import/{sheet.id}/confirm/")
        page = client.post(f"/cases/{desks.case.id}/rotate/", follow=True).content.decode()
    finally:
        jobs.stop_worker()
    assert "Another background task is under way in this case (an import)." in page
    assert not Job.objects.filter(case=desks.case, kind=JobKind.ROTATION).exists()
