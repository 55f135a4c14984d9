"""Cases are compartments: each has its own keys, sealed only to its members and the desk.

In clear: ids, the desk, the case reference (e.g. ``GT-2026-0042``), statuses, codes and
dates that dashboards need. Encrypted: everything that identifies a person, place or event
(declared field by field with :mod:`protectdesk.cases.fields`).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import Desk, User
from protectdesk.cases.fields import EncryptedText, statistical
from protectdesk.crypto.casekeys import Purpose

SHARED, STAFF = Purpose.SHARED, Purpose.STAFF


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MONITORING = "monitoring", _("Monitoring")
    CLOSED = "closed", _("Closed")


class Case(models.Model):
    """The desk's file on one defender: the unit of access and of encryption."""

    id = statistical(models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False))
    desk = statistical(models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="cases"))
    reference = statistical(models.CharField(_("reference"), max_length=32))
    status = statistical(
        models.CharField(
            _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN
        )
    )
    #: The version of the case keys new envelopes are written with (rotation raises it).
    key_version = statistical(models.PositiveIntegerField(default=1))
    created_at = statistical(models.DateTimeField(default=timezone.now, editable=False))
    created_by = statistical(
        models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    )
    row_version = statistical(models.PositiveIntegerField(default=1))
    staff_notes = EncryptedText(_("staff notes"), key=STAFF, searchable=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["desk", "reference"], name="case_reference_unique_per_desk"
            )
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


class CaseMember(models.Model):
    """Who may open a case. Staff members get both keys; the defender's account the shared one."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="case_memberships")
    kind = models.CharField(max_length=16, choices=MemberKind.choices)
    added_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
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


class CaseSequence(models.Model):
    """Per desk and year, the last case number used (locked while a reference is allocated)."""

    desk = models.ForeignKey(Desk, on_delete=models.CASCADE)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["desk", "year"], name="one_sequence_per_desk_year")
        ]

    def __str__(self) -> str:
        return f"sequence {self.year}"


class CaseRecord(models.Model):
    """Base of every record that belongs to a case and holds encrypted fields."""

    id = statistical(models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False))
    case = statistical(models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+"))
    row_version = statistical(models.PositiveIntegerField(default=1))
    created_at = statistical(models.DateTimeField(default=timezone.now, editable=False))
    updated_at = statistical(models.DateTimeField(default=timezone.now))

    class Meta:
        abstract = True


class DefenderKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    ORGANISATION = "organisation", _("Organisation")
    NETWORK = "network", _("Network")
    COMMUNITY = "community", _("Community")


COLLECTIVE_KINDS = frozenset(
    {DefenderKind.ORGANISATION, DefenderKind.NETWORK, DefenderKind.COMMUNITY}
)


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non_binary", _("Non-binary or another gender identity")
    UNDISCLOSED = "undisclosed", _("Prefers not to say")


class AgeBand(models.TextChoices):
    UNDER_18 = "0-17", _("Under 18")
    AGE_18_29 = "18-29", _("18 to 29")
    AGE_30_44 = "30-44", _("30 to 44")
    AGE_45_59 = "45-59", _("45 to 59")
    AGE_60_PLUS = "60+", _("60 or older")
    UNKNOWN = "unknown", _("Unknown")


class SizeBand(models.TextChoices):
    UP_TO_10 = "1-10", _("Up to 10 people")
    UP_TO_50 = "11-50", _("11 to 50 people")
    UP_TO_250 = "51-250", _("51 to 250 people")
    UP_TO_1000 = "251-1000", _("251 to 1,000 people")
    OVER_1000 = "1000+", _("More than 1,000 people")
    UNKNOWN = "unknown", _("Unknown")


class Defender(CaseRecord):
    """The person or collective a case protects: one per case, created with it.

    Statistical attributes stay in clear for dashboards and anonymised statistics; everything
    that could identify them is encrypted under the case's shared key, so the defender's own
    account can read and co-edit their profile.
    """

    kind = statistical(models.CharField(_("kind"), max_length=16, choices=DefenderKind.choices))
    country = statistical(models.CharField(_("country"), max_length=2))
    subdivision = statistical(models.CharField(_("region"), max_length=8, blank=True))
    sectors = statistical(models.JSONField(_("sectors"), default=list))
    gender = statistical(
        models.CharField(_("gender"), max_length=16, choices=Gender.choices, blank=True)
    )
    age_band = statistical(
        models.CharField(_("age"), max_length=8, choices=AgeBand.choices, blank=True)
    )
    size_band = statistical(
        models.CharField(_("size"), max_length=10, choices=SizeBand.choices, blank=True)
    )
    name = EncryptedText(_("name"), key=SHARED, searchable=True)
    aliases = EncryptedText(_("other names or aliases"), key=SHARED, searchable=True)
    contacts = EncryptedText(_("contact details"), key=SHARED)
    location = EncryptedText(_("exact place or address"), key=SHARED, searchable=True)
    description = EncryptedText(_("description of their work"), key=SHARED, searchable=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case"], name="one_defender_per_case")]

    def __str__(self) -> str:
        return f"defender {self.id}"

    @property
    def is_collective(self) -> bool:
        return self.kind in COLLECTIVE_KINDS


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


class Consent(CaseRecord):
    """What the defender agreed to, dated. Every change is a new row; the latest is in force."""

    store_data = statistical(
        models.BooleanField(_("storing their information with the desk"), default=False)
    )
    share_with_partners = statistical(
        models.BooleanField(_("sharing with the partners named below"), default=False)
    )
    anonymised_statistics = statistical(
        models.BooleanField(_("use in anonymised statistics"), default=False)
    )
    advocacy_use = statistical(
        models.BooleanField(_("use in advocacy (with their agreement on each use)"), default=False)
    )
    given_on = statistical(models.DateField(_("date of consent")))
    recorded_by = statistical(
        models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    )
    partners = EncryptedText(_("named partners"), key=SHARED)
    notes = EncryptedText(_("notes on consent"), key=SHARED)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"consent {self.id}"


class DefenderLink(models.Model):
    """An individual's case linked to the case of their organisation, network or community.

    Only ids are stored; the other defender's name shows to those who can open that case.
    """

    member_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_out")
    collective_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_in")
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member_case", "collective_case"], name="one_link_per_pair"
            ),
            models.CheckConstraint(
                condition=~Q(member_case=models.F("collective_case")), name="no_self_link"
            ),
        ]

    def __str__(self) -> str:
        return f"defender link {self.pk}"
