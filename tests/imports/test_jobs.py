"""Large sheets import in a background job: the runner re-checks and imports in one
transaction, reports progress outside it, and leaves no plaintext in the queue or on disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from protectdesk.audit.models import AuditEntry
from protectdesk.imports import actions
from protectdesk.imports.models import ImportSheet, SheetState
from protectdesk.incidents.models import Incident
from protectdesk.records import jobs
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case, Job, JobKind, JobSecret, JobState
from tests import canary as scan
from tests.conftest import keyring_of, sign_in
from tests.imports.helpers import csv_bytes, private_key_of, row
from tests.imports.test_import import mapping_of, stored_files, uploaded_sheet

#: While a job runs its page links to itself (it does not reload by itself).
REFRESH = b"See how far it is"


@pytest.fixture(autouse=True)
def _plain_process(no_worker_identity):
    """Each test starts as a plain process (``tests.conftest.no_worker_identity``)."""


def checked_sheet(client, data: bytes, url: str = "/import/") -> ImportSheet:
    sheet = uploaded_sheet(client, data, url=url)
    assert client.post(f"/import/{sheet.id}/", mapping_of(sheet)).status_code == 302
    sheet.refresh_from_db()
    assert sheet.state == SheetState.CHECKED
    return sheet


@pytest.mark.django_db(transaction=True)
def test_a_large_sheet_is_imported_by_the_worker_and_leaves_no_plaintext(
    desks, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(actions, "JOB_ROWS", 3)
    names = [scan.canary(f"jobname{n}") for n in range(4)]
    stories = [scan.canary(f"jobstory{n}") for n in range(8)]
    rows = [
        row(n, defender_name=names[n // 2], narrative=stories[n], case_reference="")
        for n in range(8)
    ]
    jobs.start_worker()
    client = Client()
    sign_in(client, desks.caseworker.login)
    sheet = checked_sheet(client, csv_bytes(rows))
    before = Case.objects.count()

    response = client.post(f"/import/{sheet.id}/confirm/")

    assert response.status_code == 302
    sheet.refresh_from_db()
    job = Job.objects.get(kind=JobKind.IMPORT)
    assert (sheet.state, sheet.job_id, job.subject_id, job.case_id) == (
        SheetState.QUEUED,
        job.id,
        sheet.id,
        None,
    )
    waiting = client.get(f"/import/{sheet.id}/")
    assert REFRESH in waiting.content and b"Waiting for the background worker" in waiting.content
    assert Case.objects.count() == before
    # What waits in the queue and the job's rows: ids, counts and sealed keys only.
    connection.close()
    waiting_at_rest = b"".join(scan.database_at_rest().values())
    assert not scan.find(names + stories, waiting_at_rest)

    with django_capture_on_commit_callbacks(execute=True):
        jobs.run_job.call(str(job.id))

    job.refresh_from_db()
    sheet.refresh_from_db()
    assert job.state == JobState.FINISHED and (job.total, job.phase) == (8, "saving")
    assert (sheet.state, sheet.imported_count) == (SheetState.IMPORTED, 8)
    assert Case.objects.count() == before + 4
    keyring = keyring_of(desks.caseworker)
    found = {keyring.opened(i).narrative for i in Incident.objects.exclude(case=desks.case)}
    assert set(stories) <= found
    assert AuditEntry.objects.filter(action="import.applied").count() == 1
    assert AuditEntry.objects.get(action="job.finished").detail["count"] == 8
    assert not JobSecret.objects.exists() and stored_files() == []
    done = client.get(f"/import/{sheet.id}/")
    assert (
        REFRESH not in done.content and b"Imported: 8 incidents, in 4 new case(s)" in done.content
    )
    jobs.stop_worker()

    connection.close()
    places = {
        **scan.database_at_rest(),
        **scan.log_files(),
        **scan.files_under(Path(settings.DATA_DIR), 0),
    }
    leaks = {
        where: hit for where, blob in places.items() if (hit := scan.find(names + stories, blob))
    }
    assert not leaks, f"identifying data at rest: {leaks}"


@pytest.mark.django_db(transaction=True)
def test_the_runner_reports_progress_outside_its_transaction(desks, signed_in_client, monkeypatch):
    """The runner called with a JobContext built here, as the worker would build it."""
    client = signed_in_client(desks.caseworker)
    sheet = checked_sheet(client, csv_bytes([row(n) for n in range(1100)]))
    key, _name = actions.sheet_key(sheet, private_key_of(desks.caseworker))
    job = Job.objects.create(
        kind=JobKind.IMPORT,
        desk_id=desks.desk.id,
        subject_id=sheet.id,
        started_by=desks.caseworker,
        state=JobState.RUNNING,
    )
    ImportSheet.objects.filter(pk=sheet.pk).update(state=SheetState.QUEUED, job_id=job.id)
    context = jobs.JobContext(job, Keyring(desks.caseworker, None), {"sheet": key})
    reported = []
    real = context.report

    def report(done, total=None, phase=""):
        reported.append((done, total, phase, connection.in_atomic_block))
        real(done, total, phase)

    monkeypatch.setattr(context, "report", report)

    assert actions.run_job(context) == 1100

    assert reported == [
        (500, 1100, "checking", False),
        (1000, 1100, "checking", False),
        (0, 1100, "saving", False),
    ]
    job.refresh_from_db()
    assert (job.done, job.total, job.phase) == (0, 1100, "saving")
    assert Incident.objects.count() == 1100 + Incident.objects.filter(case=desks.case).count()
    assert stored_files() == []


def test_a_case_import_job_writes_with_the_keys_it_was_given(desks, signed_in_client):
    client = signed_in_client(desks.caseworker)
    case = desks.case
    sheet = checked_sheet(
        client, csv_bytes([row(n) for n in range(3)]), url=f"/cases/{case.id}/import/"
    )
    key, _name = actions.sheet_key(sheet, private_key_of(desks.caseworker))
    ring = keyring_of(desks.caseworker)
    keys = ring.keys_for(case.id).all_keys()
    job = Job.objects.create(
        kind=JobKind.IMPORT, desk_id=desks.desk.id, case=case, subject_id=sheet.id,
        started_by=desks.caseworker, state=JobState.RUNNING,
    )  # fmt: skip
    ImportSheet.objects.filter(pk=sheet.pk).update(state=SheetState.QUEUED)
    detached = Keyring.detached(desks.caseworker, case.id, case.key_version, keys)
    assert actions.run_job(jobs.JobContext(job, detached, {"sheet": key})) == 3
    assert Incident.objects.filter(case=case).count() == 3


def test_a_worker_that_stops_halfway_saves_nothing_and_deletes_the_file(desks, signed_in_client):
    client = signed_in_client(desks.caseworker)
    sheet = checked_sheet(client, csv_bytes([row(n) for n in range(600)]))
    key, _name = actions.sheet_key(sheet, private_key_of(desks.caseworker))
    job = Job.objects.create(
        kind=JobKind.IMPORT, desk_id=desks.desk.id, subject_id=sheet.id,
        started_by=desks.caseworker, state=JobState.RUNNING,
    )  # fmt: skip
    ImportSheet.objects.filter(pk=sheet.pk).update(state=SheetState.QUEUED)
    before = (Case.objects.count(), Incident.objects.count())
    jobs.request_stop()
    with pytest.raises(jobs.JobFailed):
        actions.run_job(jobs.JobContext(job, Keyring(desks.caseworker, None), {"sheet": key}))
    sheet.refresh_from_db()
    assert sheet.state == SheetState.FAILED and stored_files() == []
    assert (Case.objects.count(), Incident.objects.count()) == before


def test_a_job_whose_worker_went_away_marks_the_sheet_failed(desks, signed_in_client, monkeypatch):
    from django.utils import timezone

    from protectdesk.records.models import JobWorker

    monkeypatch.setattr(actions, "JOB_ROWS", 1)
    jobs.start_worker()
    client = signed_in_client(desks.caseworker)
    sheet = checked_sheet(client, csv_bytes([row(n) for n in range(3)]))
    client.post(f"/import/{sheet.id}/confirm/")
    monkeypatch.setattr(jobs, "_WORKER", None)
    JobWorker.objects.update(last_seen=timezone.now() - jobs.LIVE_FOR * 2)
    page = client.get(f"/import/{sheet.id}/")
    assert b"nothing was saved, and the file is deleted" in page.content
    sheet.refresh_from_db()
    assert sheet.state == SheetState.QUEUED, "a GET writes nothing"
    # The next worker's heartbeat tidies up (its housekeeping), as the next upload would.
    jobs.start_worker()
    jobs.heartbeat()
    sheet.refresh_from_db()
    assert sheet.state == SheetState.FAILED and sheet.sealed == b"" and stored_files() == []
