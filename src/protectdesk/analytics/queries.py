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

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from protectdesk.accounts.models import User
from protectdesk.analytics import suppression
from protectdesk.analytics.catalogue import DIMENSIONS, NOT_RECORDED, UNITS, VIEWS, View, views_of
from protectdesk.analytics.models import AnalyticsSettings, Period
from protectdesk.analytics.suppression import Family, Query, Release, Table, Value
from protectdesk.cases.models import Consent, Defender
from protectdesk.incidents.models import Incident, IncidentPerpetrator
from protectdesk.plans.models import Measure, PlanVersion
from protectdesk.records.models import Case, CaseKind
from protectdesk.risk.models import RiskAnalysis
from protectdesk.threats import escalation
from protectdesk.threats.models import Escalation
from protectdesk.training.models import Participant

#: (values by dimension, party: the desk, subject: the case or the person)
Row = tuple[dict[str, Value], str, str]

#: The pool's parameters are the network's, fixed here, not any one desk's: if they followed
#: the members' settings, one coordinator could change them between two readings (raise k,
#: group periods differently) and read a small group off the difference.
POOL_K = 10
#: Every published group holds records of at least this many defenders (cases; for training,
#: participants): six incidents of one defender are six records but one person, and a group
#: of two lets one of them subtract their own and read the other's.
SUBJECTS = 3
POOL_PERIOD = Period.YEAR
POOL_REGIONS = False
#: Fewer desks than this, and the pool shows nothing: with two, each desk is the other's
#: complement and learns the existence of the other's small groups.
POOL_MINIMUM_DESKS = 3


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
    """The network's pool, if the viewer's desk takes part and at least
    :data:`POOL_MINIMUM_DESKS` do: every opted-in desk, with the network's fixed parameters."""
    if not settings_of(viewer.desk_id).pooled:
        return None
    members = tuple(
        AnalyticsSettings.objects.filter(pooled=True)
        .order_by("desk_id")
        .values_list("desk_id", flat=True)
    )
    if len(members) < POOL_MINIMUM_DESKS:
        return None
    return Scope(members, POOL_K, POOL_PERIOD, POOL_REGIONS, pooled=True)


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


def _main(values: object) -> str:
    """A defender's main sector: the first of theirs (as they were listed)."""
    return str(values[0]) if isinstance(values, list) and values else NOT_RECORDED


def _codes(values: object) -> frozenset[str]:
    return frozenset(str(v) for v in values) if isinstance(values, list) else frozenset()


# --- microdata: one query (or two) of clear columns per kind of record ------------------------


def _counted(scope: Scope) -> QuerySet[Case, dict[str, object]]:
    """The ids of the defenders' cases counted, as a subquery: of the scope's desks, whose
    defender's consent in force (the latest) includes "use in anonymised statistics". A case
    without that consent counts nowhere."""
    latest = (
        Consent.objects.filter(case=OuterRef("pk"))
        .order_by("-created_at")
        .values("anonymised_statistics")[:1]
    )
    return (
        Case.objects.filter(desk_id__in=scope.desks)
        .annotate(statistics=Subquery(latest))
        .filter(statistics=True)
        .values("pk")
    )


def _cases(scope: Scope) -> dict[uuid.UUID, str]:
    """The counted cases → their desk (the party)."""
    return {
        case_id: str(desk_id)
        for case_id, desk_id in Case.objects.filter(pk__in=_counted(scope)).values_list(
            "id", "desk_id"
        )
    }


