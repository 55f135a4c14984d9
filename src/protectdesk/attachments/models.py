"""An attachment: an encrypted file belonging to a record of a case.

In clear: ids, the case, which record it belongs to, whether it is staff-only, its generation
(rotation) and when it was added. Encrypted, in one envelope: the original name, the sniffed
type, the size, and the per-file key that opens the file's content.
"""

from __future__ import annotations

from django.db import models

from protectdesk.accounts.models import User
from protectdesk.records.fields import EncryptedJSON, statistical
from protectdesk.records.models import SHARED, STAFF, CaseRecord


class Attachment(CaseRecord):
    #: The record the file belongs to: "cases.case" or "incidents.incident" and its id.
    record_type = statistical(models.CharField(max_length=40))
    record_id = statistical(models.UUIDField())
    #: Staff-only files are described (and keyed) under the staff key; others under the shared key.
    staff_only = statistical(models.BooleanField(default=False))
    #: Raised when rotation re-encrypts the content under a new file key (and a new file name).
    generation = statistical(models.PositiveIntegerField(default=1))
    added_by = statistical(
        models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    )
    meta_shared = EncryptedJSON(key=SHARED)
    meta_staff = EncryptedJSON(key=STAFF)

    #: Kept by rotation only; an edit never writes it back (records.actions).
    maintained_fields = ("generation",)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["record_type", "record_id"], name="attachment_record")]

    def __str__(self) -> str:
        return f"attachment {self.id}"

    @property
    def meta_field(self) -> str:
        return "meta_staff" if self.staff_only else "meta_shared"
