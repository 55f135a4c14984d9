"""Case-key rotation (security.md Keys 2 and 5): new keys, everything re-encrypted, resumable.

Writes live here rather than in actions.py because rotation is a process of its own; every
write is still audited and transactional.

Order of work, chosen so that an interruption at any moment loses nothing:

1. **Start** (one transaction): new shared and staff keys (version v+1) are sealed to every
   current member (shared only for the defender's account) and to the recovery key; the case
   switches to v+1, so from now on every *new* write uses the new keys; a ``CaseRotation`` row
   records the work. Members hold both versions until the end, so everything stays readable.
2. **Convert**, batch by batch (each batch one transaction, progress saved with it): each
   record whose envelopes are older than v+1 is decrypted and sealed again under v+1, guarded by
   its row version so an edit made meanwhile is never overwritten; its search tokens are made
   again with the new search key; attachments get a new file key and re-encrypted content under
   a new generation (the old file stays until the end). A killed process resumes from the last
   saved batch; converting is idempotent.
3. **Finish** (one transaction): after checking that no envelope of the old version is left,
   the old keys' boxes and the old search tokens are deleted, then (after commit) the old files.
   Only now is the old key material gone.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from protectdesk.accounts.models import User
from protectdesk.audit.actions import record
from protectdesk.crypto import envelope
from protectdesk.records import registry
from protectdesk.records.fields import EncryptedField, identifying_fields, searchable_fields
from protectdesk.records.keyring import Keyring, encrypted_fields_of
from protectdesk.records.keys import (
    current_key_holders,
    new_case_keys,
    require_staff_member,
    seal_to_holders,
)
from protectdesk.records.models import Case, CaseKeyBox, CaseRotation, SearchToken

BATCH_SIZE = 50


def open_rotation(case: Case) -> CaseRotation | None:
    return CaseRotation.objects.filter(case=case, finished_at=None).first()


def _models() -> list[type[models.Model]]:
    """Every model with encrypted fields, the case itself first."""
    found: list[type[models.Model]] = [Case]
    for model, _field in identifying_fields():
        if model not in found:
            found.append(model)
    return found


def _records(model: type[models.Model], case: Case) -> Any:
    manager = model._default_manager
    return manager.filter(pk=case.pk) if model is Case else manager.filter(case=case)


def start(*, actor: User, keyring: Keyring, case: Case) -> CaseRotation:
    """Begin a rotation (or return the one already under way)."""
    require_staff_member(keyring, case)
    existing = open_rotation(case)
    if existing is not None:
        return existing
    with transaction.atomic():
        case = Case.compartments.select_for_update().get(pk=case.pk)
        old, new = case.key_version, case.key_version + 1
        seal_to_holders(case, new, new_case_keys(), current_key_holders(case, old))
        Case.compartments.filter(pk=case.pk).update(key_version=new)
        rotation = CaseRotation.objects.create(
            case=case, from_version=old, to_version=new, started_by=actor
        )
        record("case.rotation_started", actor=actor, target=case, detail={"from": old, "to": new})
    keyring.forget(case.id)  # reload: the keyring now holds both versions
    return rotation


def _stale_fields(record_obj: models.Model, version: int) -> list[EncryptedField]:
    stale = []
    for spec in encrypted_fields_of(type(record_obj)).values():
        blob = getattr(record_obj, spec.attname)
        if blob is not None and envelope.parse(bytes(blob)).key_version != version:
            stale.append(spec)
    return stale


def convert_record(keyring: Keyring, record_obj: models.Model, version: int) -> bool:
    """Re-seal a record's old envelopes under ``version`` and re-index it. Idempotent."""
    custom = registry.rotate_step_for(type(record_obj))
    if custom is not None:
        return custom(keyring, record_obj, version)
    for _attempt in range(5):
        stale = _stale_fields(record_obj, version)
        if not stale:
            return False
        plain = {spec.name: keyring.open_value(record_obj, spec.name) for spec in stale}
        keyring.seal(record_obj, plain)
        row_version = getattr(record_obj, "row_version")  # noqa: B009 - every case record has one
        updated = (
            type(record_obj)
            ._default_manager.filter(
                pk=record_obj.pk,
                row_version=row_version,
            )
            .update(**{spec.attname: getattr(record_obj, spec.attname) for spec in stale})
        )
        if updated:
            reindex(keyring, record_obj, version)
            return True
        record_obj.refresh_from_db()  # edited meanwhile: look again (it may be new already)
    raise RuntimeError("a record kept changing during rotation; run the rotation again")


