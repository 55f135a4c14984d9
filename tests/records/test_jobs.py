"""Background jobs (records/jobs.py): a rotation started from the web runs in the worker, its
keys reach the worker sealed to a one-time key, and nothing of the case waits in the queue."""

from __future__ import annotations

import base64
import datetime
import signal
import socket
import sqlite3
import time
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from protectdesk.audit.models import AuditEntry
from protectdesk.cases import actions
from protectdesk.cases.models import Defender
from protectdesk.crypto.casekeys import Purpose
from protectdesk.management.commands.worker import _Loop
from protectdesk.records import jobs
from protectdesk.records.keyring import Keyring, NoCaseAccess
from protectdesk.records.models import (
    Case,
    CaseKeyBox,
    CaseRotation,
    Job,
    JobKey,
    JobKind,
    JobSecret,
    JobState,
    JobWorker,
)
from tests import canary as scan
from tests.cli import fresh_command_line
from tests.conftest import keyring_of, make_attachment

#: While a job runs its page links to itself (it does not reload by itself: axe meta-refresh).
REFRESH = b"See how far it is"


@pytest.fixture(autouse=True)
def _plain_process(no_worker_identity):
    """Each test starts as a plain process (``tests.conftest.no_worker_identity``)."""


def run_queue(identity: jobs.WorkerIdentity) -> None:
    """The loop `protectdesk worker` runs, in this process (which holds ``identity``'s keys),
    over what waits in its queues, then back."""
    _Loop(
        queue_names=["default", identity.queue],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=str(identity.id),
        excluded_queue_names=[],
    ).run()


def start_rotation_from_the_web(client, case) -> Job:
    response = client.post(f"/cases/{case.id}/rotate/")
    assert response.status_code == 302, response.content[:500]
    job = Job.objects.get(case=case)
    assert response["Location"] == f"/jobs/{job.id}/"
    return job


def audit_codes(case) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_id=str(case.id), action__startswith="job.")
        .order_by("seq")
        .values_list("action", flat=True)
    )


# --- the job runs through the real queue and worker -------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_rotation_started_from_the_web_runs_in_the_worker_to_the_end(desks, signed_in_client):
    case = desks.case
    make_attachment(desks.caseworker, case, b"photo of the car", "car.txt")
    identity = jobs.start_worker()
    client = signed_in_client(desks.caseworker)

    job = start_rotation_from_the_web(client, case)
    waiting = client.get(f"/jobs/{job.id}/")
    assert waiting.status_code == 200 and REFRESH in waiting.content
    assert b"Waiting for the background worker" in waiting.content
    task = DBTaskResult.objects.get(pk=job.task_id)
    assert task.queue_name == identity.queue  # only the worker holding the key takes it
    assert task.args_kwargs == {"args": [str(job.id)], "kwargs": {}}  # ids only
    assert JobSecret.objects.filter(job=job).exists()

    run_queue(identity)

    job.refresh_from_db()
    assert job.state == JobState.FINISHED and job.failure == ""
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL" and task.return_value == {"converted": 3}
    assert not JobSecret.objects.exists(), "the secret is deleted when the job ends"
    assert identity.private_keys.keys() == set(
        JobKey.objects.filter(worker_id=identity.id).values_list("id", flat=True)
    ), "the key that served the job is gone from memory; the pool is topped up again"
    case.refresh_from_db()
    assert case.key_version == 2
    assert CaseRotation.objects.get(case=case).finished_at is not None
    assert set(CaseKeyBox.objects.filter(case=case).values_list("version", flat=True)) == {2}
    assert keyring_of(desks.caseworker).opened(Defender.objects.get(case=case)).name == (
        "Ana Test Defender"
    )
    assert audit_codes(case) == ["job.started", "job.finished"]
    finished = AuditEntry.objects.get(action="job.finished")
    assert finished.detail == {"job": str(job.id), "kind": "rotation", "converted": 3}

    done = client.get(f"/jobs/{job.id}/")
    assert REFRESH not in done.content
    assert b"the case has new keys, 3 records were re-encrypted" in done.content
    assert f'href="/cases/{case.id}/"'.encode() in done.content
    jobs.stop_worker()
    assert not JobWorker.objects.exists() and not JobKey.objects.exists()


