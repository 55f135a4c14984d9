"""What a wheel session's scores say: per spoke and overall, and how they moved since the last
session. Pure functions, no Django, no I/O.

* Per spoke: the **mean**, the **lowest** and the **highest** score across the participants who
  scored it, and how many did; all ``None`` when nobody scored it (a blank is not a zero).
* The **spread** (highest − lowest): participants **disagree** on a spoke when it is at least
  :data:`DISAGREEMENT` points — the wheel is for talking about that, not averaging it away.
* **Weak** spokes have a mean below :data:`WEAK`; **strong** ones at least :data:`STRONG`.
* The **overall** mean is the mean of the spokes' means (each spoke counts once, however many
  participants scored it); ``None`` when no spoke was scored.
* :func:`compare` gives, per spoke, the current mean minus the previous one (``None`` when
  either session has no mean for it), and the same for the overall mean.

Means are exact (not rounded): the page rounds when it shows them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

MINIMUM, MAXIMUM = 0, 100
WEAK = 50  # a mean below this is a weak spoke
STRONG = 75  # a mean of at least this is a strong spoke
DISAGREEMENT = 30  # participants disagree when their scores are this far apart, or more


@dataclass(frozen=True)
class SpokeResult:
    code: str
    count: int  # participants who scored it
    mean: float | None
    lowest: int | None
    highest: int | None

    @property
    def spread(self) -> int | None:
        if self.lowest is None or self.highest is None:
            return None
        return self.highest - self.lowest

    @property
    def disagreement(self) -> bool:
        return self.spread is not None and self.spread >= DISAGREEMENT

    @property
    def weak(self) -> bool:
        return self.mean is not None and self.mean < WEAK

    @property
    def strong(self) -> bool:
        return self.mean is not None and self.mean >= STRONG

    @property
    def tone(self) -> str:
        """The chart's CSS class: "weak", "strong" or ""."""
        return "weak" if self.weak else "strong" if self.strong else ""


@dataclass(frozen=True)
class Aggregate:
    spokes: tuple[SpokeResult, ...]
    participants: int

    @property
    def overall(self) -> float | None:
        means = [s.mean for s in self.spokes if s.mean is not None]
        return sum(means) / len(means) if means else None

    @property
    def weak(self) -> tuple[SpokeResult, ...]:
        return tuple(s for s in self.spokes if s.weak)

    @property
    def disagreements(self) -> tuple[SpokeResult, ...]:
        return tuple(s for s in self.spokes if s.disagreement)

    def spoke(self, code: str) -> SpokeResult | None:
        return next((s for s in self.spokes if s.code == code), None)


def aggregate(codes: Sequence[str], participants: Iterable[Mapping[str, int]]) -> Aggregate:
    """The results of ``codes`` (the wheel's spokes, in order) over each participant's scores
    (spoke code → score; a spoke left out was not scored). Scores of other codes are ignored."""
    scored: dict[str, list[int]] = {code: [] for code in codes}
    count = 0
    for scores in participants:
        count += 1
        for code, score in scores.items():
            if code in scored:
                scored[code].append(score)
    results = []
    for code in codes:
        values = scored[code]
        results.append(
            SpokeResult(
                code=code,
                count=len(values),
                mean=sum(values) / len(values) if values else None,
                lowest=min(values) if values else None,
                highest=max(values) if values else None,
            )
        )
    return Aggregate(tuple(results), count)


@dataclass(frozen=True)
class Comparison:
    deltas: dict[str, float | None]  # spoke code → current mean − previous mean
    overall: float | None


def _minus(after: float | None, before: float | None) -> float | None:
    return None if after is None or before is None else after - before


def compare(previous: Aggregate, current: Aggregate) -> Comparison:
    """Per spoke of ``current``: its mean minus its mean in ``previous`` (None if either is
    missing: not scored then, not scored now, or a spoke the earlier session did not have)."""
    deltas = {}
    for result in current.spokes:
        before = previous.spoke(result.code)
        deltas[result.code] = _minus(result.mean, before.mean if before else None)
    return Comparison(deltas, _minus(current.overall, previous.overall))
