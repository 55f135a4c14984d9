"""Background jobs: work a person starts that outlives their request (key rotation, imports).

Built on Django's tasks framework (the ``django-tasks`` backport) with its database backend
(``django-tasks-db``): the queue is a table, so a laptop needs no other server. The worker is
``protectdesk worker``, which ``protectdesk serve`` runs beside the web server.

The hard rule (security.md, overview.md): **a job never stores a key or a plaintext in the
queue: keys reach it in memory only, or wrapped to a key destroyed when the job ends.**

Design
------
* **The queue holds ids.** A task's only argument is its :class:`~.models.Job`'s id and its
  return value is a count. A job that fails raises :class:`JobFailed` with a code and no
  chained exception, so the traceback the backend stores (and logs) holds our source lines
  and that code, nothing a record said.
* **One-time worker keys.** A worker registers itself (:class:`~.models.JobWorker`, heartbeat
  every :data:`HEARTBEAT_SECONDS`) and publishes :data:`POOL_SIZE` X25519 public keys
  (:class:`~.models.JobKey`) whose private halves exist only in its memory. One key serves one
  job and is dropped the moment that job has opened its secret. A single long-lived worker key
  would leave every finished job's secret openable for as long as the worker runs — and a
  deleted row can outlive its deletion (PostgreSQL keeps dead rows in its files until they are
  vacuumed over), while the keys a rotation replaced still open older backups of the case.
* **Starting a job (the web request)** — :func:`start_rotation`: take (delete) one key of a
  live worker; serialise the case keys the job needs, taken from the user's own keyring (for a
  rotation: shared and staff keys of both versions); wrap them under a fresh one-job key, bound
  to the job and the worker key (:func:`protectdesk.crypto.wrap.wrap`); seal the one-job key to
  the taken public key (:func:`protectdesk.crypto.userkeys.seal_to`); store both in a
  :class:`~.models.JobSecret`, in one transaction with the job, its audit entry and the task,
  which goes on the queue of that worker alone (no other worker could open the secret).
* **Running it (the worker)** — :func:`run_job`: pop the private half of the job's key from
  memory, open the secret, build a detached keyring holding just those keys
  (:meth:`~protectdesk.records.keyring.Keyring.detached`, which checks membership again), run
  :func:`protectdesk.records.rotation.resume`, and — however it ends — delete the secret row.
  Progress is the rotation's own: ``CaseRotation.converted`` is saved with every batch.
* **A worker that stops loses its keys, on purpose.** A graceful stop fails its jobs that had
  not run (code ``worker_stopped``) and asks a job under way to stop after its current batch; a worker that died is recognised by its silence (no heartbeat for
  :data:`LIVE_FOR`): the progress page shows its jobs as stopped at once, and the next worker to
  start records them as failed and clears the dead worker's rows and queue. Nothing is lost:
  rotation is resumable, and the page asks the person to resume it from the case page.
* **No live worker, no job.** When no live worker has a free key, :func:`start_rotation`
  returns ``None`` and the caller runs the work in the request, as before jobs existed.
* **Audit:** ``job.started``, ``job.finished``, ``job.failed`` on the case, by the person who
  started the job; the detail holds the job id, its kind, counts and a failure code.

What this does not protect against: a server compromised while a job waits or runs can read
its keys from the worker's memory, like the keys of any signed-in user (security.md, "Out of
scope").
"""

from __future__ import annotations

import logging
import struct
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from protectdesk.accounts.models import User
from protectdesk.audit.actions import record
from protectdesk.crypto import CryptoError, EnvelopeError, aead, userkeys, wrap
from protectdesk.crypto.casekeys import Purpose
from protectdesk.records import rotation
from protectdesk.records.keyring import Keyring, NoCaseAccess, StaffOnly
from protectdesk.records.models import (
    Case,
    CaseRotation,
    Job,
    JobKey,
    JobKind,
    JobSecret,
    JobState,
    JobWorker,
)

logger = logging.getLogger(__name__)

