"""Reading the wheel: a case's sessions, one session's participants and results, the previous
session of the same wheel, and the chart of a session."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from protectdesk.lib import charts
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case
from protectdesk.vocabularies import LANGUAGES
from protectdesk.wheel import definitions, scoring
from protectdesk.wheel.models import Participant, SpokeMeasure, SpokeScore, WheelSession


def wheel_of(session: WheelSession) -> definitions.Wheel:
    """The session's wheel; a wheel since removed from the file keeps its stored spoke codes
    (shown as codes) so its scores stay readable."""
    found = definitions.get(session.wheel)
    if found is not None:
        return found
    codes = dict.fromkeys(
        SpokeScore.objects.filter(participant__session=session)
        .order_by("spoke")
        .values_list("spoke", flat=True)
    )
    same = dict.fromkeys(LANGUAGES, session.wheel)
    return definitions.Wheel(
        session.wheel,
        same,
        tuple(definitions.Spoke(c, dict.fromkeys(LANGUAGES, c)) for c in codes),
    )


def sessions_of(case: Case) -> list[WheelSession]:
    return list(WheelSession.objects.filter(case=case).order_by("-held_on", "-created_at"))


def session_in(case: Case, session_id: Any) -> WheelSession | None:
    return WheelSession.objects.filter(case=case, pk=session_id).first()


def latest(case: Case) -> WheelSession | None:
    return WheelSession.objects.filter(case=case).order_by("-held_on", "-created_at").first()


def previous_of(session: WheelSession) -> WheelSession | None:
    """The session of the same wheel in the same case held just before this one."""
    return (
        WheelSession.objects.filter(case_id=session.case_id, wheel=session.wheel)
        .filter(
            Q(held_on__lt=session.held_on)
            | Q(held_on=session.held_on, created_at__lt=session.created_at)
        )
        .order_by("-held_on", "-created_at")
        .first()
    )


def scores_by_participant(session: WheelSession) -> dict[uuid.UUID, dict[str, SpokeScore]]:
    found: dict[uuid.UUID, dict[str, SpokeScore]] = {
        pk: {} for pk in session.participants.values_list("pk", flat=True)
    }
    for score in SpokeScore.objects.filter(participant__session=session):
        found.setdefault(score.participant_id, {})[score.spoke] = score
    return found


def aggregate_of(
    session: WheelSession, wheel: definitions.Wheel | None = None
) -> scoring.Aggregate:
    wheel = wheel or wheel_of(session)
    scores = scores_by_participant(session)
    return scoring.aggregate(
        wheel.codes(), [{code: s.score for code, s in row.items()} for row in scores.values()]
    )


@dataclass(frozen=True)
class ScoreRow:
    spoke: str  # its label
    score: int
    barriers: Any  # plaintext, or the damaged notice
    solutions: Any


@dataclass(frozen=True)
class ParticipantView:
    participant: Participant
    name: Any  # the label (or the damaged notice), or "Participant 3"
    rows: tuple[ScoreRow, ...]


def participant_views(
    keyring: Keyring, session: WheelSession, wheel: definitions.Wheel
) -> list[ParticipantView]:
    scores = scores_by_participant(session)
    views = []
    for number, participant in enumerate(session.participants.order_by("created_at"), start=1):
        label = keyring.opened(participant).label
        row = scores.get(participant.pk, {})
        views.append(
            ParticipantView(
                participant,
                label if label else _("Participant %(number)s") % {"number": number},
                # Only the spokes they scored: the chart and the agreement table show the rest.
                tuple(
                    ScoreRow(
                        spoke.label,
                        found.score,
                        keyring.opened(found).barriers,
                        keyring.opened(found).solutions,
                    )
                    for spoke in wheel.spokes
                    if (found := row.get(spoke.code)) is not None
                ),
            )
        )
    return views


def number(value: float) -> str:
    """A mean or a delta as the page shows it: whole, or with one decimal."""
    rounded = round(value, 1)
    return str(int(rounded)) if float(rounded).is_integer() else f"{rounded:.1f}"


def signed(delta: float) -> str:
    """+10 · −2.5 · ±0"""
    if round(delta, 1) == 0:
        return "±0"
    return f"+{number(delta)}" if delta > 0 else f"−{number(-delta)}"


def chart_of(
    session: WheelSession,
    wheel: definitions.Wheel,
    result: scoring.Aggregate,
    previous: WheelSession | None,
    comparison: scoring.Comparison | None,
) -> charts.Chart:
    notes = None
    if previous is not None and comparison is not None:
        day = previous.held_on.isoformat()
        notes = []
        for spoke in result.spokes:
            delta = comparison.deltas.get(spoke.code)
            if delta is not None:
                notes.append(_("%(delta)s since %(day)s") % {"delta": signed(delta), "day": day})
            elif spoke.mean is not None:
                notes.append(_("not scored on %(day)s") % {"day": day})
            else:
                notes.append("")  # not scored now: nothing to compare
    return charts.chart(
        _("Mean score of each spoke"),
        [(spoke.label, s.mean) for spoke, s in zip(wheel.spokes, result.spokes, strict=True)],
        maximum=scoring.MAXIMUM,
        value_heading=_("Mean"),
        label_heading=_("Spoke"),
        unit="\u00a0%",
        tones=[s.tone for s in result.spokes],
        notes=notes,
        note_heading=_("Since the previous session") if notes else "",
        caption=_("Mean of the participants' scores, 0 to 100 %."),
    )


@dataclass(frozen=True)
class WeakSpoke:
    code: str
    label: str
    mean: float
    link: SpokeMeasure | None  # already a measure of the plan


def weak_spokes(
    session: WheelSession, wheel: definitions.Wheel, result: scoring.Aggregate
) -> list[WeakSpoke]:
    links = {link.spoke: link for link in SpokeMeasure.objects.filter(session=session)}
    labels = {spoke.code: spoke.label for spoke in wheel.spokes}
    return [
        WeakSpoke(s.code, labels[s.code], s.mean, links.get(s.code))
        for s in result.weak
        if s.mean is not None
    ]


def latest_chart(case: Case, keyring: Keyring) -> charts.Chart | None:
    """The case's latest session as a chart, compared with the one before (for the printed
    plan); None without a session."""
    session = latest(case)
    if session is None:
        return None
    wheel = wheel_of(session)
    result = aggregate_of(session, wheel)
    previous = previous_of(session)
    comparison = scoring.compare(aggregate_of(previous), result) if previous is not None else None
    found = chart_of(session, wheel, result, previous, comparison)
    title = f"{found.title} · {wheel.label} · {session.held_on.isoformat()}"
    return charts.Chart(
        title,
        found.bars,
        found.value_heading,
        found.label_heading,
        found.note_heading,
        found.caption,
    )
