"""Reads for analytics: the clear statistical fields of a desk's records (or of the network's
opted-in desks), turned into the suppression engine's microdata, and the published tables.

Only ``statistical`` columns are read (``values_list`` of codes, months, dates and ids), of
defenders' cases (``Case.objects``) and of the desk's workshops for training reach: nothing is
decrypted and no keyring is needed, so an analyst who is a member of nothing sees the same.
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone

from protectdesk.accounts.models import User
from protectdesk.analytics import suppression
from protectdesk.analytics.catalogue import DIMENSIONS, NOT_RECORDED, UNITS, VIEWS, View, views_of
from protectdesk.analytics.models import PERIOD_ORDER, AnalyticsSettings, Period
from protectdesk.analytics.suppression import Family, Query, Release, Table, Value
from protectdesk.cases.models import Defender
from protectdesk.incidents.models import Incident, IncidentPerpetrator
from protectdesk.plans.models import Measure, PlanVersion
from protectdesk.records.models import Case, CaseKind
from protectdesk.risk.models import RiskAnalysis
from protectdesk.threats import escalation
from protectdesk.threats.models import Escalation
from protectdesk.training.models import Participant

Row = tuple[dict[str, Value], str]


def settings_of(desk_id: uuid.UUID) -> AnalyticsSettings:
    """The desk's settings, or the defaults (not saved) if a coordinator never changed them."""
    found = AnalyticsSettings.objects.filter(desk_id=desk_id).first()
    return found or AnalyticsSettings(desk_id=desk_id)


@dataclass(frozen=True)
class Scope:
    """Whose records are counted, and how coarsely: the desk's own, or the network's pool."""

    desks: tuple[uuid.UUID, ...]
    k: int
    period: str
    regions: bool
    pooled: bool

    @property
    def parties(self) -> int:
        return len(self.desks)


def own_scope(viewer: User) -> Scope:
    chosen = settings_of(viewer.desk_id)
    return Scope((viewer.desk_id,), chosen.k, chosen.period, chosen.regions, pooled=False)


def pool_scope(viewer: User) -> Scope | None:
    """The network's pool, if the viewer's desk takes part: every opted-in desk, with the
    largest k, the coarsest period and regions only if every desk shows them."""
    if not settings_of(viewer.desk_id).pooled:
        return None
    members = list(AnalyticsSettings.objects.filter(pooled=True).order_by("desk_id"))
    return Scope(
        tuple(m.desk_id for m in members),
        max(m.k for m in members),
        max((m.period for m in members), key=lambda p: PERIOD_ORDER.index(Period(p))),
        all(m.regions for m in members),
        pooled=True,
    )


def pool_size() -> int:
    return AnalyticsSettings.objects.filter(pooled=True).count()


# --- codes ------------------------------------------------------------------------------------


def period_of(month: str, year: int | None, period: str) -> str:
    """A month ("YYYY-MM", or empty with a year) at the chosen coarseness."""
    if not month:
        if year is None:
            return NOT_RECORDED
        return str(year) if period == Period.YEAR else f"{year}-x"
    if period == Period.YEAR:
        return month[:4]
    if period == Period.QUARTER:
        return f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"
    return month


def _day_period(day: datetime.date | None, period: str) -> str:
    return NOT_RECORDED if day is None else period_of(f"{day:%Y-%m}", day.year, period)


def _codes(values: object) -> frozenset[str]:
    return frozenset(str(v) for v in values) if isinstance(values, list) else frozenset()


# --- microdata: one query (or two) of clear columns per kind of record ------------------------


def _cases(scope: Scope) -> dict[uuid.UUID, str]:
    """The defenders' cases counted → their desk (the party)."""
    return {
        case_id: str(desk_id)
        for case_id, desk_id in Case.objects.filter(desk_id__in=scope.desks).values_list(
            "id", "desk_id"
        )
    }


