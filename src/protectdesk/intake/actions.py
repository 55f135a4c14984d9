"""Every write of the public intake: the desk's door and its key, what people send, what
intake officers do with it (reply, open a case, add to a case, close), and retention.

Keys (the reasoning is in :mod:`protectdesk.crypto.intake`):

* **The intake key** is made when a coordinator opens the door: a fresh X25519 key pair whose
  private half becomes the desk secret ``"intake"``, sealed to that coordinator and to the
  recovery key (:func:`protectdesk.accounts.desk_keys.create_with`); its public half is kept
  on the :class:`IntakeDoor`. An intake officer is an account that holds that secret;
  officers give it to colleagues (coordinators and caseworkers) one by one from their own
  copy; a coordinator takes it away, and recovers it with the recovery phrase when no
  officer is left. A deactivated account or a role change drops it
  (``intake.signals``, ``desk_keys.revoke``).
* **What a person sends** is sealed to the intake public key in the request that receives it,
  and to the submission's person key so they can read it back; the server keeps no key that
  opens it. Nothing the person does is audit-logged (the audit log's times are to the second,
  and the person has no account): only officers' actions are.
* **Moving into a case** re-encrypts the report under the case's keys (a
  :class:`~protectdesk.intake.models.ReceivedReport`, staff key) and hands each file's key to
  the case as an attachment (the encrypted file is renamed into the case's folder, not
  decrypted); then the report and files are deleted from the submission. The conversation
  stays, so the person can still read the desk's replies and answer.
* **Retention**: a submission is destroyed (rows and files) once nothing was written either
  way for the desk's retention period, whether or not it was moved; closing destroys it at once.
"""

from __future__ import annotations

import datetime
import functools
import os
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from protectdesk.accounts import desk_keys
from protectdesk.accounts.models import Role, User
from protectdesk.accounts.queries import lock_colleagues
from protectdesk.attachments import actions as attachments
from protectdesk.attachments import documents, sniff, storage
from protectdesk.attachments.uploads import EncryptedUpload, encrypt_bytes
from protectdesk.audit.actions import record as audit_record
from protectdesk.cases import actions as cases
from protectdesk.crypto import intake as sealing
from protectdesk.crypto import kdf, userkeys
from protectdesk.intake import throttle
from protectdesk.intake.models import (
    MAX_RETENTION_DAYS,
    MIN_RETENTION_DAYS,
    IntakeDoor,
    Part,
    PartKind,
    ReceivedReport,
    Submission,
    SubmissionState,
)
from protectdesk.lib.database import checkpoint
from protectdesk.lib.refusals import Refusal
from protectdesk.records import actions as records
from protectdesk.records.keyring import Keyring, NoCaseAccess
from protectdesk.records.models import Case

SECRET = "intake"  # noqa: S105 - the desk secret's name, not a secret
#: Who may be an intake officer: they open cases from what comes in.
OFFICER_ROLES = frozenset({Role.COORDINATOR, Role.CASEWORKER})
#: The longest text a person may write in one field, and the most files in one report.
MAX_TEXT = 20_000
MAX_FILES = 5
#: The most messages one conversation holds (a flood of answers stops here).
MAX_PARTS = 200
RECEIVED_REPORT = "intake.receivedreport"
_KINDS = {kind.code: kind for kind in vars(sniff).values() if isinstance(kind, sniff.Kind)}


class IntakeRefused(Refusal):
    """What the intake refuses, with a message that says what to do."""


class TryLater(Refusal):
    """A throttle is full: ``seconds`` until it opens again."""

    def __init__(self, seconds: int) -> None:
        super().__init__(
            "later", _("Too many attempts in a short time. Please try again in a minute or two.")
        )
        self.seconds = seconds


# --- the door and its key -------------------------------------------------------------------


def door_of(desk_id: uuid.UUID) -> IntakeDoor | None:
    return IntakeDoor.objects.filter(desk_id=desk_id).first()


def is_officer(user: User) -> bool:
    return user.role in OFFICER_ROLES and user.is_active and desk_keys.holds(user, SECRET)