#: A worker not heard from for this long is taken for gone (its keys with it).
LIVE_FOR = timedelta(seconds=90)
#: How often a worker says it is alive and tops up its one-time keys.
HEARTBEAT_SECONDS = 20
#: One-time keys a worker keeps published: the jobs that can start between two heartbeats.
POOL_SIZE = 4

#: Failure codes (stored in ``Job.failure`` and the audit detail; the page words them).
WORKER_STOPPED = "worker_stopped"  # its worker stopped (or died) first, and its keys with it
NO_ACCESS = "no_access"  # the person is no longer a staff member of the case
ERROR = "error"  # anything else; the job's work is resumable

_UNFINISHED = (JobState.QUEUED, JobState.RUNNING)


class JobFailed(Exception):
    """A job ended without finishing its work; ``code`` says why (never content)."""

    def __init__(self, code: str) -> None:
        super().__init__(f"job failed: {code}")
        self.code = code


# --- the worker's identity (in this process's memory only) ------------------------------------


@dataclass
class WorkerIdentity:
    """This process as a job worker: its id and the private halves of its one-time keys."""

    id: uuid.UUID
    private_keys: dict[uuid.UUID, bytes] = field(default_factory=dict, repr=False)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def queue(self) -> str:
        return queue_of(self.id)

    def take(self, key_id: uuid.UUID) -> bytes | None:
        """The private half of one key, removed from memory: it serves one job only."""
        with self.lock:
            return self.private_keys.pop(key_id, None)


_WORKER: WorkerIdentity | None = None
#: Set when the worker is asked to stop: the job under way stops after its current batch.
_STOPPING = threading.Event()


def queue_of(worker_id: uuid.UUID) -> str:
    """The task queue of one worker (32 characters, the backend's limit)."""
    return worker_id.hex


def current_worker() -> WorkerIdentity | None:
    return _WORKER


def start_worker() -> WorkerIdentity:
    """Make this process a job worker: register it, clear up after dead ones, publish keys."""
    global _WORKER
    if _WORKER is not None:
        raise RuntimeError("this process is a job worker already")
    worker = WorkerIdentity(uuid.uuid4())
    JobWorker.objects.create(id=worker.id)
    _WORKER = worker
    _STOPPING.clear()
    bury_dead_workers()
    top_up()
    logger.info("job worker %s started", worker.id)
    return worker


def request_stop() -> None:
    """Ask the job under way (if any) to stop after its current batch (a signal handler)."""
    _STOPPING.set()


def heartbeat() -> None:
    """Tell the web this worker is alive, replace the keys requests took, bury dead workers."""
    worker = _WORKER
    if worker is None:
        return
    if not JobWorker.objects.filter(pk=worker.id).update(last_seen=timezone.now()):
        # Silent for too long (a suspended laptop) and buried by another worker meanwhile: its
        # published keys and queued jobs are gone, so start afresh under the same id.
        with worker.lock:
            worker.private_keys.clear()
        JobWorker.objects.create(id=worker.id)
    top_up()
    bury_dead_workers()
    for tidy in HOUSEKEEPING:
        try:
            tidy()
        except Exception as error:  # one module's tidying must not stop the heartbeat
            logger.warning("housekeeping %s failed: %s", tidy.__qualname__, type(error).__name__)


def top_up() -> None:
    """Publish new one-time keys until :data:`POOL_SIZE` are free again."""
    worker = _WORKER
    if worker is None:
        return
    with worker.lock:
        free = JobKey.objects.filter(worker_id=worker.id).count()
        new = []
        for _ in range(POOL_SIZE - free):
            pair = userkeys.generate_keypair()
            key = JobKey(worker_id=worker.id, public_key=pair.public_key)
            worker.private_keys[key.id] = pair.private_key
            new.append(key)
        JobKey.objects.bulk_create(new)


def stop_worker() -> None:
    """This process stops being a worker: its keys are forgotten, its jobs that had not run fail."""
    global _WORKER
    worker, _WORKER = _WORKER, None
    if worker is None:
        return
    with worker.lock:
        worker.private_keys.clear()
    _bury(worker.id)
    logger.info("job worker %s stopped", worker.id)