def _incidents(scope: Scope) -> list[Row]:
    cases = _cases(scope)
    defenders = {
        case_id: (kind, gender, _codes(sectors))
        for case_id, kind, gender, sectors in Defender.objects.filter(
            case__desk_id__in=scope.desks, case__kind=CaseKind.DEFENDER
        ).values_list("case_id", "kind", "gender", "sectors")
    }
    perpetrators: dict[uuid.UUID, set[str]] = defaultdict(set)
    for incident_id, actor_type in IncidentPerpetrator.objects.filter(
        case__desk_id__in=scope.desks, case__kind=CaseKind.DEFENDER
    ).values_list("incident_id", "actor__actor_type"):
        perpetrators[incident_id].add(actor_type or NOT_RECORDED)
    rows: list[Row] = []
    for values in Incident.objects.filter(case_id__in=list(cases)).values_list(
        "id",
        "case_id",
        "month",
        "year",
        "country",
        "subdivision",
        "types",
        "step",
        "authority_response",
    ):
        incident_id, case_id, month, year, country, subdivision, types, step, authority = values
        kind, gender, sectors = defenders.get(case_id, (NOT_RECORDED, NOT_RECORDED, frozenset()))
        rows.append(
            (
                {
                    "period": period_of(month, year, scope.period),
                    "country": country or NOT_RECORDED,
                    "region": (subdivision or NOT_RECORDED) if scope.regions else NOT_RECORDED,
                    "type": _codes(types),
                    "perpetrator": frozenset(perpetrators.get(incident_id, ())),
                    "sector": sectors,
                    "kind": kind or NOT_RECORDED,
                    "gender": gender or NOT_RECORDED,
                    "step": step or NOT_RECORDED,
                    "authority": authority or NOT_RECORDED,
                },
                cases[case_id],
            )
        )
    return rows


def _analyses(scope: Scope) -> list[Row]:
    cases = _cases(scope)
    return [
        ({"band": band or NOT_RECORDED, "period": _day_period(day, scope.period)}, cases[case_id])
        for case_id, band, day in RiskAnalysis.objects.filter(case_id__in=list(cases)).values_list(
            "case_id", "band", "analysed_on"
        )
    ]


def _escalations(scope: Scope) -> list[Row]:
    cases = _cases(scope)
    rows: list[Row] = []
    for case_id, flags, latest in Escalation.objects.filter(case_id__in=list(cases)).values_list(
        "case_id", "flags", "latest_month"
    ):
        month = latest or ""
        codes = {str(flag.get("code", "")) for flag in flags or [] if isinstance(flag, dict)}
        worst = next((code for code in FLAG_PRECEDENCE if code in codes), "")
        if worst:
            rows.append(
                (
                    {
                        "flag": worst,
                        "period": period_of(
                            month if len(month) == 7 else "",
                            int(month[:4]) if month[:4].isdigit() else None,
                            scope.period,
                        ),
                    },
                    cases[case_id],
                )
            )
    return rows


#: A case counts once, under its most serious flag (a set of flags per case would make so
#: many groups that hardly any reaches k).
FLAG_PRECEDENCE = (
    escalation.LIKELY_THREAT,
    escalation.THREAT_THEN_PHYSICAL,
    escalation.SEVERITY_RISING,
    escalation.REPEATED_PERPETRATOR,
    escalation.MORE_OFTEN,
)


def _current_versions(cases: Mapping[uuid.UUID, str]) -> dict[uuid.UUID, uuid.UUID]:
    """Each case's current plan version (the newest) → its case."""
    newest = dict(
        PlanVersion.objects.filter(case_id__in=list(cases))
        .order_by()
        .values("case_id")
        .annotate(number=Max("number"))
        .values_list("case_id", "number")
    )
    return {
        version_id: case_id
        for version_id, case_id, number in PlanVersion.objects.filter(
            case_id__in=list(cases)
        ).values_list("id", "case_id", "number")
        if newest.get(case_id) == number
    }


def _plans(scope: Scope) -> list[Row]:
    cases = _cases(scope)
    current = _current_versions(cases)
    today = timezone.localdate()
    rows: list[Row] = []
    for case_id, next_review, early in PlanVersion.objects.filter(id__in=list(current)).values_list(
        "case_id", "next_review", "early_review"
    ):
        state = "early_review" if early else "review_due" if next_review < today else "up_to_date"
        rows.append(({"plan": state}, cases[case_id]))
    return rows


def _measures(scope: Scope) -> list[Row]:
    cases = _cases(scope)
    current = _current_versions(cases)
    return [
        ({"status": status, "strategy": strategy or NOT_RECORDED}, cases[case_id])
        for case_id, status, strategy in Measure.objects.filter(
            version_id__in=list(current)
        ).values_list("case_id", "status", "strategy")
    ]


