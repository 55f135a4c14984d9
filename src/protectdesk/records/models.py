"""The floor's tables: cases as compartments, their members and key boxes, rotations, the index.

A case is the unit of access and of encryption: it has its own keys, sealed only to its members
and to the desk's recovery key. Every domain module's records hang off a case through
:class:`CaseRecord` and declare their fields with :mod:`protectdesk.records.fields`.

**Why ``app_label = "cases"`` / ``"search"``.** These models were written in round one under
the ``cases`` and ``search`` apps. Their labels are stored, permanently, in data that cannot be
rewritten: the hash-chained audit log names its targets by label (``cases.case``), attachments
and search tokens name the record they belong to by label, and every field envelope binds its
table name (``cases_case``) into its associated data. Moving the code down to this floor must
not change any of those, so the models keep their original app labels (and therefore their
tables and migrations); only the code that defines them lives here, below every domain app.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import Desk, User
from protectdesk.crypto.casekeys import Purpose
from protectdesk.records.fields import EncryptedText, statistical

SHARED, STAFF = Purpose.SHARED, Purpose.STAFF


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MONITORING = "monitoring", _("Monitoring")
    CLOSED = "closed", _("Closed")


class CaseKind(models.TextChoices):
    DEFENDER = "defender", _("Defender's case")
    WORKSHOP = "workshop", _("Workshop")
    DIRECTORY = "directory", _("Partner directory")


class DefenderCases(models.Manager["Case"]):
    """``Case.objects``: the desks' files on defenders, never a workshop's compartment."""

    def get_queryset(self) -> models.QuerySet[Case]:
        return super().get_queryset().filter(kind=CaseKind.DEFENDER)


class Case(models.Model):
    """A compartment with its own keys and members: the desk's file on one defender, or a
    workshop (``kind``), whose participants are protected by the same key machinery.

    **Two managers, on purpose.** ``Case.objects`` holds defenders' cases only, so every
    list, count, dashboard and search of cases written by a domain module leaves workshops out
    without having to remember to. ``Case.compartments`` holds both: the floor (sealing,
    keyrings, rotation, recovery, jobs) and the training module use it. It is also the default
    manager (related lookups, ``_default_manager``), so nothing on the floor can lose a
    workshop by accident. Forgetting the filter in a domain module cannot show a workshop as
    a case; using the wrong manager on the floor fails loudly (DoesNotExist).
    """

    id = statistical(models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False))
    desk = statistical(models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="cases"))
    kind = statistical(
        models.CharField(max_length=16, choices=CaseKind.choices, default=CaseKind.DEFENDER)
    )
    reference = statistical(models.CharField(_("reference"), max_length=32))
    status = statistical(
        models.CharField(
            _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN
        )
    )
    #: The version of the case keys new envelopes are written with (rotation raises it).
    key_version = statistical(models.PositiveIntegerField(default=1))
    #: 2: the blind index uses the two search keys (crypto/blind_index.py); 1: a round-one case
    #: whose tokens are all under the staff search key, until its next rotation rebuilds them.
    search_keys = statistical(models.PositiveSmallIntegerField(default=2))
    created_at = statistical(models.DateTimeField(default=timezone.now, editable=False))
    created_by = statistical(
        models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    )
    row_version = statistical(models.PositiveIntegerField(default=1))
    staff_notes = EncryptedText(_("staff notes"), key=STAFF, searchable=True)

    #: Kept by rotation only; an edit never writes it back (records.actions).
    maintained_fields = ("key_version", "search_keys")

    compartments = models.Manager()
    objects = DefenderCases()

    class Meta:
        app_label = "cases"
        default_manager_name = "compartments"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["desk", "reference"], name="case_reference_unique_per_desk"
            ),
            models.UniqueConstraint(
                fields=["desk"],
                condition=Q(kind="directory"),
                name="one_partner_directory_per_desk",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def case_id(self) -> uuid.UUID:
        """A case is its own compartment (records of a case point to it through ``case_id``)."""
        return self.id


class MemberKind(models.TextChoices):
    STAFF = "staff", _("Staff")
    DEFENDER = "defender", _("Defender")


class DefenderCaseMembers(models.Manager["CaseMember"]):
    """``CaseMember.objects``: memberships of defenders' cases only (see :class:`Case`)."""

    def get_queryset(self) -> models.QuerySet[CaseMember]:
        return super().get_queryset().filter(case__kind=CaseKind.DEFENDER)


class CaseMember(models.Model):
    """Who may open a case. Staff members get both keys; the defender's account the shared one.

    A workshop's trainers are members of its compartment with ``kind`` staff (both keys).
    ``CaseMember.objects`` leaves them out, as ``Case.objects`` leaves out workshops;
    ``CaseMember.compartments`` is every membership, for the floor.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="case_memberships")
    kind = models.CharField(max_length=16, choices=MemberKind.choices)
    added_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    compartments = models.Manager()
    objects = DefenderCaseMembers()

    class Meta:
        app_label = "cases"
        default_manager_name = "compartments"
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="one_membership_per_user")
        ]

    def __str__(self) -> str:
        return f"member {self.pk}"

    @property
    def purposes(self) -> tuple[Purpose, ...]:
        return (SHARED, STAFF) if self.kind == MemberKind.STAFF else (SHARED,)


class CaseKeyBox(models.Model):
    """One case key (purpose, version) sealed to one recipient: a member or the recovery key.

    ``recipient_fingerprint`` names the public key the box was sealed to, so boxes sealed to a
    key the user no longer has (after a re-invitation) are recognised as stale, not tried.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="key_boxes")
    purpose = models.PositiveSmallIntegerField(choices=[(p.value, p.label) for p in Purpose])
    version = models.PositiveIntegerField()
    recipient = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="key_boxes"
    )
    recipient_fingerprint = models.BinaryField(max_length=16)
    sealed = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "cases"
        constraints = [
            models.UniqueConstraint(
                fields=["case", "purpose", "version", "recipient"],
                condition=Q(recipient__isnull=False),
                name="one_box_per_member_key",
            ),
            models.UniqueConstraint(
                fields=["case", "purpose", "version"],
                condition=Q(recipient__isnull=True),
                name="one_recovery_box_per_key",
            ),
        ]
        indexes = [models.Index(fields=["recipient", "case"], name="keybox_recipient_case")]

    def __str__(self) -> str:
        return f"key box {self.pk}"


