"""Every write of an import: receiving a sheet, its dry run, the import itself, cancelling.

The flow (web, command line and background job share it):

1. :func:`receive` — the upload handler has encrypted the sheet into the spool; the sheet is
   read once (header and format; a file that is not a spreadsheet is refused now), its
   ciphertext moved to ``<data dir>/imports/<id>`` and the per-file key sealed, with the
   original name, to the uploader's own public key. Sheets older than a day are removed.
2. :func:`check` — the dry run: every row checked against the mapping; nothing written but
   the sheet's counts and the mapping, remembered for the desk under a hash of the header.
3. :func:`confirm` — only after a dry run with no error: a sheet of more than
   :data:`JOB_ROWS` rows goes to a background job (if a worker is live), others are imported
   in the request by :func:`apply`.
4. :func:`apply` — re-reads and re-checks the sheet, then writes everything in **one
   transaction** (:func:`import_rows`, through ``imports/bulk.py``): a desk import opens one
   case per defender (``cases.actions.open_cases``) with its incidents; a case import logs
   every row as an incident of its case. Any error rolls everything back. One
   ``import.applied`` audit entry (counts only) besides the entries of the write path (one
   per kind of record and batch). The file is deleted however it ends.

Who: a desk import is for coordinators and caseworkers (the roles that open cases); a case
import for staff members of the case; every later step for the uploader only.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from protectdesk.accounts.models import User
from protectdesk.attachments import actions as attachment_actions
from protectdesk.attachments.uploads import EncryptedUpload
from protectdesk.audit.actions import record
from protectdesk.cases import actions as case_actions
from protectdesk.crypto import CryptoError, kdf, userkeys
from protectdesk.imports import bulk, matching, sheets, storage, validate
from protectdesk.imports.messages import refusal_message
from protectdesk.imports.models import OPEN_STATES, ImportMapping, ImportSheet, SheetState
from protectdesk.lib import server_keys
from protectdesk.records import jobs
from protectdesk.records.keyring import Keyring, NoCaseAccess
from protectdesk.records.models import Case, Job, JobKind

logger = logging.getLogger(__name__)

#: Sheets with more rows than this are imported by a background job, when a worker is live.
JOB_ROWS = 1000
CHECKING = "checking"
SAVING = "saving"

#: (rows done, rows in all, phase) → None. Called outside any transaction.
Progress = Callable[[int, int, str], None]
#: (incidents written, incidents in all) → None. Called *inside* the import's transaction:
#: it must not write to the database (the command line draws its progress bar with it).
Tick = Callable[[int, int], None]


def NOT_CHECKED() -> str:
    return _("Check the file first: only a file without errors is imported.")


class ImportRefused(Exception):
    """The step cannot be done; ``message`` is translated and safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Invalid(Exception):
    """The sheet did not check out again while it was being written: roll back."""


# --- who may -------------------------------------------------------------------------------


def may_import(actor: User, keyring: Keyring, case: Case | None) -> bool:
    """A desk import: the roles that open cases. A case import: staff members of the case."""
    if case is None:
        return actor.role in case_actions.CASE_ROLES
    return keyring.has_staff_key(case.id)


def mode_of(sheet: ImportSheet) -> str:
    return validate.CASE if sheet.case_id else validate.DESK


def sheet_for(actor: User, keyring: Keyring, sheet_id: uuid.UUID | str) -> ImportSheet | None:
    """The sheet, if ``actor`` uploaded it and (for a case import) is still staff of the case."""
    sheet = (
        ImportSheet.objects.select_related("case")
        .filter(pk=sheet_id, desk_id=actor.desk_id, uploaded_by=actor)
        .first()
    )
    if sheet is None or (sheet.case_id is not None and not keyring.has_staff_key(sheet.case_id)):
        return None
    return sheet


# --- the sheet's key ---------------------------------------------------------------------------


def _seal(user: User, key: bytes, name: str) -> bytes:
    return userkeys.seal_to(bytes(user.public_key or b""), key + name.encode("utf-8"))


