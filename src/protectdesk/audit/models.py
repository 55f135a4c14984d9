"""Audit entries and the chain head.

An entry holds who (actor id), what (an action code), which record (type and id), when, and a
small ``detail`` of codes, ids and digests: never identifying plaintext. ``entry_hash`` is a
keyed BLAKE2b (key derived from the server secret) over the previous entry's hash and this
entry's canonical form, so editing, deleting or reordering any row breaks the chain; the head
row is the lock writers take so that concurrent appends cannot fork the chain.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

GENESIS_HASH = "0" * 64


class AuditEntry(models.Model):
    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField(default=timezone.now)
    desk_id = models.UUIDField(null=True, db_index=True)
    actor_id = models.UUIDField(null=True)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"audit {self.seq}"


class AuditHead(models.Model):
    """A single row (pk 1): the last entry's number and hash. Writers lock it to append."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self) -> str:
        return f"audit head {self.seq}"
