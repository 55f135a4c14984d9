"""Charts that work with JavaScript and SVG off (Tor Browser at "Safest"): plain HTML bars.

A chart is a list of bars, each drawn as a ``<span>`` whose width is one of the CSS classes
``w0`` … ``w100`` (steps of 5: the CSP forbids inline styles), with its data table beside it
(``includes/bars.html``): the table is what screen readers and the PDF's text layer read; the
bars are decoration (``aria-hidden``). Values come already decrypted from the view and are never
written anywhere: there is no image file, no cache.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: no value (drawn empty, "—" in the table)
    shown: str  # the value as the table shows it ("72 %", "3")
    width: int  # 0–100, a multiple of 5 (the CSS class w<width>)
    tone: str = ""  # an optional CSS class (band-high, sev4…)
    note: str = ""  # a second column of the table (a comparison, a date)


@dataclass(frozen=True)
class Chart:
    title: str
    bars: tuple[Bar, ...]
    value_heading: str
    label_heading: str
    note_heading: str = ""
    caption: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.bars


def width(value: float | None, maximum: float) -> int:
    """``value`` as a share of ``maximum``, rounded to the nearest 5 % (at least 5 % when the
    value is above zero, so a small value still shows)."""
    if value is None or maximum <= 0 or value <= 0:
        return 0
    share = min(1.0, value / maximum) * 100
    return max(5, int(5 * round(share / 5)))


def chart(
    title: str,
    rows: Sequence[tuple[str, float | None]],
    *,
    maximum: float | None = None,
    value_heading: str,
    label_heading: str,
    unit: str = "",
    tones: Sequence[str] | None = None,
    notes: Sequence[str] | None = None,
    note_heading: str = "",
    caption: str = "",
) -> Chart:
    """A bar chart of ``rows`` (label, value); ``maximum`` defaults to the largest value."""
    top = maximum if maximum is not None else max((v or 0 for _l, v in rows), default=0)
    bars = []
    for n, (label, value) in enumerate(rows):
        shown = "—" if value is None else f"{_number(value)}{unit}"
        bars.append(
            Bar(
                label=label,
                value=value,
                shown=shown,
                width=width(value, top),
                tone=tones[n] if tones else "",
                note=notes[n] if notes else "",
            )
        )
    return Chart(title, tuple(bars), value_heading, label_heading, note_heading, caption)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
