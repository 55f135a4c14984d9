"""Record types whose fields are searchable: label, how to reach one, what to call it.

Apps register their record types in ``AppConfig.ready``; cases registers its own here.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from protectdesk.cases.fields import searchable_fields
from protectdesk.cases.models import Case, Defender


@dataclass(frozen=True)
class SearchableType:
    label: str  # "cases.defender"
    model: type[models.Model]
    title: Promise  # what a result of this type is called ("Defender profile")
    url: Callable[[Case, uuid.UUID], str]

    @property
    def fields(self) -> list[str]:
        return searchable_fields(self.model)

    def field_label(self, name: str) -> str:
        return str(getattr(self.model._meta.get_field(name), "verbose_name", None) or name)


TYPES: dict[str, SearchableType] = {}


def register(kind: SearchableType) -> None:
    TYPES[kind.label] = kind


def label_of(record: models.Model) -> str:
    return record._meta.label_lower


register(
    SearchableType(
        "cases.case",
        Case,
        _("Staff notes"),
        lambda case, _id: reverse("cases:detail", args=[case.id]) + "#h-notes",
    )
)
register(
    SearchableType(
        "cases.defender",
        Defender,
        _("Defender profile"),
        lambda case, _id: reverse("cases:detail", args=[case.id]),
    )
)
