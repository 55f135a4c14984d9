"""The one write path of every case record: seal, check the version, save, index, audit.

Every module writes its records through :func:`save` and removes them through :func:`delete`;
no action seals, indexes or audits by hand. In one transaction, :func:`save`

1. seals the declared encrypted fields given in ``values`` with the case's current key version
   (a new record gets every other encrypted field sealed empty, so all records of a type have
   the same shape whatever was filled in);
2. inserts a new record, or updates an existing one only if its row version is still the one
   the form was loaded with (``expected_version``): otherwise :class:`EditConflict` and nothing
   is written, so the view can show both versions and lose nothing;
3. indexes exactly the fields declared ``searchable`` among those written, under the same key
   version (a new record: all of them);
4. clears any damage recorded for the values it has just replaced, and
5. appends the audit entry (who, what, which record — never content), and
6. tells the modules that watch this record type (:func:`changed`): they recompute what they
   derive from it (escalation flags), in the same transaction.

:func:`delete` finds everything the deletion takes with it (Django's cascade), then, in one
transaction: lets modules that own more than envelopes act (attachments schedule their files
for removal after commit), drops every search token and damage row of each record going, audits
and deletes. A deleted record therefore leaves no token behind, by construction.

Access: sealing needs the keyring to hold the case's key for each field's declared purpose (a
shared-key-only account cannot write a staff-key field: :class:`StaffOnly`). Which *role* may
write is the module action's decision, checked before it calls this path.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models import F
from django.db.models.deletion import Collector
from django.utils import timezone

from protectdesk.accounts.models import User
from protectdesk.audit.actions import record as audit_record
from protectdesk.records import damage, index, registry
from protectdesk.records.fields import searchable_fields
from protectdesk.records.keyring import Keyring, case_id_of, encrypted_fields_of
from protectdesk.records.models import Case, SearchToken

#: A case record (a CaseRecord subclass) or a Case.
R = TypeVar("R", bound=models.Model)


class EditConflict(Exception):
    """The record changed since the form was loaded; nothing was saved."""


def save(
    actor: User | None,
    keyring: Keyring,
    record: R,
    values: Mapping[str, Any],
    *,
    audit: str | None,
    expected_version: int | None = None,
    detail: dict[str, Any] | None = None,
    audit_target: Any = None,
    seal_empty: bool = True,
    watch: bool = True,
) -> R:
    """Write ``record`` (its statistical fields as set by the caller, ``values`` encrypted).

    ``expected_version`` is required to update an existing record (without it: EditConflict); ``audit`` is the audit code
    (``None`` only for parts of a record whose own save is audited, e.g. an incident's sources).
    ``seal_empty=False`` leaves a new record's other encrypted fields absent, for types whose
    fields are alternatives (an attachment is described under the shared *or* the staff key).
    ``watch=False``: the caller writes more rows of the record and calls :func:`changed` itself
    once done (the watchers then run once, on the final state).
    """
    case_id = case_id_of(record)
    keyring.keys_for(case_id)  # membership and an opening box, or NoCaseAccess
    adding = record._state.adding
    if not adding and expected_version is None:
        # Only a forged or truncated form sends no row version (each edit form carries it):
        # it cannot show what it would overwrite, so it is a conflict, answered as one.
        raise EditConflict
    with transaction.atomic():
        if not (adding and isinstance(record, Case)):
            _lock_case_version(keyring, case_id)
        if not adding:
            # A value reported damaged is not replaced by an empty one (a form can only show
            # it empty): its ciphertext stays for a restore, and `check` keeps listing it.
            damaged = damage.damaged_fields(record)
            values = {name: v for name, v in values.items() if v or name not in damaged}
        keyring.seal(record, dict(values), fill_missing=adding and seal_empty)
        if adding:
            record.save(force_insert=True)
        else:
            _update(record, int(expected_version or 0), sealed=set(values))
        written = (
            searchable_fields(type(record))
            if adding
            else [name for name in values if name in searchable_fields(type(record))]
        )
        if written:
            index.index_record(
                keyring, record, {name: str(values.get(name) or "") for name in written}
            )
        if not adding:
            damage.cleared(record, list(values))
        if audit is not None:
            audit_record(audit, actor=actor, target=audit_target or record, detail=detail or None)
        if watch:
            changed(actor, keyring, record)
    return record


def create_many(
    actor: User | None,
    keyring: Keyring,
    records: Sequence[R],
    values: Sequence[Mapping[str, Any]],
    *,
    audit: str | None,
    detail: dict[str, Any] | None = None,
    watch: bool = True,
) -> list[R]:
    """Insert many *new* records of one type as :func:`save` inserts one, in one transaction
    (the spreadsheet import's write path: ``imports/bulk.py``).

    For bulk writers (a spreadsheet import), where a query or an audit entry per record is
    what costs: each record is sealed as :func:`save` seals a new one (``values[i]`` into its
    fields, every other encrypted field sealed empty) under its case's current key version
    (each case locked once), then all rows go in with one ``bulk_create``, their searchable
    fields are indexed with one more, **one** audit entry records the batch (``audit`` with
    ``detail`` and the ``count``; the caller's own entry says what the batch was), and the
    watchers run once per case (``watch``). Cases themselves may be created this way (each is
    its own compartment, with keys the keyring has adopted). No model signals are sent.
    """
    if len(records) != len(values):
        raise ValueError("one mapping of values per record")
    if not records:
        return []
    model = type(records[0])
    if any(type(r) is not model or not r._state.adding for r in records):
        raise ValueError("create_many inserts new records of one type")
    case_ids = list(dict.fromkeys(case_id_of(record) for record in records))
    with transaction.atomic():
        for case_id in case_ids:
            if model is Case:
                keyring.keys_for(case_id)  # adopted by the caller, or NoCaseAccess
            else:
                _lock_case_version(keyring, case_id)
        for record, given in zip(records, values, strict=True):
            keyring.seal(record, dict(given), fill_missing=True)
        model._default_manager.bulk_create(records, batch_size=500)
        searchable = searchable_fields(model)
        tokens = [
            token
            for record, given in zip(records, values, strict=True)
            for token in index.tokens_for(
                keyring, record, {name: str(given.get(name) or "") for name in searchable}
            )
        ]
        SearchToken.objects.bulk_create(tokens, batch_size=1000)
        if audit is not None:
            audit_record(audit, actor=actor, detail={**(detail or {}), "count": len(records)})
        if watch and model is not Case:
            first: dict[Any, R] = {}
            for record in records:
                first.setdefault(case_id_of(record), record)
            for one in first.values():
                changed(actor, keyring, one)
    return list(records)


def changed(actor: User | None, keyring: Keyring, record: models.Model) -> None:
    """Tell the modules watching ``record``'s type that it changed in its case.

    :func:`save` and :func:`delete` call it; an action that writes a record *and* rows that
    belong to it without encrypted fields (an incident's perpetrator links) calls it again once
    the whole write is done, so watchers see the final state.
    """
    watchers = registry.watchers_for(registry.label_of(record))
    if not watchers or isinstance(record, Case):
        return
    deferred = _DEFERRED.get()
    if deferred is not None:
        for watcher in watchers:
            deferred[(case_id_of(record), watcher)] = (actor, keyring)
        return
    case = Case.compartments.get(pk=case_id_of(record))
    for watcher in watchers:
        watcher(actor, keyring, case)


#: Inside :func:`watchers_deferred`: (case id, watcher) → the last (actor, keyring) that wrote.
_DEFERRED: ContextVar[dict[tuple[Any, registry.Watcher], tuple[User | None, Keyring]] | None] = (
    ContextVar("pd_deferred_watchers", default=None)
)


@contextmanager
def watchers_deferred() -> Iterator[None]:
    """Run each watcher once per case on leaving, instead of after every write inside.

    For writers of many records in a row (the demo's generated log, an import): the watchers
    (escalation flags, a plan's early review) derive what they store from the case as it
    stands, and each run reads the case's whole log, so one run at the end gives what a run
    after every write would have given last, for a fraction of the time. Sealing, indexing and
    auditing are untouched. Nothing runs if the block raises (its writes are rolled back by
    the caller's transaction, or were never made). Nested blocks join the outermost one.
    """
    if _DEFERRED.get() is not None:
        yield
        return
    noted: dict[tuple[Any, registry.Watcher], tuple[User | None, Keyring]] = {}
    token = _DEFERRED.set(noted)
    try:
        yield
    finally:
        _DEFERRED.reset(token)
    cases = {case.pk: case for case in Case.compartments.filter(pk__in={key[0] for key in noted})}
    for (case_id, watcher), (actor, keyring) in noted.items():
        watcher(actor, keyring, cases[case_id])


def lock_case(case_id: Any, keyring: Keyring | None = None) -> None:
    """Serialise a module's writes in one case (inside a transaction): a check that reads
    other rows of the case (a sub-unit loop, "is this still the current version") holds until
    the write is done. The same row lock :func:`save` takes, and the first one a write takes
    (the case row, then the record: one order everywhere, so two writes never deadlock).

    With ``keyring``, for an action that opens stored values under the lock (what an edit
    keeps, what a review copies): the keyring is brought to the case's key version as it is
    now, as :func:`save` does. A keyring opened before a rotation started holds only the old
    keys, and a record the rotation has re-sealed since would not open with them.
    """
    if keyring is not None:
        _lock_case_version(keyring, case_id)
        return
    Case.compartments.select_for_update().filter(pk=case_id).values_list("pk", flat=True).get()


def _lock_case_version(keyring: Keyring, case_id: Any) -> None:
    """Lock the case row and seal with its key version as it is now.

    A rotation's finish takes the same lock before it destroys the old keys, so a write can
    never leave an envelope under a key that is about to go (records.rotation._finish).
    """
    version = (
        Case.compartments.select_for_update().values_list("key_version", flat=True).get(pk=case_id)
    )
    if keyring.keys_for(case_id).current_version != version:
        keyring.forget(case_id)  # a rotation started since: the new keys are in the boxes
        keyring.keys_for(case_id)


#: Never written by an edit: identity, and the row version the update itself raises.
_IMMUTABLE = frozenset({"id", "case", "created_at", "row_version"})


def _update(record: models.Model, expected_version: int, sealed: set[str]) -> None:
    """Write the record's fields if nobody changed it since ``expected_version``.

    Fields a model lists in ``maintained_fields`` (the case's key version, an attachment's file
    generation) are kept by rotation, not by edits, and are never written back from a form;
    encrypted fields are written only if just ``sealed`` (a rotation may have re-sealed the
    others since this row was read, without raising its version).
    """
    model = type(record)
    untouched = {name for name in encrypted_fields_of(model) if name not in sealed}
    skip = _IMMUTABLE | frozenset(getattr(model, "maintained_fields", ())) | untouched
    changes: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in skip:
            continue
        if field.name == "updated_at":
            record.updated_at = timezone.now()  # type: ignore[attr-defined]
        changes[field.attname] = getattr(record, field.attname)
    updated = model._default_manager.filter(pk=record.pk, row_version=expected_version).update(
        **changes, row_version=F("row_version") + 1
    )
    if not updated:
        raise EditConflict
    record.row_version = expected_version + 1  # type: ignore[attr-defined]


def delete(
    actor: User | None,
    keyring: Keyring,
    record: models.Model,
    *,
    audit: str | None,
    detail: dict[str, Any] | None = None,
    audit_target: Any = None,
) -> int:
    """Delete ``record`` and what cascades with it: tokens, damage rows, dependents' files.

    Returns the number of case records removed.
    """
    keyring.keys_for(case_id_of(record))
    with transaction.atomic():
        going = _cascade(record)
        if audit is not None:
            audit_record(audit, actor=actor, target=audit_target or record, detail=detail or None)
        for item in going:
            for dependents in registry.DEPENDENTS:
                if dependents.on_delete is not None:
                    dependents.on_delete(actor, item)
            index.forget_record(item)
            damage.cleared(item)
        record.delete()
        if not isinstance(record, Case):
            watchers = {
                watcher
                for label in {registry.label_of(item) for item in going}
                for watcher in registry.watchers_for(label)
            }
            case = Case.compartments.get(pk=case_id_of(record)) if watchers else None
            for watcher in watchers:
                watcher(actor, keyring, case)  # type: ignore[arg-type]
    return len(going)


def _cascade(record: models.Model) -> list[models.Model]:
    """``record`` and every row with encrypted fields that deleting it would take along."""
    collector = Collector(using=DEFAULT_DB_ALIAS)
    collector.collect([record])
    found: list[models.Model] = []
    for model, instances in collector.data.items():
        if encrypted_fields_of(model):
            found.extend(instances)
    for queryset in collector.fast_deletes:  # children Django deletes without loading them
        if encrypted_fields_of(queryset.model):
            found.extend(queryset)
    return found
