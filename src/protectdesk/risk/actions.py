"""Every write of a risk analysis, its scenarios and their components.

* Only staff members of the case analyse risk (everything written is under the staff key).
* Only the **newest** analysis of a case is edited (:class:`NotNewest` otherwise): a new one
  starts as a copy of the newest, so earlier analyses stay as they were, for comparison.
* Every rating is 1–5 and every component is one of the shipped list (``ValueError``
  otherwise: only a forged form sends one); a scenario's assessment is one of the case's
  (:class:`NotInCase`).
* Saving a scenario stores what :mod:`protectdesk.risk.compute` makes of it (index, bands),
  then the analysis's band (its worst scenario) and the case's current band (:class:`CaseRisk`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models.deletion import RestrictedError

from protectdesk import vocabularies
from protectdesk.accounts.models import User
from protectdesk.records import actions as records
from protectdesk.records.keyring import Keyring, NoCaseAccess
from protectdesk.records.models import Case
from protectdesk.risk import compute
from protectdesk.risk.models import Band, CaseRisk, Component, ComponentKind, RiskAnalysis, Scenario
from protectdesk.threats.models import ThreatAssessment


class NotNewest(Exception):
    """An earlier analysis was to be changed: it is kept as it was; the newest is editable."""


class NotInCase(ValueError):
    """An assessment, a scenario or an analysis of another case."""


@dataclass(frozen=True)
class AnalysisData:
    threshold: str
    summary: str = ""
    decider: str = ""


@dataclass(frozen=True)
class ComponentData:
    code: str
    kind: str
    rating: int
    note: str = ""


@dataclass(frozen=True)
class ScenarioData:
    title: str
    threat: int
    likelihood: int
    impact: int
    assessment_id: uuid.UUID | None = None
    notes: str = ""
    components: tuple[ComponentData, ...] = ()


def _require_staff(keyring: Keyring, case_id: uuid.UUID) -> None:
    if not keyring.has_staff_key(case_id):
        raise NoCaseAccess("only staff members of the case analyse risk")


def newest(case: Case) -> RiskAnalysis | None:
    return RiskAnalysis.objects.filter(case=case).order_by("-analysed_on", "-created_at").first()


def _require_newest(analysis: RiskAnalysis) -> None:
    latest = newest(analysis.case)
    if latest is None or latest.pk != analysis.pk:
        raise NotNewest


def start_analysis(*, actor: User, keyring: Keyring, case: Case) -> RiskAnalysis:
    """A new analysis dated today, its scenarios copied from the newest one (if any)."""
    _require_staff(keyring, case.id)
    with transaction.atomic():
        records.lock_case(case.pk, keyring)  # the copy opens values a rotation may re-seal
        previous = newest(case)
        analysis = RiskAnalysis(
            case=case,
            created_by=actor,
            threshold=previous.threshold if previous else Band.MEDIUM,
        )
        records.save(
            actor,
            keyring,
            analysis,
            {
                "summary": "",
                "decider": keyring.text(previous, "decider") if previous else "",
            },
            audit="risk_analysis.created",
        )
        for old in previous.scenarios.all() if previous else []:
            _copy_scenario(actor, keyring, analysis, old)
        _refresh_band(analysis)
    return analysis


def _copy_scenario(actor: User, keyring: Keyring, analysis: RiskAnalysis, old: Scenario) -> None:
    data = ScenarioData(
        title=keyring.text(old, "title"),
        threat=old.threat,
        likelihood=old.likelihood,
        impact=old.impact,
        assessment_id=old.assessment_id,
        notes=keyring.text(old, "notes"),
        components=tuple(
            ComponentData(c.code, c.kind, c.rating, keyring.text(c, "note"))
            for c in old.components.all()
        ),
    )
    _write_scenario(actor, keyring, analysis, Scenario(position=old.position), data, None)


def update_analysis(
    *,
    actor: User,
    keyring: Keyring,
    analysis: RiskAnalysis,
    data: AnalysisData,
    expected_version: int,
) -> RiskAnalysis:
    _require_staff(keyring, analysis.case_id)
    if data.threshold not in Band.values:
        raise ValueError(f"unknown band {data.threshold!r}")
    with transaction.atomic():
        records.lock_case(analysis.case_id)  # a new analysis started meanwhile waits, or we do
        current = RiskAnalysis.objects.get(pk=analysis.pk)
        _require_newest(current)
        current.threshold = data.threshold
        records.save(
            actor,
            keyring,
            current,
            {"summary": data.summary, "decider": data.decider},
            audit="risk_analysis.updated",
            expected_version=expected_version,
        )
        _refresh_band(current)
    return current


def _check(data: ScenarioData, case_id: uuid.UUID) -> None:
    for name in ("threat", "likelihood", "impact"):
        if not 1 <= getattr(data, name) <= 5:
            raise ValueError(f"{name} is rated 1 to 5")
    codes = vocabularies.load("risk_components").codes()
    seen = set()
    for component in data.components:
        if component.code not in codes or component.code in seen:
            raise ValueError(f"unknown or repeated component {component.code!r}")
        if component.kind not in ComponentKind.values or not 1 <= component.rating <= 5:
            raise ValueError("a component is a vulnerability or a capacity rated 1 to 5")
        seen.add(component.code)
    if (
        data.assessment_id is not None
        and not ThreatAssessment.objects.filter(case_id=case_id, pk=data.assessment_id).exists()
    ):
        raise NotInCase("an assessment of another case")


def save_scenario(
    *,
    actor: User,
    keyring: Keyring,
    analysis: RiskAnalysis,
    data: ScenarioData,
    scenario: Scenario | None = None,
    expected_version: int | None = None,
) -> Scenario:
    """Add a scenario to the newest analysis, or save an edited one (row version checked)."""
    _require_staff(keyring, analysis.case_id)
    _check(data, analysis.case_id)
    with transaction.atomic():
        records.lock_case(analysis.case_id)
        _require_newest(analysis)
        if scenario is None:
            position = analysis.scenarios.count()
            target = Scenario(position=position)
        else:
            if scenario.analysis_id != analysis.pk:
                raise NotInCase("a scenario of another analysis")
            target = Scenario.objects.select_for_update().get(pk=scenario.pk)
        saved = _write_scenario(actor, keyring, analysis, target, data, expected_version)
        _refresh_band(analysis)
    return saved


def _write_scenario(
    actor: User,
    keyring: Keyring,
    analysis: RiskAnalysis,
    scenario: Scenario,
    data: ScenarioData,
    expected_version: int | None,
) -> Scenario:
    order = vocabularies.load("risk_components").order()
    result = compute.assess(
        data.threat,
        data.likelihood,
        data.impact,
        [compute.Rated(c.code, c.kind, c.rating, order.get(c.code, 0)) for c in data.components],
    )
    adding = scenario._state.adding
    scenario.case_id = analysis.case_id
    scenario.analysis = analysis
    scenario.assessment_id = data.assessment_id
    scenario.threat, scenario.likelihood, scenario.impact = (
        data.threat,
        data.likelihood,
        data.impact,
    )
    scenario.index = result.index
    scenario.band = result.band or ""
    scenario.matrix_band = result.matrix_band
    records.save(
        actor,
        keyring,
        scenario,
        {"title": data.title, "notes": data.notes},
        audit="risk_scenario.created" if adding else "risk_scenario.updated",
        expected_version=expected_version,
        detail={"band": scenario.band, "matrix": result.matrix},
    )
    # The components are part of the scenario: its audit entry covers them.
    for old in scenario.components.all():
        records.delete(actor, keyring, old, audit=None)
    for component in data.components:
        row = Component(
            case_id=analysis.case_id,
            scenario=scenario,
            code=component.code,
            kind=component.kind,
            rating=component.rating,
        )
        records.save(actor, keyring, row, {"note": component.note}, audit=None)
    return scenario


class ScenarioInPlan(Exception):
    """A measure of a protection plan targets the scenario: removing it would change that
    plan's versions, which are kept as they were."""


def delete_scenario(*, actor: User, keyring: Keyring, scenario: Scenario) -> None:
    _require_staff(keyring, scenario.case_id)
    with transaction.atomic():
        records.lock_case(scenario.case_id)
        analysis = scenario.analysis
        _require_newest(analysis)
        try:
            with transaction.atomic():
                records.delete(actor, keyring, scenario, audit="risk_scenario.deleted")
        except RestrictedError:  # a plan's measure targets it (on_delete=RESTRICT)
            raise ScenarioInPlan from None
        _refresh_band(analysis)


def _refresh_band(analysis: RiskAnalysis) -> None:
    """The analysis's band (its worst scenario) and, for the newest, the case's."""
    band = compute.highest([s.band or None for s in analysis.scenarios.all()]) or ""
    RiskAnalysis.objects.filter(pk=analysis.pk).update(band=band)
    analysis.band = band
    latest = newest(analysis.case)
    if latest is not None and latest.pk == analysis.pk:
        CaseRisk.objects.update_or_create(
            case_id=analysis.case_id,
            defaults={
                "analysis": analysis,
                "band": band,
                "threshold": analysis.threshold,
                "analysed_on": analysis.analysed_on,
            },
        )
