"""Risk views: a case's analyses (history), one analysis side by side, its scenarios."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from protectdesk.audit.actions import record_access
from protectdesk.cases import queries as case_queries
from protectdesk.lib.access import current_user
from protectdesk.lib.forms import Problem
from protectdesk.records.access import case_view, conflict_page
from protectdesk.records.actions import EditConflict
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case
from protectdesk.risk import actions, queries
from protectdesk.risk.forms import AnalysisForm, ScenarioForm
from protectdesk.risk.models import RiskAnalysis, Scenario
from protectdesk.threats.models import ThreatAssessment


def _analysis(case: Case, analysis_id: uuid.UUID) -> RiskAnalysis:
    analysis = queries.analysis_in_case(case, analysis_id)
    if analysis is None:
        raise Http404
    return analysis


def _newest_only() -> Problem:
    return Problem(
        _(
            "This analysis is kept as it was: a newer one exists. Change the newest analysis, "
            "or start a new one from it."
        )
    )


@require_http_methods(["GET", "POST"])
@case_view(staff_only=True)
def analyses(request: HttpRequest, case: Case, keyring: Keyring) -> HttpResponse:
    """The history of the case's analyses; POST starts a new one from the newest."""
    if request.method == "POST":
        copied = actions.newest(case) is not None
        analysis = actions.start_analysis(actor=current_user(request), keyring=keyring, case=case)
        messages.success(
            request,
            _("A new analysis is started from the previous one.")
            if copied
            else _("The risk analysis is started: add a threat scenario for each threat."),
        )
        return redirect("risk:analysis", case_id=case.id, analysis_id=analysis.id)
    rows = queries.analyses_of(case)
    return render(
        request,
        "risk/analyses.html",
        {
            "case": case,
            "defender": case_queries.defender_of(keyring, case),
            "rows": [(a, queries.band_label(a.band or None)) for a in rows],
            "chart": queries.history_chart(rows),
            "newest": rows[0] if rows else None,
        },
    )


def _analysis_context(
    request: HttpRequest, case: Case, keyring: Keyring, analysis: RiskAnalysis, form: AnalysisForm
) -> dict[str, Any]:
    newest = actions.newest(case)
    opened = keyring.opened(analysis)
    return {
        "case": case,
        "defender": case_queries.defender_of(keyring, case),
        "analysis": analysis,
        "opened": opened,
        "is_newest": newest is not None and newest.pk == analysis.pk,
        "scenarios": queries.scenarios_of(keyring, analysis),
        "dropped": queries.dropped_since(keyring, analysis),
        "band_label": queries.band_label(analysis.band or None),
        "above": queries.above_threshold(analysis.band or None, analysis.threshold),
        "form": form,
        "unused_assessments": queries.assessments_without_scenario(keyring, analysis),
    }


@require_http_methods(["GET", "POST"])
@case_view(staff_only=True)
def analysis(
    request: HttpRequest, case: Case, keyring: Keyring, analysis_id: uuid.UUID
) -> HttpResponse:
    """One analysis, its scenarios side by side; POST saves its threshold, decider, summary."""
    target = _analysis(case, analysis_id)
    opened = keyring.opened(target)
    form = AnalysisForm(
        request.POST if request.method == "POST" else None,
        initial={
            "threshold": target.threshold,
            "decider": opened.decider,
            "summary": opened.summary,
            "row_version": target.row_version,
        },
    )
    if request.method == "GET":
        record_access(request, "risk_analysis.viewed", target)
        return render(
            request, "risk/analysis.html", _analysis_context(request, case, keyring, target, form)
        )
    context = _analysis_context(request, case, keyring, target, form)
    if not form.is_valid():
        return render(request, "risk/analysis.html", context, status=400)
    try:
        actions.update_analysis(
            actor=current_user(request),
            keyring=keyring,
            analysis=target,
            data=form.data_for_action(),
            expected_version=form.cleaned_data["row_version"] or 0,
        )
    except actions.NotNewest:
        context["refused"] = _newest_only()
        return render(request, "risk/analysis.html", context, status=400)
    except EditConflict:
        return conflict_page(request, "risk/analysis.html", context, form, keyring, target)
    messages.success(request, _("The analysis is saved."))
    return redirect("risk:analysis", case_id=case.id, analysis_id=target.id)


