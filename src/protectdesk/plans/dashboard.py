"""The coordinator's dashboard: where to look first, by case reference, from clear fields only.

Each number is a list of cases behind it (:func:`cases_for`); :func:`attention` ranks the
desk's cases by what needs a person now and says why, in plain sentences:

=========================================  ======
a missed check-in                          100
current risk very high · high              50 · 30
each escalation flag (+ worst severity)    10 (+1…5)
plan marked for early review               15
plan overdue for review · no plan at all   15 · 10 (when the risk is high or worse)
each measure past due                      5 (at most 4 counted)
=========================================  ======

No key is used and nothing decrypted: risk bands, flags, dates and statuses are statistics.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from protectdesk.accounts.models import User
from protectdesk.incidents.models import Incident
from protectdesk.lib import charts
from protectdesk.plans import queries
from protectdesk.plans.models import Measure, MeasureStatus, PlanVersion
from protectdesk.records.models import Case
from protectdesk.risk.models import Band, CaseRisk
from protectdesk.threats import queries as threat_queries

KINDS = (
    "overdue",
    "early",
    "flagged",
    "missed",
    "late",
    *(f"band-{b}" for b in Band.values),
    "band-none",
)


@dataclass
class CaseState:
    case: Case
    band: str = ""
    flags: int = 0
    worst: int = 0
    overdue: bool = False
    early: str = ""
    has_plan: bool = False
    missed: int = 0
    late: int = 0
    score: int = 0
    reasons: list[str] = field(default_factory=list)


def desk_states(viewer: User) -> dict[uuid.UUID, CaseState]:
    """Every open or monitored case of the viewer's desk, with what the dashboard counts.

    One query per kind of fact, each reading only the columns it counts (the pages show a
    case by its reference): the cost grows with the desk's open cases, not with their
    incidents (the flags come stored, ``threats.queries.standing_today``).
    """
    open_cases = Case.objects.filter(desk_id=viewer.desk_id).exclude(status="closed")
    cases = {c.id: CaseState(c) for c in open_cases.only("id", "reference")}
    ids = open_cases.values("id")  # a subquery: the desk's open cases, however many
    for case_id, band in CaseRisk.objects.filter(case_id__in=ids).values_list("case_id", "band"):
        cases[case_id].band = band
    for case_id, now in threat_queries.standing_today(open_cases).items():
        cases[case_id].flags = len(now.flags)
        cases[case_id].worst = now.gravity // 10
    today = timezone.localdate()
    newest = dict(
        PlanVersion.objects.filter(case_id__in=ids)
        .order_by()
        .values("case_id")
        .annotate(number=Max("number"))
        .values_list("case_id", "number")
    )
    current_ids = []
    for version_id, case_id, number, next_review, early in PlanVersion.objects.filter(
        case_id__in=ids
    ).values_list("id", "case_id", "number", "next_review", "early_review"):
        if newest.get(case_id) != number:
            continue
        state = cases[case_id]
        state.has_plan = True
        state.overdue = next_review < today
        state.early = early
        current_ids.append(version_id)
    late = (
        Measure.objects.filter(version_id__in=current_ids, due__lt=today)
        .exclude(status__in=[MeasureStatus.DONE, MeasureStatus.DROPPED])
        .values_list("case_id", flat=True)
    )
    for case_id in late:
        cases[case_id].late += 1
    for case_id in queries.missed_checkin_cases(ids):
        cases[case_id].missed += 1
    for state in cases.values():
        _score(state)
    return cases


def _score(state: CaseState) -> None:
    if state.missed:
        state.score += 100
        state.reasons.append(
            ngettext("%(n)s check-in missed.", "%(n)s check-ins missed.", state.missed)
            % {"n": state.missed}
        )
    if state.band in ("very_high", "high"):
        state.score += 50 if state.band == "very_high" else 30
        state.reasons.append(_("Risk %(band)s.") % {"band": Band(state.band).label.lower()})
    if state.flags:
        state.score += 10 * state.flags + state.worst
        state.reasons.append(
            ngettext("%(n)s escalation flag.", "%(n)s escalation flags.", state.flags)
            % {"n": state.flags}
        )
    if state.early:
        state.score += 15
        state.reasons.append(_("Plan marked for early review."))
    if state.overdue:
        state.score += 15
        state.reasons.append(_("Plan overdue for review."))
    if not state.has_plan and state.band in ("very_high", "high"):
        state.score += 10
        state.reasons.append(_("No protection plan yet."))
    if state.late:
        state.score += 5 * min(state.late, 4)
        state.reasons.append(
            ngettext("%(n)s measure past due.", "%(n)s measures past due.", state.late)
            % {"n": state.late}
        )


def counts(states: dict[uuid.UUID, CaseState]) -> dict[str, int]:
    found = {kind: len(cases_for(states, kind)) for kind in KINDS}
    return found


def cases_for(states: dict[uuid.UUID, CaseState], kind: str) -> list[CaseState]:
    """The cases behind one number of the dashboard, most urgent first."""
    if kind not in KINDS:
        raise KeyError(kind)
    tests: dict[str, Callable[[CaseState], bool]] = {
        "overdue": lambda s: s.overdue,
        "early": lambda s: bool(s.early),
        "flagged": lambda s: s.flags > 0,
        "missed": lambda s: s.missed > 0,
        "late": lambda s: s.late > 0,
        "band-none": lambda s: not s.band,
    }
    band = kind.removeprefix("band-")
    test = tests.get(kind) or (lambda s: s.band == band)
    return sorted(
        (s for s in states.values() if test(s)),
        key=lambda s: (-s.score, s.case.reference),
    )


def attention(states: dict[uuid.UUID, CaseState], limit: int = 3) -> list[CaseState]:
    """The cases that need attention first, and why."""
    return sorted(
        (s for s in states.values() if s.score > 0), key=lambda s: (-s.score, s.case.reference)
    )[:limit]


def incidents_per_month(viewer: User, months: int = 12) -> charts.Chart:
    """The desk's incidents per month over the last ``months`` months (clear months only)."""
    today = timezone.localdate()
    labels = []
    year, month = today.year, today.month
    for _n in range(months):
        labels.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    labels.reverse()
    counted = dict(
        Incident.objects.filter(case__desk_id=viewer.desk_id, month__in=labels)
        .values_list("month")
        .annotate(n=Count("*"))  # COUNT(*): answered from the (case, year, month) index
        .values_list("month", "n")
    )
    return charts.chart(
        _("Incidents per month, the whole desk"),
        [(label, counted.get(label, 0)) for label in labels],
        value_heading=_("Incidents"),
        label_heading=_("Month"),
    )
