"""The edit forms the concurrency scenarios open: one entry per kind of record two people can
edit at once, each made through the module's own actions.

An entry knows its page, the text field the two people change, how to read what is stored,
and the first sentence of the conflict message its page gives the one who saved second.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.urls import reverse

from protectdesk.cases import actions as case_actions
from protectdesk.incidents import actions as incident_actions
from protectdesk.incidents.models import Actor, Incident
from protectdesk.plans import actions as plan_actions
from protectdesk.plans.models import Contingency, Measure, PlanVersion, Protocol
from protectdesk.records.keyring import encrypted_fields_of
from protectdesk.risk import actions as risk_actions
from protectdesk.risk.models import RiskAnalysis, Scenario
from protectdesk.threats import actions as threat_actions
from protectdesk.threats.models import ThreatAssessment
from tests.conftest import Desks, keyring_of
from tests.incidents.helpers import log_incident_with


@dataclass(frozen=True)
class Made:
    url: str
    record: models.Model  # the row the form edits (re-read from the database to check it)


@dataclass(frozen=True)
class Kind:
    name: str
    make: Callable[[Desks], Made]
    field: str  # the text field both people change
    message: str  # the msgid the loser's page starts its alert with


def two_members(desks: Desks) -> None:
    """caseworker2 joins the case: two staff members of it."""
    case_actions.add_member(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        case=desks.case,
        user=desks.caseworker2,
    )


def _incident(desks: Desks) -> Made:
    incident = log_incident_with(desks.caseworker, desks.case, narrative="As first logged")
    return Made(reverse("incidents:edit", args=[desks.case.id, incident.id]), incident)


def _plan_version(desks: Desks) -> PlanVersion:
    return plan_actions.start_plan(
        actor=desks.caseworker, keyring=keyring_of(desks.caseworker), case=desks.case
    )


def _plan(desks: Desks) -> Made:
    return Made(reverse("plans:edit", args=[desks.case.id]), _plan_version(desks))


def _measure(desks: Desks) -> Made:
    measure = plan_actions.save_measure(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        version=_plan_version(desks),
        data=plan_actions.MeasureData("Accompany her home", "protection"),
    )
    return Made(reverse("plans:measure", args=[desks.case.id, measure.id]), measure)


def _protocol(desks: Desks) -> Made:
    protocol = plan_actions.save_protocol(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        version=_plan_version(desks),
        kind="meetings",
        text="Vary the places",
    )
    return Made(reverse("plans:protocol", args=[desks.case.id, "meetings"]), protocol)


def _contingency(desks: Desks) -> Made:
    plan = plan_actions.save_contingency(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        version=_plan_version(desks),
        kind="raid",
        data=plan_actions.ContingencyData("1. Call the lawyer.", "The desk", "Lawyer: 000"),
    )
    return Made(reverse("plans:contingency", args=[desks.case.id, "raid"]), plan)


def _analysis(desks: Desks) -> RiskAnalysis:
    return risk_actions.start_analysis(
        actor=desks.caseworker, keyring=keyring_of(desks.caseworker), case=desks.case
    )


def _risk_analysis(desks: Desks) -> Made:
    analysis = _analysis(desks)
    return Made(reverse("risk:analysis", args=[desks.case.id, analysis.id]), analysis)


def _risk_scenario(desks: Desks) -> Made:
    analysis = _analysis(desks)
    scenario = risk_actions.save_scenario(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        analysis=analysis,
        data=risk_actions.ScenarioData(
            "Attack on the road",
            4,
            3,
            4,
            components=(risk_actions.ComponentData("exposure", "vulnerability", 4),),
        ),
    )
    return Made(reverse("risk:scenario", args=[desks.case.id, analysis.id, scenario.id]), scenario)


def _threat_assessment(desks: Desks) -> Made:
    incident = log_incident_with(desks.caseworker, desks.case)
    assessment = threat_actions.start_assessment(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        case=desks.case,
        facts=threat_actions.Facts("Threat at the market", "He said so.", (incident.id,)),
    )
    return Made(reverse("threats:step", args=[desks.case.id, assessment.id, 2]), assessment)


def _threat_actor(desks: Desks) -> Made:
    actor = incident_actions.add_actor(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        case=desks.case,
        actor_type="company_national",
        name="Minera Ejemplo",
    )
    return Made(reverse("threats:edit_actor", args=[desks.case.id, actor.id]), actor)


KINDS = [
    Kind("incident", _incident, "narrative", "Someone saved this incident while you were editing it."),
    Kind("plan", _plan, "threats_to_reduce", "Someone saved the plan while you were editing. Their version:"),
    Kind("plan_measure", _measure, "description", "Someone saved this measure while you were editing. Their version:"),
    Kind("plan_protocol", _protocol, "text", "Someone saved this while you were editing. What they saved:"),
    Kind("plan_contingency", _contingency, "steps", "Someone saved this while you were editing. What they saved:"),
    Kind("risk_analysis", _risk_analysis, "summary", "Someone saved this analysis while you were editing. What they saved:"),
    Kind("risk_scenario", _risk_scenario, "title", "Someone saved this scenario while you were editing. Their version:"),
    Kind("threat_assessment", _threat_assessment, "pattern", "Someone saved this assessment while you were editing. What they saved:"),
    Kind("threat_actor", _threat_actor, "name", "Someone saved this actor while you were editing. Their version:"),
]  # fmt: skip

#: Each kind's model, to re-read a record as stored.
MODELS: dict[str, type[models.Model]] = {
    "incident": Incident,
    "plan": PlanVersion,
    "plan_measure": Measure,
    "plan_protocol": Protocol,
    "plan_contingency": Contingency,
    "risk_analysis": RiskAnalysis,
    "risk_scenario": Scenario,
    "threat_assessment": ThreatAssessment,
    "threat_actor": Actor,
}


def stored(desks: Desks, record: models.Model) -> dict[str, Any]:
    """Every field of ``record`` as it is stored now, encrypted ones opened: what "kept
    exactly" compares (the row version and the time of the last change included)."""
    fresh = type(record)._default_manager.get(pk=record.pk)
    keyring = keyring_of(desks.caseworker)
    sealed = encrypted_fields_of(type(record))
    values: dict[str, Any] = {
        f.attname: getattr(fresh, f.attname)
        for f in fresh._meta.concrete_fields
        if f.name not in sealed
    }
    values.update({name: keyring.open_value(fresh, name) for name in sealed})
    return values
