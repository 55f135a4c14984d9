"""Incident views: the desk-wide list (filters and words in POST), a case's incidents, the form."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from protectdesk import vocabularies
from protectdesk.accounts.models import STAFF_ROLES
from protectdesk.attachments import queries as attachment_queries
from protectdesk.attachments.uploads import max_upload_megabytes
from protectdesk.audit.actions import record_access
from protectdesk.cases import queries as case_queries
from protectdesk.incidents import actions, queries
from protectdesk.incidents.forms import (
    SEVERITY_LABELS,
    FilterForm,
    IncidentForm,
    PerpetratorForm,
    PerpetratorFormSet,
    SourceForm,
    SourceFormSet,
    incident_data,
)
from protectdesk.incidents.models import Incident, Nature, Step
from protectdesk.lib.access import current_user, role_required
from protectdesk.lib.forms import clear_errors, rebind
from protectdesk.records.access import case_view
from protectdesk.records.actions import EditConflict
from protectdesk.records.keyring import Keyring, keyring_for
from protectdesk.records.models import Case

STEPS = [Step.REGISTERED, Step.ANALYSED, Step.REACTED]


# --- the list across cases ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def incident_list(request: HttpRequest) -> HttpResponse:
    keyring = keyring_for(request)
    case_choices = [
        (str(card.case.id), f"{card.case.reference} · {card.defender.name}")
        for card in case_queries.my_cases(keyring)
        if card.defender
    ]
    form = FilterForm(request.POST if request.method == "POST" else None, cases=case_choices)
    filters = queries.Filters()
    page = 1
    if request.method == "POST":
        if not form.is_valid():
            return render(
                request,
                "incidents/list.html",
                {"form": form, "rows": [], "total": 0, "pages": 1, "page": 1},
                status=400,
            )
        data = form.cleaned_data
        filters = queries.Filters(
            types=tuple(data["types"]),
            month_from=data["month_from"],
            month_to=data["month_to"],
            country=data["country"],
            subdivision=data["subdivision"].upper(),
            perpetrator_type=data["perpetrator_type"],
            severity_min=data["severity_min"],
            case_id=uuid.UUID(data["case"]) if data["case"] else None,
            words=data["words"],
        )
        page = data.get("page") or 1
        if filters.words:
            record_access(request, "search.performed", None, scope="incidents")
    rows, total, pages = queries.incident_list(keyring, filters, page)
    # The filters travel again, hidden, in the paging forms (POST, never in the URL).
    carried = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", "page")
        for value in values
    ]
    return render(
        request,
        "incidents/list.html",
        {
            "form": form,
            "rows": rows,
            "total": total,
            "pages": pages,
            "page": min(page, pages),
            "carried": carried,
        },
    )


# --- one incident ---------------------------------------------------------------------------


def _actor_choices(keyring: Keyring, case: Case) -> list[tuple[str, str]]:
    types = vocabularies.load("perpetrator_types")
    return [
        (str(a.id), f"{opened.name} · {types.label(a.actor_type)}")
        for a, opened in queries.actors_of(keyring, case)
    ]


def _formsets(
    request: HttpRequest, keyring: Keyring, case: Case, incident: Incident | None
) -> tuple[Any, Any]:
    perpetrator_initial: list[dict[str, Any]] = []
    source_initial: list[dict[str, Any]] = []
    if incident is not None:
        perpetrator_initial = [PerpetratorForm.initial_for(p) for p in incident.perpetrators.all()]
        source_initial = [
            SourceForm.initial_for(s["source"], s["description"])
            for s in queries.sources_of(keyring, incident)
        ]
    perpetrators = PerpetratorFormSet(
        request.POST if request.method == "POST" else None,
        prefix="perpetrators",
        initial=perpetrator_initial,
        form_kwargs={"actors": _actor_choices(keyring, case)},
    )
    sources = SourceFormSet(
        request.POST if request.method == "POST" else None, prefix="sources", initial=source_initial
    )
    return perpetrators, sources


def _form_page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, "incidents/form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@case_view(staff_only=True)
def new_incident(request: HttpRequest, case: Case, keyring: Keyring) -> HttpResponse:
    form = IncidentForm(
        request.POST if request.method == "POST" else None,
        default_country=queries.default_country(case),
    )
    perpetrators, sources = _formsets(request, keyring, case, None)
    if request.method == "POST" and "refresh" not in request.POST:
        # All three are validated (no short cut), so every error shows at once.
        if all([form.is_valid(), perpetrators.is_valid(), sources.is_valid()]):
            incident = actions.log_incident(
                actor=current_user(request),
                keyring=keyring,
                case=case,
                data=incident_data(form, perpetrators, sources),
            )
            messages.success(request, _("The incident is logged."))
            return redirect("incidents:detail", case_id=case.id, incident_id=incident.id)
        status = 400
    else:
        status = 200
        if "refresh" in request.POST:
            clear_errors(form)  # show the regions of the chosen country
    return _form_page(
        request,
        {
            "form": form,
            "perpetrators": perpetrators,
            "sources": sources,
            "case": case,
            "defender": case_queries.defender_of(keyring, case),
            "incident": None,
        },
        status,
    )


@require_http_methods(["GET", "POST"])
@case_view(staff_only=True)
def edit_incident(
    request: HttpRequest, case: Case, keyring: Keyring, incident_id: uuid.UUID
) -> HttpResponse:
    incident = queries.incident_in_case(case, incident_id)
    if incident is None:
        raise Http404
    opened = keyring.opened(incident)
    initial = {
        "title": opened.title,
        "when": opened.exact_date or incident.month or str(incident.year),
        "exact_time": opened.exact_time or None,
        "country": incident.country,
        "subdivision": incident.subdivision,
        "place": opened.place,
        "types": incident.types,
        "nature": incident.nature,
        "narrative": opened.narrative,
        "consequences": opened.consequences,
        "affected": incident.affected,
        "authority_response": incident.authority_response,
        "authority_details": opened.authority_details,
        "reaction": opened.reaction,
        "analysis": opened.analysis,
        "severity": str(incident.severity) if incident.severity_by_hand else "",
        "row_version": incident.row_version,
    }
    form = IncidentForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        default_country=incident.country,
    )
    perpetrators, sources = _formsets(request, keyring, case, incident)
    context: dict[str, Any] = {
        "form": form,
        "perpetrators": perpetrators,
        "sources": sources,
        "case": case,
        "defender": case_queries.defender_of(keyring, case),
        "incident": incident,
    }
    if request.method == "POST" and "refresh" not in request.POST:
        # All three are validated (no short cut), so every error shows at once.
        if all([form.is_valid(), perpetrators.is_valid(), sources.is_valid()]):
            try:
                actions.update_incident(
                    actor=current_user(request),
                    keyring=keyring,
                    incident=incident,
                    data=incident_data(form, perpetrators, sources),
                    expected_version=form.cleaned_data["row_version"] or 0,
                )
            except EditConflict:
                incident.refresh_from_db()
                # Keep everything the user typed; the next save goes over the version shown.
                rebind(form, row_version=str(incident.row_version))
                context.update(conflict=_detail(keyring, case, incident, staff=True))
                return _form_page(request, context, status=409)
            messages.success(request, _("The incident is saved."))
            return redirect("incidents:detail", case_id=case.id, incident_id=incident.id)
        return _form_page(request, context, status=400)
    if "refresh" in request.POST:
        clear_errors(form)
    else:  # the form shows the decrypted incident: an access, like its page
        record_access(request, "incident.viewed", incident, editing=True)
    return _form_page(request, context)


def _detail(keyring: Keyring, case: Case, incident: Incident, staff: bool) -> dict[str, Any]:
    opened = keyring.opened(incident)
    return {
        "incident": incident,
        "opened": opened,
        "type_labels": [vocabularies.load("incident_types").label(c) for c in incident.types],
        "affected_labels": [vocabularies.load("affected").label(c) for c in incident.affected],
        "authority_label": vocabularies.load("authority_responses").label(
            incident.authority_response
        ),
        "country_name": vocabularies.country_name(incident.country),
        "subdivision_name": vocabularies.subdivision_name(incident.subdivision),
        "severity_label": SEVERITY_LABELS.get(incident.severity, ""),
        "perpetrators": queries.perpetrators_of(keyring, incident, staff),
        "sources": queries.sources_of(keyring, incident) if staff else [],
        "analysis": opened.analysis if staff else "",
        # The defender's account sees register and react; whether staff analysed it is staff's.
        "steps": [
            (step, step.label, STEPS.index(step) <= STEPS.index(Step(incident.step)))
            for step in STEPS
            if staff or step != Step.ANALYSED
        ],
    }


@require_GET
@case_view()
def incident_detail(
    request: HttpRequest, case: Case, keyring: Keyring, incident_id: uuid.UUID
) -> HttpResponse:
    incident = queries.incident_in_case(case, incident_id)
    if incident is None:
        raise Http404
    staff = keyring.has_staff_key(case.id)
    record_access(request, "incident.viewed", incident)
    context = _detail(keyring, case, incident, staff)
    if staff and incident.reported_by_defender:
        context["as_reported"] = _as_reported(keyring, incident)
    context.update(
        case=case,
        is_staff=staff,
        defender=case_queries.defender_of(keyring, case),
        files=attachment_queries.attachments_of(keyring, case, "incidents.incident", incident.id),
        can_upload=True,
        record_key=f"incidents.incident:{incident.id}",
        max_upload_mb=max_upload_megabytes(),
    )
    return render(request, "incidents/detail.html", context)


def _as_reported(keyring: Keyring, incident: Incident) -> list[dict[str, Any]]:
    """What the defender reported beside what the incident says now, field by field."""
    reported = keyring.opened(incident).as_reported
    if not isinstance(reported, dict):
        return []  # damaged: the page shows the incident as it is
    opened = keyring.opened(incident)
    kinds = vocabularies.load("incident_types")
    now = {
        "title": str(opened.title or ""),
        "when": str(opened.exact_date or incident.when_label),
        "place": str(opened.place or ""),
        "types": ", ".join(kinds.label(c) for c in incident.types),
        "nature": str(incident.get_nature_display()),
        "narrative": str(opened.narrative or ""),
        "consequences": str(opened.consequences or ""),
    }
    was = dict(reported)
    was["types"] = ", ".join(kinds.label(c) for c in reported.get("types", []))
    was["nature"] = str(dict(Nature.choices).get(reported.get("nature", ""), ""))
    labels = {
        "title": _("Title"),
        "when": _("When"),
        "place": _("Where"),
        "types": _("Types"),
        "nature": _("Physical or digital"),
        "narrative": _("What happened"),
        "consequences": _("Harm and consequences"),
    }
    return [
        {
            "label": label,
            "reported": str(was.get(name, "")),
            "now": now[name],
            "changed": str(was.get(name, "")).strip() != now[name].strip(),
        }
        for name, label in labels.items()
    ]