def _scenario_initial(keyring: Keyring, scenario: Scenario) -> dict[str, Any]:
    opened = keyring.opened(scenario)
    initial: dict[str, Any] = {
        "title": opened.title,
        "assessment": str(scenario.assessment_id or ""),
        "threat": scenario.threat,
        "likelihood": scenario.likelihood,
        "impact": scenario.impact,
        "notes": opened.notes,
        "row_version": scenario.row_version,
    }
    for component in scenario.components.all():
        initial[f"kind_{component.code}"] = component.kind
        initial[f"rating_{component.code}"] = component.rating
        initial[f"note_{component.code}"] = keyring.opened(component).note
    return initial


def _from_assessment(request: HttpRequest, case: Case, keyring: Keyring) -> dict[str, Any]:
    """A new scenario started from an assessment (?from=<id>): its title and likelihood."""
    chosen = request.GET.get("from", "")
    try:
        found = ThreatAssessment.objects.filter(case=case, pk=uuid.UUID(chosen)).first()
    except ValueError:
        found = None
    if found is None:
        return {}
    return {
        "assessment": str(found.pk),
        "title": keyring.opened(found).title,
        "threat": found.likelihood or "",
        "likelihood": found.likelihood or "",
    }


@require_http_methods(["GET", "POST"])
@case_view(staff_only=True)
def scenario(
    request: HttpRequest,
    case: Case,
    keyring: Keyring,
    analysis_id: uuid.UUID,
    scenario_id: uuid.UUID | None = None,
) -> HttpResponse:
    """Add a scenario to an analysis, or edit one, with its components in one table."""
    target = _analysis(case, analysis_id)
    existing = None
    if scenario_id is not None:
        existing = queries.scenario_in(target, scenario_id)
        if existing is None:
            raise Http404
    initial = (
        _scenario_initial(keyring, existing)
        if existing
        else _from_assessment(request, case, keyring)
    )
    form = ScenarioForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        assessments=queries.assessment_choices(keyring, case),
    )
    context: dict[str, Any] = {
        "case": case,
        "defender": case_queries.defender_of(keyring, case),
        "analysis": target,
        "scenario": existing,
        "form": form,
    }
    if request.method == "GET":
        if existing is not None:  # the form shows its decrypted content: an access
            record_access(request, "risk_analysis.viewed", target, scenario=str(existing.pk))
        return render(request, "risk/scenario.html", context)
    if not form.is_valid():
        return render(request, "risk/scenario.html", context, status=400)
    try:
        actions.save_scenario(
            actor=current_user(request),
            keyring=keyring,
            analysis=target,
            data=form.data_for_action(),
            scenario=existing,
            expected_version=(form.cleaned_data["row_version"] or 0) if existing else None,
        )
    except actions.NotNewest:
        context["refused"] = _newest_only()
        return render(request, "risk/scenario.html", context, status=400)
    except EditConflict:
        if existing is None:  # a conflict needs a row that existed
            raise
        return conflict_page(request, "risk/scenario.html", context, form, keyring, existing)
    messages.success(request, _("The scenario is saved."))
    return redirect("risk:analysis", case_id=case.id, analysis_id=target.id)


@require_POST
@case_view(staff_only=True)
def delete_scenario(
    request: HttpRequest,
    case: Case,
    keyring: Keyring,
    analysis_id: uuid.UUID,
    scenario_id: uuid.UUID,
) -> HttpResponse:
    target = _analysis(case, analysis_id)
    existing = queries.scenario_in(target, scenario_id)
    if existing is None:
        raise Http404
    try:
        actions.delete_scenario(actor=current_user(request), keyring=keyring, scenario=existing)
    except actions.NotNewest:
        messages.error(request, str(_newest_only().message))
    except actions.ScenarioInPlan:
        messages.error(
            request,
            _(
                "A measure of the protection plan targets this scenario: change the measure's "
                "target first (the plan's earlier versions keep theirs)."
            ),
        )
    else:
        messages.success(request, _("The scenario is removed from this analysis."))
    return redirect("risk:analysis", case_id=case.id, analysis_id=target.id)


@require_GET
@case_view(staff_only=True)
def latest(request: HttpRequest, case: Case, keyring: Keyring) -> HttpResponse:
    """The case's newest analysis (where the case page's "risk" links)."""
    newest = actions.newest(case)
    if newest is None:
        return redirect("risk:analyses", case_id=case.id)
    return redirect("risk:analysis", case_id=case.id, analysis_id=newest.id)
