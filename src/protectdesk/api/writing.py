"""Writing through the API: the body is checked by the very form the page uses, so an incident
sent as JSON meets the same rules and the same messages (in the caller's language) as one typed
into the form, and is saved by the same action.

Staff members of the case log a full incident (``IncidentForm``, ``incidents.actions.log_incident``);
the defender's own account reports one (``DefenderReportForm``, ``report_incident``), and a
field of the staff form sent by a defender's token is refused rather than silently dropped.
Perpetrators and sources are not taken in version 1: the incident's page adds them.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from protectdesk.api.auth import Caller, Problem
from protectdesk.incidents import actions
from protectdesk.incidents import queries as incident_queries
from protectdesk.incidents.forms import DefenderReportForm, IncidentForm, incident_data
from protectdesk.incidents.models import Incident
from protectdesk.records.models import Case

#: Fields of the staff form a defender's report does not have, with the value meaning "not sent".
_STAFF_ONLY: dict[str, Any] = {
    "country": "",
    "subdivision": "",
    "exact_time": "",
    "affected": [],
    "authority_response": "not_reported",
    "authority_details": "",
    "reaction": "",
    "analysis": "",
    "severity": None,
}


def _as_form_data(body: dict[str, Any]) -> dict[str, Any]:
    data = {k: v for k, v in body.items() if v is not None}
    if data.get("severity") is not None:
        data["severity"] = str(data["severity"])
    return data


def _refused(form: Any) -> Problem:
    errors = [
        {"pointer": f"#/{name}" if name != "__all__" else "#", "detail": str(message)}
        for name, messages in form.errors.items()
        for message in messages
    ]
    return Problem("invalid", _("Fix the values listed in errors and send again."), errors=errors)


def create_incident(caller: Caller, case: Case, body: dict[str, Any]) -> Incident:
    keyring = caller.keyring
    data = _as_form_data(body)
    if keyring.has_staff_key(case.id):
        if not data.get("country"):
            data["country"] = incident_queries.default_country(case)
        form = IncidentForm(data, default_country=data["country"])
        if not form.is_valid():
            raise _refused(form)
        return actions.log_incident(
            actor=caller.user, keyring=keyring, case=case, data=incident_data(form, [], [])
        )
    sent = [name for name, empty in _STAFF_ONLY.items() if body.get(name, empty) != empty]
    if sent:
        raise Problem(
            "invalid",
            _("Fix the values listed in errors and send again."),
            errors=[
                {"pointer": f"#/{name}", "detail": _("Only the desk's staff set this field.")}
                for name in sent
            ],
        )
    report = DefenderReportForm(data)
    if not report.is_valid():
        raise _refused(report)
    return actions.report_incident(
        actor=caller.user,
        keyring=keyring,
        case=case,
        report=report.report(incident_queries.default_country(case)),
    )