# --- a worker that loses its keys ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_died_fails_cleanly_and_the_rotation_resumes_from_the_case_page(
    desks, signed_in_client, monkeypatch
):
    case = desks.case
    jobs.start_worker()
    client = signed_in_client(desks.caseworker)
    job = start_rotation_from_the_web(client, case)
    # The worker process dies (its memory, and the one-time key, with it); its row stays.
    monkeypatch.setattr(jobs, "_WORKER", None)
    assert REFRESH in client.get(f"/jobs/{job.id}/").content  # not known to be dead yet
    JobWorker.objects.update(last_seen=timezone.now() - jobs.LIVE_FOR * 2)

    page = client.get(f"/jobs/{job.id}/")
    assert REFRESH not in page.content, "a job whose worker went silent is not waited for"
    assert b"resume the key rotation from the case page" in page.content
    assert f'href="/cases/{case.id}/"'.encode() in page.content

    # The next worker to start (the real command) records the failure and clears up.
    call_command("worker", "--batch", verbosity=0)
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.failure == jobs.WORKER_STOPPED
    assert not JobSecret.objects.exists() and not DBTaskResult.objects.exists()
    assert not JobWorker.objects.exists(), "dead and stopped workers leave no row"
    assert audit_codes(case) == ["job.started", "job.failed"]

    # No live worker now: the case page's button resumes the rotation in the request.
    assert (
        b"A key rotation of this case was interrupted" in client.get(f"/cases/{case.id}/").content
    )
    resumed = client.post(f"/cases/{case.id}/rotate/", follow=True)
    assert b"The case has new keys" in resumed.content
    assert CaseRotation.objects.get(case=case).finished_at is not None
    assert Job.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_task_run_by_a_process_without_the_key_fails_without_leaking_why(
    desks, signed_in_client, monkeypatch
):
    """E.g. the backend's worker run by hand over every queue: it cannot open the secret."""
    case = desks.case
    jobs.start_worker()
    job = start_rotation_from_the_web(signed_in_client(desks.caseworker), case)
    monkeypatch.setattr(jobs, "_WORKER", None)

    call_command(
        "db_worker", queue_name="*", batch=True, reload=False, startup_delay=False, verbosity=0
    )

    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.failure == jobs.WORKER_STOPPED
    assert not JobSecret.objects.exists()
    task = DBTaskResult.objects.get(pk=job.task_id)
    assert task.status == "FAILED"
    assert task.exception_class_path == "protectdesk.records.jobs.JobFailed"
    assert "During handling" not in task.traceback and "direct cause" not in task.traceback
    assert CaseRotation.objects.get(case=case).finished_at is None  # resumable, not lost
    assert audit_codes(case) == ["job.started", "job.failed"]


@pytest.mark.django_db(transaction=True)
def test_a_worker_that_stops_fails_its_waiting_jobs_at_once(desks, signed_in_client):
    jobs.start_worker()
    client = signed_in_client(desks.caseworker)
    job = start_rotation_from_the_web(client, desks.case)

    jobs.stop_worker()

    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.failure == jobs.WORKER_STOPPED
    assert not JobSecret.objects.exists() and not DBTaskResult.objects.exists()
    assert not JobWorker.objects.exists() and not JobKey.objects.exists()
    assert b"resume the key rotation" in client.get(f"/jobs/{job.id}/").content


@pytest.mark.django_db(transaction=True)
def test_a_worker_asked_to_stop_leaves_the_rotation_after_a_batch_resumable(
    desks, signed_in_client
):
    identity = jobs.start_worker()
    client = signed_in_client(desks.caseworker)
    job = start_rotation_from_the_web(client, desks.case)
    jobs.request_stop()  # what SIGTERM does, through _Loop.shutdown

    run_queue(identity)

    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.failure == jobs.WORKER_STOPPED
    progress = CaseRotation.objects.get(case=desks.case)
    assert progress.finished_at is None and progress.converted == 1  # the case's own batch
    assert not JobSecret.objects.exists()
    jobs.stop_worker()
    client.post(f"/cases/{desks.case.id}/rotate/")  # resumed in the request: no worker now
    assert CaseRotation.objects.get(case=desks.case).finished_at is not None
    assert keyring_of(desks.caseworker).opened(Defender.objects.get(case=desks.case)).name == (
        "Ana Test Defender"
    )


