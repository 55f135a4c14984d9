"""Wheel views: a case's sessions (and starting one), one session's results and participants
(and entering one), a weak spoke made a measure of the plan.

The defender's own account reads sessions (everything is under the shared key) and writes
nothing: a POST from it answers 404, as every staff-side route does.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from protectdesk.audit.actions import record_access
from protectdesk.cases import queries as case_queries
from protectdesk.lib.access import current_user
from protectdesk.plans import actions as plan_actions
from protectdesk.records.access import case_view
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case
from protectdesk.wheel import actions, definitions, queries, scoring
from protectdesk.wheel.forms import ParticipantForm, StartForm
from protectdesk.wheel.models import WheelSession


def _session(case: Case, session_id: uuid.UUID) -> WheelSession:
    found = queries.session_in(case, session_id)
    if found is None:
        raise Http404
    return found


def _staff_or_404(request: HttpRequest, keyring: Keyring, case: Case) -> bool:
    """Whether the viewer is staff of the case; a POST by anyone else is refused with 404."""
    is_staff = keyring.has_staff_key(case.id)
    if request.method == "POST" and not is_staff:
        raise Http404
    return is_staff


@require_http_methods(["GET", "POST"])
@case_view()
def sessions(request: HttpRequest, case: Case, keyring: Keyring) -> HttpResponse:
    """The case's wheel sessions, newest first; POST (staff) starts a new one."""
    is_staff = _staff_or_404(request, keyring, case)
    form = StartForm(request.POST if request.method == "POST" else None) if is_staff else None
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        session = actions.start_session(
            actor=current_user(request),
            keyring=keyring,
            case=case,
            wheel=data["wheel"],
            held_on=data["held_on"],
            title=data["title"],
            notes=data["notes"],
        )
        messages.success(request, _("The session is started: enter each participant's scores."))
        return redirect("wheel:session", case_id=case.id, session_id=session.id)
    rows = []
    for session in queries.sessions_of(case):
        result = queries.aggregate_of(session)
        wheel = definitions.get(session.wheel)
        rows.append(
            {
                "session": session,
                "title": keyring.opened(session).title,
                "wheel": wheel.label if wheel else session.wheel,
                "participants": result.participants,
                "overall": queries.number(result.overall) if result.overall is not None else "",
            }
        )
    context = {
        "case": case,
        "defender": case_queries.defender_of(keyring, case),
        "is_staff": is_staff,
        "rows": rows,
        "form": form,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "wheel/sessions.html", context, status=status)


def _session_context(
    case: Case,
    keyring: Keyring,
    session: WheelSession,
    is_staff: bool,
    form: ParticipantForm | None,
) -> dict[str, Any]:
    wheel = queries.wheel_of(session)
    result = queries.aggregate_of(session, wheel)
    previous = queries.previous_of(session)
    comparison = (
        scoring.compare(queries.aggregate_of(previous), result) if previous is not None else None
    )
    labels = {spoke.code: spoke.label for spoke in wheel.spokes}
    return {
        "case": case,
        "defender": case_queries.defender_of(keyring, case),
        "session": session,
        "opened": keyring.opened(session),
        "wheel": wheel,
        "is_staff": is_staff,
        "form": form,
        "result": result,
        "overall": queries.number(result.overall) if result.overall is not None else "",
        "chart": queries.chart_of(session, wheel, result, previous, comparison),
        "spreads": [(labels[s.code], s) for s in result.spokes],
        "previous": previous,
        "overall_delta": queries.signed(comparison.overall)
        if comparison is not None and comparison.overall is not None
        else "",
        "weak": queries.weak_spokes(session, wheel, result),
        "has_plan": plan_actions.current(case) is not None,
        "participants": queries.participant_views(keyring, session, wheel),
        "disagree_at": scoring.DISAGREEMENT,
        "weak_below": scoring.WEAK,
    }


@require_http_methods(["GET", "POST"])
@case_view()
def session(
    request: HttpRequest, case: Case, keyring: Keyring, session_id: uuid.UUID
) -> HttpResponse:
    """One session: the chart, agreement, weak spokes, each participant; POST (staff) enters
    one participant's scores."""
    target = _session(case, session_id)
    is_staff = _staff_or_404(request, keyring, case)
    wheel = definitions.get(target.wheel)
    form = None
    if is_staff and wheel is not None:  # a wheel removed from the file takes no new scores
        form = ParticipantForm(request.POST if request.method == "POST" else None, wheel=wheel)
    if request.method == "GET":
        record_access(request, "wheel.viewed", target)
        return render(
            request, "wheel/session.html", _session_context(case, keyring, target, is_staff, form)
        )
    if form is None or not form.is_valid():
        context = _session_context(case, keyring, target, is_staff, form)
        return render(request, "wheel/session.html", context, status=400)
    label, submission, scores = form.data_for_action()
    page = reverse("wheel:session", args=[case.id, target.id])
    try:
        participant = actions.add_participant(
            actor=current_user(request),
            keyring=keyring,
            session=target,
            label=label,
            submission=submission,
            scores=scores,
        )
    except actions.AlreadySubmitted as already:
        messages.success(
            request,
            _(
                "These scores are already saved: the form was sent twice, and nothing was "
                "added the second time."
            ),
        )
        return redirect(f"{page}#participant-{already.participant.pk}")
    messages.success(request, _("The participant's scores are saved."))
    return redirect(f"{page}#participant-{participant.pk}")


@require_POST
@case_view(staff_only=True)
def make_measure(
    request: HttpRequest, case: Case, keyring: Keyring, session_id: uuid.UUID, spoke: str
) -> HttpResponse:
    """A weak spoke of the session becomes a measure of the current protection plan."""
    target = _session(case, session_id)
    wheel = definitions.get(target.wheel)
    if wheel is None or wheel.spoke(spoke) is None:
        raise Http404
    try:
        actions.make_measure(
            actor=current_user(request), keyring=keyring, session=target, spoke=spoke
        )
    except actions.NoPlan:
        messages.error(
            request,
            _("Start the protection plan first: the measure goes into its current version."),
        )
    except actions.AlreadyMeasure:
        messages.success(request, _("This spoke is already a measure of the protection plan."))
    else:
        messages.success(
            request,
            _(
                "The measure is added to the protection plan: give it an owner and a due date there."
            ),
        )
    return redirect(reverse("wheel:session", args=[case.id, target.id]) + "#weak")