def _participants(scope: Scope) -> list[Row]:
    workshops = Case.compartments.filter(desk_id__in=scope.desks, kind=CaseKind.WORKSHOP)
    return [
        (
            {
                "period": _day_period(starts_on, scope.period),
                "gender": gender or NOT_RECORDED,
                "participant_sector": sector or NOT_RECORDED,
            },
            str(desk_id),
        )
        for desk_id, starts_on, gender, sector in Participant.objects.filter(
            case__in=workshops
        ).values_list("case__desk_id", "workshop__starts_on", "gender", "sector")
    ]


_MICRODATA = {
    "incidents": _incidents,
    "analyses": _analyses,
    "escalations": _escalations,
    "plans": _plans,
    "measures": _measures,
    "participants": _participants,
}
assert set(_MICRODATA) == set(UNITS)  # noqa: S101 — a catalogue/reader mismatch is a bug


# --- families and tables ----------------------------------------------------------------------


def dimensions_of(view: View, scope: Scope) -> tuple[str, ...]:
    """The view's family for this scope: regions only where the desk (or pool) shows them."""
    return tuple(d for d in view.dimensions if d != "region" or scope.regions)


def family_of(view: View, scope: Scope) -> Family:
    return Family(view.slug, dimensions_of(view, scope))


def release_for(unit: str, scope: Scope) -> Release:
    """Every view of ``unit`` released together (suppression.release)."""
    families = [family_of(view, scope) for view in views_of(unit)]
    return suppression.release(_MICRODATA[unit](scope), families, scope.k)


@dataclass(frozen=True)
class Rows:
    """One published table as the page and the CSV show it: labelled groups and counts."""

    by: tuple[str, ...]
    rows: tuple[tuple[tuple[str, ...], int], ...]  # (labels, count), in the page's order
    total: int


def _order(dimension: str, code: str) -> tuple[int, object]:
    dim = DIMENSIONS[dimension]
    key = dim.order(code) if dim.order else dim.label_of(code).casefold()
    return (1 if code == NOT_RECORDED else 0, key)


def labelled(table: Table) -> Rows:
    """A table's cells with their labels, in a stable order (periods in time; else by label,
    "not recorded" last)."""
    groups = sorted(
        table.cells.items(),
        key=lambda item: [_order(d, c) for d, c in zip(table.by, item[0], strict=True)],
    )
    return Rows(
        table.by,
        tuple(
            (
                tuple(DIMENSIONS[d].label_of(c) for d, c in zip(table.by, group, strict=True)),
                n,
            )
            for group, n in groups
        ),
        table.total,
    )


def filter_choices(
    published: Release, view: View, scope: Scope
) -> dict[str, list[tuple[str, str]]]:
    """The codes a filter may pick: those seen in a surviving atom (a code whose records were
    all withheld is not offered, so the list says nothing either)."""
    choices: dict[str, list[tuple[str, str]]] = {}
    for dimension in dimensions_of(view, scope):
        codes = sorted(published.codes(view.slug, dimension), key=lambda c: _order(dimension, c))
        choices[dimension] = [(c, DIMENSIONS[dimension].label_of(c)) for c in codes]
    return choices


def tables(
    published: Release,
    view: View,
    scope: Scope,
    filters: Mapping[str, frozenset[str]],
) -> list[Rows]:
    """The view's charts (one table each), under ``filters``; charts of dimensions the scope
    leaves out (regions) are skipped."""
    shown = dimensions_of(view, scope)
    out = []
    for by in view.charts:
        if not set(by) <= set(shown):
            continue
        out.append(labelled(suppression.tabulate(published, Query(view.slug, by, filters))))
    return out


def clean_filters(
    raw: Mapping[str, Sequence[str]], view: View, scope: Scope, published: Release
) -> dict[str, frozenset[str]]:
    """Filters from the query string, keeping only codes offered by ``filter_choices``."""
    choices = filter_choices(published, view, scope)
    kept = {}
    for dimension, offered in choices.items():
        allowed = {code for code, _label in offered}
        picked = frozenset(c for c in raw.get(dimension, ()) if c in allowed)
        if picked:
            kept[dimension] = picked
    return kept


def view_of(slug: str) -> View | None:
    return VIEWS.get(slug)