def sheet_key(sheet: ImportSheet, private_key: bytes | None) -> tuple[bytes, str]:
    """(the per-file key, the original name), opened with the uploader's private key."""
    if private_key is None:
        raise NoCaseAccess("the uploader's private key is needed to open their sheet")
    try:
        payload = userkeys.open_sealed(private_key, bytes(sheet.sealed))
    except CryptoError:
        raise NoCaseAccess("this sheet was sealed to another key") from None
    return payload[:32], payload[32:].decode("utf-8", errors="replace")


def _plaintext(sheet: ImportSheet, key: bytes) -> bytes:
    try:
        return storage.plaintext(sheet.id, key)
    except FileNotFoundError:
        raise ImportRefused(
            _("This file is no longer kept (uploads are deleted after a day): upload it again.")
        ) from None


# --- 1. receiving ------------------------------------------------------------------------------


def receive(
    *, actor: User, keyring: Keyring, upload: EncryptedUpload, case: Case | None = None
) -> ImportSheet:
    """Keep an encrypted upload as a sheet to import, after reading its header."""
    if not may_import(actor, keyring, case):
        raise NoCaseAccess("this account may not import here")
    remove_expired()
    try:
        if upload.error:
            raise ImportRefused(upload_refusal(upload))
        data = upload.plaintext()
        try:
            sheet = sheets.read(data)
        except sheets.Refused as refused:
            raise ImportRefused(refusal_message(refused.code, refused.params)) from None
        header, file_format = sheet.header, sheet.format
        del sheet, data
        with transaction.atomic():
            row = ImportSheet.objects.create(
                id=upload.id,
                desk_id=actor.desk_id,
                uploaded_by=actor,
                case=case,
                file_format=file_format,
                size=upload.size,
                sealed=_seal(actor, upload.key, upload.original_name),
                mapping=suggested_mapping(actor, header),
            )
            storage.place(upload.temp_path, row.id)
            upload.claimed = True
            record(
                "import.received",
                actor=actor,
                target=case,
                detail={"sheet": str(row.id), "format": file_format, "bytes": upload.size},
            )
    finally:
        upload.temp_path.unlink(missing_ok=True)
    return row