def officers(desk_id: uuid.UUID) -> list[User]:
    """Active accounts that hold the intake key."""
    return [
        user
        for user in User.objects.filter(
            desk_id=desk_id,
            is_active=True,
            role__in=OFFICER_ROLES,
            secret_boxes__name=SECRET,
        ).distinct()
    ]


def could_be_officers(desk_id: uuid.UUID) -> list[User]:
    """Colleagues who may be given the intake key and do not hold it."""
    holding = {user.pk for user in officers(desk_id)}
    return [
        user
        for user in User.objects.filter(desk_id=desk_id, is_active=True, role__in=OFFICER_ROLES)
        .exclude(public_key=None)
        .order_by("login")
        if user.pk not in holding
    ]


def open_door(*, actor: User) -> IntakeDoor:
    """Make the desk's intake key and door (a coordinator, once); the first officer is the
    coordinator who opens it."""
    if actor.role != Role.COORDINATOR or not actor.public_key:
        raise PermissionError("a coordinator opens the desk's public intake")
    return make_door(actor, [actor])


def make_door(actor: User, holders: Sequence[User]) -> IntakeDoor:
    """The door, its key sealed to ``holders`` (the first officers) and the recovery key; if
    the desk has one already, that one (two first clicks at once make one)."""
    existing = door_of(actor.desk_id)
    if existing is not None:
        return existing
    keypair = userkeys.generate_keypair()
    try:
        with transaction.atomic():
            door = IntakeDoor.objects.create(
                desk=actor.desk, public_key=keypair.public_key, created_by=actor
            )
            desk_keys.create_with(actor.desk, SECRET, keypair.private_key, to=list(holders))
            audit_record("intake.door_opened", actor=actor, target=door)
    except (IntegrityError, ValueError):  # a colleague opened it at the same moment
        found = door_of(actor.desk_id)
        if found is None:
            raise
        return found
    return door


def update_door(
    *, actor: User, door: IntakeDoor, accepting: bool, retention_days: int, expected_version: int
) -> IntakeDoor:
    if actor.role != Role.COORDINATOR or actor.desk_id != door.desk_id:
        raise PermissionError("a coordinator sets the public intake")
    if not MIN_RETENTION_DAYS <= retention_days <= MAX_RETENTION_DAYS:
        raise IntakeRefused(
            "retention_days",
            _("Keep reports between %(low)d and %(high)d days.")
            % {"low": MIN_RETENTION_DAYS, "high": MAX_RETENTION_DAYS},
        )
    with transaction.atomic():
        locked = IntakeDoor.objects.select_for_update().get(pk=door.pk)
        if locked.row_version != expected_version:
            raise records.EditConflict(locked)
        locked.accepting, locked.retention_days = accepting, retention_days
        locked.row_version += 1
        locked.save(update_fields=["accepting", "retention_days", "row_version"])
        audit_record(
            "intake.door_changed",
            actor=actor,
            target=locked,
            detail={"accepting": accepting, "retention_days": retention_days},
        )
    return locked


def intake_key(keyring: Keyring) -> bytes:
    """The intake key's private half as the keyring's user holds it, or PermissionError."""
    user = keyring.user
    if user.role not in OFFICER_ROLES or not user.is_active:
        raise PermissionError("only intake officers open what people send")
    return keyring.desk_secret(SECRET)


def give_key(*, keyring: Keyring, user_ids: Sequence[uuid.UUID]) -> int:
    """An officer gives the intake key to colleagues, from their own copy; how many."""
    actor = keyring.user
    given = 0
    with transaction.atomic():
        # Under the door's lock, like a renewal: the secret opened here is the current one.
        IntakeDoor.objects.select_for_update().filter(desk_id=actor.desk_id).first()
        secret = intake_key(keyring)  # the actor must hold it
        for user in lock_colleagues(actor.desk_id, user_ids, OFFICER_ROLES):
            if desk_keys.holds(user, SECRET):
                continue
            desk_keys.give(actor=actor, secret=secret, user=user, name=SECRET)
            given += 1
    return given


