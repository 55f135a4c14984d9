"""Which records can have attachments, and how to find one within a case.

Each domain app registers its attachable record types in its ``AppConfig.ready``; the
attachments app needs no import of them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from protectdesk.cases.models import Case


@dataclass(frozen=True)
class AttachableType:
    label: str  # "cases.case", "incidents.incident"
    exists: Callable[[Case, uuid.UUID], bool]  # is this record part of that case?
    url: Callable[[Case, uuid.UUID], str]  # where to go back to after an upload


TYPES: dict[str, AttachableType] = {}


def register(kind: AttachableType) -> None:
    TYPES[kind.label] = kind


register(
    AttachableType(
        "cases.case",
        exists=lambda case, record_id: case.id == record_id,
        url=lambda case, record_id: reverse("cases:detail", args=[case.id]) + "#attachments",
    )
)
