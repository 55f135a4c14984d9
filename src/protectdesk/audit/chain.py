"""Appending to and verifying the audit chain.

Appending takes the head row's lock (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite every
transaction begins IMMEDIATE, which already holds the database's write lock) inside the caller's
transaction, so the entry commits or rolls back together with the change it records and two
writers can never both extend the same head.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from protectdesk.accounts.models import Desk, User
from protectdesk.audit.models import GENESIS_HASH, AuditEntry, AuditHead
from protectdesk.crypto import kdf
from protectdesk.lib.server_keys import server_subkey

_PURPOSE = "pd-audit-chain"


def _canonical(
    seq: int,
    at: datetime,
    desk_id: uuid.UUID | None,
    actor_id: uuid.UUID | None,
    action: str,
    object_type: str,
    object_id: str,
    detail: dict[str, Any],
) -> bytes:
    body = {
        "seq": seq,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "desk": str(desk_id) if desk_id else None,
        "actor": str(actor_id) if actor_id else None,
        "action": action,
        "type": object_type,
        "id": object_id,
        "detail": detail,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def entry_hash(prev_hash: str, canonical: bytes) -> str:
    return kdf.keyed_digest(server_subkey(_PURPOSE), bytes.fromhex(prev_hash) + canonical).hex()


def _hash_of(entry: AuditEntry) -> str:
    return entry_hash(
        entry.prev_hash,
        _canonical(
            entry.seq,
            entry.at,
            entry.desk_id,
            entry.actor_id,
            entry.action,
            entry.object_type,
            entry.object_id,
            entry.detail,
        ),
    )


def append(
    *,
    action: str,
    actor_id: uuid.UUID | None,
    desk_id: uuid.UUID | None,
    object_type: str = "",
    object_id: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry under the head lock, in the caller's transaction."""
    detail = _check_detail(detail or {})
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        entry = AuditEntry(
            seq=head.seq + 1,
            at=timezone.now(),
            desk_id=desk_id,
            actor_id=actor_id,
            action=action,
            object_type=object_type,
            object_id=object_id,
            detail=detail,
            prev_hash=head.entry_hash,
        )
        entry.entry_hash = _hash_of(entry)
        entry.save()
        head.seq, head.entry_hash = entry.seq, entry.entry_hash
        head.save(update_fields=["seq", "entry_hash"])
    return entry


def _check_detail(detail: dict[str, Any]) -> dict[str, Any]:
    """Details hold codes, ids, digests, counts and booleans; floats would not round-trip."""
    for key, value in detail.items():
        if not isinstance(key, str):
            raise TypeError("audit detail keys are strings")
        if isinstance(value, float):
            raise TypeError("audit details hold no floats")
        if isinstance(value, list | tuple):
            if not all(isinstance(item, str | int | bool) for item in value):
                raise TypeError("audit detail lists hold strings, ints and booleans only")
        elif value is not None and not isinstance(value, str | int | bool):
            raise TypeError("audit detail values are strings, ints, booleans or lists of them")
    return dict(detail)


@dataclass(frozen=True)
class Verdict:
    ok: bool
    count: int
    head: str
    problem: str = ""
    broken_seq: int | None = None


def verify(expected_head: str | None = None, batch: int = 2000) -> Verdict:
    """Walk the chain from the start; name the first entry that does not hold.

    ``expected_head`` (``SEQ:HASH``, as printed by an earlier verify) must still be part of the
    chain: this catches a chain rewritten end to end by someone holding the server secret.

    An empty chain, or one without its head row, fails as soon as the database holds a desk or
    an account: creating a desk writes its first entries in the same transaction, so such a
    database has had a log and someone emptied it. A database that was never initialised (no
    desk, no account) has no history to lose and verifies as an empty chain, so monitoring can
    run from installation on; wiping the desks as well is destruction, not concealment, and a
    recorded head still catches it.
    """
    prev = GENESIS_HASH
    count = 0
    found_expected = expected_head is None
    want_seq, want_hash = _parse_head(expected_head) if expected_head else (0, "")
    last = 0
    entries = AuditEntry.objects.order_by("seq")
    start = 0
    while True:
        chunk = list(entries.filter(seq__gt=start)[:batch])
        if not chunk:
            break
        for entry in chunk:
            expected_seq = last + 1
            if entry.seq != expected_seq:
                return Verdict(
                    False,
                    count,
                    "",
                    _("entry %(seq)d is missing (the next one is %(next)d)")
                    % {"seq": expected_seq, "next": entry.seq},
                    expected_seq,
                )
            if entry.prev_hash != prev:
                return Verdict(
                    False,
                    count,
                    "",
                    _("entry %(seq)d does not follow entry %(previous)d")
                    % {"seq": entry.seq, "previous": entry.seq - 1},
                    entry.seq,
                )
            if _hash_of(entry) != entry.entry_hash:
                return Verdict(
                    False, count, "", _("entry %(seq)d was altered") % {"seq": entry.seq}, entry.seq
                )
            if entry.seq == want_seq:
                if entry.entry_hash != want_hash:
                    return Verdict(
                        False,
                        count,
                        "",
                        _("entry %(seq)d differs from the recorded head (the chain was rewritten)")
                        % {"seq": entry.seq},
                        entry.seq,
                    )
                found_expected = True
            prev, last, count = entry.entry_hash, entry.seq, count + 1
        start = chunk[-1].seq
    head = AuditHead.objects.filter(pk=1).first()
    if count == 0 and (Desk.objects.exists() or User.objects.exists()):
        return Verdict(
            False,
            0,
            "",
            _("the audit log is empty although this database has desks and accounts"),
            1,
        )
    if head is None and count:
        return Verdict(
            False,
            count,
            "",
            _("the head of the audit chain is missing (the chain goes up to entry %(last)d)")
            % {"last": last},
            last + 1,
        )
    head_seq, head_hash = (head.seq, head.entry_hash) if head else (0, GENESIS_HASH)
    if (head_seq, head_hash) != (last, prev):
        return Verdict(
            False,
            count,
            "",
            _("the chain ends at entry %(last)d but its head says %(head)d")
            % {"last": last, "head": head_seq},
            last + 1,
        )
    if not found_expected:
        return Verdict(
            False,
            count,
            "",
            _("the recorded head %(seq)d is no longer in the chain") % {"seq": want_seq},
            want_seq,
        )
    return Verdict(True, count, f"{last}:{prev}")


def _parse_head(value: str) -> tuple[int, str]:
    seq, sep, digest = value.partition(":")
    if not sep or not seq.isdigit() or len(digest) != 64:
        raise ValueError("a head looks like 123:<64 hex characters>, as printed by audit verify")
    return int(seq), digest.lower()