def take_key(*, keyring: Keyring, user: User) -> int:
    """A coordinator who is an intake officer takes the key from an officer (never from the
    last one); the key is then replaced (:func:`renew_key`), so what they held opens nothing
    sent from now on, nor the sealed copies kept from now on. How many parts were re-sealed."""
    actor = keyring.user
    if actor.role != Role.COORDINATOR or actor.desk_id != user.desk_id:
        raise PermissionError("a coordinator chooses the intake officers")
    if not is_officer(actor):
        raise IntakeRefused(
            "not_officer",
            _(
                "Only a coordinator who holds the intake key can take it from someone: it is "
                "replaced at once, and the new one is sealed to the officers who stay. Become "
                "an intake officer first (with the recovery phrase)."
            ),
        )
    return renew_key(keyring=keyring, taken_from=user)


def renew_key(*, keyring: Keyring, taken_from: User | None = None) -> int:
    """Replace the intake key: a new key pair, every sealed part of every submission opened
    with the old private half and sealed to the new public half, the new private half sealed
    to the current officers (but ``taken_from``) and the recovery key, the old boxes
    deleted. After someone who held the key left under suspicion, or lost a device. Database
    copies and backups made before still open with the old key: rotate before, not after, a
    copy is suspected. How many parts were re-sealed."""
    actor = keyring.user
    door = door_of(actor.desk_id)
    if door is None:
        raise PermissionError("no intake")
    keypair = userkeys.generate_keypair()
    resealed = 0
    with transaction.atomic():
        # Everything under the door's lock: the key given, taken or renewed meanwhile by a
        # colleague is seen here, not lost.
        locked = IntakeDoor.objects.select_for_update().get(pk=door.pk)
        old_private = intake_key(keyring)
        recipients = [
            o for o in officers(actor.desk_id) if taken_from is None or o.pk != taken_from.pk
        ]
        if not recipients:
            raise IntakeRefused(
                "last",
                _("This is the last intake officer: give the key to a colleague first."),
            )
        for part in Part.objects.select_for_update().filter(submission__desk_id=actor.desk_id):
            content = sealing.open_part(
                old_private, bytes(part.for_desk), part.submission_id, part.id
            )
            part.for_desk = sealing.seal_part(
                keypair.public_key, part.submission_id, part.id, content
            )
            part.save(update_fields=["for_desk"])
            resealed += 1
        desk_keys.renew(actor.desk, SECRET, keypair.private_key, to=recipients)
        locked.public_key = keypair.public_key
        locked.row_version += 1
        locked.save(update_fields=["public_key", "row_version"])
        detail: dict[str, object] = {"parts": resealed}
        if taken_from is not None:
            detail["taken_from"] = str(taken_from.pk)
        audit_record("intake.key_renewed", actor=actor, target=locked, detail=detail)
    return resealed


def recover_key(*, actor: User, phrase: str) -> None:
    """A coordinator becomes an intake officer again with the recovery phrase (when nobody
    who held the key can still sign in)."""
    if actor.role != Role.COORDINATOR or door_of(actor.desk_id) is None:
        raise PermissionError("a coordinator of a desk with an intake recovers its key")
    try:
        recovery_private = desk_keys.recovery_key(actor.desk, phrase)
    except desk_keys.RecoveryRefused as refused:
        raise IntakeRefused("phrase", refused.message) from None
    desk_keys.restore_secret(recovery_private_key=recovery_private, user=actor, name=SECRET)


# --- what a person sends --------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    what: str
    when: str = ""
    where: str = ""
    who: str = ""
    contact: str = ""

    def fields(self) -> dict[str, str]:
        return {
            "what": self.what,
            "when": self.when,
            "where": self.where,
            "who": self.who,
            "contact": self.contact,
        }


@dataclass(frozen=True)
class Received:
    submission: Submission
    receipt: str = field(repr=False)


def _accepting_door(desk_id: uuid.UUID) -> IntakeDoor:
    door = door_of(desk_id)
    if door is None or not door.accepting:
        raise IntakeRefused(
            "closed",
            _("This desk is not taking reports through this form at the moment."),
        )
    return door


def file_path(submission_id: uuid.UUID, part_id: uuid.UUID) -> Path:
    """Where a submission's file lies, encrypted: beside the cases' folders (so backups carry
    it), named by the submission, as a first-generation file of the upload's id."""
    return storage.path_for(submission_id, part_id, 1)


