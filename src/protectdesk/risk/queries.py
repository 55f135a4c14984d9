"""Reading risk analyses: each scenario computed and explained, and what changed since."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from protectdesk import vocabularies
from protectdesk.lib import charts
from protectdesk.records.keyring import Keyring, Opened
from protectdesk.records.models import Case
from protectdesk.risk import compute
from protectdesk.risk.models import Band, CaseRisk, RiskAnalysis, Scenario
from protectdesk.threats.models import ThreatAssessment


def band_label(band: str | None) -> str:
    return str(Band(band).label) if band else _("not computed yet")


@dataclass
class ScenarioView:
    scenario: Scenario
    opened: Opened
    result: compute.Result
    assessment_title: str
    vulnerabilities: list[dict[str, Any]] = field(default_factory=list)
    capacities: list[dict[str, Any]] = field(default_factory=list)
    index_text: str = ""
    matrix_text: str = ""
    drivers_text: str = ""
    change_text: str = ""


def _result(scenario: Scenario, order: dict[str, int]) -> compute.Result:
    return compute.assess(
        scenario.threat,
        scenario.likelihood,
        scenario.impact,
        [
            compute.Rated(c.code, c.kind, c.rating, order.get(c.code, 0))
            for c in scenario.components.all()
        ],
    )


def _number(value: float | None) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value is not None else "—"


def _key(scenario: Scenario, title: str) -> str:
    return f"a:{scenario.assessment_id}" if scenario.assessment_id else f"t:{title.casefold()}"


def scenarios_of(keyring: Keyring, analysis: RiskAnalysis) -> list[ScenarioView]:
    """The analysis's scenarios, computed and explained, with the change since the previous."""
    components = vocabularies.load("risk_components")
    order = components.order()
    previous = (
        RiskAnalysis.objects.filter(case_id=analysis.case_id)
        .exclude(pk=analysis.pk)
        .filter(created_at__lt=analysis.created_at)
        .order_by("-created_at")
        .first()
    )
    before: dict[str, compute.Result] = {}
    if previous is not None:
        for old in previous.scenarios.prefetch_related("components"):
            before[_key(old, str(keyring.opened(old).title))] = _result(old, order)
    titles = {
        a.pk: str(keyring.opened(a).title)
        for a in ThreatAssessment.objects.filter(case_id=analysis.case_id)
    }
    views = []
    for scenario in analysis.scenarios.prefetch_related("components"):
        opened = keyring.opened(scenario)
        result = _result(scenario, order)
        view = ScenarioView(
            scenario,
            opened,
            result,
            titles.get(scenario.assessment_id, ""),  # type: ignore[arg-type]
        )
        for component in sorted(scenario.components.all(), key=lambda c: order.get(c.code, 0)):
            row = {
                "component": component,
                "label": components.label(component.code),
                "note": keyring.opened(component).note,
            }
            (view.vulnerabilities if component.kind == "vulnerability" else view.capacities).append(
                row
            )
        view.index_text = _index_text(scenario, result)
        view.matrix_text = _(
            "Likelihood %(likelihood)s × impact %(impact)s = %(score)s of 25: %(band)s."
        ) % {
            "likelihood": scenario.likelihood,
            "impact": scenario.impact,
            "score": result.matrix,
            "band": band_label(result.matrix_band).lower(),
        }
        view.drivers_text = _drivers_text(result, components)
        if previous is not None:
            view.change_text = _change_text(
                compute.Change(
                    _key(scenario, str(opened.title)),
                    before.get(_key(scenario, str(opened.title))),
                    result,
                ),
                previous,
            )
        views.append(view)
    return views


def _index_text(scenario: Scenario, result: compute.Result) -> str:
    if result.index is None:
        missing = (
            _("no vulnerability is rated yet")
            if result.mean_vulnerability is None
            else _("no capacity is rated yet")
        )
        return _("No index yet: %(missing)s for this threat.") % {"missing": missing}
    return _(
        "Index %(index)s = threat %(threat)s × vulnerabilities %(vulnerability)s ÷ capacities "
        "%(capacity)s: %(band)s."
    ) % {
        "index": _number(result.index),
        "threat": scenario.threat,
        "vulnerability": _number(result.mean_vulnerability),
        "capacity": _number(result.mean_capacity),
        "band": band_label(result.band).lower(),
    }


