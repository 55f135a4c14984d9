"""The risk of one threat scenario, two ways, explained (methodology.md §4). Pure; no I/O.

The manual's equation is a way of reasoning, not arithmetic: the software shows its terms and
which of them weigh most, never a bare number.

**Index.** R = T × mean(V) / mean(C): the threat's rating (1–5), the mean rating of the
vulnerabilities that matter for this threat, the mean rating of the capacities against it (each
1–5). R runs from 0.2 (T 1, V 1, C 5) to 25 (T 5, V 5, C 1); the middle (all 3) is 3. Five
bands, by where R falls:

    very low  R < 1 · low  1 ≤ R < 2 · medium  2 ≤ R < 4.5 · high  4.5 ≤ R < 9 · very high  R ≥ 9

(so all-3 is medium; T 4, V 4, C 2 = 8 is high; T 5, V 4, C 2 = 10 is very high). Without at
least one vulnerability and one capacity rated, there is no index: the analysis says what is
missing rather than inventing a mean.

**Matrix.** The Front Line / Umbrella practice: likelihood (1–5) × impact (1–5) = 1–25, banded

    very low  1–2 · low  3–4 · medium  5–9 · high  10–14 · very high  15–25

**What pushes it up.** A vulnerability pushes the risk up by how far its rating is above the
middle (3); a capacity by how far it is below. The components are listed by that push, the
strongest first, ties by how the data file orders them; those at or on the good side of the
middle push nothing and are not listed.

Properties (tested with Hypothesis): raising a capacity never raises the index, raising a
vulnerability or the threat never lowers it, and a higher index is never a lower band.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

BANDS = ("very_low", "low", "medium", "high", "very_high")
VULNERABILITY = "vulnerability"
CAPACITY = "capacity"
INDEX_LIMITS = (1.0, 2.0, 4.5, 9.0)  # lower bounds of low, medium, high, very high
MATRIX_LIMITS = (3, 5, 10, 15)
MIDDLE = 3


@dataclass(frozen=True)
class Rated:
    """One component as it matters for one threat: a vulnerability or a capacity, 1–5."""

    code: str
    kind: str  # VULNERABILITY | CAPACITY
    rating: int
    order: int = 0  # its place in the data file, for ties

    @property
    def push(self) -> int:
        """How much it pushes the risk up (0 when it does not)."""
        if self.kind == VULNERABILITY:
            return max(0, self.rating - MIDDLE)
        return max(0, MIDDLE - self.rating)


@dataclass(frozen=True)
class Result:
    index: float | None  # None: no vulnerability or no capacity rated yet
    band: str | None
    matrix: int
    matrix_band: str
    drivers: tuple[Rated, ...]  # what pushes it up, strongest first
    mean_vulnerability: float | None
    mean_capacity: float | None


def _check(name: str, value: int) -> None:
    if not 1 <= value <= 5:
        raise ValueError(f"{name} is rated 1 to 5, not {value}")


def _mean(values: Sequence[int]) -> float | None:
    return sum(values) / len(values) if values else None


def index(threat: int, ratings: Sequence[Rated]) -> float | None:
    _check("the threat", threat)
    for rated in ratings:
        _check(rated.code, rated.rating)
    vulnerability = _mean([r.rating for r in ratings if r.kind == VULNERABILITY])
    capacity = _mean([r.rating for r in ratings if r.kind == CAPACITY])
    if vulnerability is None or capacity is None:
        return None
    return threat * vulnerability / capacity


def band_of_index(value: float) -> str:
    return BANDS[sum(1 for limit in INDEX_LIMITS if value >= limit)]


def band_of_matrix(score: int) -> str:
    return BANDS[sum(1 for limit in MATRIX_LIMITS if score >= limit)]


def drivers(ratings: Sequence[Rated]) -> tuple[Rated, ...]:
    pushing = [r for r in ratings if r.push > 0]
    return tuple(sorted(pushing, key=lambda r: (-r.push, r.order, r.code)))


def assess(threat: int, likelihood: int, impact: int, ratings: Sequence[Rated]) -> Result:
    """The scenario's index and band, its matrix cell and band, and what drives it."""
    _check("the likelihood", likelihood)
    _check("the impact", impact)
    value = index(threat, ratings)
    score = likelihood * impact
    return Result(
        index=value,
        band=band_of_index(value) if value is not None else None,
        matrix=score,
        matrix_band=band_of_matrix(score),
        drivers=drivers(ratings),
        mean_vulnerability=_mean([r.rating for r in ratings if r.kind == VULNERABILITY]),
        mean_capacity=_mean([r.rating for r in ratings if r.kind == CAPACITY]),
    )


def highest(bands: Sequence[str | None]) -> str | None:
    """The highest of several bands (the case's band is its worst scenario's)."""
    known = [b for b in bands if b is not None]
    return max(known, key=BANDS.index) if known else None


@dataclass(frozen=True)
class Change:
    """How one scenario moved since the previous analysis (matched by its assessment)."""

    key: str
    before: Result | None  # None: a new scenario
    after: Result | None  # None: dropped since

    @property
    def direction(self) -> int:
        """+1 higher band, -1 lower, 0 same (or not comparable)."""
        if self.before is None or self.after is None:
            return 0
        if self.before.band is None or self.after.band is None:
            return 0
        return (BANDS.index(self.after.band) > BANDS.index(self.before.band)) - (
            BANDS.index(self.after.band) < BANDS.index(self.before.band)
        )


def changes(before: dict[str, Result], after: dict[str, Result]) -> list[Change]:
    """Every scenario of either analysis, in the order of the newer one, then dropped ones."""
    keys = list(after) + [key for key in before if key not in after]
    return [Change(key, before.get(key), after.get(key)) for key in keys]
