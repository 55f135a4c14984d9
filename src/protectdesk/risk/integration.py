"""How risk plugs into the floor: record types, its section of the case page, routes, audit
codes and its canary writer."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import User
from protectdesk.audit import codes
from protectdesk.records import registry
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case
from protectdesk.records.registry import RecordType, RouteRule, Section
from protectdesk.risk import actions, queries
from protectdesk.risk.models import Component, RiskAnalysis, Scenario


def _analysis_page(case: Case, record_id: Any) -> str:
    return reverse("risk:analysis", args=[case.id, record_id])


def _scenario_page(case: Case, record_id: Any) -> str:
    scenario = Scenario.objects.get(case=case, pk=record_id)
    return reverse("risk:scenario", args=[case.id, scenario.analysis_id, scenario.pk])


def _component_page(case: Case, record_id: Any) -> str:
    component = Component.objects.select_related("scenario").get(case=case, pk=record_id)
    return reverse(
        "risk:scenario", args=[case.id, component.scenario.analysis_id, component.scenario_id]
    )


def _case_section(request: HttpRequest, case: Case, keyring: Keyring) -> dict[str, Any]:
    current = queries.current_risk(case)
    return {
        "risk": current,
        "risk_band_label": queries.band_label(current.band or None) if current else "",
        "risk_above": queries.above_threshold(current.band or None, current.threshold)
        if current
        else False,
    }


def register() -> None:
    registry.register_urls("", "protectdesk.risk.urls")
    registry.register(RecordType(RiskAnalysis, _("Risk analysis"), _analysis_page))
    registry.register(RecordType(Scenario, _("Threat scenario"), _scenario_page))
    registry.register(RecordType(Component, _("Vulnerability or capacity"), _component_page))
    registry.register_section(
        Section("risk", "risk/_case_section.html", _case_section, order=33, staff_only=True)
    )
    codes.register(
        {
            "risk_analysis.created": _("Risk analysis started"),
            "risk_analysis.updated": _("Risk analysis saved"),
            "risk_analysis.viewed": _("Risk analysis viewed"),
            "risk_scenario.created": _("Threat scenario added"),
            "risk_scenario.updated": _("Threat scenario saved"),
            "risk_scenario.deleted": _("Threat scenario removed"),
        }
    )
    registry.register_routes(
        {
            "risk:analyses": RouteRule("GET", "case", member=200),
            "risk:latest": RouteRule("GET", "case", member=302),
            "risk:analysis": RouteRule("GET", "case", member=200, sample=_sample_analysis),
            "risk:new_scenario": RouteRule("GET", "case", member=200, sample=_sample_analysis),
            "risk:scenario": RouteRule("GET", "case", member=200, sample=_sample_scenario),
            "risk:delete_scenario": RouteRule("POST", "case", member=302, sample=_sample_scenario),
        }
    )
    registry.register_canary(["risk.RiskAnalysis", "risk.Scenario", "risk.Component"], _canary)


def _sample_analysis(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    return {"analysis_id": actions.start_analysis(actor=actor, keyring=keyring, case=case).id}


def _sample_scenario(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    analysis = actions.start_analysis(actor=actor, keyring=keyring, case=case)
    scenario = actions.save_scenario(
        actor=actor,
        keyring=keyring,
        analysis=analysis,
        data=actions.ScenarioData("Sample", 3, 3, 3),
    )
    return {"analysis_id": analysis.id, "scenario_id": scenario.id}


def _canary(actor: User, keyring: Keyring, case: Case, values: dict[str, dict[str, str]]) -> None:
    analysis = actions.start_analysis(actor=actor, keyring=keyring, case=case)
    text = values["risk.RiskAnalysis"]
    analysis = actions.update_analysis(
        actor=actor,
        keyring=keyring,
        analysis=analysis,
        data=actions.AnalysisData("medium", text["summary"], text["decider"]),
        expected_version=analysis.row_version,
    )
    scenario = values["risk.Scenario"]
    actions.save_scenario(
        actor=actor,
        keyring=keyring,
        analysis=analysis,
        data=actions.ScenarioData(
            scenario["title"],
            4,
            4,
            5,
            notes=scenario["notes"],
            components=(
                actions.ComponentData(
                    "exposure", "vulnerability", 5, values["risk.Component"]["note"]
                ),
                actions.ComponentData("networks", "capacity", 2),
            ),
        ),
    )
    # A second analysis copies the first: the copies are sealed like the originals.
    actions.start_analysis(actor=actor, keyring=keyring, case=case)
