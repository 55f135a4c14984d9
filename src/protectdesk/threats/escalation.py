"""Escalation flags: is it getting worse? (methodology.md §3, step 2). Pure functions, no I/O.

The desk's question is whether the incidents of a case form a pattern that is gathering pace,
growing more serious, coming from the same actor, or moving from words to acts. Each flag is
computed from facts the incident log already holds and says which incidents it rests on, so the
case page can explain it in a sentence and a coordinator can judge it, never take it on trust.

Dates come at three precisions, and each flag uses only what the dates can support:

* A **window** ("the last 30 days") counts the days ``today - (days - 1)`` to ``today``: an
  incident exactly ``days`` days ago belongs to the window before. An exact date is placed on
  its day; a month-only date on the 15th of its month (or today, if that is later than today);
  a year-only date cannot be placed in a window of days and is left out of the frequency and
  severity flags, which say how many they left out.
* **Followed by** ("a declared threat followed by a physical incident") needs the physical
  incident to be certainly later or on the same day: its earliest possible day is on or after
  the threat's latest possible day. A threat and an attack in the same month, known only by
  month, do not count: which came first is not known.
* **Repeated perpetrator** compares actor ids across all incidents whatever their dates: the
  same actor (a record of the case, not a name) linked to two or more incidents.

Flags:

``more_often`` (per window of 30 and 90 days)
    at least two incidents in the window, and more than in the window of the same length just
    before it;
``severity_rising``
    the last three placed incidents, oldest first, never go down in severity and end higher
    than they began (2, 2, 4 rises; 4, 2, 4 does not);
``repeated_perpetrator`` (per actor)
    one actor named in two or more incidents;
``threat_then_physical``
    an incident of a declared-threat type followed by an incident of a physical-harm type;
``likely_threat`` (per assessment)
    a concluded threat assessment rating the likelihood 4 or 5.
"""

from __future__ import annotations

import bisect
import calendar
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

WINDOWS = (30, 90)
MORE_OFTEN = "more_often"
SEVERITY_RISING = "severity_rising"
REPEATED_PERPETRATOR = "repeated_perpetrator"
THREAT_THEN_PHYSICAL = "threat_then_physical"
LIKELY_THREAT = "likely_threat"


@dataclass(frozen=True)
class Point:
    """What the flags need to know of one incident (no content)."""

    id: str
    precision: str  # "exact" | "month" | "year"
    year: int
    month: str = ""  # "YYYY-MM"
    day: date | None = None  # the exact date, when known
    severity: int = 1
    declared_threat: bool = False  # one of its types is a declared threat
    physical: bool = False  # one of its types is physical harm
    actors: tuple[str, ...] = ()  # ids of the actors named as (possible) perpetrators
    created_at: datetime | None = None  # orders incidents of the same day

    def _month(self) -> tuple[int, int] | None:
        if not self.month:
            return None
        year, month = (int(part) for part in self.month.split("-"))
        return year, month

    # An exact date the writer could not open (``day`` None) is known by its month, like a
    # month-only date; a date with neither day nor month, by its year.

    def earliest(self) -> date:
        if self.day is not None:
            return self.day
        month = self._month()
        return date(*month, 1) if month else date(self.year, 1, 1)

    def latest(self) -> date:
        if self.day is not None:
            return self.day
        month = self._month()
        if month:
            return date(*month, calendar.monthrange(*month)[1])
        return date(self.year, 12, 31)

    def placed(self, today: date) -> date | None:
        """The day used for windows, or None for a date known only by its year."""
        if self.day is not None:
            return self.day
        month = self._month()
        return min(date(*month, 15), today) if month else None

    @property
    def when(self) -> str:
        """The month (or the year) in clear, as the log stores it."""
        return self.month or str(self.year)


@dataclass(frozen=True)
class Assessed:
    """What the flags need to know of one threat assessment."""

    id: str
    likelihood: int | None
    concluded: bool  # all five steps answered
    incidents: tuple[str, ...] = ()


@dataclass(frozen=True)
class Flag:
    code: str
    incidents: tuple[str, ...]  # ids, oldest first
    facts: dict[str, Any] = field(default_factory=dict)  # numbers and ids the sentence uses

    @property
    def key(self) -> tuple[Any, ...]:
        """Which flag this is, whatever incidents it names: the same key at two precisions
        is the same flag (the 30-day window, this actor, this assessment)."""
        return (
            self.code,
            self.facts.get("days"),
            self.facts.get("actor"),
            self.facts.get("assessment"),
        )

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "incidents": list(self.incidents), **self.facts}


