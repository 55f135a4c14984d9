"""Writing the blind index, always in the same transaction as the text it indexes.

Callers (the actions that write searchable text) pass the plaintext they just encrypted; the
index keeps one row per distinct word of each field, under the case key version the text was
written with. Rotation rebuilds a case's rows under the new version.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from django.db import models

from protectdesk.cases.keyring import Keyring
from protectdesk.crypto import blind_index
from protectdesk.crypto.casekeys import Purpose
from protectdesk.search.models import SearchToken
from protectdesk.search.registry import TYPES, label_of

_BATCH = 500


def search_key_for(keyring: Keyring, case_id: uuid.UUID, version: int) -> bytes:
    """The case's search key for ``version`` (needs the staff key of that version)."""
    keys = keyring.keys_for(case_id)
    return blind_index.search_key(keys.key(Purpose.STAFF, version))


def index_record(
    keyring: Keyring, record: models.Model, values: Mapping[str, str], *, version: int | None = None
) -> int:
    """Replace the index rows of ``values``' fields of ``record``; returns rows written."""
    record_type = label_of(record)
    kind = TYPES.get(record_type)
    if kind is None:
        raise ValueError(f"{record_type} is not a searchable record type")
    fields = [name for name in values if name in kind.fields]
    if not fields:
        return 0
    case_id: uuid.UUID = getattr(record, "case_id", None) or record.pk
    keys = keyring.keys_for(case_id)
    version = version or keys.current_version
    key = blind_index.search_key(keys.key(Purpose.STAFF, version))
    SearchToken.objects.filter(
        record_type=record_type, record_id=record.pk, field__in=fields, key_version=version
    ).delete()
    rows = [
        SearchToken(
            case_id=case_id,
            token=token,
            key_version=version,
            record_type=record_type,
            record_id=record.pk,
            field=name,
        )
        for name in fields
        for token in sorted(blind_index.tokens_of(key, values[name] or ""))
    ]
    SearchToken.objects.bulk_create(rows, batch_size=_BATCH)
    return len(rows)


def forget_record(record: models.Model) -> None:
    """Drop every index row of a record (it is being deleted)."""
    SearchToken.objects.filter(record_type=label_of(record), record_id=record.pk).delete()