def form_token_digest(token: str) -> bytes:
    return kdf.subkey(token.encode("utf-8"), "pd-intake-form")


def receive(
    *, desk_id: uuid.UUID, report: Report, uploads: Sequence[EncryptedUpload], form_token: str
) -> Received:
    """Seal a person's report (and files, already encrypted by the upload handler) to the
    desk's intake key and to a new person key; the receipt is returned once."""
    _accepting_door(desk_id)
    total = throttle.megabytes(sum(upload.size for upload in uploads))
    if not throttle.allows(desk_id, throttle.SUBMISSIONS) or not throttle.allows(
        desk_id, throttle.MEGABYTES, amount=total
    ):
        raise TryLater(throttle.seconds_left(throttle.SUBMISSIONS))
    if not report.what.strip():
        raise IntakeRefused("what", _("Write what happened: the report cannot be empty."))
    for upload in uploads:
        if upload.error or upload.kind is None:
            raise IntakeRefused("files", attachments.upload_refusal(upload))
    uploads = [clean_file(upload) for upload in uploads]  # (a cleaned one is returned as it is)
    digest = form_token_digest(form_token)
    receipt = sealing.new_receipt()
    person = userkeys.generate_keypair()
    submission = Submission(
        desk_id=desk_id,
        lookup=sealing.lookup(receipt, desk_id),
        person_public_key=person.public_key,
        form_token=digest,
    )
    submission.person_private_key = sealing.wrap_person_key(
        person.private_key, sealing.unlock_key(receipt, desk_id), submission.id
    )
    try:
        with transaction.atomic():  # a file placed by a save that fails is removed below
            public = _sealing_key(desk_id)
            if Submission.objects.filter(desk_id=desk_id, form_token=digest).exists():
                raise IntakeRefused(
                    "sent",
                    _(
                        "This report was sent already: the form was sent twice. The receipt was "
                        "shown after the first sending; if you did not see it, send the report "
                        "again as a new one."
                    ),
                )
            submission.save()
            _add_part(submission, PartKind.REPORT, report.fields(), public, person.public_key)
            for upload in uploads:
                _add_file(submission, upload, public, person.public_key)
    except BaseException as failed:
        for upload in uploads:
            file_path(submission.id, upload.id).unlink(missing_ok=True)
        if isinstance(failed, IntegrityError):
            raise IntakeRefused(
                "sent", _("This report was sent already (the form was sent twice).")
            ) from None
        raise
    throttle.spend(desk_id, throttle.SUBMISSIONS)
    if total:
        throttle.spend(desk_id, throttle.MEGABYTES, amount=total)
    return Received(submission, receipt)


_DOCUMENTS = (sniff.PDF, sniff.ZIP)


def clean_file(upload: EncryptedUpload) -> EncryptedUpload:
    """A document cleaned of its properties (author, company, editing times, comment authors:
    ``attachments.documents``), encrypted again as a new upload; photos were cleaned as they
    arrived, and other files are kept as they are (the form says so)."""
    if upload.kind not in _DOCUMENTS or upload.cleaned:
        return upload
    try:
        cleaned, changed = documents.strip_document_metadata(upload.plaintext(), upload.kind)
    except documents.UncleanableDocument:
        raise IntakeRefused(
            "files",
            _(
                "This document could not be cleaned of its hidden data (author, dates): it may "
                "be protected by a password or damaged. Save it again without a password, or "
                "send a photo of it."
            ),
        ) from None
    if not changed:  # a plain zip archive: kept as it came
        return upload
    again = encrypt_bytes(upload.original_name, cleaned)
    del cleaned
    upload.temp_path.unlink(missing_ok=True)
    upload.claimed = True
    again.cleaned = True
    return again


def _sealing_key(desk_id: uuid.UUID) -> bytes:
    """The intake key's public half, read under the door's lock inside the caller's
    transaction: a key renewed at the same moment is either not yet begun (and re-seals what
    this writes) or done (and this seals to the new key), never missed."""
    door = IntakeDoor.objects.select_for_update().filter(desk_id=desk_id).first()
    if door is None:
        raise IntakeRefused("closed", _("This desk is not taking reports through this form."))
    return bytes(door.public_key)