def upload_refusal(upload: EncryptedUpload) -> str:
    if upload.error == "size":
        return refusal_message("too_large", {"megabytes": sheets.MAX_BYTES // (1024 * 1024)})
    if upload.error == "empty":
        return refusal_message("empty")
    return attachment_actions.refusal_message(upload.error, upload.error_detail)


def header_of(sheet: ImportSheet, key: bytes) -> list[str]:
    """The sheet's header row (read again from the file: it is never stored)."""
    try:
        return sheets.read(_plaintext(sheet, key)).header
    except sheets.Refused as refused:
        raise ImportRefused(refusal_message(refused.code, refused.params)) from None


# --- remembered mappings -----------------------------------------------------------------------


def header_digest(header: list[str]) -> str:
    """A keyed hash (the server secret's ``pd-import-head`` subkey) of the normalised header
    row: recognises a header without storing it, and cannot be tested against guesses by
    whoever holds only the database (a sheet without headings has a data row there)."""
    joined = "\x1f".join(matching.normalise(heading) for heading in header)
    return kdf.keyed_digest(
        server_keys.server_subkey("pd-import-head"), joined.encode("utf-8", "surrogatepass")
    ).hex()


def suggested_mapping(actor: User, header: list[str]) -> list[str]:
    """The mapping the desk chose last time for this header, else one by heading names."""
    remembered = ImportMapping.objects.filter(
        desk_id=actor.desk_id, header_digest=header_digest(header)
    ).first()
    if remembered is not None and len(remembered.columns) == len(header):
        return [str(name) for name in remembered.columns]
    return matching.guess_mapping(header)


def remember(actor: User, header: list[str], mapping: list[str]) -> None:
    ImportMapping.objects.update_or_create(
        desk_id=actor.desk_id,
        header_digest=header_digest(header),
        defaults={"columns": list(mapping), "updated_at": timezone.now()},
    )


# --- 2. the dry run ----------------------------------------------------------------------------


def check(*, actor: User, sheet: ImportSheet, key: bytes, mapping: list[str]) -> validate.Report:
    """Check every row against ``mapping``; nothing is saved but counts and the mapping."""
    if sheet.uploaded_by_id != actor.id or sheet.state not in (
        SheetState.UPLOADED,
        SheetState.CHECKED,
    ):
        raise ImportRefused(_("This file cannot be checked again: it is imported or cancelled."))
    data = _plaintext(sheet, key)
    report = validate.dry_run(data, mapping, mode_of(sheet))
    try:
        header = sheets.read(data).header
    except sheets.Refused:
        header = []
    del data
    state = SheetState.CHECKED if report.ok else SheetState.UPLOADED
    with transaction.atomic():
        # Only a sheet still waiting for its check (a confirm or a cancel in another tab may
        # have moved it on meanwhile: an import under way must not become "checked" again).
        updated = ImportSheet.objects.filter(
            pk=sheet.pk, state__in=(SheetState.UPLOADED, SheetState.CHECKED)
        ).update(
            mapping=list(mapping),
            row_count=report.rows,
            defender_count=report.defenders,
            incident_count=report.incidents,
            state=state,
        )
        if not updated:
            raise ImportRefused(
                _("This file cannot be checked again: it is imported or cancelled.")
            )
        if header:
            remember(actor, header, mapping)
    sheet.refresh_from_db()
    return report


# --- 3. confirming -----------------------------------------------------------------------------


def confirm(*, actor: User, keyring: Keyring, sheet: ImportSheet, key: bytes) -> Job | None:
    """Import a checked sheet: as a background job if it is large and a worker is live (the
    job is returned), else now, in this request (``None``)."""
    if sheet.uploaded_by_id != actor.id or sheet.state != SheetState.CHECKED:
        raise ImportRefused(NOT_CHECKED())
    if sheet.row_count > JOB_ROWS:
        job = jobs.start_job(
            actor=actor,
            keyring=keyring,
            kind=JobKind.IMPORT,
            case=sheet.case,
            subject_id=sheet.id,
            file_keys={"sheet": key},
        )
        if job is not None and (job.kind != JobKind.IMPORT or job.subject_id != sheet.id):
            # Another job is under way in this case (a key rotation, someone else's import).
            raise ImportRefused(
                _(
                    "Another background task is under way in this case (a key rotation or "
                    "another import). Import this file when it has finished."
                )
            )
        if job is not None:
            # The job may have run already (a fast worker): only a sheet still checked is
            # queued; the job's link is kept either way.
            ImportSheet.objects.filter(pk=sheet.pk).update(job_id=job.id)
            ImportSheet.objects.filter(pk=sheet.pk, state=SheetState.CHECKED).update(
                state=SheetState.QUEUED
            )
            sheet.refresh_from_db()
            return job
    apply(actor=actor, keyring=keyring, sheet=sheet, key=key)
    return None


# --- 4. the import -----------------------------------------------------------------------------


def apply(
    *,
    actor: User,
    keyring: Keyring,
    sheet: ImportSheet,
    key: bytes,
    progress: Progress | None = None,
    tick: Tick | None = None,
) -> int:
    """Check the sheet again, then write all of it in one transaction; incidents written.

    Raises :class:`ImportRefused` (nothing saved) if the sheet no longer checks out. The
    stored file is deleted however this ends.
    """
    if sheet.uploaded_by_id != actor.id or not may_import(actor, keyring, sheet.case):
        raise NoCaseAccess("only the uploader, while allowed to import here")
    claimed = ImportSheet.objects.filter(
        pk=sheet.pk, state__in=(SheetState.CHECKED, SheetState.QUEUED)
    ).update(state=SheetState.IMPORTING)
    if not claimed:  # imported, cancelled, or being imported by another request
        raise ImportRefused(_("This file is not waiting to be imported."))
    try:
        data = _plaintext(sheet, key)
        result = import_rows(
            actor=actor,
            keyring=keyring,
            case=sheet.case,
            data=data,
            mapping=list(sheet.mapping),
            progress=progress,
            tick=tick,
            total=sheet.row_count,
            on_commit=lambda written: _imported(sheet, written),
            source={"sheet": str(sheet.id)},
        )
    except BaseException:
        try:
            _failed(sheet)
            record("import.failed", actor=actor, target=sheet.case, detail={"sheet": str(sheet.id)})
        except DatabaseError as error:  # the database went away: housekeeping settles it later
            logger.warning("could not record a failed import: %s", type(error).__name__)
        raise
    finally:
        storage.remove(sheet.id)
    sheet.refresh_from_db()
    return result.incidents


@dataclass(frozen=True)
class Imported:
    rows: int
    cases: int
    incidents: int


def import_rows(
    *,
    actor: User,
    keyring: Keyring,
    case: Case | None,
    data: bytes,
    mapping: list[str],
    progress: Progress | None = None,
    tick: Tick | None = None,
    total: int = 0,
    on_commit: Callable[[int], object] | None = None,
    source: dict[str, str] | None = None,
) -> Imported:
    """Check ``data`` again, then write every row in one transaction (or nothing).

    ``on_commit(incidents)`` runs inside that transaction, last (the sheet's new state);
    ``source`` goes into the ``import.applied`` audit entry (the sheet's id).
    """
    if not may_import(actor, keyring, case):
        raise NoCaseAccess("this account may not import here")
    mode = validate.CASE if case is not None else validate.DESK
    report = validate.Report()

    def checked(done: int) -> None:
        if progress is not None:
            progress(done, total, CHECKING)

    for _row in validate.rows_of(data, mapping, mode, report, checked):
        pass
    if not report.ok:
        raise ImportRefused(
            _("The file does not check out (%(count)s problems): nothing was saved.")
            % {"count": report.error_count}
        )
    if progress is not None:
        progress(0, report.incidents, SAVING)
    try:
        with transaction.atomic():
            again = validate.Report()
            rows = validate.rows_of(data, mapping, mode, again)
            written, cases = bulk.write(actor, keyring, case, rows, report.incidents, tick)
            if not again.ok or written != report.incidents:
                raise _Invalid
            record(
                "import.applied",
                actor=actor,
                target=case,
                detail={
                    **(source or {}),
                    "rows": report.rows,
                    "cases": cases,
                    "incidents": written,
                },
            )
            if on_commit is not None:
                on_commit(written)
    except _Invalid:
        raise ImportRefused(_("The file no longer checks out: nothing was saved.")) from None
    return Imported(report.rows, cases, written)


def _imported(sheet: ImportSheet, written: int) -> None:
    """Inside the import's transaction, last: the sheet is imported — if it is still being
    imported (not settled as failed meanwhile, its worker taken for dead): else roll back."""
    if not ImportSheet.objects.filter(pk=sheet.pk, state=SheetState.IMPORTING).update(
        state=SheetState.IMPORTED,
        imported_count=written,
        finished_at=timezone.now(),
        sealed=b"",  # the file is gone: its key and original name go too
    ):
        raise _Invalid("the sheet is no longer being imported")


def _failed(sheet: ImportSheet) -> None:
    ImportSheet.objects.filter(pk=sheet.pk, state__in=OPEN_STATES).update(
        state=SheetState.FAILED, finished_at=timezone.now(), sealed=b""
    )


# --- cancelling and tidying up -----------------------------------------------------------------


def cancel(*, actor: User, sheet: ImportSheet) -> None:
    """Drop an upload that was not imported (its file first)."""
    if sheet.uploaded_by_id != actor.id:
        raise NoCaseAccess("only the uploader")
    if sheet.state not in (SheetState.UPLOADED, SheetState.CHECKED):
        raise ImportRefused(_("This import can no longer be cancelled."))
    with transaction.atomic():
        # Only if it is still waiting: an import confirmed in another tab is not "cancelled".
        if not ImportSheet.objects.filter(
            pk=sheet.pk, state__in=(SheetState.UPLOADED, SheetState.CHECKED)
        ).update(state=SheetState.CANCELLED, finished_at=timezone.now(), sealed=b""):
            raise ImportRefused(_("This import can no longer be cancelled."))
        record("import.cancelled", actor=actor, target=sheet.case, detail={"sheet": str(sheet.id)})
    storage.remove(sheet.id)
    sheet.state = SheetState.CANCELLED


def as_shown(sheet: ImportSheet, job: Job | None) -> ImportSheet:
    """The sheet as its page shows it: failed if its job ended without it (its worker
    stopped). Writes nothing (a GET); :func:`remove_expired`, run by the worker's
    housekeeping, settles it for good."""
    if (
        sheet.job_id is not None
        and sheet.state in (SheetState.QUEUED, SheetState.IMPORTING)
        and (job is None or not jobs.progress(job).under_way)
    ):
        sheet.state = SheetState.FAILED
    return sheet


def settle(sheet: ImportSheet, job: Job | None) -> ImportSheet:
    """A queued or running sheet whose job ended without it (its worker stopped): failed, and
    its file removed."""
    if sheet.state not in (SheetState.QUEUED, SheetState.IMPORTING):
        return sheet
    if job is not None and jobs.progress(job).under_way:
        return sheet
    storage.remove(sheet.id)
    _failed(sheet)
    sheet.refresh_from_db()
    return sheet


def remove_expired() -> int:
    """Sheets not imported within a day: files deleted, rows marked cancelled (their sealed
    key and name dropped); sheets whose job ended without them: failed, files deleted; stored
    files without a sheet waiting for them after a day (a case deleted with its sheets): gone.
    Run on every upload, by ``protectdesk check`` and by the worker's housekeeping."""
    cutoff = timezone.now() - storage.KEPT_FOR
    old = ImportSheet.objects.filter(created_at__lt=cutoff, state__in=OPEN_STATES)
    running = {
        job.id
        for job in Job.objects.filter(pk__in=[s.job_id for s in old if s.job_id])
        if jobs.progress(job).under_way
    }
    # A sheet whose job is under way finishes (or fails) with its job, however old it is.
    stale = [sheet.pk for sheet in old if sheet.job_id not in running]
    for sheet_id in stale:
        storage.remove(sheet_id)
    ImportSheet.objects.filter(pk__in=stale).update(
        state=SheetState.CANCELLED, finished_at=timezone.now(), sealed=b""
    )
    waiting = list(ImportSheet.objects.filter(state__in=(SheetState.QUEUED, SheetState.IMPORTING)))
    ended = {job.id: job for job in Job.objects.filter(pk__in=[s.job_id for s in waiting])}
    settled = 0
    for sheet in waiting:
        job = ended.get(sheet.job_id) if sheet.job_id else None
        if job is not None and not jobs.progress(job).under_way:
            settle(sheet, job)
            settled += 1
    return len(stale) + settled + storage.remove_files_older_than(storage.KEPT_FOR)


# --- the background job ------------------------------------------------------------------------


def run_job(context: jobs.JobContext) -> int:
    """The runner of ``JobKind.IMPORT``: the job's sheet, re-checked and imported."""
    job = context.job
    if job.subject_id is None:
        raise jobs.JobFailed(jobs.ERROR)
    sheet = ImportSheet.objects.select_related("case").filter(pk=job.subject_id).first()
    user = job.started_by
    key = context.file_keys.get("sheet")
    if sheet is None or user is None or key is None or sheet.case_id != job.case_id:
        raise jobs.JobFailed(jobs.ERROR)

    def report(done: int, total: int, phase: str) -> None:
        context.report(done, total, phase)

    return apply(actor=user, keyring=context.keyring, sheet=sheet, key=key, progress=report)
