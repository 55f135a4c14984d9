"""Adding, opening and removing attachments; every change audit-logged.

The per-file key is stored only inside the attachment's envelope (with the name, type and
size), under the case's shared key — or its staff key for staff-only files — so only members
holding that key can ever open the file. The file key never leaves this module: pages get
key-free :class:`AttachmentCard` s, downloads get a verified plaintext iterator
(:func:`protectdesk.attachments.queries.plaintext`), and :class:`OpenedAttachment` (which holds
the key) prints none of it.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from protectdesk.accounts.models import User
from protectdesk.attachments import names, storage
from protectdesk.attachments.models import Attachment
from protectdesk.attachments.uploads import (
    MAX_IMAGE_BYTES,
    MAX_UPLOAD_BYTES,
    EncryptedUpload,
    file_context,
)
from protectdesk.records import actions as records
from protectdesk.records import registry
from protectdesk.records.keyring import Keyring, NoCaseAccess
from protectdesk.records.models import Case


class AttachmentRefused(Exception):
    """The upload cannot be kept; ``message`` is translated and safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def refusal_message(code: str, detail: Mapping[str, int] | None = None) -> str:
    """The translated refusal for an upload's error ``code`` (``detail``: the numbers it names)."""
    if code == "pixels":
        return _pixels_message(detail or {})
    mb = MAX_UPLOAD_BYTES // (1024 * 1024)
    image_mb = MAX_IMAGE_BYTES // (1024 * 1024)
    messages = {
        "size": _("The file is larger than %(mb)d MB.") % {"mb": mb},
        "image-size": _(
            "Photos are cleaned of hidden location data before they are stored, which works up to "
            "%(mb)d MB. Reduce the photo's size and try again."
        )
        % {"mb": image_mb},
        "type": _(
            "This type of file is not accepted. Accepted: photos (JPEG, PNG, GIF, WebP, TIFF), PDF, "
            "office documents, audio and video recordings, and plain text."
        ),
        "heif": _(
            "HEIC/HEIF photos cannot be cleaned of their hidden location data here. Share or export "
            "the photo as JPEG (most phones can) and upload that."
        ),
        "image": _("This image could not be read. It may be damaged."),
        "busy": _(
            "Other photos are being cleaned of their hidden data right now. Upload this one "
            "again in a minute."
        ),
        "empty": _("The file is empty."),
        "count": _("Too many files were sent at once: this one was not kept."),
        "space": _(
            "The server's disk is full, so this file could not be stored; nothing of it was "
            "kept. Tell your desk's technical person, and upload it again once there is room."
        ),
        "auth": _("Sign in again to upload files."),
        "missing": _("Choose a file to upload."),
    }
    return messages.get(code, messages["type"])


def _pixels_message(detail: Mapping[str, int]) -> str:
    megapixels = detail.get("megapixels", 0)
    width, height = detail.get("width", 0), detail.get("height", 0)
    if width and height:
        # Translators: e.g. "This photo is 9,990 × 9,990 pixels; photos up to 25 megapixels
        # are accepted. Resize it and upload it again."
        return _(
            "This photo is %(width)s × %(height)s pixels; photos up to %(megapixels)s "
            "megapixels are accepted. Resize it and upload it again."
        ) % {
            "width": number_format(width, force_grouping=True),
            "height": number_format(height, force_grouping=True),
            "megapixels": megapixels,
        }
    return _(
        "This photo has too many pixels: photos up to %(megapixels)s megapixels are accepted. "
        "Resize it and upload it again."
    ) % {"megapixels": megapixels}


def upload_refusal(upload: EncryptedUpload) -> str:
    """What the user is told about a refused upload."""
    return refusal_message(upload.error or "type", upload.error_detail)


def name_of(upload: EncryptedUpload) -> names.StoredName:
    """The name an accepted upload is stored under (and the notice, if it had to change)."""
    if upload.kind is None:
        raise ValueError("a refused upload has no stored name")
    return names.stored_name(upload.original_name, upload.kind)


