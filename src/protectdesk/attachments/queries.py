"""Reads of attachments, scoped to what the viewer's keyring opens."""

from __future__ import annotations

import uuid

from protectdesk.attachments.actions import OpenedAttachment, open_attachment
from protectdesk.attachments.models import Attachment
from protectdesk.cases.keyring import Keyring
from protectdesk.cases.models import Case


def attachments_of(
    keyring: Keyring, case: Case, record_type: str, record_id: uuid.UUID
) -> list[OpenedAttachment]:
    """The files of one record the viewer may open (staff-only files only for staff)."""
    found = Attachment.objects.filter(case=case, record_type=record_type, record_id=record_id)
    if not keyring.has_staff_key(case.id):
        found = found.filter(staff_only=False)
    return [open_attachment(keyring, attachment) for attachment in found]


def attachment_in_case(
    keyring: Keyring, case: Case, attachment_id: uuid.UUID | str
) -> Attachment | None:
    attachment = Attachment.objects.filter(case=case, pk=attachment_id).first()
    if attachment is None or (attachment.staff_only and not keyring.has_staff_key(case.id)):
        return None
    return attachment