def _drivers_text(result: compute.Result, components: Any) -> str:
    if not result.drivers:
        return _(
            "No component pushes this risk up: none is a high vulnerability or a low capacity."
        )
    parts = []
    for rated in result.drivers[:3]:
        kind = _("vulnerability") if rated.kind == compute.VULNERABILITY else _("capacity")
        parts.append(f"{components.label(rated.code)} ({kind} {rated.rating})")
    return _("What pushes it up most: %(list)s.") % {"list": "; ".join(parts)}


def _change_text(change: compute.Change, previous: RiskAnalysis) -> str:
    day = previous.analysed_on.isoformat()
    if change.before is None:
        return _("New since the analysis of %(day)s.") % {"day": day}
    if change.before.band is None or change.after is None or change.after.band is None:
        return _("Not comparable with the analysis of %(day)s (no index then or now).") % {
            "day": day
        }
    values = {
        "day": day,
        "before": band_label(change.before.band).lower(),
        "after": band_label(change.after.band).lower(),
        "was": _number(change.before.index),
        "now": _number(change.after.index),
    }
    if change.direction > 0:
        return (
            _("Higher than on %(day)s: %(before)s → %(after)s (index %(was)s → %(now)s).") % values
        )
    if change.direction < 0:
        return (
            _("Lower than on %(day)s: %(before)s → %(after)s (index %(was)s → %(now)s).") % values
        )
    return _("The same band as on %(day)s: %(after)s (index %(was)s → %(now)s).") % values


def dropped_since(keyring: Keyring, analysis: RiskAnalysis) -> list[str]:
    """Titles of the previous analysis's scenarios that this one no longer has."""
    previous = (
        RiskAnalysis.objects.filter(case_id=analysis.case_id, created_at__lt=analysis.created_at)
        .order_by("-created_at")
        .first()
    )
    if previous is None:
        return []
    now = {_key(s, str(keyring.opened(s).title)) for s in analysis.scenarios.all()}
    return [
        str(keyring.opened(s).title)
        for s in previous.scenarios.all()
        if _key(s, str(keyring.opened(s).title)) not in now
    ]


def analyses_of(case: Case) -> list[RiskAnalysis]:
    return list(RiskAnalysis.objects.filter(case=case).order_by("-analysed_on", "-created_at"))


def analysis_in_case(case: Case, analysis_id: Any) -> RiskAnalysis | None:
    return RiskAnalysis.objects.filter(case=case, pk=analysis_id).first()


def scenario_in(analysis: RiskAnalysis, scenario_id: Any) -> Scenario | None:
    return analysis.scenarios.filter(pk=scenario_id).first()


def current_risk(case: Case) -> CaseRisk | None:
    return CaseRisk.objects.filter(case=case).select_related("analysis").first()


def above_threshold(band: str | None, threshold: str) -> bool:
    return band is not None and compute.BANDS.index(band) > compute.BANDS.index(threshold)


def assessment_choices(keyring: Keyring, case: Case) -> list[tuple[str, str]]:
    return [
        (str(a.pk), f"{keyring.opened(a).title} · {a.steps_done}/5")
        for a in ThreatAssessment.objects.filter(case=case)
    ]


def scenario_ids(case: Case) -> list[uuid.UUID]:
    return list(Scenario.objects.filter(case=case).values_list("pk", flat=True))


def assessments_without_scenario(
    keyring: Keyring, analysis: RiskAnalysis
) -> list[tuple[uuid.UUID, str]]:
    """Concluded assessments of the case that no scenario of this analysis rests on yet."""
    used = set(analysis.scenarios.values_list("assessment_id", flat=True))
    return [
        (a.pk, str(keyring.opened(a).title))
        for a in ThreatAssessment.objects.filter(case_id=analysis.case_id, steps_done__gte=5)
        if a.pk not in used
    ]


def history_chart(analyses: list[RiskAnalysis]) -> charts.Chart:
    """The case's risk over time: each analysis's highest index (oldest first), its band."""
    rows, tones, notes = [], [], []
    for analysis in sorted(analyses, key=lambda a: (a.analysed_on, a.created_at)):
        indexes = [s.index for s in analysis.scenarios.all() if s.index is not None]
        rows.append((analysis.analysed_on.isoformat(), max(indexes) if indexes else None))
        tones.append(f"band-{analysis.band}" if analysis.band else "")
        notes.append(band_label(analysis.band or None))
    return charts.chart(
        _("Risk over time"),
        rows,
        maximum=25,
        value_heading=_("Highest index (0.2–25)"),
        label_heading=_("Analysis"),
        tones=tones,
        notes=notes,
        note_heading=_("Band"),
    )