def _add_part(
    submission: Submission,
    kind: str,
    content: Mapping[str, object],
    intake_public: bytes,
    person_public: bytes | None,
    officer: User | None = None,
    part_id: uuid.UUID | None = None,
) -> Part:
    position = (
        Part.objects.filter(submission=submission).aggregate(last=Max("position"))["last"] or 0
    ) + 1
    part = Part(
        id=part_id or uuid.uuid4(),
        submission=submission,
        kind=kind,
        officer=officer,
        from_person=officer is None,
        position=position,
    )
    part.for_desk = sealing.seal_part(intake_public, submission.id, part.id, content)
    if person_public is not None:
        part.for_person = sealing.seal_part(person_public, submission.id, part.id, content)
    part.save()
    return part


def _add_file(
    submission: Submission, upload: EncryptedUpload, intake_public: bytes, person_public: bytes
) -> None:
    if upload.kind is None:
        raise ValueError("a refused upload is not kept")
    name = attachments.name_of(upload)
    meta = {
        "name": name.name,
        "type": upload.kind.content_type,
        "kind": upload.kind.code,
        "size": upload.size,
        "key": sealing.encode_key(upload.key),
        "cleaned": upload.cleaned,
    }
    part = _add_part(submission, PartKind.FILE, meta, intake_public, None, part_id=upload.id)
    part.for_person = sealing.seal_part(person_public, submission.id, part.id, {"name": name.name})
    part.save(update_fields=["for_person"])
    placed = storage.place(upload.temp_path, submission.id, part.id, 1)
    upload.claimed = True
    _to_the_hour(placed)


def _to_the_hour(path: Path) -> None:
    """A file's times say no more than the submission's row (the hour it came); the status
    change time (ctime) cannot be set and still says the moment — noted in security.md."""
    hour = submission_hour().timestamp()
    os.utime(path, (hour, hour))
    os.utime(path.parent, (hour, hour))


def submission_hour() -> datetime.datetime:
    return timezone.now().replace(minute=0, second=0, microsecond=0)


@dataclass(frozen=True)
class Message:
    from_person: bool
    hour: datetime.datetime
    text: str
    officer: str = ""


@dataclass(frozen=True)
class SentFile:
    part_id: uuid.UUID
    name: str
    content_type: str = ""
    size: int = 0
    cleaned: bool = False


@dataclass(frozen=True)
class Conversation:
    """A submission as someone who may read it sees it (the person, or an officer)."""

    submission: Submission
    report: dict[str, str]
    messages: list[Message]
    files: list[SentFile]


def _find(desk_id: uuid.UUID, receipt: str) -> tuple[Submission, bytes, str]:
    """The submission of ``receipt``, the person's private key, and the throttle's subject.

    A receipt that finds its submission is always served (its own limits apply); one that
    finds nothing is counted, and past the desk's cap gets "try again later" instead of "no
    report has this receipt" (``throttle``)."""
    try:
        typed = sealing.normalise(receipt)
    except sealing.ReceiptError:
        raise IntakeRefused(
            "receipt",
            _(
                "A receipt has 24 letters and digits (six groups of four). Check what you "
                "typed; letters may be upper or lower case."
            ),
        ) from None
    submission = Submission.objects.filter(
        desk_id=desk_id, lookup=sealing.lookup(typed, desk_id)
    ).first()
    if submission is None:
        if not throttle.allows(desk_id, throttle.FAILED_LOOKUPS):
            raise TryLater(throttle.seconds_left(throttle.FAILED_LOOKUPS))
        throttle.spend(desk_id, throttle.FAILED_LOOKUPS)
        raise IntakeRefused(
            "unknown",
            _(
                "No report has this receipt. Check each group of four characters. A report "
                "the desk has closed, or kept past its retention period, is destroyed and "
                "cannot be opened any more."
            ),
        )
    private = sealing.unwrap_person_key(
        bytes(submission.person_private_key), sealing.unlock_key(typed, desk_id), submission.id
    )
    return submission, private, sealing.counter_subject(typed, desk_id)


