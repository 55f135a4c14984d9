"""Declaring, next to each field, whether it is identifying (encrypted) or statistical (clear).

Every field of a case record says which class it is:

* :class:`EncryptedText` / :class:`EncryptedJSON` — identifying data, stored only as a field
  envelope (see ``protectdesk.crypto.envelope``) under the case's **shared** or **staff** key,
  chosen in the declaration;
* :func:`statistical` — a field kept in clear because dashboards, filters and analytics need
  it (codes, months, subdivisions, statuses, ids).

:func:`identifying_fields` lists every encrypted field of every model, so the canary test can
prove each one is written encrypted; :func:`undeclared_fields` lists fields of case-record
models that declare neither, so a new field cannot slip in unclassified.

The field itself never sees a key: it stores bytes. Encryption and decryption happen in the
request's :class:`~protectdesk.records.keyring.Keyring`, which knows the user's keys.
"""

from __future__ import annotations

import enum
from typing import Any, TypeVar

from django.apps import apps
from django.db import models

from protectdesk.crypto.casekeys import Purpose

F = TypeVar("F", bound=models.Field)  # type: ignore[type-arg]


class DataClass(enum.StrEnum):
    IDENTIFYING = "identifying"
    STATISTICAL = "statistical"


class EncryptedField(models.BinaryField):  # type: ignore[type-arg]
    """An identifying value: an envelope under the case key named by ``key``."""

    data_class = DataClass.IDENTIFYING
    value_kind = "text"

    def __init__(
        self, *args: Any, key: Purpose, searchable: bool = False, pad_to: int = 0, **kwargs: Any
    ) -> None:
        self.key_purpose = Purpose(key)
        #: Words of this field go into the case's blind index (protectdesk.search).
        self.searchable = searchable
        #: The smallest stored plaintext size (bytes): empty and filled values of up to this
        #: size store the same length (crypto.envelope.pad).
        self.pad_to = pad_to
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs["editable"] = False
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["key"] = int(self.key_purpose)
        if self.searchable:
            kwargs["searchable"] = True
        if self.pad_to:
            kwargs["pad_to"] = self.pad_to
        kwargs.pop("editable", None)
        return name, path, args, kwargs


class EncryptedText(EncryptedField):
    """Encrypted free text (UTF-8)."""

    value_kind = "text"


class EncryptedJSON(EncryptedField):
    """Encrypted structured data (compact JSON)."""

    value_kind = "json"


def searchable_fields(model: type[models.Model]) -> list[str]:
    """Names of the encrypted fields of ``model`` whose words are indexed for search."""
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, EncryptedField) and f.searchable
    ]


def statistical(field: F) -> F:
    """Mark ``field`` as statistical: stored in clear on purpose (codes, months, statuses, ids)."""
    field.data_class = DataClass.STATISTICAL  # type: ignore[attr-defined]
    return field


def identifying_fields() -> list[tuple[type[models.Model], EncryptedField]]:
    """Every encrypted field of every installed model."""
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, EncryptedField):
                found.append((model, field))
    return found


def is_case_record(model: type[models.Model]) -> bool:
    """Models that hold case data: they have at least one encrypted field."""
    return any(isinstance(f, EncryptedField) for f in model._meta.get_fields())


def undeclared_fields() -> list[str]:
    """Concrete fields of case-record models that declare no data class."""
    missing = []
    for model in apps.get_models():
        if not is_case_record(model):
            continue
        for field in model._meta.concrete_fields:
            if getattr(field, "data_class", None) is None:
                missing.append(f"{model._meta.label}.{field.name}")
    return missing
