"""How plans plug into the floor: record types, the case-page section (the defender's too),
the watch that marks a plan for early review, routes, audit codes and the canary writer."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import User
from protectdesk.audit import codes
from protectdesk.incidents.models import Incident
from protectdesk.plans import actions, queries
from protectdesk.plans.models import CheckIn, Contingency, Measure, PlanVersion, Protocol
from protectdesk.records import registry
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case
from protectdesk.records.registry import RecordType, RouteRule, Section
from protectdesk.threats.models import ThreatAssessment


def _plan_page(case: Case, _record_id: Any) -> str:
    return reverse("plans:plan", args=[case.id])


def _version_page(case: Case, record_id: Any) -> str:
    version = PlanVersion.objects.get(case=case, pk=record_id)
    return reverse("plans:version", args=[case.id, version.number])


def _case_section(request: HttpRequest, case: Case, keyring: Keyring) -> dict[str, Any]:
    version = actions.current(case)
    return {
        "plan_version": version,
        "plan_overdue": version is not None and version.next_review < timezone.localdate(),
        "plan_missed": queries.missed_checkins([case.id]),
    }


def register() -> None:
    registry.register_urls("", "protectdesk.plans.urls")
    registry.register(RecordType(PlanVersion, _("Protection plan"), _version_page))
    for model, title in (
        (Measure, _("Protection measure")),
        (Protocol, _("Preventive protocol")),
        (Contingency, _("Contingency plan")),
        (CheckIn, _("Check-in")),
    ):
        registry.register(RecordType(model, title, _plan_page))
    registry.register_section(Section("plan", "plans/_case_section.html", _case_section, order=34))
    registry.register_watch(
        [registry.label_of(Incident), registry.label_of(ThreatAssessment)],
        actions.mark_for_early_review,
    )
    codes.register(
        {
            "plan.created": _("Protection plan started"),
            "plan.updated": _("Protection plan saved"),
            "plan.viewed": _("Protection plan viewed"),
            "plan.reviewed": _("Protection plan reviewed (new version)"),
            "plan.measure_saved": _("Protection measure saved"),
            "plan.measure_done": _("Protection measure marked done"),
            "plan.protocol_saved": _("Preventive protocol saved"),
            "plan.contingency_saved": _("Contingency plan saved"),
            "plan.checked_in": _("Check-in recorded"),
            "plan.printed": _("Protection plan printed (PDF)"),
        }
    )
    registry.register_routes(
        {
            "plans:plan": RouteRule("GET", "case", member=200, defender=200),
            "plans:start": RouteRule("POST", "case", member=302),
            "plans:edit": RouteRule("GET", "case", member=200, sample=_sample_plan),
            "plans:review": RouteRule("POST", "case", member=302, sample=_sample_review),
            "plans:new_measure": RouteRule("GET", "case", member=200, sample=_sample_plan),
            "plans:measure": RouteRule("GET", "case", member=200, sample=_sample_measure),
            "plans:measure_done": RouteRule(
                "POST", "case", member=302, defender=302, sample=_sample_measure
            ),
            "plans:protocol": RouteRule("GET", "case", member=200, sample=_sample_protocol),
            "plans:contingency": RouteRule("GET", "case", member=200, sample=_sample_contingency),
            "plans:versions": RouteRule("GET", "case", member=200, defender=200),
            "plans:pdf": RouteRule("GET", "case", member=200, defender=200, sample=_sample_plan),
            "plans:version": RouteRule(
                "GET", "case", member=200, defender=200, sample=_sample_version
            ),
            "plans:check_in": RouteRule(
                "POST", "case", member=302, defender=302, sample=_sample_checkin
            ),
            # The kind of list names nothing of a desk: another desk's coordinator sees theirs.
            "plans:dashboard_list": RouteRule(
                "GET",
                "managers",
                member=200,
                sample=lambda *a: {"kind": "flagged"},
                overrides={"outsider": 200},
            ),
        }
    )
    registry.register_canary(
        [
            "plans.PlanVersion",
            "plans.Measure",
            "plans.Protocol",
            "plans.Contingency",
            "plans.CheckIn",
        ],
        _canary,
    )


# --- samples for the authorization matrix ---------------------------------------------------


def _sample_plan(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    actions.start_plan(actor=actor, keyring=keyring, case=case)
    return {}


def _sample_review(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    actions.start_plan(actor=actor, keyring=keyring, case=case)
    return {}


def _sample_measure(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    version = actions.start_plan(actor=actor, keyring=keyring, case=case)
    measure = actions.save_measure(
        actor=actor,
        keyring=keyring,
        version=version,
        data=actions.MeasureData("Sample measure", "protection", owner_is_defender=True),
    )
    return {"measure_id": measure.id}


def _sample_protocol(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    actions.start_plan(actor=actor, keyring=keyring, case=case)
    return {"kind": "field_trips"}


def _sample_contingency(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    actions.start_plan(actor=actor, keyring=keyring, case=case)
    return {"kind": "arrest_detention"}


def _sample_version(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    actions.start_plan(actor=actor, keyring=keyring, case=case)
    return {"number": 1}


def _sample_checkin(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    version = actions.start_plan(actor=actor, keyring=keyring, case=case)
    start = timezone.now() + datetime.timedelta(minutes=10)  # due soon: it can be made now
    actions.save_contingency(
        actor=actor,
        keyring=keyring,
        version=version,
        kind="arrest_detention",
        data=actions.ContingencyData(
            "Call the lawyer.",
            schedule=actions.Schedule(6, start, start + datetime.timedelta(hours=12)),
        ),
    )
    return {"checkin_id": CheckIn.objects.filter(case=case).first().id}  # type: ignore[union-attr]


# --- the canary writer ----------------------------------------------------------------------


def _canary(actor: User, keyring: Keyring, case: Case, values: dict[str, dict[str, str]]) -> None:
    """Every identifying field of a plan through the module's actions, then a review (so the
    copies in version 2 are sealed like the originals) and a check-in with its note."""
    version = actions.start_plan(actor=actor, keyring=keyring, case=case)
    text = values["plans.PlanVersion"]
    version = actions.update_plan(
        actor=actor,
        keyring=keyring,
        version=version,
        data=actions.PlanData(
            timezone.localdate() + actions.REVIEW_AFTER,
            text["threats_to_reduce"],
            text["vulnerabilities_to_reduce"],
            text["capacities_to_raise"],
            text["staff_notes"],
        ),
        expected_version=version.row_version,
    )
    measure = values["plans.Measure"]
    actions.save_measure(
        actor=actor,
        keyring=keyring,
        version=version,
        data=actions.MeasureData(
            measure["description"], "deterrence", owner=measure["owner"], cost=measure["cost"]
        ),
    )
    actions.save_protocol(
        actor=actor,
        keyring=keyring,
        version=version,
        kind="meetings",
        text=values["plans.Protocol"]["text"],
    )
    plan = values["plans.Contingency"]
    start = timezone.now() + datetime.timedelta(minutes=30)  # due soon: it can be made now
    actions.save_contingency(
        actor=actor,
        keyring=keyring,
        version=version,
        kind="raid",
        data=actions.ContingencyData(
            plan["steps"],
            plan["who"],
            plan["contacts"],
            actions.Schedule(4, start, start + datetime.timedelta(hours=8)),
        ),
    )
    checkin = CheckIn.objects.filter(case=case).first()
    if checkin is None:
        raise RuntimeError("the schedule made no check-in")
    actions.record_checkin(
        actor=actor, keyring=keyring, checkin=checkin, note=values["plans.CheckIn"]["note"]
    )
    actions.review(actor=actor, keyring=keyring, case=case, from_number=version.number)