def open_for_person(*, desk_id: uuid.UUID, receipt: str) -> Conversation:
    """The conversation as the person reads it back with the receipt."""
    submission, private, subject = _find(desk_id, receipt)
    if not throttle.allows(desk_id, throttle.OPENINGS, subject):
        raise TryLater(throttle.seconds_left(throttle.OPENINGS))
    throttle.spend(desk_id, throttle.OPENINGS, subject)
    return _conversation(submission, private, for_person=True)


def answer(*, desk_id: uuid.UUID, receipt: str, text: str) -> Conversation:
    """The person writes again (sealed to the desk and to themselves)."""
    submission, private, subject = _find(desk_id, receipt)
    text = text.strip()
    if not text:
        raise IntakeRefused("text", _("Write your message before sending it."))
    if len(text) > MAX_TEXT:
        raise IntakeRefused("text", _("A message has at most %(n)d characters.") % {"n": MAX_TEXT})
    if not throttle.allows(desk_id, throttle.ANSWERS, subject):
        raise TryLater(throttle.seconds_left(throttle.ANSWERS))
    with transaction.atomic():
        public = _sealing_key(desk_id)
        locked = Submission.objects.select_for_update().filter(pk=submission.pk).first()
        if locked is None:
            raise IntakeRefused("gone", _("This report was destroyed while you were writing."))
        if locked.parts.count() >= MAX_PARTS:
            raise IntakeRefused(
                "full",
                _("This conversation is full. Send a new report through the form instead."),
            )
        _add_part(locked, PartKind.MESSAGE, {"text": text}, public, bytes(locked.person_public_key))
        _touch(locked, awaiting_desk=True)
    throttle.spend(desk_id, throttle.ANSWERS, subject)
    return _conversation(locked, private, for_person=True)


def _touch(submission: Submission, *, awaiting_desk: bool, state: str | None = None) -> None:
    submission.active_at = timezone.now().replace(minute=0, second=0, microsecond=0)
    submission.awaiting_desk = awaiting_desk
    if state is not None:
        submission.state = state
    submission.row_version += 1
    submission.save(update_fields=["active_at", "awaiting_desk", "state", "row_version"])


def _conversation(submission: Submission, private: bytes, *, for_person: bool) -> Conversation:
    report: dict[str, str] = {}
    messages: list[Message] = []
    files: list[SentFile] = []
    officer_names: dict[uuid.UUID | None, str] = {}
    for part in submission.parts.select_related("officer").order_by("position"):
        box = part.for_person if for_person else part.for_desk
        if box is None:
            continue
        content = sealing.open_part(private, bytes(box), submission.id, part.id)
        if part.kind == PartKind.REPORT:
            report = {key: str(value) for key, value in content.items()}
        elif part.kind == PartKind.FILE:
            files.append(
                SentFile(
                    part.id,
                    str(content.get("name", "")),
                    str(content.get("type", "")),
                    int(content.get("size", 0) or 0),
                    bool(content.get("cleaned", False)),
                )
            )
        else:
            who = ""
            if part.officer is not None and not for_person:
                who = officer_names.setdefault(part.officer_id, part.officer.label)
            messages.append(Message(part.from_person, part.created_at, str(content["text"]), who))
    return Conversation(submission, report, messages, files)


# --- what intake officers do ----------------------------------------------------------------


def submissions_of(user: User) -> list[Submission]:
    if not is_officer(user):
        raise PermissionError("only intake officers see what people send")
    return list(Submission.objects.filter(desk_id=user.desk_id))


def submission_for(user: User, submission_id: uuid.UUID) -> Submission | None:
    if not is_officer(user):
        return None
    return Submission.objects.filter(desk_id=user.desk_id, pk=submission_id).first()


def read(*, keyring: Keyring, submission: Submission) -> Conversation:
    """The whole conversation as an officer reads it (the view records the access)."""
    if submission.desk_id != keyring.user.desk_id:
        raise PermissionError("another desk's submission")
    return _conversation(submission, intake_key(keyring), for_person=False)