def test_a_tampered_secret_fails_the_job(
    desks, signed_in_client, django_capture_on_commit_callbacks
):
    identity = jobs.start_worker()
    job = start_rotation_from_the_web(signed_in_client(desks.caseworker), desks.case)
    secret = JobSecret.objects.get(job=job)
    wrapped = bytearray(secret.wrapped)
    wrapped[-1] ^= 1
    JobSecret.objects.filter(pk=secret.pk).update(wrapped=bytes(wrapped))

    with pytest.raises(jobs.JobFailed):
        jobs.run_job.call(str(job.id))

    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.failure == jobs.ERROR
    assert not JobSecret.objects.exists()
    assert identity.private_keys.keys() == set(JobKey.objects.values_list("id", flat=True))


# --- the progress page --------------------------------------------------------------------------


def _run_here(job, django_capture_on_commit_callbacks) -> None:
    """The job's task, called in this process (the worker's identity is this test's)."""
    with django_capture_on_commit_callbacks(execute=True):
        jobs.run_job.call(str(job.id))


def test_the_progress_page_links_to_itself_while_the_job_runs_and_not_after(
    desks, signed_in_client, django_capture_on_commit_callbacks
):
    jobs.start_worker()
    client = signed_in_client(desks.caseworker)
    job = start_rotation_from_the_web(client, desks.case)
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING)
    CaseRotation.objects.filter(case=desks.case).update(converted=1)
    running = client.get(f"/jobs/{job.id}/")
    assert REFRESH in running.content and b"Re-encrypting: 1 record so far" in running.content
    assert running["Cache-Control"] == "no-store"

    Job.objects.filter(pk=job.pk).update(state=JobState.QUEUED)
    _run_here(job, django_capture_on_commit_callbacks)
    finished = client.get(f"/jobs/{job.id}/")
    assert finished.status_code == 200 and REFRESH not in finished.content
    assert b"Back to the case" in finished.content


def test_only_the_person_who_started_a_job_sees_its_page(desks, signed_in_client):
    keyring = keyring_of(desks.caseworker)
    actions.add_member(
        actor=desks.caseworker, keyring=keyring, case=desks.case, user=desks.caseworker2
    )
    jobs.start_worker()
    job = start_rotation_from_the_web(signed_in_client(desks.caseworker), desks.case)
    url = f"/jobs/{job.id}/"
    # A colleague on the case, its defender, the desk's coordinator, another desk: 404.
    for person in (desks.caseworker2, desks.defender, desks.coordinator, desks.outsider):
        assert signed_in_client(person).get(url).status_code == 404, person.login
    assert signed_in_client(desks.caseworker).get(url).status_code == 200
    # The person who started it, once removed from the case: 404 too.
    actions.remove_member(
        actor=desks.caseworker2,
        keyring=keyring_of(desks.caseworker2),
        case=desks.case,
        user=desks.caseworker,
    )
    assert signed_in_client(desks.caseworker).get(url).status_code == 404
    assert Client().get(url)["Location"].startswith("/login/")


def test_a_colleague_does_not_start_a_second_rotation_while_one_runs(desks, signed_in_client):
    actions.add_member(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        case=desks.case,
        user=desks.caseworker2,
    )
    jobs.start_worker()
    job = start_rotation_from_the_web(signed_in_client(desks.caseworker), desks.case)
    response = signed_in_client(desks.caseworker2).post(
        f"/cases/{desks.case.id}/rotate/", follow=True
    )
    assert b"already running in the background" in response.content
    assert list(Job.objects.all()) == [job]
    again = signed_in_client(desks.caseworker).post(f"/cases/{desks.case.id}/rotate/")
    assert again["Location"] == f"/jobs/{job.id}/"


# --- without a live worker, the request does the work -----------------------------------------