class CaseRecord(models.Model):
    """Base of every record that belongs to a case and holds encrypted fields."""

    id = statistical(models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False))
    case = statistical(models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+"))
    row_version = statistical(models.PositiveIntegerField(default=1))
    created_at = statistical(models.DateTimeField(default=timezone.now, editable=False))
    updated_at = statistical(models.DateTimeField(default=timezone.now))

    class Meta:
        abstract = True


class CaseRotation(models.Model):
    """A key rotation of one case: new keys, every value, file and search token re-encrypted.

    ``progress`` remembers, per record type, the last record converted, so a rotation that was
    interrupted resumes where it stopped. The old keys' boxes are deleted only when it finishes.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="rotations")
    from_version = models.PositiveIntegerField()
    to_version = models.PositiveIntegerField()
    started_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    progress = models.JSONField(default=dict)
    converted = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "cases"
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(finished_at__isnull=True),
                name="one_open_rotation_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"rotation {self.pk}"


class SearchToken(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    token = models.BinaryField(max_length=12)
    key_version = models.PositiveIntegerField()
    #: Which search key made the token: that of the key sealing the field (Purpose values).
    purpose = models.PositiveSmallIntegerField(default=int(Purpose.STAFF))
    record_type = models.CharField(max_length=40)
    record_id = models.UUIDField()
    field = models.CharField(max_length=40)

    class Meta:
        app_label = "search"
        indexes = [
            models.Index(fields=["token"], name="search_token"),
            models.Index(fields=["record_type", "record_id"], name="search_record"),
            models.Index(fields=["case", "key_version"], name="search_case_version"),
        ]

    def __str__(self) -> str:
        return f"search token {self.pk}"


class DamagedRecord(models.Model):
    """A stored value that failed to open: found once, audited once, listed by ``check``.

    Holds only the record's label, id and field name (no content). A row is removed when the
    record is saved again or restored, so the list shows what still needs a backup.
    """

    record_type = models.CharField(max_length=40)
    record_id = models.UUIDField()
    field = models.CharField(max_length=40)
    case_id = models.UUIDField()
    found_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "record_id", "field"], name="one_damage_row_per_field"
            )
        ]

    def __str__(self) -> str:
        return f"damaged {self.record_type} {self.record_id}"


# --- background jobs (protectdesk.records.jobs) -------------------------------------------


class JobWorker(models.Model):
    """A running background worker (``protectdesk worker``), known by its heartbeat.

    Its id names the worker's own task queue. The row holds no key: the worker publishes
    one-time public keys (:class:`JobKey`) and keeps their private halves in memory only.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    started_at = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"job worker {self.pk}"


class JobKey(models.Model):
    """A one-time public key of a worker: one job's keys are sealed to it, once.

    The request that starts a job takes the key (deletes the row); the worker drops the private
    half, which never left its memory, as soon as it has opened that job's secret.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    worker = models.ForeignKey(JobWorker, on_delete=models.CASCADE, related_name="keys")
    public_key = models.BinaryField(max_length=32)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"job key {self.pk}"


class JobKind(models.TextChoices):
    ROTATION = "rotation", _("Key rotation")
    IMPORT = "import", _("Import")


class JobState(models.TextChoices):
    QUEUED = "queued", _("Waiting for the background worker")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Stopped")


class Job(models.Model):
    """Work a person started that outlives their request, e.g. a key rotation, an import.

    Ids, states and counts only: the keys the job needs wait, sealed, in its
    :class:`JobSecret` until it ends. ``failure`` is a code (``key_lost``, ``no_access``,
    ``error``), never a message. ``case`` is the one case whose keys the job carries (none for
    a desk-wide import, which makes new cases); ``subject_id`` names the module's own row the
    job works on (an import's sheet); ``done``/``total``/``phase`` are its progress.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=16, choices=JobKind.choices)
    desk = models.ForeignKey(Desk, null=True, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    subject_id = models.UUIDField(null=True, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    phase = models.CharField(max_length=16, blank=True, default="")
    started_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    rotation = models.ForeignKey(
        CaseRotation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    worker = models.ForeignKey(
        JobWorker, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    task_id = models.UUIDField(null=True, blank=True)
    state = models.CharField(max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    failure = models.CharField(max_length=16, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["case", "state"], name="job_case_state")]

    def __str__(self) -> str:
        return f"job {self.pk}"

    @property
    def ended(self) -> bool:
        return self.state in (JobState.FINISHED, JobState.FAILED)


class JobSecret(models.Model):
    """The case keys one job needs, wrapped under a one-job key sealed to a :class:`JobKey`.

    Deleted when the job ends, whether it finished or failed. Without the private half of
    ``key_id`` (in one worker's memory, for as long as the job has not started) it opens nothing.
    """

    job = models.OneToOneField(
        Job, on_delete=models.CASCADE, primary_key=True, related_name="secret"
    )
    key_id = models.UUIDField()
    sealed_key = models.BinaryField()
    wrapped = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"job secret {self.pk}"
