"""How incidents plug into the floor (called from ``AppConfig.ready``): record types, their
section of the case page, navigation, audit codes and routes."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import STAFF_ROLES, User
from protectdesk.audit import codes
from protectdesk.incidents import actions, queries
from protectdesk.incidents.models import Incident
from protectdesk.records import registry
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case
from protectdesk.records.registry import NavEntry, RecordType, RouteRule, Section


def _incident_page(case: Case, record_id: Any) -> str:
    return reverse("incidents:detail", args=[case.id, record_id])


def _case_section(request: HttpRequest, case: Case, keyring: Keyring) -> dict[str, Any]:
    return {"incidents": queries.case_incidents(keyring, case)}


def register() -> None:
    registry.register_urls("", "protectdesk.incidents.urls")
    registry.register(RecordType(Incident, _("Security incident"), _incident_page, attachable=True))
    registry.register_section(
        Section("incidents", "incidents/_case_section.html", _case_section, order=30)
    )
    registry.register_navigation(
        NavEntry(
            "incidents:list",
            _("Incidents"),
            STAFF_ROLES,
            order=20,
        )
    )
    codes.register(
        {
            "incident.created": _("Incident logged"),
            "incident.updated": _("Incident updated"),
            "incident.viewed": _("Incident viewed"),
            "incident.reported": _("Incident reported by the defender"),
            "incident.report_reviewed": _("Defender's report reviewed"),
            "actor.created": _("Actor recorded"),
            "actor.updated": _("Actor updated"),
        }
    )
    registry.register_routes(
        {
            "incidents:list": RouteRule("GET", "staff", member=200, defender=403),
            "incidents:new": RouteRule("GET", "case", member=200),
            "incidents:report": RouteRule("GET", "case", member=404, defender=200),
            "incidents:review": RouteRule(
                "POST", "case", member=302, sample=_sample_defender_report
            ),
            "incidents:detail": RouteRule(
                "GET", "case", member=200, defender=200, sample=_sample_incident
            ),
            "incidents:edit": RouteRule("GET", "case", member=200, sample=_sample_incident),
        }
    )


def _sample_incident(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    incident = actions.log_incident(
        actor=actor,
        keyring=keyring,
        case=case,
        data=actions.IncidentData(
            when=actions.When("month", 2026, "2026-10"),
            country="GT",
            title="Sample",
            narrative="A sample incident.",
            types=("surveillance",),
            nature="physical",
        ),
    )
    return {"incident_id": incident.id}


def _sample_defender_report(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    """An incident as the defender reports it: the same columns, flagged for review."""
    kwargs = _sample_incident(actor, keyring, case)
    Incident.objects.filter(pk=kwargs["incident_id"]).update(reported_by_defender=True)
    return kwargs
