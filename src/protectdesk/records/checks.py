"""``protectdesk check``: records that no longer open, listed so they can be restored.

Two sources, neither needs a key: values reported damaged when someone tried to open them
(:mod:`protectdesk.records.damage`), and envelopes whose structure is already broken (wrong
format byte, truncated) — found by parsing every stored envelope's header, which is in clear.
An envelope that parses but fails authentication can only be found by a member's key, so it is
listed once someone has met it.
"""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Tags, Warning, register
from django.db import DatabaseError

from protectdesk.crypto import CryptoError, envelope
from protectdesk.records.fields import identifying_fields
from protectdesk.records.models import DamagedRecord


def structurally_damaged() -> list[tuple[str, Any, str]]:
    """(record label, id, field) of every stored envelope whose header does not parse."""
    found = []
    by_model: dict[Any, list[Any]] = {}
    for model, field in identifying_fields():
        by_model.setdefault(model, []).append(field)
    for model, fields in by_model.items():
        names = [f.attname for f in fields]
        for row in model._default_manager.values_list("pk", *names).iterator():
            pk, blobs = row[0], row[1:]
            for field, blob in zip(fields, blobs, strict=True):
                if blob is None:
                    continue
                try:
                    envelope.parse(bytes(blob))
                except CryptoError:
                    found.append((model._meta.label_lower, pk, field.name))
    return found


@register(Tags.database, deploy=True)
def damaged_records(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        reported = {
            (row.record_type, str(row.record_id), row.field) for row in DamagedRecord.objects.all()
        }
        broken = {(label, str(pk), name) for label, pk, name in structurally_damaged()}
    except DatabaseError:
        return []  # not migrated yet: nothing stored, nothing damaged
    return [
        Warning(
            f"Damaged value: {label} {pk} field {name}.",
            hint="Restore this record from a backup (protectdesk restore into another data "
            "directory, then copy it), or write it again.",
            id="protectdesk.W100",
        )
        for label, pk, name in sorted(reported | broken)
    ]