def bury_dead_workers() -> None:
    """Workers silent for :data:`LIVE_FOR` are gone: fail their jobs, drop their rows."""
    cutoff = timezone.now() - LIVE_FOR
    for worker_id in JobWorker.objects.filter(last_seen__lt=cutoff).values_list("id", flat=True):
        _bury(worker_id)
    # Jobs whose worker row went without them (it was deleted under a request starting a job).
    for job in _jobs(Q(worker=None)):
        _end(job, JobState.FAILED, failure=WORKER_STOPPED)


def _bury(worker_id: uuid.UUID) -> None:
    for job in _jobs(Q(worker_id=worker_id)):
        _end(job, JobState.FAILED, failure=WORKER_STOPPED)
    with transaction.atomic():
        # Only this worker could have opened what waits in its queue; each one's job is failed.
        DBTaskResult.objects.filter(
            queue_name=queue_of(worker_id), status=TaskResultStatus.READY
        ).delete()
        JobWorker.objects.filter(pk=worker_id).delete()  # its published keys go with it


def _jobs(where: Q) -> list[Job]:
    return list(
        Job.objects.select_related("case", "started_by").filter(where, state__in=_UNFINISHED)
    )


def _live() -> Q:
    return Q(worker__last_seen__gte=timezone.now() - LIVE_FOR)


# --- starting a job (the web request) ---------------------------------------------------------


class _NoFreeKey(Exception):
    pass


def active_job(case: Case) -> Job | None:
    """The job of ``case`` still waiting or running on a live worker, if any."""
    return (
        Job.objects.filter(_live(), case=case, state__in=_UNFINISHED)
        .order_by("-created_at")
        .first()
    )


Runner = Callable[["JobContext"], int]
#: What runs each kind of job: the rotation here, the others registered by their modules.
RUNNERS: dict[str, Runner] = {}
#: Tidying a module needs done on a schedule (files past their retention): run on every
#: heartbeat of a worker, outside any job. Registered from ``integration.py``.
HOUSEKEEPING: list[Callable[[], object]] = []


def register_housekeeping(tidy: Callable[[], object]) -> None:
    if tidy not in HOUSEKEEPING:
        HOUSEKEEPING.append(tidy)


def register_runner(kind: str, runner: Runner) -> None:
    """A module's job kind: ``runner(context)`` does the work and returns a count."""
    RUNNERS[kind] = runner


@dataclass
class JobContext:
    """What a runner gets: its job, a detached keyring and the named keys it was given.

    ``keyring`` holds the keys of ``job.case`` (if the job has a case) and no private key; a
    runner that creates cases adopts their fresh keys into it. ``file_keys`` are the keys the
    request passed to :func:`start_job` (an uploaded file's key), in memory only.
    """

    job: Job
    keyring: Keyring
    file_keys: dict[str, bytes] = field(repr=False, default_factory=dict)

    def report(self, done: int, total: int | None = None, phase: str = "") -> None:
        """Save progress (outside any transaction); stop here if the worker is stopping."""
        _stop_if_asked(None)
        values: dict[str, Any] = {"done": done}
        if total is not None:
            values["total"] = total
        if phase:
            values["phase"] = phase
        Job.objects.filter(pk=self.job.pk).update(**values)


def start_rotation(*, actor: User, keyring: Keyring, case: Case) -> Job | None:
    """Start (or resume) the key rotation of ``case`` as a background job.

    Returns the job — the one already under way for this case, if any, whoever started it — or
    ``None`` when no live worker can take it: the caller then rotates in the request.
    """
    under_way = active_job(case)
    if under_way is not None:
        return under_way
    if _free_key() is None:
        return None
    started = rotation.start(actor=actor, keyring=keyring, case=case)
    return start_job(
        actor=actor, keyring=keyring, kind=JobKind.ROTATION, case=case, rotation=started
    )


def _free_key() -> JobKey | None:
    return JobKey.objects.filter(_live()).order_by("-worker__last_seen", "created_at").first()


def _under_way(case: Case | None, subject_id: uuid.UUID | None) -> Job | None:
    if case is not None:
        return active_job(case)
    return (
        Job.objects.filter(_live(), subject_id=subject_id, state__in=_UNFINISHED)
        .order_by("-created_at")
        .first()
    )


