"""Throttling the public intake without IP addresses.

Tor users share a few exit addresses, and an address is itself identifying, so nothing here
keys on one. Instead, fixed windows counted in the database (one row per desk, kind, subject
and window, so every process of the server shares them):

* **failed receipt lookups**, desk-wide: past :data:`FAILED_LOOKUPS` a minute, nobody's receipt
  is even looked up until the minute ends ("try again later"). Looking it up while refusing
  to say would not slow a guesser down, so a right receipt waits too; the cost is that a
  guesser can keep the return page shut for a minute at a time, never longer than they keep
  guessing, and the report form stays open. With 120-bit receipts a guesser's chance at 20
  guesses a minute for a year is about 10⁻²⁹.
* **per receipt**: openings of one conversation and answers sent with one receipt, per hour,
  so someone holding a receipt cannot flood the desk;
* **submissions** and **bytes received**, desk-wide, per minute and per hour.

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
SUBMISSIONS = Limit("submission", 10, 60)
BYTES = Limit("bytes", 500 * 1024 * 1024, 3600)
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
    where = _row(desk_id, limit, subject)
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


def tidy() -> int:
    """Drop windows older than a day (the longest limit is an hour)."""
    cutoff = timezone.now() - datetime.timedelta(days=1)
    return Counter.objects.filter(window__lt=cutoff).delete()[0]