def add_attachment(
    *,
    actor: User,
    keyring: Keyring,
    case: Case,
    record_type: str,
    record_id: uuid.UUID,
    upload: EncryptedUpload,
    staff_only: bool,
) -> Attachment:
    """Keep an encrypted upload as an attachment of a record of ``case``."""
    kind = registry.attachable_types().get(record_type)
    if kind is None or not kind.exists(case, record_id):
        raise NoCaseAccess("no such record in this case")
    staff_only = staff_only or kind.staff_files
    if staff_only and not keyring.has_staff_key(case.id):
        raise NoCaseAccess("staff-only files need the staff key")
    if not keyring.can_open(case.id):
        raise NoCaseAccess("not a member")
    if upload.error or upload.kind is None:
        raise AttachmentRefused(upload_refusal(upload))
    name = name_of(upload)
    attachment = Attachment(
        id=upload.id,
        case=case,
        record_type=record_type,
        record_id=record_id,
        staff_only=staff_only,
        added_by=actor,
    )
    meta = {
        "name": name.name,
        "type": upload.kind.content_type,
        "size": upload.size,
        "key": base64.b64encode(upload.key).decode("ascii"),
        "cleaned": upload.cleaned,
    }
    if name.uploaded_as:
        meta["uploaded_as"] = name.uploaded_as
    with transaction.atomic():
        records.save(
            actor,
            keyring,
            attachment,
            {attachment.meta_field: meta},
            audit="attachment.added",
            detail={"record_type": record_type, "staff_only": staff_only},
            seal_empty=False,
        )
        storage.place(upload.temp_path, case.id, attachment.id, attachment.generation)
        upload.claimed = True
    return attachment


@dataclass(frozen=True)
class AttachmentCard:
    """What a page shows of a file: its description, never its key."""

    attachment: Attachment
    name: str
    content_type: str
    size: int
    cleaned: bool
    damaged: bool = False
    #: The name it was uploaded with, when that named another type than its content.
    uploaded_as: str = ""


@dataclass(frozen=True)
class OpenedAttachment:
    """An attachment with its file key, for this module's downloads and rotation only."""

    attachment: Attachment
    name: str
    content_type: str
    size: int
    cleaned: bool
    key: bytes = field(repr=False)
    uploaded_as: str = ""

    @property
    def card(self) -> AttachmentCard:
        return AttachmentCard(
            self.attachment,
            self.name,
            self.content_type,
            self.size,
            self.cleaned,
            uploaded_as=self.uploaded_as,
        )

    @property
    def context(self) -> str:
        return file_context(self.attachment.id, self.attachment.generation)

    @property
    def path(self) -> Any:
        return storage.path_for(
            self.attachment.case_id, self.attachment.id, self.attachment.generation
        )


def open_attachment(keyring: Keyring, attachment: Attachment) -> OpenedAttachment:
    """Decrypt an attachment's description and file key (StaffOnly/NoCaseAccess otherwise)."""
    meta = keyring.open_value(attachment, attachment.meta_field)
    return OpenedAttachment(
        attachment=attachment,
        name=str(meta["name"]),
        content_type=str(meta["type"]),
        size=int(meta["size"]),
        cleaned=bool(meta.get("cleaned")),
        key=base64.b64decode(meta["key"]),
        uploaded_as=str(meta.get("uploaded_as") or ""),
    )


def remove_attachment(*, actor: User, keyring: Keyring, attachment: Attachment) -> None:
    if not keyring.has_staff_key(attachment.case_id):
        raise NoCaseAccess("only staff members remove files")
    records.delete(actor, keyring, attachment, audit="attachment.removed")


def on_record_deleted(actor: User | None, record: Any) -> None:
    """The write path is deleting ``record``: its files go with it (after commit).

    For an attachment, its ciphertext; for any other record, its attachments' rows and files.
    The ciphertext goes only once the row is gone for good (a rollback keeps both).
    """
    if isinstance(record, Attachment):
        going = [record]
    else:
        going = list(
            Attachment.objects.filter(record_type=registry.label_of(record), record_id=record.pk)
        )
    for attachment in going:
        # Read the ids first: a deleted instance forgets its primary key.
        where = (attachment.case_id, attachment.id, attachment.generation)
        transaction.on_commit(lambda where=where: storage.remove(*where))  # type: ignore[misc]
        if not isinstance(record, Attachment):
            attachment.delete()