def reply(*, actor: User, submission: Submission, text: str, expected_version: int) -> Part:
    """An officer answers the person (sealed to the person's key and to the desk's)."""
    if not is_officer(actor) or actor.desk_id != submission.desk_id:
        raise PermissionError("only intake officers answer")
    text = text.strip()
    if not text:
        raise IntakeRefused("text", _("Write the reply before sending it."))
    with transaction.atomic():
        public = _sealing_key(submission.desk_id)
        locked = Submission.objects.select_for_update().filter(pk=submission.pk).first()
        if locked is None:
            raise IntakeRefused("gone", _("This report has been destroyed."))
        if locked.row_version != expected_version:
            raise records.EditConflict(locked)
        if locked.parts.count() >= MAX_PARTS:
            raise IntakeRefused("full", _("This conversation is full."))
        part = _add_part(
            locked,
            PartKind.MESSAGE,
            {"text": text},
            public,
            bytes(locked.person_public_key),
            officer=actor,
        )
        state = SubmissionState.MOVED if locked.state == SubmissionState.MOVED else "answered"
        _touch(locked, awaiting_desk=False, state=state)
        audit_record("intake.replied", actor=actor, target=locked)
    return part


@dataclass(frozen=True)
class OpenedFile:
    name: str
    content_type: str
    key: bytes = field(repr=False)
    path: Path
    context: str


def open_file(*, keyring: Keyring, submission: Submission, part_id: uuid.UUID) -> OpenedFile | None:
    part = submission.parts.filter(pk=part_id, kind=PartKind.FILE).first()
    if part is None:
        return None
    meta = sealing.open_part(intake_key(keyring), bytes(part.for_desk), submission.id, part.id)
    return OpenedFile(
        str(meta["name"]),
        str(meta["type"]),
        sealing.decode_key(str(meta["key"])),
        file_path(submission.id, part.id),
        f"attachment:{part.id}:1",
    )


def open_case(
    *,
    actor: User,
    keyring: Keyring,
    submission: Submission,
    profile: cases.DefenderProfile,
    expected_version: int,
) -> Case:
    """Open a case from a submission: a new case (its keys sealed to the officer) whose first
    record is the report, with the files as its attachments."""
    intake_private = intake_key(keyring)
    placed: list[Path] = []
    try:
        with transaction.atomic():
            locked = _locked_for_move(submission, expected_version)
            case = cases.open_case(actor=actor, keyring=keyring, profile=profile)
            _move(actor, keyring, case, locked, intake_private, placed)
    except BaseException:
        _undo_placed(placed)
        raise
    return case


def add_to_case(
    *,
    actor: User,
    keyring: Keyring,
    submission: Submission,
    case: Case,
    expected_version: int,
) -> ReceivedReport:
    """Add a submission to a case the officer is a staff member of."""
    intake_private = intake_key(keyring)
    if case.desk_id != actor.desk_id or not keyring.has_staff_key(case.id):
        raise NoCaseAccess("only staff members of a case add a report to it")
    placed: list[Path] = []
    try:
        with transaction.atomic():
            locked = _locked_for_move(submission, expected_version)
            return _move(actor, keyring, case, locked, intake_private, placed)
    except BaseException:
        _undo_placed(placed)
        raise


def _undo_placed(placed: list[Path]) -> None:
    """A move that failed leaves the intake's files where they were, and no copy in a case."""
    for path in placed:
        path.unlink(missing_ok=True)


def _locked_for_move(submission: Submission, expected_version: int) -> Submission:
    locked = Submission.objects.select_for_update().filter(pk=submission.pk).first()
    if locked is None:
        raise IntakeRefused("gone", _("This report has been destroyed."))
    if locked.row_version != expected_version:
        raise records.EditConflict(locked)
    if locked.state == SubmissionState.MOVED:
        raise IntakeRefused("moved", _("This report is in a case already."))
    return locked