def _in_window(day: date, today: date, days: int, offset: int = 0) -> bool:
    """``day`` within ``days`` days ending ``offset * days`` days before ``today``."""
    end = today - timedelta(days=offset * days)
    return end - timedelta(days=days - 1) <= day <= end


def _ordered(points: Iterable[Point], today: date) -> list[tuple[date, Point]]:
    placed = [(p.placed(today), p) for p in points]
    return sorted(
        ((day, p) for day, p in placed if day is not None),
        key=lambda item: (item[0], item[1].created_at or datetime.min, item[1].id),
    )


def more_often(points: Sequence[Point], today: date) -> list[Flag]:
    flags = []
    placed = _ordered(points, today)
    unplaced = sum(1 for p in points if p.placed(today) is None)
    for days in WINDOWS:
        recent = [p for day, p in placed if _in_window(day, today, days)]
        before = [p for day, p in placed if _in_window(day, today, days, offset=1)]
        if len(recent) >= 2 and len(recent) > len(before):
            flags.append(
                Flag(
                    MORE_OFTEN,
                    tuple(p.id for p in recent),
                    {
                        "days": days,
                        "recent": len(recent),
                        "before": len(before),
                        "unplaced": unplaced,
                    },
                )
            )
    return flags


def severity_rising(points: Sequence[Point], today: date) -> list[Flag]:
    last = [p for _day, p in _ordered(points, today)][-3:]
    if len(last) < 3:
        return []
    levels = [p.severity for p in last]
    if all(a <= b for a, b in itertools.pairwise(levels)) and levels[-1] > levels[0]:
        unplaced = sum(1 for p in points if p.placed(today) is None)
        return [
            Flag(
                SEVERITY_RISING,
                tuple(p.id for p in last),
                {"severities": levels, "unplaced": unplaced},
            )
        ]
    return []


def repeated_perpetrator(points: Sequence[Point]) -> list[Flag]:
    by_actor: dict[str, list[Point]] = {}
    for point in points:
        for actor in set(point.actors):
            by_actor.setdefault(actor, []).append(point)
    flags = []
    for actor, named in sorted(by_actor.items()):
        if len(named) >= 2:
            named.sort(key=lambda p: (p.earliest(), p.created_at or datetime.min, p.id))
            flags.append(
                Flag(
                    REPEATED_PERPETRATOR,
                    tuple(p.id for p in named),
                    {"actor": actor, "count": len(named)},
                )
            )
    return flags


def threat_then_physical(points: Sequence[Point]) -> list[Flag]:
    """The first declared threat (by its latest possible day) and the first physical incident
    certainly not before it. Sorted once, then a binary search per threat: O(n log n)."""
    threats = sorted((p for p in points if p.declared_threat), key=lambda p: (p.latest(), p.id))
    physical = sorted((p for p in points if p.physical), key=lambda p: (p.earliest(), p.id))
    starts = [p.earliest() for p in physical]
    for threat in threats:
        index = bisect.bisect_left(starts, threat.latest())
        after = next((p for p in physical[index : index + 2] if p.id != threat.id), None)
        if after is not None:
            return [Flag(THREAT_THEN_PHYSICAL, (threat.id, after.id), {})]
    return []


def likely_threat(assessments: Sequence[Assessed]) -> list[Flag]:
    return [
        Flag(
            LIKELY_THREAT,
            tuple(a.incidents),
            {"assessment": a.id, "likelihood": a.likelihood},
        )
        for a in assessments
        if a.concluded and a.likelihood is not None and a.likelihood >= 4
    ]


def flags_for(points: Sequence[Point], assessments: Sequence[Assessed], today: date) -> list[Flag]:
    """Every flag of a case, in the order the case page lists them."""
    return [
        *more_often(points, today),
        *severity_rising(points, today),
        *repeated_perpetrator(points),
        *threat_then_physical(points),
        *likely_threat(assessments),
    ]


def gravity(points: Sequence[Point], flags: Sequence[Flag]) -> int:
    """How serious: 10 × the highest severity among the incidents behind the flags, plus the
    number of flags (so two cases of equal severity sort by how many flags they raise)."""
    behind = {i for flag in flags for i in flag.incidents}
    worst = max((p.severity for p in points if p.id in behind), default=0)
    return 10 * worst + len(flags) if flags else 0


def latest(points: Sequence[Point], flags: Sequence[Flag]) -> str:
    """The month (or year) of the most recent incident behind the flags: how recent."""
    behind = [p for p in points if p.id in {i for flag in flags for i in flag.incidents}]
    if not behind:
        return ""
    return max(behind, key=lambda p: (p.latest(), p.when)).when
