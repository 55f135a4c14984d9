"""Throttling the public intake without IP addresses.

Tor users share a few exit addresses, and an address is itself identifying, so nothing here
keys on one. Instead, fixed windows counted in the database (one row per desk, kind, subject
and window, so every process of the server shares them):

* **receipts that find nothing**, desk-wide: past :data:`FAILED_LOOKUPS` a minute, an unknown
  receipt gets "try again later" instead of "no report has this receipt" until the minute
  ends. A receipt that finds its report is always served (within its own limits below), so
  someone who sends bad receipts cannot shut the desk's conversations. What stops guessing is
  the receipt's 120 bits: at any rate a server can answer, finding one live receipt among
  thousands takes longer than the universe has existed; the cap bounds the work and the
  log lines a guesser causes, and slows every "no" to a trickle.
* **per receipt**: openings of one conversation and answers sent with one receipt, per hour,
  so someone holding a receipt cannot flood the desk (counted under a value derived from the
  receipt, not the submission's id);
* **submissions** and **megabytes received**, desk-wide, per hour.

A row lives only as long as its window: every count drops the kind's ended windows, and the
worker's housekeeping drops the rest, so the table never says when an old report came.

A check (:func:`allows`) and the count (:func:`spend`) are separate steps: a burst of requests
at the same instant can pass a limit by the number of requests in flight, never more.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from protectdesk.intake.models import Counter


@dataclass(frozen=True)
class Limit:
    kind: str
    most: int
    seconds: int


FAILED_LOOKUPS = Limit("lookup_failed", 20, 60)
#: Reports and bytes are counted by the hour, like the arrival time: a window of a minute would
#: keep the minute a report arrived in the counter's row.
SUBMISSIONS = Limit("submission", 120, 3600)
#: In whole megabytes (rounded up): an exact byte count would say how large a report was.
MEGABYTES = Limit("megabytes", 500, 3600)
OPENINGS = Limit("opened", 30, 3600)
ANSWERS = Limit("answer", 10, 3600)


def _window(limit: Limit, now: datetime.datetime) -> datetime.datetime:
    start = int(now.timestamp()) // limit.seconds * limit.seconds
    return datetime.datetime.fromtimestamp(start, tz=datetime.UTC)


def _row(desk_id: uuid.UUID, limit: Limit, subject: str) -> dict[str, object]:
    return {
        "desk_id": desk_id,
        "kind": limit.kind,
        "subject": subject,
        "window": _window(limit, timezone.now()),
    }


def used(desk_id: uuid.UUID, limit: Limit, subject: str = "") -> int:
    row = Counter.objects.filter(**_row(desk_id, limit, subject)).values_list("count", flat=True)
    return row[0] if row else 0


def allows(desk_id: uuid.UUID, limit: Limit, subject: str = "", amount: int = 1) -> bool:
    """Would ``amount`` more stay within ``limit`` in this window?"""
    return used(desk_id, limit, subject) + amount <= limit.most


def spend(desk_id: uuid.UUID, limit: Limit, subject: str = "", amount: int = 1) -> None:
    """Count ``amount`` in the current window, and drop this kind's ended windows: a counter
    row says when something happened (to its window), so none outlives its window for long."""
    where = _row(desk_id, limit, subject)
    Counter.objects.filter(kind=limit.kind, window__lt=where["window"]).delete()
    if Counter.objects.filter(**where).update(count=F("count") + amount):
        return
    try:
        with transaction.atomic():
            Counter.objects.create(**where, count=amount)
    except IntegrityError:  # another request made the row first
        Counter.objects.filter(**where).update(count=F("count") + amount)


def seconds_left(limit: Limit) -> int:
    """Until the current window of ``limit`` ends (what "try again later" means)."""
    now = timezone.now()
    return max(1, int((_window(limit, now) - now).total_seconds()) + limit.seconds)


def megabytes(size: int) -> int:
    return -(-size // (1024 * 1024))


def tidy() -> int:
    """Drop every ended window (the worker's housekeeping; :func:`spend` does it per kind)."""
    now = timezone.now()
    dropped = 0
    for limit in (FAILED_LOOKUPS, SUBMISSIONS, MEGABYTES, OPENINGS, ANSWERS):
        dropped += Counter.objects.filter(kind=limit.kind, window__lt=_window(limit, now)).delete()[
            0
        ]
    return dropped