def start_job(
    *,
    actor: User,
    keyring: Keyring,
    kind: str,
    case: Case | None = None,
    subject_id: uuid.UUID | None = None,
    file_keys: dict[str, bytes] | None = None,
    rotation: CaseRotation | None = None,
) -> Job | None:
    """Queue a job of ``kind`` on a live worker, with the keys it needs sealed to that worker.

    The job carries every key of ``case`` the user's keyring holds (both versions during a
    rotation) and ``file_keys``. Returns the job — the one already under way for the same case
    or subject, if any — or ``None`` when no live worker has a free key: the caller then does
    the work in the request.
    """
    if kind not in RUNNERS:
        raise ValueError(f"no runner for jobs of kind {kind!r}")
    if case is None and subject_id is None:
        raise ValueError("a job works on a case or on a subject")
    under_way = _under_way(case, subject_id)
    if under_way is not None:
        return under_way
    key = _free_key()
    if key is None:
        return None
    case_keys = keyring.keys_for(case.id).all_keys() if case is not None else {}
    try:
        with transaction.atomic():
            if case is not None:
                # Under the case-row lock, so two requests cannot both start a job for one case.
                Case.compartments.select_for_update().filter(pk=case.pk).first()
            under_way = _under_way(case, subject_id)
            if under_way is not None:
                raise _AlreadyUnderWay(under_way)
            taken, _ = JobKey.objects.filter(pk=key.pk).delete()
            if not taken:  # another request took it, or the worker went meanwhile
                raise _NoFreeKey
            job = Job.objects.create(
                kind=kind,
                desk_id=actor.desk_id,
                case=case,
                subject_id=subject_id,
                started_by=actor,
                rotation=rotation,
                worker_id=key.worker_id,
            )
            secret = _Secret(case.id if case is not None else None, case_keys, file_keys or {})
            JobSecret.objects.create(job=job, key_id=key.pk, **_seal(job, key, secret))
            result = run_job.using(queue_name=queue_of(key.worker_id)).enqueue(str(job.id))
            job.task_id = uuid.UUID(str(result.id))
            job.save(update_fields=["task_id"])
            record(
                "job.started",
                actor=actor,
                target=case,
                detail={
                    "job": str(job.id),
                    "kind": job.kind,
                    "keys": len(case_keys) + len(file_keys or {}),
                },
            )
    except _NoFreeKey:
        return None
    except _AlreadyUnderWay as already:
        return already.job
    return job


class _AlreadyUnderWay(Exception):
    """Another request started this case's job a moment ago: that one is the job."""

    def __init__(self, job: Job) -> None:
        super().__init__("a job of this case is already under way")
        self.job = job


# --- what waits in the job-secret row ---------------------------------------------------------

#: ``J | 0x02 | case uuid (16, zeros: no case) | case keys u8 | file keys u8``, then per case
#: key ``purpose u8 | version u32 | key (32)``, then per file key ``name length u8 | name | key
#: (32)``. Exists in clear only in memory, on its way into :func:`wrap.wrap` and out of it.
_TAG, _VERSION = b"J", 2
_HEAD = struct.Struct(">cB16sBB")
_ITEM = struct.Struct(">BI32s")
_NO_CASE = bytes(16)


@dataclass(frozen=True)
class _Secret:
    case_id: uuid.UUID | None
    case_keys: dict[tuple[Purpose, int], bytes] = field(repr=False)
    file_keys: dict[str, bytes] = field(repr=False)


def _pack(secret: _Secret) -> bytes:
    cases, files = secret.case_keys, secret.file_keys
    if (not cases and not files) or len(cases) > 255 or len(files) > 255:
        raise ValueError("a job carries between 1 and 255 keys of each sort")
    if bool(cases) != (secret.case_id is not None):
        raise ValueError("case keys go with their case, and only with it")
    parts = [
        _HEAD.pack(
            _TAG,
            _VERSION,
            secret.case_id.bytes if secret.case_id else _NO_CASE,
            len(cases),
            len(files),
        )
    ]
    parts += [_ITEM.pack(int(p), version, key) for (p, version), key in sorted(cases.items())]
    for name, key in sorted(files.items()):
        encoded = name.encode("ascii")
        if not 0 < len(encoded) < 256 or len(key) != 32:
            raise ValueError("a file key has a short ASCII name and 32 bytes")
        parts.append(bytes([len(encoded)]) + encoded + key)
    return b"".join(parts)