def reindex(keyring: Keyring, record_obj: models.Model, version: int) -> None:
    from protectdesk.records import index as search_index
    from protectdesk.records.registry import TYPES, label_of

    if label_of(record_obj) not in TYPES:
        return
    fields = searchable_fields(type(record_obj))
    if fields:
        values = {name: str(keyring.open_value(record_obj, name) or "") for name in fields}
        search_index.index_record(keyring, record_obj, values, version=version)


def resume(
    *,
    actor: User,
    keyring: Keyring,
    rotation: CaseRotation,
    batch_size: int = BATCH_SIZE,
    after_batch: Callable[[CaseRotation], None] | None = None,
) -> CaseRotation:
    """Convert what is left, then finish. Safe to call again after an interruption."""
    case = rotation.case
    require_staff_member(keyring, case)
    version = rotation.to_version
    for _pass in range(3):
        for model in _models():
            label = model._meta.label
            while True:
                after = rotation.progress.get(label)
                batch = _records(model, case).order_by("pk")
                if after:
                    batch = batch.filter(pk__gt=uuid.UUID(after))
                chunk = list(batch[:batch_size])
                if not chunk:
                    break
                with transaction.atomic():
                    changed = sum(convert_record(keyring, item, version) for item in chunk)
                    rotation.progress[label] = str(chunk[-1].pk)
                    rotation.converted += changed
                    rotation.save(update_fields=["progress", "converted"])
                if after_batch is not None:
                    after_batch(rotation)
        if not _any_stale(case, version):
            finished = _finish(actor, rotation)
            if finished is not None:
                return finished
        rotation.progress = {}  # a write raced with the pass: go over everything again
    raise RuntimeError("old envelopes remain after three passes; run the rotation again")


def _any_stale(case: Case, version: int) -> bool:
    for model in _models():
        for item in _records(model, case).iterator():
            if _stale_fields(item, version):
                return True
    return False


def _finish(actor: User, rotation: CaseRotation) -> CaseRotation | None:
    """Destroy the old keys — unless a write slipped an old envelope in since the last pass.

    The case row is locked first: every write through ``records.actions.save`` takes the same
    lock before sealing, so no old-version envelope can land between this check and the
    deletion of the keys that open it. ``None``: something is stale, convert again.
    """
    case, old = rotation.case, rotation.from_version
    with transaction.atomic():
        Case.compartments.select_for_update().filter(pk=case.pk).first()
        if _any_stale(case, rotation.to_version):
            return None
        CaseKeyBox.objects.filter(case=case, version__lt=rotation.to_version).delete()
        SearchToken.objects.filter(case=case, key_version__lt=rotation.to_version).delete()
        # Every token left was made by this rotation or since, with the two search keys.
        Case.compartments.filter(pk=case.pk).update(search_keys=2)
        rotation.finished_at = timezone.now()
        rotation.save(update_fields=["finished_at"])
        record(
            "case.rotation_finished",
            actor=actor,
            target=case,
            detail={"from": old, "to": rotation.to_version, "converted": rotation.converted},
        )
        for dependents in registry.DEPENDENTS:
            hook = dependents.after_rotation
            if hook is not None:
                transaction.on_commit(lambda hook=hook: hook(case, old))  # type: ignore[misc]
    return rotation


def rotate(
    *,
    actor: User,
    keyring: Keyring,
    case: Case,
    batch_size: int = BATCH_SIZE,
    after_batch: Callable[[CaseRotation], None] | None = None,
) -> CaseRotation:
    """Start (or resume) a rotation and run it to the end."""
    rotation = start(actor=actor, keyring=keyring, case=case)
    return resume(
        actor=actor,
        keyring=keyring,
        rotation=rotation,
        batch_size=batch_size,
        after_batch=after_batch,
    )