def test_without_a_live_worker_the_rotation_runs_in_the_request(
    desks, signed_in_client, django_capture_on_commit_callbacks
):
    # A worker that was seen long ago (its process is gone) is no worker.
    JobWorker.objects.create(last_seen=timezone.now() - datetime.timedelta(hours=1))
    client = signed_in_client(desks.caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/cases/{desks.case.id}/rotate/", follow=True)
    assert b"The case has new keys" in response.content
    assert not Job.objects.exists() and not JobSecret.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert Case.objects.get(pk=desks.case.pk).key_version == 2


# --- the detached keyring a job gets ----------------------------------------------------------


def test_a_detached_keyring_holds_only_what_it_was_given_and_checks_membership(desks):
    keys = keyring_of(desks.caseworker).keys_for(desks.case.id).all_keys()
    detached = Keyring.detached(desks.caseworker, desks.case.id, 1, keys)
    assert not detached.unlocked and detached.has_staff_key(desks.case.id)
    assert detached.opened(Defender.objects.get(case=desks.case)).name == "Ana Test Defender"
    # A defender's account keeps the shared key only, whatever it is handed.
    as_defender = Keyring.detached(desks.defender, desks.case.id, 1, keys)
    assert not as_defender.has_staff_key(desks.case.id)
    with pytest.raises(NoCaseAccess):  # not a member: nothing
        Keyring.detached(desks.caseworker2, desks.case.id, 1, keys)
    with pytest.raises(NoCaseAccess):  # no current shared key
        Keyring.detached(
            desks.caseworker, desks.case.id, 1, {(Purpose.STAFF, 1): keys[(Purpose.STAFF, 1)]}
        )


# --- canary scan: nothing of the case waits in the queue --------------------------------------


def key_forms(key: bytes) -> list[bytes]:
    """A key as it could appear at rest: raw, hex, base64 and base64url at each alignment."""
    forms = [key, key.hex().encode(), key.hex().upper().encode()]
    for shift in range(3):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            forms.append(encode(b"x" * shift + key)[4:-4])
    return forms


def rows_of(table: str) -> bytes:
    """Every value of every row of ``table``, as stored (bytes as they are, the rest as text)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - ours
        rows = cursor.fetchall()
    out = []
    for row in rows:
        for value in row:
            out.append(
                bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
            )
    return b"\x00".join(out)


@pytest.mark.django_db(transaction=True)
def test_the_queue_holds_no_key_and_no_plaintext(desks, signed_in_client):
    keyring = keyring_of(desks.caseworker)
    values = {name: scan.canary(f"job{name}") for name in ("name", "contacts", "notes")}
    case = actions.open_case(
        actor=desks.caseworker,
        keyring=keyring,
        profile=actions.DefenderProfile(
            kind="individual", country="GT", name=values["name"], contacts=values["contacts"]
        ),
        staff_notes=values["notes"],
    )
    file_text = scan.canary("jobfile")
    make_attachment(desks.caseworker, case, f"notes {file_text} end".encode(), "n.txt")
    canaries = [*values.values(), file_text]
    old_keys = list(keyring_of(desks.caseworker).keys_for(case.id).all_keys().values())

    identity = jobs.start_worker()
    client = signed_in_client(desks.caseworker)
    job = start_rotation_from_the_web(client, case)
    new_keys = [
        key
        for (_purpose, version), key in keyring_of(desks.caseworker)
        .keys_for(case.id)
        .all_keys()
        .items()
        if version == 2
    ]
    keys = old_keys + new_keys
    assert len(keys) == 4

    def leaks(blob: bytes) -> list[str]:
        found = scan.find(canaries, blob)
        found += [
            f"key {i}" for i, key in enumerate(keys) if any(f in blob for f in key_forms(key))
        ]
        return found

    # While the job waits: its task row and its secret row hold neither keys nor content.
    tasks_table = DBTaskResult._meta.db_table
    secrets_table = JobSecret._meta.db_table
    waiting = {table: rows_of(table) for table in (tasks_table, secrets_table, Job._meta.db_table)}
    assert str(job.id).encode() in waiting[tasks_table]
    assert len(waiting[secrets_table]) > 100, "the secret row is there to be scanned"
    assert {table: leaks(blob) for table, blob in waiting.items()} == {
        table: [] for table in waiting
    }

    run_queue(identity)
    jobs.stop_worker()
    assert Job.objects.get(pk=job.pk).state == JobState.FINISHED
    assert not JobSecret.objects.exists() and rows_of(secrets_table) == b""
    assert leaks(rows_of(tasks_table)) == []
    assert str(job.id).encode() in rows_of(tasks_table)
    assert (
        keyring_of(desks.caseworker).opened(Case.objects.get(pk=case.pk)).staff_notes
        == (values["notes"])
    )

    # And the whole database at rest (SQLite file and WAL, or pg_dump), the queue included.
    connection.close()
    at_rest = scan.database_at_rest()
    assert any(tasks_table.encode() in blob for blob in at_rest.values())
    assert {where: leaks(blob) for where, blob in at_rest.items()} == {
        where: [] for where in at_rest
    }


# --- `protectdesk serve` runs the worker --------------------------------------------------------


@pytest.fixture
def cli(tmp_path, db):
    yield from fresh_command_line(tmp_path)


def _children(pid: int) -> dict[int, bytes]:
    """Child processes of ``pid``: their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if ppid == pid:
                found[int(entry.name)] = (entry / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
    return found


def registered(cli) -> tuple[int, int]:
    """(workers, published one-time keys) in the command line's database, read directly."""
    query = "SELECT (SELECT COUNT(*) FROM records_jobworker), (SELECT COUNT(*) FROM records_jobkey)"
    if cli.database_url:
        with psycopg.connect(cli.database_url) as conn:
            row = conn.execute(query).fetchone()
    else:
        conn = sqlite3.connect(cli.data_dir / "protectdesk.sqlite3")
        try:
            row = conn.execute(query).fetchone()
        finally:
            conn.close()
    return int(row[0]), int(row[1])


def wait_for(condition, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False


def worker_children(pid: int) -> list[int]:
    return [child for child, cmd in _children(pid).items() if b"\0worker\0" in cmd]


def test_serve_runs_the_worker_beside_the_web_server_and_stops_it_with_it(cli):
    cli.run("migrate", "--noinput")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = cli.popen("serve", "--bind", f"127.0.0.1:{port}", "--workers", "1")
    try:
        assert wait_for(lambda: worker_children(server.pid)), "serve started no worker"
        (worker,) = worker_children(server.pid)
        status = Path(f"/proc/{worker}/status").read_text()
        assert "Umask:\t0077" in status, "the worker writes private files like the rest"
        assert wait_for(lambda: registered(cli) == (1, jobs.POOL_SIZE)), registered(cli)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=90)
    assert not Path(f"/proc/{worker}").exists(), "the worker stops with the server"
    assert registered(cli) == (0, 0)


SPAWN_WORKER = (
    "import os, subprocess, sys, time; "
    "subprocess.Popen([sys.executable, '-m', 'protectdesk.cli', 'worker', '--parent', "
    "str(os.getpid())]); time.sleep(120)"
)


def test_a_worker_whose_server_was_killed_stops_by_itself(cli):
    cli.run("migrate", "--noinput")
    parent = cli.popen("shell", "-c", SPAWN_WORKER)  # stands in for `protectdesk serve`
    try:
        assert wait_for(lambda: worker_children(parent.pid)), "no worker started"
        (worker,) = worker_children(parent.pid)
        assert wait_for(lambda: registered(cli) == (1, jobs.POOL_SIZE)), registered(cli)
        parent.kill()  # no chance to stop its child
        parent.wait(timeout=30)

        def gone() -> bool:
            try:
                return "State:\tZ" in Path(f"/proc/{worker}/status").read_text()
            except FileNotFoundError:
                return True

        assert wait_for(gone, 30), "the orphaned worker kept running"
    finally:
        if parent.poll() is None:
            parent.kill()
    assert registered(cli) == (0, 0), "it stopped cleanly, removing its row and keys"


# --- jobs of other kinds: a desk job with a file key, the packed secret ---------------------------


@pytest.fixture
def echo_runner(monkeypatch):
    """An import-kind runner that reports progress and returns what it was given, for the
    generic path (the real import registers its own runner in ``imports``)."""
    seen: dict[str, object] = {}

    def runner(context: jobs.JobContext) -> int:
        seen["file_keys"] = dict(context.file_keys)
        seen["keyring_cases"] = len(context.keyring._cases)
        seen["unlocked"] = context.keyring.unlocked
        context.report(3, total=7, phase="checking")
        return 7

    monkeypatch.setitem(jobs.RUNNERS, JobKind.IMPORT, runner)
    return seen


def test_a_desk_job_carries_its_file_key_to_the_runner_and_nothing_else(
    desks, echo_runner, django_capture_on_commit_callbacks
):
    import uuid

    identity = jobs.start_worker()
    subject = uuid.uuid4()
    file_key = bytes(range(32))
    keyring = keyring_of(desks.caseworker)
    job = jobs.start_job(
        actor=desks.caseworker,
        keyring=keyring,
        kind=JobKind.IMPORT,
        subject_id=subject,
        file_keys={"sheet": file_key},
    )
    assert job is not None and job.case_id is None and job.desk_id == desks.caseworker.desk_id
    assert not any(form in rows_of(JobSecret._meta.db_table) for form in key_forms(file_key))
    # The same subject while it waits: the same job, not a second one.
    again = jobs.start_job(
        actor=desks.caseworker,
        keyring=keyring,
        kind=JobKind.IMPORT,
        subject_id=subject,
        file_keys={"sheet": file_key},
    )
    assert again == job

    _run_here(job, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.state == JobState.FINISHED and (job.done, job.total, job.phase) == (3, 7, "checking")
    assert echo_runner == {"file_keys": {"sheet": file_key}, "keyring_cases": 0, "unlocked": False}
    assert not JobSecret.objects.exists()
    assert identity.private_keys.keys() == set(JobKey.objects.values_list("id", flat=True))
    finished = AuditEntry.objects.filter(action="job.finished").latest("id")
    assert finished.detail["count"] == 7
    assert jobs.job_for(keyring, job.id) == job
    assert jobs.job_for(keyring_of(desks.caseworker2), job.id) is None
    assert jobs.progress(job).done == 3


def test_a_job_of_a_kind_nobody_runs_is_refused_before_it_is_queued(desks):
    import uuid

    jobs.start_worker()
    with pytest.raises(ValueError, match="no runner"):
        jobs.start_job(
            actor=desks.caseworker,
            keyring=keyring_of(desks.caseworker),
            kind="nonsense",
            subject_id=uuid.uuid4(),
        )
    assert not Job.objects.exists()


def test_the_packed_secret_round_trips_and_refuses_what_was_cut_or_moved():
    import uuid

    from protectdesk.crypto import EnvelopeError

    case_id = uuid.uuid4()
    secret = jobs._Secret(
        case_id,
        {(Purpose.SHARED, 1): b"s" * 32, (Purpose.STAFF, 1): b"t" * 32},
        {"sheet": b"f" * 32},
    )
    packed = jobs._pack(secret)
    assert jobs._unpack(packed, case_id) == secret
    for cut in (1, 20, len(packed) - 1):
        with pytest.raises(EnvelopeError):
            jobs._unpack(packed[:cut], case_id)
    with pytest.raises(EnvelopeError):
        jobs._unpack(packed + b"x", case_id)
    with pytest.raises(EnvelopeError, match="another case"):
        jobs._unpack(packed, uuid.uuid4())
    with pytest.raises(EnvelopeError, match="another case"):
        jobs._unpack(packed, None)
    only_file = jobs._Secret(None, {}, {"sheet": b"f" * 32})
    assert jobs._unpack(jobs._pack(only_file), None) == only_file
    with pytest.raises(ValueError, match="between 1 and 255"):
        jobs._pack(jobs._Secret(None, {}, {}))
    with pytest.raises(ValueError, match="go with their case"):
        jobs._pack(jobs._Secret(None, {(Purpose.SHARED, 1): b"s" * 32}, {}))
