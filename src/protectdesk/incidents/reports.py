"""The defender's own incident report, and its review by staff.

The defender's account reports with a short, plain form (``DefenderReportForm``); the incident
is marked "reported by the defender" until a staff member of the case reviews it. Staff see,
on the incident, what the defender wrote beside what the incident says now.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from protectdesk.cases.models import Defender
from protectdesk.incidents import actions, queries
from protectdesk.incidents.forms import DefenderReportForm
from protectdesk.lib.access import current_user
from protectdesk.records.access import case_view
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case


@require_http_methods(["GET", "POST"])
@case_view()
def report_incident(request: HttpRequest, case: Case, keyring: Keyring) -> HttpResponse:
    """For the defender's own account; staff log incidents with the full form (404 here)."""
    if keyring.has_staff_key(case.id):
        raise Http404
    form = DefenderReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        defender = Defender.objects.filter(case=case).first()
        country = defender.country if defender else case.desk.country
        incident = actions.report_incident(
            actor=current_user(request), keyring=keyring, case=case, report=form.report(country)
        )
        messages.success(
            request, _("Thank you. Your report is saved, and your caseworker will read it.")
        )
        return redirect("incidents:detail", case_id=case.id, incident_id=incident.id)
    return render(
        request,
        "incidents/report.html",
        {"form": form, "case": case},
        status=400 if form.errors else 200,
    )


@require_POST
@case_view(staff_only=True)
def review_report(
    request: HttpRequest, case: Case, keyring: Keyring, incident_id: uuid.UUID
) -> HttpResponse:
    incident = queries.incident_in_case(case, incident_id)
    if incident is None or not incident.reported_by_defender:
        raise Http404
    actions.review_report(actor=current_user(request), keyring=keyring, incident=incident)
    messages.success(request, _("Marked as reviewed."))
    return redirect("incidents:detail", case_id=case.id, incident_id=incident.id)
