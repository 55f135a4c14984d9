"""Threats views: the actors map, an assessment step by step and its history, flagged cases."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from protectdesk import vocabularies
from protectdesk.accounts.models import ACCOUNT_MANAGERS
from protectdesk.audit.actions import record_access
from protectdesk.cases import queries as case_queries
from protectdesk.incidents import actions as incident_actions
from protectdesk.incidents.models import Actor, Confidence
from protectdesk.lib.access import current_user, role_required
from protectdesk.lib.forms import Form, Problem, rebind
from protectdesk.records.access import case_view
from protectdesk.records.actions import EditConflict
from protectdesk.records.keyring import Keyring, keyring_for
from protectdesk.records.models import Case
from protectdesk.threats import actions, queries
from protectdesk.threats.forms import (
    LIKELIHOOD_LABELS,
    STEP_FORMS,
    STEP_NAMES,
    ActorForm,
    RelationForm,
)
from protectdesk.threats.models import ActorRelation, Answer, ThreatAssessment, ThreatKind


def _loop_message() -> str:
    return _(
        "Choose another larger actor: this one is already inside the actor you are editing, "
        "so it cannot also contain it."
    )


# --- the actors map -------------------------------------------------------------------------


def _map_page(
    request: HttpRequest,
    case: Case,
    keyring: Keyring,
    form: ActorForm,
    relation_form: RelationForm,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "threats/actors.html",
        {
            "case": case,
            "defender": case_queries.defender_of(keyring, case),
            "groups": queries.actors_map(keyring, case),
            "form": form,
            "relation_form": relation_form,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@case_view(staff_only=True)
def actors(request: HttpRequest, case: Case, keyring: Keyring) -> HttpResponse:
    choices = queries.actor_choices(keyring, case)
    form = ActorForm(request.POST if request.method == "POST" else None, parents=choices)
    relation_form = RelationForm(actors=choices, prefix="relation")
    if request.method == "POST" and form.is_valid():
        incident_actions.add_actor(
            actor=current_user(request),
            keyring=keyring,
            case=case,
            actor_type=form.cleaned_data["actor_type"],
            name=form.cleaned_data["name"],
            notes=form.cleaned_data["notes"],
            profile=form.profile(),
        )
        messages.success(request, _("The actor is recorded."))
        return redirect("threats:actors", case_id=case.id)
    if request.method == "GET":
        record_access(request, "actors_map.viewed", case)
    return _map_page(request, case, keyring, form, relation_form, 400 if form.errors else 200)


@require_POST
@case_view(staff_only=True)
def add_relation(request: HttpRequest, case: Case, keyring: Keyring) -> HttpResponse:
    choices = queries.actor_choices(keyring, case)
    relation_form = RelationForm(request.POST, actors=choices, prefix="relation")
    if relation_form.is_valid():
        data = relation_form.cleaned_data
        try:
            actions.add_relation(
                actor=current_user(request),
                keyring=keyring,
                case=case,
                source_id=uuid.UUID(data["source"]),
                target_id=uuid.UUID(data["target"]),
                kind=data["kind"],
                notes=data["notes"],
            )
        except actions.RelationExists:
            relation_form.add_error(
                "kind", _("This relation is already on the map: choose another one.")
            )
        else:
            messages.success(request, _("The relation is on the map."))
            return redirect("threats:actors", case_id=case.id)
    form = ActorForm(parents=choices)
    return _map_page(request, case, keyring, form, relation_form, 400)


@require_POST
@case_view(staff_only=True)
def remove_relation(
    request: HttpRequest, case: Case, keyring: Keyring, relation_id: uuid.UUID
) -> HttpResponse:
    relation = ActorRelation.objects.filter(case=case, pk=relation_id).first()
    if relation is None:
        raise Http404
    actions.remove_relation(actor=current_user(request), keyring=keyring, relation=relation)
    messages.success(request, _("The relation is removed from the map."))
    return redirect("threats:actors", case_id=case.id)


@require_http_methods(["GET", "POST"])
@case_view(staff_only=True)
def edit_actor(
    request: HttpRequest, case: Case, keyring: Keyring, actor_id: uuid.UUID
) -> HttpResponse:
    target = Actor.objects.filter(case=case, pk=actor_id).first()
    if target is None:
        raise Http404
    if request.method == "GET":
        record_access(request, "actors_map.viewed", target)
    opened = keyring.opened(target)
    form = ActorForm(
        request.POST if request.method == "POST" else None,
        parents=queries.actor_choices(keyring, case, exclude=target.pk),
        initial={
            "actor_type": target.actor_type,
            "name": opened.name,
            "notes": opened.notes,
            "parent": str(target.parent_id or ""),
            "stance": target.stance,
            "influence": target.influence or "",
            "interests": opened.interests,
            "resources": opened.resources,
            "row_version": target.row_version,
        },
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            incident_actions.update_actor(
                actor=current_user(request),
                keyring=keyring,
                target=target,
                actor_type=form.cleaned_data["actor_type"],
                name=form.cleaned_data["name"],
                notes=form.cleaned_data["notes"],
                profile=form.profile(),
                expected_version=form.cleaned_data["row_version"] or 0,
            )
        except incident_actions.ActorLoop:
            form.add_error("parent", _loop_message())
        except EditConflict:
            target.refresh_from_db()
            conflict = keyring.opened(target)
            rebind(form, row_version=str(target.row_version))
        else:
            messages.success(request, _("The actor is saved."))
            return redirect("threats:actors", case_id=case.id)
    status = 409 if conflict else (400 if form.errors else 200)
    return render(
        request,
        "threats/actor_form.html",
        {
            "case": case,
            "defender": case_queries.defender_of(keyring, case),
            "form": form,
            "target": target,
            "conflict": conflict,
        },
        status=status,
    )


# --- an assessment --------------------------------------------------------------------------


def _assessment(case: Case, assessment_id: uuid.UUID) -> ThreatAssessment:
    assessment = queries.assessment_in_case(case, assessment_id)
    if assessment is None:
        raise Http404
    return assessment


def _step_form(
    step: int,
    keyring: Keyring,
    case: Case,
    data: Any = None,
    initial: dict[str, Any] | None = None,
) -> Form:
    kwargs: dict[str, Any] = {"initial": initial or {}}
    if step == 1:
        kwargs["incidents"] = queries.incident_choices(keyring, case)
    if step == 4:
        kwargs["actors"] = queries.actor_choices(keyring, case)
    return STEP_FORMS[step](data, **kwargs)


def _initial(keyring: Keyring, assessment: ThreatAssessment, step: int) -> dict[str, Any]:
    values = actions.snapshot(keyring, assessment)
    initial: dict[str, Any] = {"row_version": assessment.row_version}
    if step == 1:
        initial.update(title=values["title"], facts=values["facts"], incidents=values["incidents"])
    elif step == 2:
        initial.update(pattern=values["pattern"])
    elif step == 3:
        initial.update(
            objective=values["objective"],
            objective_other=values["objective_other"],
            objective_notes=values["objective_notes"],
        )
    elif step == 4:
        initial.update(
            actor=values["source_actor"],
            attribution=values["attribution"],
            possibly_false=values["possibly_false"],
            source_notes=values["source_notes"],
        )
    else:
        initial.update(
            threat_kind=values["threat_kind"],
            declared=values["declared"],
            intent=values["intent"],
            capacity=values["capacity"],
            capacity_intent=values["capacity_intent"],
            likelihood=values["likelihood"],
            rationale=values["rationale"],
        )
    return initial


def _order_problem(step: int, missing: list[int]) -> Problem:
    names = ", ".join(f"{n} · {STEP_NAMES[n]}" for n in missing)
    message = _(
        "Answer the steps before this one first (%(steps)s): the five steps go in order. "
        "Nothing you typed here is saved yet; it is still in the form."
    ) % {"steps": names}
    if step == 4:
        message += " " + _("The source comes only after the facts, the pattern and the objective.")
    return Problem(message)


def _step_context(
    request: HttpRequest,
    case: Case,
    keyring: Keyring,
    assessment: ThreatAssessment | None,
    step: int,
    form: Form,
) -> dict[str, Any]:
    context: dict[str, Any] = {
        "case": case,
        "defender": case_queries.defender_of(keyring, case),
        "assessment": assessment,
        "opened": keyring.opened(assessment) if assessment else None,
        "step": step,
        "step_name": STEP_NAMES[step],
        "steps": _steps_bar(assessment, step),
        "form": form,
        "missing": actions.missing_before(assessment, step),
    }
    if step == 2:
        flagged = queries.flagged_ids(keyring, case)
        rows, months = queries.timeline(keyring, case, flagged)
        linked = (
            {str(i) for i in assessment.incidents.values_list("pk", flat=True)}
            if assessment
            else set()
        )
        context.update(
            timeline_rows=rows,
            timeline_months=months,
            timeline_chart=queries.incidents_chart(months),
            case_flags=queries.case_flags(keyring, case),
            linked=linked,
        )
    return context


def _steps_bar(assessment: ThreatAssessment | None, current: int) -> list[dict[str, Any]]:
    done = assessment.steps_done if assessment else 0
    return [
        {
            "number": n,
            "name": STEP_NAMES[n],
            "done": n <= done,
            "current": n == current,
            "open": n <= done + 1,
        }
        for n in actions.STEPS
    ]


@require_http_methods(["GET", "POST"])
@case_view(staff_only=True)
def new_assessment(request: HttpRequest, case: Case, keyring: Keyring) -> HttpResponse:
    form = _step_form(1, keyring, case, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            assessment = actions.start_assessment(
                actor=current_user(request),
                keyring=keyring,
                case=case,
                facts=form.data_for_step(),  # type: ignore[attr-defined]
            )
            messages.success(request, _("Step 1 is saved. Now look for a pattern."))
            return redirect("threats:step", case_id=case.id, assessment_id=assessment.id, step=2)
        status = 400
    else:
        status = 200
    context = _step_context(request, case, keyring, None, 1, form)
    return render(request, "threats/step.html", context, status=status)


@require_http_methods(["GET", "POST"])
@case_view(staff_only=True)
def step(
    request: HttpRequest, case: Case, keyring: Keyring, assessment_id: uuid.UUID, step: int
) -> HttpResponse:
    if step not in actions.STEPS:
        raise Http404
    assessment = _assessment(case, assessment_id)
    form = _step_form(
        step,
        keyring,
        case,
        request.POST if request.method == "POST" else None,
        initial=_initial(keyring, assessment, step),
    )
    context = _step_context(request, case, keyring, assessment, step, form)
    if request.method != "POST":
        record_access(request, "threat_assessment.viewed", assessment, step=step)
        return render(request, "threats/step.html", context)
    if not form.is_valid():
        return render(request, "threats/step.html", context, status=400)
    try:
        actions.save_step(
            actor=current_user(request),
            keyring=keyring,
            assessment=assessment,
            data=form.data_for_step(),  # type: ignore[attr-defined]
            expected_version=form.cleaned_data["row_version"] or 0,
        )
    except actions.StepOutOfOrder as refused:
        context["order_problem"] = _order_problem(step, refused.missing)
        return render(request, "threats/step.html", context, status=400)
    except EditConflict:
        assessment.refresh_from_db()
        rebind(form, row_version=str(assessment.row_version))
        # What the other person saved, shown beside the form (the _values template's names).
        context.update(_detail(keyring, case, assessment), conflict=True, conflict_step=step)
        return render(request, "threats/step.html", context, status=409)
    messages.success(request, _("Step %(number)s is saved.") % {"number": step})
    if step < 5:
        return redirect("threats:step", case_id=case.id, assessment_id=assessment.id, step=step + 1)
    return redirect("threats:detail", case_id=case.id, assessment_id=assessment.id)


def _detail(
    keyring: Keyring, case: Case, assessment: ThreatAssessment, values: dict[str, Any] | None = None
) -> dict[str, Any]:
    """An assessment (or one of its versions, ``values``) ready to show, step by step."""
    values = values if values is not None else actions.snapshot(keyring, assessment)
    objectives = vocabularies.load("threat_objectives")

    def label(choices: Any, code: str) -> str:
        return str(dict(choices).get(code, "")) if code else ""

    return {
        "values": values,
        "incidents": queries.incident_titles(keyring, case, values["incidents"]),
        "objective_label": objectives.label(values["objective"]) if values["objective"] else "",
        "source_name": queries.actor_name(keyring, case, values["source_actor"]),
        "attribution_label": label(Confidence.choices, values["attribution"]),
        "threat_kind_label": label(ThreatKind.choices, values["threat_kind"]),
        "intent_label": label(Answer.choices, values["intent"]),
        "capacity_label": label(Answer.choices, values["capacity"]),
        "likelihood_label": LIKELIHOOD_LABELS.get(values["likelihood"] or 0, ""),
    }


@require_GET
@case_view(staff_only=True)
def assessment_detail(
    request: HttpRequest, case: Case, keyring: Keyring, assessment_id: uuid.UUID
) -> HttpResponse:
    assessment = _assessment(case, assessment_id)
    record_access(request, "threat_assessment.viewed", assessment)
    context = _detail(keyring, case, assessment)
    context.update(
        case=case,
        defender=case_queries.defender_of(keyring, case),
        assessment=assessment,
        steps=_steps_bar(assessment, 0),
        versions=len(queries.versions_of(assessment)),
    )
    return render(request, "threats/detail.html", context)


@require_GET
@case_view(staff_only=True)
def history(
    request: HttpRequest, case: Case, keyring: Keyring, assessment_id: uuid.UUID
) -> HttpResponse:
    assessment = _assessment(case, assessment_id)
    record_access(request, "threat_assessment.viewed", assessment, history=True)
    return render(
        request,
        "threats/history.html",
        {
            "case": case,
            "defender": case_queries.defender_of(keyring, case),
            "assessment": assessment,
            "opened": keyring.opened(assessment),
            "versions": [(v, STEP_NAMES.get(v.step, "")) for v in queries.versions_of(assessment)],
        },
    )


@require_GET
@case_view(staff_only=True)
def version(
    request: HttpRequest, case: Case, keyring: Keyring, assessment_id: uuid.UUID, number: int
) -> HttpResponse:
    assessment = _assessment(case, assessment_id)
    kept = assessment.versions.filter(number=number).select_related("saved_by").first()
    if kept is None:
        raise Http404
    record_access(request, "threat_assessment.viewed", assessment, version=number)
    snapshot = keyring.opened(kept).snapshot
    if not isinstance(snapshot, dict):  # damaged: the notice, in place of the version
        return render(
            request,
            "threats/version.html",
            {
                "case": case,
                "assessment": assessment,
                "kept": kept,
                "damaged": snapshot,
                "defender": case_queries.defender_of(keyring, case),
            },
        )
    context = _detail(keyring, case, assessment, values=snapshot)
    context.update(
        case=case,
        defender=case_queries.defender_of(keyring, case),
        assessment=assessment,
        kept=kept,
        step_name=STEP_NAMES.get(kept.step, ""),
    )
    return render(request, "threats/version.html", context)


# --- the coordinator's view -----------------------------------------------------------------


@require_GET
@role_required(*ACCOUNT_MANAGERS)
def flagged(request: HttpRequest) -> HttpResponse:
    rows = queries.flagged_cases(current_user(request), keyring_for(request))
    return render(request, "threats/flagged.html", {"rows": rows})
