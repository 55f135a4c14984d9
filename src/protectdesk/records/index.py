"""Writing the blind index (security.md Keys 5), always in the transaction of the text it indexes.

Only :func:`protectdesk.records.actions.save` and rotation call these: the write path passes the
plaintext it just sealed, and the index keeps one row per distinct word of each field declared
``searchable``, under the case key version the text was written with and the search key of
the key that seals the field (``crypto/blind_index.py``: two search keys per case). Deleting a record drops its
rows (:func:`forget_record`); rotation rebuilds a case's rows under the new version.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from django.db import models

from protectdesk.crypto import blind_index
from protectdesk.crypto.casekeys import Purpose
from protectdesk.records.fields import searchable_fields
from protectdesk.records.keyring import Keyring, case_id_of, encrypted_fields_of
from protectdesk.records.models import SearchToken

_BATCH = 500


def label_of(record: models.Model) -> str:
    return str(record._meta.label_lower)


def search_key_for(
    keyring: Keyring, case_id: uuid.UUID, version: int, purpose: Purpose = Purpose.STAFF
) -> bytes:
    """The case's search key of ``purpose`` for ``version`` (needs that case key)."""
    keys = keyring.keys_for(case_id)
    return blind_index.search_key(keys.key(purpose, version), purpose)


def index_record(
    keyring: Keyring, record: models.Model, values: Mapping[str, str], *, version: int | None = None
) -> int:
    """Replace the index rows of ``values``' searchable fields of ``record``; rows written.

    Each field is indexed under the search key of the key that seals it, so a defender's
    account (shared key only) indexes what it writes, and staff-key fields need the staff key.
    """
    fields = [name for name in values if name in searchable_fields(type(record))]
    if not fields:
        return 0
    version = version or keyring.keys_for(case_id_of(record)).current_version
    SearchToken.objects.filter(
        record_type=label_of(record), record_id=record.pk, field__in=fields, key_version=version
    ).delete()
    rows = tokens_for(keyring, record, values, version=version)
    SearchToken.objects.bulk_create(rows, batch_size=_BATCH)
    return len(rows)


def tokens_for(
    keyring: Keyring, record: models.Model, values: Mapping[str, str], *, version: int | None = None
) -> list[SearchToken]:
    """The index rows (not saved) of ``values``' searchable fields of ``record``.

    :func:`index_record` replaces a record's rows with these; a bulk insert of new records
    (``records.actions.create_many``) saves those of many records at once.
    """
    specs = {spec.name: spec for spec in encrypted_fields_of(type(record)).values()}
    searchable = searchable_fields(type(record))
    fields = [name for name in values if name in searchable]
    if not fields:
        return []
    case_id = case_id_of(record)
    keys = keyring.keys_for(case_id)
    version = version or keys.current_version
    record_type = label_of(record)
    search_keys: dict[Purpose, bytes] = {}
    rows = []
    for name in fields:
        purpose = specs[name].key_purpose
        if not keys.has(purpose) and not values[name]:
            continue  # a new record's staff field, left empty by the defender's account
        if purpose not in search_keys:
            search_keys[purpose] = blind_index.search_key(keys.key(purpose, version), purpose)
        rows += [
            SearchToken(
                case_id=case_id,
                token=token,
                key_version=version,
                purpose=int(purpose),
                record_type=record_type,
                record_id=record.pk,
                field=name,
            )
            for token in sorted(
                blind_index.tokens_of(search_keys[purpose], str(values[name] or ""))
            )
        ]
    return rows


def forget_record(record: models.Model) -> int:
    """Drop every index row of a record (it is being deleted); rows removed."""
    deleted, _ = SearchToken.objects.filter(
        record_type=label_of(record), record_id=record.pk
    ).delete()
    return deleted