def _incidents(scope: Scope) -> list[Row]:
    cases = _cases(scope)
    defenders = {
        case_id: (kind, gender, _main(sectors))
        for case_id, kind, gender, sectors in Defender.objects.filter(
            case__desk_id__in=scope.desks, case__kind=CaseKind.DEFENDER
        ).values_list("case_id", "kind", "gender", "sectors")
    }
    perpetrators: dict[uuid.UUID, set[str]] = defaultdict(set)
    for incident_id, actor_type in IncidentPerpetrator.objects.filter(
        case__in=_counted(scope)
    ).values_list("incident_id", "actor__actor_type"):
        perpetrators[incident_id].add(actor_type or NOT_RECORDED)
    rows: list[Row] = []
    for values in Incident.objects.filter(case__in=_counted(scope)).values_list(
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
        kind, gender, sector = defenders.get(case_id, (NOT_RECORDED, NOT_RECORDED, NOT_RECORDED))
        rows.append(
            (
                {
                    "period": period_of(month, year, scope.period),
                    "country": country or NOT_RECORDED,
                    "region": (subdivision or NOT_RECORDED) if scope.regions else NOT_RECORDED,
                    "type": _codes(types),
                    "perpetrator": frozenset(perpetrators.get(incident_id, ())),
                    "sector": sector,
                    "kind": kind or NOT_RECORDED,
                    "gender": gender or NOT_RECORDED,
                    "step": step or NOT_RECORDED,
                    "authority": authority or NOT_RECORDED,
                },
                cases.get(case_id, ""),
                str(case_id),
            )
        )
    return rows


def _analyses(scope: Scope) -> list[Row]:
    cases = _cases(scope)
    return [
        (
            {"band": band or NOT_RECORDED, "period": _day_period(day, scope.period)},
            cases.get(case_id, ""),
            str(case_id),
        )
        for case_id, band, day in RiskAnalysis.objects.filter(case__in=_counted(scope)).values_list(
            "case_id", "band", "analysed_on"
        )
    ]


def _escalations(scope: Scope) -> list[Row]:
    cases = _cases(scope)
    rows: list[Row] = []
    for case_id, flags, latest in Escalation.objects.filter(case__in=_counted(scope)).values_list(
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
                    cases.get(case_id, ""),
                    str(case_id),
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


def _current_versions(scope: Scope) -> QuerySet[PlanVersion]:
    """Each counted case's current plan version (the newest), as a queryset."""
    newest = (
        PlanVersion.objects.filter(case=OuterRef("case")).order_by("-number").values("number")[:1]
    )
    return PlanVersion.objects.filter(case__in=_counted(scope), number=Subquery(newest))


def _plans(scope: Scope) -> list[Row]:
    cases = _cases(scope)
    today = timezone.localdate()
    rows: list[Row] = []
    for case_id, next_review, early in _current_versions(scope).values_list(
        "case_id", "next_review", "early_review"
    ):
        state = "early_review" if early else "review_due" if next_review < today else "up_to_date"
        rows.append(({"plan": state}, cases.get(case_id, ""), str(case_id)))
    return rows


def _measures(scope: Scope) -> list[Row]:
    cases = _cases(scope)
    return [
        (
            {"status": status, "strategy": strategy or NOT_RECORDED},
            cases.get(case_id, ""),
            str(case_id),
        )
        for case_id, status, strategy in Measure.objects.filter(
            version__in=_current_versions(scope).values("pk")
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
            str(person),
        )
        for person, desk_id, starts_on, gender, sector in Participant.objects.filter(
            case__in=workshops, counted=True
        ).values_list("id", "case__desk_id", "workshop__starts_on", "gender", "sector")
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
    """The view's family for this scope: regions only where the desk shows them, countries
    only in the network's pool (a desk's own records split by country make groups of one or
    two defenders; a desk that works in several countries turns regions on)."""
    return tuple(
        d
        for d in view.dimensions
        if (d != "region" or scope.regions) and (d != "country" or scope.pooled)
    )


def family_of(view: View, scope: Scope) -> Family:
    return Family(view.slug, dimensions_of(view, scope))


def release_for(unit: str, scope: Scope) -> Release:
    """Every view of ``unit`` released together (suppression.release)."""
    families = [family_of(view, scope) for view in views_of(unit)]
    # A case whose consent changed between two reads of this request has no party: left out.
    rows = [row for row in _MICRODATA[unit](scope) if row[1]]
    return suppression.release(rows, families, scope.k, SUBJECTS)


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


def ordered_cells(table: Table) -> list[tuple[tuple[str, ...], int]]:
    """A table's cells (codes, count) in a stable order: periods in time; else by label,
    "not recorded" last."""
    return sorted(
        table.cells.items(),
        key=lambda item: [_order(d, c) for d, c in zip(table.by, item[0], strict=True)],
    )


def labelled(table: Table) -> Rows:
    """A table's cells with their labels, in :func:`ordered_cells` order."""
    return Rows(
        table.by,
        tuple(
            (
                tuple(DIMENSIONS[d].label_of(c) for d, c in zip(table.by, group, strict=True)),
                n,
            )
            for group, n in ordered_cells(table)
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


@dataclass(frozen=True)
class Published:
    """One view as released to a viewer: the pages, the CSV and the API all read this."""

    view: View
    scope: Scope
    release: Release
    filters: dict[str, frozenset[str]]
    tables: tuple[Table, ...]  # one per chart the scope shows (charts of regions may not)

    @property
    def withheld(self) -> int | None:
        """What may be said of the withheld records: in the pool only "none" (0) or "some"
        (None): a desk that knows how many of its own records there are could otherwise
        subtract them from the pool's exact number."""
        if not self.scope.pooled:
            return self.release.withheld_shown()
        return 0 if self.release.withheld == 0 else None


def publish(view: View, scope: Scope, raw: Mapping[str, Sequence[str]]) -> Published:
    """``view`` under the filters of ``raw`` (codes not offered are dropped), released for
    ``scope``; charts of dimensions the scope leaves out (regions) are skipped."""
    release = release_for(view.unit, scope)
    filters = clean_filters(raw, view, scope, release)
    shown = set(dimensions_of(view, scope))
    return Published(
        view,
        scope,
        release,
        filters,
        tuple(
            suppression.tabulate(release, Query(view.slug, by, filters))
            for by in view.charts
            if set(by) <= shown
        ),
    )


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
