"""Reads of attachments, scoped to what the viewer's keyring opens.

Pages get key-free :class:`~protectdesk.attachments.actions.AttachmentCard` s; the only way to
the content is :func:`plaintext`, which authenticates the whole file before yielding a byte.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

from protectdesk.attachments.actions import AttachmentCard, open_attachment
from protectdesk.attachments.models import Attachment
from protectdesk.crypto import CryptoError, stream
from protectdesk.records import damage
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case


def attachments_of(
    keyring: Keyring, case: Case, record_type: str, record_id: uuid.UUID
) -> list[AttachmentCard]:
    """The files of one record the viewer may open (staff-only files only for staff).

    A file whose description no longer opens is listed as damaged (and reported once) instead
    of taking the page down.
    """
    found = Attachment.objects.filter(case=case, record_type=record_type, record_id=record_id)
    if not keyring.has_staff_key(case.id):
        found = found.filter(staff_only=False)
    cards = []
    for attachment in found:
        try:
            cards.append(open_attachment(keyring, attachment).card)
        except CryptoError:
            damage.report(keyring.user, attachment, attachment.meta_field)
            cards.append(AttachmentCard(attachment, "", "", 0, False, damaged=True))
    return cards


def attachment_in_case(
    keyring: Keyring, case: Case, attachment_id: uuid.UUID | str
) -> Attachment | None:
    attachment = Attachment.objects.filter(case=case, pk=attachment_id).first()
    if attachment is None or (attachment.staff_only and not keyring.has_staff_key(case.id)):
        return None
    return attachment


def plaintext(keyring: Keyring, attachment: Attachment) -> tuple[AttachmentCard, Iterator[bytes]]:
    """The file's description and an iterator over its plaintext.

    The whole file is authenticated first (``StreamError`` or ``FileNotFoundError`` before any
    byte), so a tampered file is never half-delivered; the file key stays inside this function.
    """
    opened = open_attachment(keyring, attachment)
    path, context, key = opened.path, opened.context, opened.key
    with open(path, "rb") as source:
        stream.verify(key, context, source)

    def chunks() -> Iterator[bytes]:
        with open(path, "rb") as source:
            yield from stream.decrypt_chunks(key, context, source)

    return opened.card, chunks()
