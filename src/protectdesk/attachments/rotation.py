"""Attachments during a case-key rotation: new file key, content re-encrypted, new generation.

The new ciphertext is written under generation g+1 before the database points at it; the old
generation stays on disk until the rotation finishes (its envelope-level key is gone only then),
and files no attachment points at are removed after the rotation.
"""

from __future__ import annotations

import base64
import time

from django.db import models

from protectdesk.attachments import storage
from protectdesk.attachments.actions import open_attachment
from protectdesk.attachments.models import Attachment
from protectdesk.attachments.uploads import file_context
from protectdesk.crypto import aead, envelope, stream
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case

#: Files of unknown attachments younger than this may belong to an upload still committing.
ORPHAN_AGE_SECONDS = 600


def rotate_attachment(keyring: Keyring, record: models.Model, version: int) -> bool:
    if not isinstance(record, Attachment):
        raise TypeError("expected Attachment")
    attachment = record
    blob = getattr(attachment, attachment.meta_field)
    if blob is None or envelope.parse(bytes(blob)).key_version == version:
        return False
    opened = open_attachment(keyring, attachment)
    new_key, generation = aead.new_key(), attachment.generation + 1
    temp = storage.temp_dir() / f"{attachment.id}.{generation}.rotating"
    with open(opened.path, "rb") as source, open(temp, "wb") as out:
        temp.chmod(0o600)
        encryptor = stream.Encryptor(new_key, file_context(attachment.id, generation), out)
        for chunk in stream.decrypt_chunks(opened.key, opened.context, source):
            encryptor.write(chunk)
        encryptor.finish()
    storage.place(temp, attachment.case_id, attachment.id, generation)
    meta = {
        "name": opened.name,
        "type": opened.content_type,
        "size": opened.size,
        "key": base64.b64encode(new_key).decode("ascii"),
        "cleaned": opened.cleaned,
    }
    if opened.uploaded_as:
        meta["uploaded_as"] = opened.uploaded_as
    keyring.seal(attachment, {attachment.meta_field: meta})
    updated = Attachment.objects.filter(
        pk=attachment.pk, row_version=attachment.row_version, generation=attachment.generation
    ).update(
        **{
            attachment.meta_field: getattr(attachment, attachment.meta_field),
            "generation": generation,
        }
    )
    if not updated:
        storage.remove(attachment.case_id, attachment.id, generation)
        attachment.refresh_from_db()
        return rotate_attachment(keyring, attachment, version)
    return True


def remove_old_files(case: Case, old_version: int) -> None:
    """After a rotation: delete every file of the case that no attachment points at."""
    folder = storage.path_for(case.id, case.id, 0).parent
    if not folder.exists():
        return
    current = {
        str(pk): gen
        for pk, gen in Attachment.objects.filter(case=case).values_list("pk", "generation")
    }
    for path in folder.iterdir():
        name, _sep, gen = path.name.partition(".")
        if name in current:
            if gen != str(current[name]):
                path.unlink(missing_ok=True)
        elif time.time() - path.stat().st_mtime > ORPHAN_AGE_SECONDS:
            path.unlink(missing_ok=True)
