"""Damaged records: a stored value that no longer opens (a flipped byte on disk, a bad restore).

A value that fails to authenticate is never shown and never "repaired" in place: the page shows
a notice where the value would be, the damage is recorded once per field (record label, id and
field name only; no content), audited once, and ``protectdesk check`` lists what still needs to
be restored from a backup. Saving the record again through the write path clears its entry.

``report`` writes while a page is being read (a GET). That is the same exception security.md
grants the audit's ``record_access``: the write is an audit fact, not a change to case data.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import IntegrityError, models, transaction

from protectdesk.audit.actions import record as audit
from protectdesk.records.models import Case, DamagedRecord


def _case_id_of(record: models.Model) -> uuid.UUID:
    return record.pk if isinstance(record, Case) else getattr(record, "case_id")  # noqa: B009


def report(actor: Any, record: models.Model, field: str) -> bool:
    """Record that ``field`` of ``record`` failed to open; True the first time it is seen."""
    label = str(record._meta.label_lower)
    if DamagedRecord.objects.filter(record_type=label, record_id=record.pk, field=field).exists():
        return False
    try:
        with transaction.atomic():
            DamagedRecord.objects.create(
                record_type=label, record_id=record.pk, field=field, case_id=_case_id_of(record)
            )
            audit(
                "record.damaged",
                actor=actor,
                target=record,
                detail={"field": field},
            )
    except IntegrityError:
        return False  # another request reported it at the same moment
    return True


def cleared(record: models.Model, fields: list[str] | None = None) -> None:
    """The record was written again: its damaged values (or ``fields``) are gone."""
    rows = DamagedRecord.objects.filter(
        record_type=str(record._meta.label_lower), record_id=record.pk
    )
    if fields is not None:
        rows = rows.filter(field__in=fields)
    rows.delete()


def damaged_fields(record: models.Model) -> set[str]:
    """The fields of ``record`` reported damaged and not written since."""
    return set(
        DamagedRecord.objects.filter(
            record_type=str(record._meta.label_lower), record_id=record.pk
        ).values_list("field", flat=True)
    )


def listing() -> list[DamagedRecord]:
    return list(DamagedRecord.objects.order_by("found_at"))
