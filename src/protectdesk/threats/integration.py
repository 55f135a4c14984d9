"""How the threats module plugs into the floor: record types, the case-page section, routes,
audit codes, the watch that keeps the escalation flags current, and its canary writer."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import ACCOUNT_MANAGERS, User
from protectdesk.audit import codes
from protectdesk.incidents import actions as incident_actions
from protectdesk.incidents.models import Actor, Incident
from protectdesk.records import registry
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case
from protectdesk.records.registry import NavEntry, RecordType, RouteRule, Section
from protectdesk.threats import actions, queries
from protectdesk.threats.models import ActorRelation, AssessmentVersion, ThreatAssessment


def _actors_page(case: Case, _record_id: Any) -> str:
    return reverse("threats:actors", args=[case.id])


def _assessment_page(case: Case, record_id: Any) -> str:
    return reverse("threats:detail", args=[case.id, record_id])


def _version_page(case: Case, record_id: Any) -> str:
    version = AssessmentVersion.objects.get(case=case, pk=record_id)
    return reverse("threats:version", args=[case.id, version.assessment_id, version.number])


def _case_section(request: HttpRequest, case: Case, keyring: Keyring) -> dict[str, Any]:
    return {
        "case_flags": queries.case_flags(keyring, case),
        "assessments": queries.assessments_of(keyring, case),
    }


def register() -> None:
    registry.register_urls("", "protectdesk.threats.urls")
    registry.register(RecordType(Actor, _("Actor"), _actors_page))
    registry.register(RecordType(ActorRelation, _("Relation between actors"), _actors_page))
    registry.register(RecordType(ThreatAssessment, _("Threat assessment"), _assessment_page))
    registry.register(
        RecordType(AssessmentVersion, _("Earlier version of an assessment"), _version_page)
    )
    registry.register_section(
        Section("threats", "threats/_case_section.html", _case_section, order=32, staff_only=True)
    )
    registry.register_navigation(
        NavEntry("threats:flagged", _("Flagged cases"), frozenset(ACCOUNT_MANAGERS), order=25)
    )
    registry.register_watch(
        [registry.label_of(Incident), registry.label_of(ThreatAssessment)], actions.recompute
    )
    codes.register(
        {
            "threat_assessment.created": _("Threat assessment started"),
            "threat_assessment.step_saved": _("Threat assessment step saved"),
            "threat_assessment.viewed": _("Threat assessment viewed"),
            "actors_map.viewed": _("Actors map viewed"),
            "actor_relation.created": _("Relation between actors recorded"),
            "actor_relation.removed": _("Relation between actors removed"),
        }
    )
    registry.register_routes(
        {
            "threats:flagged": RouteRule("GET", "managers", member=200),
            "threats:actors": RouteRule("GET", "case", member=200),
            "threats:edit_actor": RouteRule("GET", "case", member=200, sample=_sample_actor),
            "threats:add_relation": RouteRule("POST", "case", member=400),
            "threats:remove_relation": RouteRule(
                "POST", "case", member=302, sample=_sample_relation
            ),
            "threats:new": RouteRule("GET", "case", member=200),
            "threats:detail": RouteRule("GET", "case", member=200, sample=_sample_assessment),
            "threats:step": RouteRule("GET", "case", member=200, sample=_sample_step),
            "threats:history": RouteRule("GET", "case", member=200, sample=_sample_assessment),
            "threats:version": RouteRule("GET", "case", member=200, sample=_sample_version),
        }
    )
    registry.register_canary(
        [
            "incidents.Actor",
            "threats.ActorRelation",
            "threats.ThreatAssessment",
            "threats.AssessmentVersion",
        ],
        _canary,
    )


# --- samples for the authorization matrix ---------------------------------------------------


def _sample_actor(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    found = incident_actions.add_actor(
        actor=actor, keyring=keyring, case=case, actor_type="state_police", name="Unit 7"
    )
    return {"actor_id": found.id}


def _sample_relation(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    one = incident_actions.add_actor(
        actor=actor, keyring=keyring, case=case, actor_type="state_police", name="Unit 7"
    )
    other = incident_actions.add_actor(
        actor=actor, keyring=keyring, case=case, actor_type="state_armed_forces", name="Command"
    )
    relation = actions.add_relation(
        actor=actor,
        keyring=keyring,
        case=case,
        source_id=other.id,
        target_id=one.id,
        kind="commands",
    )
    return {"relation_id": relation.id}


def _sample_assessment(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    incident = Incident.objects.filter(case=case).first()
    if incident is None:
        incident = incident_actions.log_incident(
            actor=actor,
            keyring=keyring,
            case=case,
            data=incident_actions.IncidentData(
                when=incident_actions.When("month", 2026, "2026-10"),
                country="GT",
                title="Sample",
                narrative="A sample incident.",
                types=("death_threat",),
                nature="physical",
            ),
        )
    assessment = actions.start_assessment(
        actor=actor,
        keyring=keyring,
        case=case,
        facts=actions.Facts("Sample threat", "What happened.", (incident.id,)),
    )
    return {"assessment_id": assessment.id}


def _sample_step(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    return {**_sample_assessment(actor, keyring, case), "step": 2}


def _sample_version(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    return {**_sample_assessment(actor, keyring, case), "number": 1}


# --- the canary writer ----------------------------------------------------------------------


def _canary(actor: User, keyring: Keyring, case: Case, values: dict[str, dict[str, str]]) -> None:
    """Every identifying field of the actors map and of an assessment, written through the
    module's actions: an actor with its map fields inside a larger one, a relation, all five
    steps (so every version holds every value)."""
    named = values["incidents.Actor"]
    army = incident_actions.add_actor(
        actor=actor, keyring=keyring, case=case, actor_type="state_armed_forces", name="army"
    )
    unit = incident_actions.add_actor(
        actor=actor,
        keyring=keyring,
        case=case,
        actor_type="state_armed_forces",
        name=named["name"],
        notes=named["notes"],
        profile=incident_actions.ActorProfile(
            stance="resisting",
            influence=4,
            parent_id=army.id,
            interests=named["interests"],
            resources=named["resources"],
        ),
    )
    actions.add_relation(
        actor=actor,
        keyring=keyring,
        case=case,
        source_id=army.id,
        target_id=unit.id,
        kind="commands",
        notes=values["threats.ActorRelation"]["notes"],
    )
    incident = incident_actions.log_incident(
        actor=actor,
        keyring=keyring,
        case=case,
        data=incident_actions.IncidentData(
            when=incident_actions.When("month", 2026, "2026-10"),
            country="GT",
            title="canary incident",
            narrative="x",
            types=("death_threat",),
            nature="physical",
        ),
    )
    text = values["threats.ThreatAssessment"]
    assessment = actions.start_assessment(
        actor=actor,
        keyring=keyring,
        case=case,
        facts=actions.Facts(text["title"], text["facts"], (incident.id,)),
    )
    steps: list[actions.StepData] = [
        # The first pattern is only in the version it was saved in: the history keeps it.
        actions.Pattern(values["threats.AssessmentVersion"]["snapshot"]),
        actions.Pattern(text["pattern"]),
        actions.Objective("other", text["objective_other"], text["objective_notes"]),
        actions.Source(unit.id, "likely", True, text["source_notes"]),
        actions.Conclusion(
            "declared",
            "yes",
            "yes",
            4,
            text["rationale"],
            declared=text["declared"],
            capacity_intent=text["capacity_intent"],
        ),
    ]
    assessment = actions.save_steps(
        actor=actor, keyring=keyring, assessment=assessment, steps=steps
    )
