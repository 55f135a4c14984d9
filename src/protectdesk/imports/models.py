"""An uploaded sheet on its way in, and the column mappings a desk has used before.

Neither holds a plaintext. The sheet itself is a file of ciphertext under
``<data dir>/imports/<id>`` (the upload handler's stream, under a per-file key); that key and
the original file name are sealed to the uploader's own public key (``sealed``), so only their
later requests — or a job they start, which is handed the key — can open it. The row keeps
states and counts. A mapping is remembered by a hash of its header row, never the headings.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import Desk, User
from protectdesk.records.models import Case


class SheetState(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded: choose the columns")
    CHECKED = "checked", _("Checked: ready to import")
    QUEUED = "queued", _("Waiting for the background worker")
    IMPORTING = "importing", _("Importing")
    IMPORTED = "imported", _("Imported")
    FAILED = "failed", _("Stopped: nothing was saved")
    CANCELLED = "cancelled", _("Cancelled")


#: States in which the stored file is still needed.
OPEN_STATES = (SheetState.UPLOADED, SheetState.CHECKED, SheetState.QUEUED, SheetState.IMPORTING)


class ImportSheet(models.Model):
    """One uploaded sheet, from upload to import (or cancellation); ``case`` for a case import.

    ``id`` is the upload's id, which the file's stream is bound to. ``mapping`` is one column
    name (``incidents/columns.py``) or "" per file column — names only, never headings.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    state = models.CharField(max_length=12, choices=SheetState.choices, default=SheetState.UPLOADED)
    file_format = models.CharField(max_length=8, default="")
    size = models.PositiveIntegerField(default=0)
    #: The per-file key and the original name, sealed to the uploader's public key.
    sealed = models.BinaryField()
    mapping = models.JSONField(default=list)
    row_count = models.PositiveIntegerField(default=0)
    defender_count = models.PositiveIntegerField(default=0)
    incident_count = models.PositiveIntegerField(default=0)
    imported_count = models.PositiveIntegerField(default=0)
    job_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"import sheet {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class ImportMapping(models.Model):
    """The mapping a desk chose for a header row, offered again for the same header."""

    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="+")
    header_digest = models.CharField(max_length=64)
    columns = models.JSONField(default=list)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["desk", "header_digest"], name="one_mapping_per_header")
        ]

    def __str__(self) -> str:
        return f"import mapping {self.pk}"