def _unpack(data: bytes, case_id: uuid.UUID | None) -> _Secret:
    if len(data) < _HEAD.size:
        raise EnvelopeError("job secret: truncated")
    tag, version, case_bytes, case_count, file_count = _HEAD.unpack_from(data)
    if tag != _TAG or version != _VERSION:
        raise EnvelopeError("job secret: unknown format")
    if case_bytes != (case_id.bytes if case_id else _NO_CASE):
        raise EnvelopeError("job secret: belongs to another case")
    offset = _HEAD.size
    cases: dict[tuple[Purpose, int], bytes] = {}
    for _index in range(case_count):
        if len(data) < offset + _ITEM.size:
            raise EnvelopeError("job secret: truncated")
        purpose, key_version, key = _ITEM.unpack_from(data, offset)
        offset += _ITEM.size
        try:
            cases[(Purpose(purpose), key_version)] = bytes(key)
        except ValueError:
            raise EnvelopeError("job secret: unknown key purpose") from None
    files: dict[str, bytes] = {}
    for _index in range(file_count):
        size = data[offset] if offset < len(data) else 0
        name, key = (
            data[offset + 1 : offset + 1 + size],
            data[offset + 1 + size : offset + 33 + size],
        )
        if size == 0 or len(key) != 32:
            raise EnvelopeError("job secret: truncated")
        files[name.decode("ascii", errors="strict")] = bytes(key)
        offset += 33 + size
    if offset != len(data) or (not cases and not files):
        raise EnvelopeError("job secret: wrong length")
    return _Secret(case_id, cases, files)


def _context(job_id: uuid.UUID, key_id: uuid.UUID) -> str:
    return f"job-secret:{job_id}:{key_id}"


def _seal(job: Job, key: JobKey, secret: _Secret) -> dict[str, bytes]:
    one_job_key = aead.new_key()
    return {
        "sealed_key": userkeys.seal_to(bytes(key.public_key), one_job_key),
        "wrapped": wrap.wrap(one_job_key, _pack(secret), _context(job.id, key.pk)),
    }


def _open(job: Job, secret: JobSecret, private_key: bytes) -> _Secret:
    one_job_key = userkeys.open_sealed(private_key, bytes(secret.sealed_key))
    data = wrap.unwrap(one_job_key, bytes(secret.wrapped), _context(job.id, secret.key_id))
    try:
        return _unpack(data, job.case_id)
    except UnicodeDecodeError:
        raise EnvelopeError("job secret: a file key's name is not ASCII") from None


# --- running a job (the worker) ---------------------------------------------------------------


@task()
def run_job(job_id: str) -> dict[str, int]:
    """Run one job; its id is the task's only argument. Returns counts only."""
    job = Job.objects.select_related("case", "started_by", "rotation").filter(pk=job_id).first()
    if job is None:
        return {}
    secret = JobSecret.objects.filter(job=job).first()
    worker = _WORKER
    private_key = worker.take(secret.key_id) if worker is not None and secret else None
    claimed = Job.objects.filter(pk=job.pk, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=timezone.now()
    )
    if not claimed:  # ended meanwhile (its worker was buried): nothing to do
        return {}
    try:
        converted = _run(job, secret, private_key)
    except JobFailed as failed:
        _end(job, JobState.FAILED, failure=failed.code)
        raise
    except (KeyboardInterrupt, SystemExit):
        _end(job, JobState.FAILED, failure=ERROR)  # the worker was told to stop at once
        raise
    except Exception as error:
        _end(job, JobState.FAILED, failure=ERROR)
        logger.error("job %s failed: %s", job.id, type(error).__name__)  # no message: no content
        raise JobFailed(ERROR) from None
    finally:
        JobSecret.objects.filter(job_id=job.pk).delete()
        top_up()
    _end(job, JobState.FINISHED, converted=converted)
    return {"converted": converted}


