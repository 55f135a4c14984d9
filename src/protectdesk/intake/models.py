"""The public intake: the desk's door, the submissions people send through it, and the report
a submission becomes inside a case.

What is stored in clear, and why it is not identifying:

* :class:`IntakeDoor` — whether the desk accepts reports, how long it keeps them, and the
  intake key's public half (its private half is the desk secret ``"intake"``, sealed to the
  intake officers and the recovery key: :mod:`protectdesk.accounts.desk_keys`).
* :class:`Submission` — the desk, the **hour** it arrived (not the minute: an arrival time to
  the second is a fingerprint to compare with network logs), its state, the hour of the last
  message, and the receipt's lookup value (a hash that opens nothing). No IP address, no user
  agent, no language, no file name: nothing about the person is kept outside sealed boxes.
* :class:`Part` — one sealed piece of a submission (the report, a message, a file), with who
  wrote it (the person, or an officer's account) and its hour. Its content is sealed to the
  intake key and, for what the person may read back, to the submission's person key.
* :class:`ReceivedReport` — a case record: what a submission became when an officer opened a
  case from it or added it to one, under that case's keys (staff key: the person who wrote it
  may not be the defender, and is a source to protect).
"""

from __future__ import annotations

import datetime
import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import Desk, User
from protectdesk.records.fields import EncryptedJSON, EncryptedText, statistical
from protectdesk.records.models import STAFF, CaseRecord

DEFAULT_RETENTION_DAYS = 90
MIN_RETENTION_DAYS = 7
MAX_RETENTION_DAYS = 365


def this_hour() -> datetime.datetime:
    return timezone.now().replace(minute=0, second=0, microsecond=0)


class IntakeDoor(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    desk = models.OneToOneField(Desk, on_delete=models.CASCADE, related_name="intake_door")
    #: The intake key's public half: what every submission is sealed to.
    public_key = models.BinaryField(max_length=32)
    accepting = models.BooleanField(_("accepting reports"), default=True)
    retention_days = models.PositiveSmallIntegerField(
        _("days a report is kept before it is destroyed"), default=DEFAULT_RETENTION_DAYS
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    row_version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"intake door {self.pk}"


class SubmissionState(models.TextChoices):
    NEW = "new", _("New")
    ANSWERED = "answered", _("Answered")
    #: Its report is now a case's: what stays here is the conversation, for the person.
    MOVED = "moved", _("Moved into a case")


class Submission(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="+")
    received_at = models.DateTimeField(default=this_hour)
    #: The hour of the last message either way: retention counts from it.
    active_at = models.DateTimeField(default=this_hour)
    state = models.CharField(max_length=12, choices=SubmissionState.choices, default="new")
    #: The person wrote since an officer last replied.
    awaiting_desk = models.BooleanField(default=True)
    #: BLAKE2b of the receipt (crypto.intake.lookup): finds the submission, opens nothing.
    lookup = models.BinaryField(max_length=32)
    person_public_key = models.BinaryField(max_length=32)
    #: The person's private key under the receipt's unlock key (never stored).
    person_private_key = models.BinaryField()
    #: A hash of the form's one-time token: a form sent twice makes one submission.
    form_token = models.BinaryField(max_length=32)
    row_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["desk", "lookup"], name="intake_receipt_unique"),
            models.UniqueConstraint(fields=["desk", "form_token"], name="intake_form_once"),
        ]

    def __str__(self) -> str:
        return f"submission {self.pk}"


class PartKind(models.TextChoices):
    REPORT = "report", _("Report")
    MESSAGE = "message", _("Message")
    FILE = "file", _("File")


class Part(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="parts")
    kind = models.CharField(max_length=8, choices=PartKind.choices)
    #: ``None``: the person wrote it; otherwise the officer who did.
    officer = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    from_person = models.BooleanField(default=True)
    #: Order within the submission (the hour alone does not order a conversation).
    position = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=this_hour)
    for_desk = models.BinaryField()
    #: The same content sealed to the person's key (files are not: the person sent them).
    for_person = models.BinaryField(null=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "position"], name="intake_part_order")
        ]

    def __str__(self) -> str:
        return f"intake part {self.pk}"


class Counter(models.Model):
    """Throttling without addresses: how many of ``kind`` a desk saw in one window
    (``protectdesk.intake.throttle``). ``subject`` is empty for a desk-wide count, or a
    submission's id for a per-receipt one."""

    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16)
    subject = models.CharField(max_length=36, blank=True)
    window = models.DateTimeField()
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["desk", "kind", "subject", "window"], name="intake_counter_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.window:%H:%M}"


class ReceivedReport(CaseRecord):
    """A report received through the public form, now part of a case (staff key).

    Clear: the month it arrived (like an incident's month). Encrypted: everything the person
    wrote, and the conversation with the desk up to the moment it was moved."""

    received_month = statistical(models.CharField(_("month received"), max_length=7))
    created_by = statistical(
        models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    )
    what = EncryptedText(_("what happened"), key=STAFF, searchable=True)
    when = EncryptedText(_("when"), key=STAFF)
    where = EncryptedText(_("where"), key=STAFF, searchable=True)
    who = EncryptedText(_("who is at risk, and who did it"), key=STAFF, searchable=True)
    contact = EncryptedText(_("how to reach the person safely"), key=STAFF)
    #: The messages exchanged before the move: [{"from_person", "hour", "text"}, …].
    conversation = EncryptedJSON(_("conversation"), key=STAFF)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"received report {self.id}"
