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
import unicodedata
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from protectdesk.accounts.models import User
from protectdesk.attachments import storage
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


def refusal_message(code: str) -> str:
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
        "empty": _("The file is empty."),
        "auth": _("Sign in again to upload files."),
        "missing": _("Choose a file to upload."),
    }
    return messages.get(code, messages["type"])


def _clean_name(name: str, extension: str) -> str:
    """The original file name without any path, control characters or excessive length."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(
        ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C"
    ).strip()
    base = base.lstrip(".")[:200] or f"file.{extension}"
    return base


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
    if staff_only and not keyring.has_staff_key(case.id):
        raise NoCaseAccess("staff-only files need the staff key")
    if not keyring.can_open(case.id):
        raise NoCaseAccess("not a member")
    if upload.error or upload.kind is None:
        raise AttachmentRefused(refusal_message(upload.error or "type"))
    attachment = Attachment(
        id=upload.id,
        case=case,
        record_type=record_type,
        record_id=record_id,
        staff_only=staff_only,
        added_by=actor,
    )
    meta = {
        "name": _clean_name(upload.original_name, upload.kind.extension),
        "type": upload.kind.content_type,
        "size": upload.size,
        "key": base64.b64encode(upload.key).decode("ascii"),
        "cleaned": upload.cleaned,
    }
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


@dataclass(frozen=True)
class OpenedAttachment:
    """An attachment with its file key, for this module's downloads and rotation only."""

    attachment: Attachment
    name: str
    content_type: str
    size: int
    cleaned: bool
    key: bytes = field(repr=False)

    @property
    def card(self) -> AttachmentCard:
        return AttachmentCard(
            self.attachment, self.name, self.content_type, self.size, self.cleaned
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