def _run(job: Job, secret: JobSecret | None, private_key: bytes | None) -> int:
    if secret is None or private_key is None:
        raise JobFailed(WORKER_STOPPED)  # sealed to a key this process does not hold (any more)
    try:
        opened = _open(job, secret, private_key)
    except CryptoError:
        raise JobFailed(ERROR) from None  # damaged or tampered with
    runner = RUNNERS.get(job.kind)
    if runner is None:
        raise JobFailed(ERROR)
    user = job.started_by
    if user is None or not user.is_active:
        raise JobFailed(NO_ACCESS)
    try:
        if job.case_id is not None:
            case = Case.compartments.get(pk=job.case_id)
            keyring = Keyring.detached(user, case.id, case.key_version, opened.case_keys)
        else:
            keyring = Keyring(user, None)  # opens nothing; adopts the keys of cases it creates
        return runner(JobContext(job, keyring, opened.file_keys))
    except (NoCaseAccess, StaffOnly):
        raise JobFailed(NO_ACCESS) from None


def _rotate(context: JobContext) -> int:
    job = context.job
    if job.rotation is None:
        raise JobFailed(ERROR)
    if job.rotation.finished_at is None:  # finished meanwhile (from the command line)
        rotation.resume(
            actor=context.keyring.user,
            keyring=context.keyring,
            rotation=job.rotation,
            after_batch=_stop_if_asked,
        )
    return job.rotation.converted


register_runner(JobKind.ROTATION, _rotate)


def _stop_if_asked(_progress: Any) -> None:
    if _STOPPING.is_set():  # the batch just done is saved: the rotation resumes after it
        raise JobFailed(WORKER_STOPPED)


def _end(job: Job, state: str, *, failure: str = "", converted: int | None = None) -> None:
    """Record how ``job`` ended (once), drop its secret and audit it."""
    with transaction.atomic():
        ended = Job.objects.filter(pk=job.pk, state__in=_UNFINISHED).update(
            state=state, failure=failure, finished_at=timezone.now()
        )
        JobSecret.objects.filter(job_id=job.pk).delete()
        if not ended:
            return
        detail: dict[str, Any] = {"job": str(job.id), "kind": job.kind}
        if failure:
            detail["failure"] = failure
        if converted is not None:
            detail["converted" if job.kind == JobKind.ROTATION else "count"] = converted
        record(
            "job.failed" if state == JobState.FAILED else "job.finished",
            actor=job.started_by,
            target=job.case,
            desk_id=job.desk_id or (job.case.desk_id if job.case else None),
            detail=detail,
        )


# --- what the progress page shows -------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """A job as its progress page shows it."""

    state: str
    failure: str
    converted: int
    rotation_finished: bool
    done: int = 0
    total: int = 0
    phase: str = ""

    @property
    def under_way(self) -> bool:
        return self.state in _UNFINISHED

    @property
    def state_label(self) -> str:
        return str(JobState(self.state).label)


def job_for(keyring: Keyring, job_id: uuid.UUID | str) -> Job | None:
    """The job, if the viewer started it and is still a staff member of its case."""
    user = keyring.user
    job = (
        Job.objects.select_related("case", "rotation", "worker")
        .filter(Q(case__desk_id=user.desk_id) | Q(case=None, desk_id=user.desk_id))
        .filter(pk=job_id, started_by=user)
        .first()
    )
    if job is None or (job.case_id is not None and not keyring.has_staff_key(job.case_id)):
        return None
    return job


def progress(job: Job) -> Progress:
    """Where ``job`` stands; one whose worker went silent counts as stopped (its keys are gone)."""
    state, failure = job.state, job.failure
    if state in _UNFINISHED and (
        job.worker is None or job.worker.last_seen < timezone.now() - LIVE_FOR
    ):
        state, failure = JobState.FAILED, WORKER_STOPPED
    rotation_row = job.rotation
    return Progress(
        state=state,
        failure=failure,
        converted=rotation_row.converted if rotation_row else 0,
        rotation_finished=bool(rotation_row and rotation_row.finished_at),
        done=job.done,
        total=job.total,
        phase=job.phase,
    )