def _move(
    actor: User,
    keyring: Keyring,
    case: Case,
    submission: Submission,
    intake_private: bytes,
    placed: list[Path],
) -> ReceivedReport:
    """Write the report into ``case`` and hand its files over. Each file is *linked* into the
    case's folder (a second name for the same ciphertext) inside the transaction, and the
    intake's name is removed only once it commits: a move that fails loses no file."""
    conversation = _conversation(submission, intake_private, for_person=False)
    report = ReceivedReport(
        case=case, received_month=f"{submission.received_at:%Y-%m}", created_by=actor
    )
    values: dict[str, object] = {
        key: conversation.report.get(key, "") for key in Report("").fields()
    }
    values["conversation"] = [
        {
            "from_person": message.from_person,
            "hour": message.hour.isoformat(),
            "officer": message.officer,
            "text": message.text,
        }
        for message in conversation.messages
    ]
    records.save(actor, keyring, report, values, audit="intake.moved")
    for sent in conversation.files:
        part = submission.parts.get(pk=sent.part_id)
        meta = sealing.open_part(intake_private, bytes(part.for_desk), submission.id, part.id)
        source = file_path(submission.id, part.id)
        link = storage.temp_dir() / f"{part.id}.move"
        link.unlink(missing_ok=True)
        os.link(source, link)
        placed.append(link)
        upload = EncryptedUpload(
            id=part.id,
            key=sealing.decode_key(str(meta["key"])),
            temp_path=link,
            original_name=str(meta["name"]),
            kind=_KINDS[str(meta["kind"])],
            size=int(meta["size"]),
            cleaned=bool(meta["cleaned"]),
        )
        attachments.add_attachment(
            actor=actor,
            keyring=keyring,
            case=case,
            record_type=RECEIVED_REPORT,
            record_id=report.id,
            upload=upload,
            staff_only=True,
        )
        placed.append(storage.path_for(case.id, part.id, 1))
        transaction.on_commit(functools.partial(source.unlink, missing_ok=True))
        part.delete()
    submission.parts.filter(kind=PartKind.REPORT).delete()
    _touch(submission, awaiting_desk=False, state=SubmissionState.MOVED)
    audit_record("intake.moved_out", actor=actor, target=submission)
    return report


def close(*, actor: User, submission: Submission, expected_version: int) -> None:
    """Destroy a submission now (spam, a mistake, or nothing more to do)."""
    if not is_officer(actor) or actor.desk_id != submission.desk_id:
        raise PermissionError("only intake officers close what people send")
    with transaction.atomic():
        locked = Submission.objects.select_for_update().filter(pk=submission.pk).first()
        if locked is None:
            return
        if locked.row_version != expected_version:
            raise records.EditConflict(locked)
        _destroy(locked)
        audit_record("intake.closed", actor=actor, target=locked)


def _destroy(submission: Submission) -> None:
    """Delete a submission's rows now and its files once that commits."""
    submission_id = submission.pk  # delete() sets it to None
    files = [
        file_path(submission_id, part_id)
        for part_id in submission.parts.filter(kind=PartKind.FILE).values_list("id", flat=True)
    ]
    submission.delete()
    submission.pk = submission.id = submission_id  # the audit entry names it

    def remove() -> None:
        for path in files:
            path.unlink(missing_ok=True)
        folder = Path(settings.FILES_DIR) / str(submission_id)
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
        checkpoint()

    transaction.on_commit(remove)


def destroy_expired(now: datetime.datetime | None = None) -> int:
    """Destroy every submission nothing was written to for its desk's retention period."""
    now = now or timezone.now()
    destroyed = 0
    for door in IntakeDoor.objects.all():
        cutoff = now - datetime.timedelta(days=door.retention_days)
        if not Submission.objects.filter(desk_id=door.desk_id, active_at__lt=cutoff).exists():
            continue
        with transaction.atomic():
            # Chosen again under the rows' lock: an answer arriving now keeps its submission.
            expired = list(
                Submission.objects.select_for_update().filter(
                    desk_id=door.desk_id, active_at__lt=cutoff
                )
            )
            for submission in expired:
                _destroy(submission)
            audit_record(
                "intake.expired",
                actor=None,
                desk_id=door.desk_id,
                detail={"destroyed": len(expired)},
            )
        destroyed += len(expired)
    throttle.tidy()
    return destroyed


def days_left(submission: Submission, door: IntakeDoor, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    last = (submission.active_at + datetime.timedelta(days=door.retention_days)).date()
    return max(0, (last - today).days)
