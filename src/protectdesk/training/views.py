"""Training pages: the workshops (a trainer's own, and the desk's overview for coordinators),
one workshop with its trainers, participants and anonymous counts, each participant's
self-assessments and coaching, the pre/post results, and a desk's own questionnaires.

Every page of one workshop goes through :func:`workshop_view`: its trainers only; for anyone
else the workshop does not exist (404, never 403), as for a case.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from protectdesk.accounts.models import ACCOUNT_MANAGERS, Role, User
from protectdesk.audit.actions import record_access
from protectdesk.lib.access import current_user, role_required, signed_in
from protectdesk.lib.forms import Problem
from protectdesk.library.queries import resource_choices
from protectdesk.records import rotation
from protectdesk.records.access import conflict_page
from protectdesk.records.actions import EditConflict
from protectdesk.records.keyring import Keyring, NoCaseAccess, StaffOnly, keyring_for
from protectdesk.training import actions, queries
from protectdesk.training.forms import (
    AssessmentForm,
    CoachingForm,
    ParticipantForm,
    QuestionnaireForm,
    TrainerForm,
    WorkshopForm,
)
from protectdesk.training.models import CoachingSession, Participant, Phase, Workshop
from protectdesk.training.questionnaires import QuestionnaireError, localised

WorkshopView = Callable[..., HttpResponse | StreamingHttpResponse]


def workshop_view(view: WorkshopView) -> WorkshopView:
    """Load the workshop for one of its trainers (404 otherwise) and pass it and the keyring."""

    @wraps(view)
    def wrapper(
        request: HttpRequest, workshop_id: uuid.UUID, *args: Any, **kwargs: Any
    ) -> HttpResponse | StreamingHttpResponse:
        keyring = keyring_for(request)
        workshop = queries.member_workshop(keyring, workshop_id)
        try:
            return view(request, workshop, keyring, *args, **kwargs)
        except (NoCaseAccess, StaffOnly):
            raise Http404 from None

    return signed_in(wrapper)


def _language() -> str:
    return (translation.get_language() or "en").split("-")[0]


def _refuse(form: Any, error: actions.TrainingError, fields: dict[str, str]) -> None:
    """An action's refusal shown on the form's field it is about (or the whole form)."""
    form.add_error(fields.get(error.code), error.message)


# --- lists and a new workshop ---------------------------------------------------------------


@require_GET
@role_required(*actions.TRAINING_ROLES)
def workshops(request: HttpRequest) -> HttpResponse:
    viewer = current_user(request)
    keyring = keyring_for(request)
    context: dict[str, Any] = {
        "mine": queries.my_workshops(keyring),
        "due": queries.coaching_due(keyring),
    }
    if viewer.role in ACCOUNT_MANAGERS:
        context["desk"] = queries.desk_workshops(viewer)
    return render(request, "training/workshops.html", context)


def _workshop_form(request: HttpRequest, viewer: User, **kwargs: Any) -> WorkshopForm:
    return WorkshopForm(
        request.POST if request.method == "POST" else None,
        country_default=viewer.desk.country,
        materials=resource_choices(
            viewer.desk_id, _language(), published_only=not viewer.is_staff_member
        ),
        questionnaires=queries.questionnaire_choices(viewer),
        **kwargs,
    )


_WORKSHOP_FIELDS = {
    "ends_before_start": "ends_on",
    "resource_unavailable": "materials",
    "questionnaire_in_use": "questionnaire",
}


@require_http_methods(["GET", "POST"])
@role_required(*actions.TRAINING_ROLES)
def new(request: HttpRequest) -> HttpResponse:
    viewer = current_user(request)
    form = _workshop_form(request, viewer, initial={"questionnaire": "security_self_assessment"})
    if request.method == "POST" and form.is_valid():
        try:
            workshop = actions.create_workshop(
                actor=viewer, keyring=keyring_for(request), data=form.to_data()
            )
        except actions.TrainingError as error:
            _refuse(form, error, _WORKSHOP_FIELDS)
        else:
            messages.success(request, _("The workshop is created: add its participants."))
            return redirect("training:workshop", workshop_id=workshop.id)
    status = 400 if request.method == "POST" else 200
    return render(request, "training/workshop_form.html", {"form": form}, status=status)


# --- one workshop ---------------------------------------------------------------------------


def _workshop_context(
    request: HttpRequest, workshop: Workshop, keyring: Keyring, **extra: Any
) -> dict[str, Any]:
    viewer = current_user(request)
    opened = keyring.opened(workshop)
    return {
        "workshop": workshop,
        "opened": opened,
        "reference": workshop.case.reference,
        "modules": queries.module_labels(workshop.modules),
        "materials": queries.materials_of(workshop, _language(), viewer),
        "trainers": queries.trainers_of(workshop),
        "participants": queries.participant_rows(keyring, workshop),
        "counts": queries.anonymous_counts(workshop),
        "questionnaire": actions.questionnaire_for(viewer, workshop.questionnaire),
        "confirm_label": _confirm_label(workshop),
        "trainer_form": extra.pop(
            "trainer_form", TrainerForm(people=queries.trainer_choices(viewer, workshop))
        ),
        **extra,
    }


def _confirm_label(workshop: Workshop) -> str:
    return _("Type %(reference)s to confirm") % {"reference": workshop.case.reference}


@require_GET
@workshop_view
def workshop(request: HttpRequest, workshop: Workshop, keyring: Keyring) -> HttpResponse:
    record_access(request, "workshop.viewed", workshop.case)
    return render(request, "training/workshop.html", _workshop_context(request, workshop, keyring))


@require_http_methods(["GET", "POST"])
@workshop_view
def edit(request: HttpRequest, workshop: Workshop, keyring: Keyring) -> HttpResponse:
    viewer = current_user(request)
    opened = keyring.opened(workshop)
    initial = {
        "topic": opened.topic,
        "starts_on": workshop.starts_on.isoformat(),
        "ends_on": workshop.ends_on.isoformat(),
        "country": workshop.country,
        "subdivision": workshop.subdivision,
        "venue": opened.venue,
        "modules": workshop.modules,
        "methods": opened.methods,
        "questionnaire": workshop.questionnaire,
        "materials": [str(m.resource_id) for m in workshop.materials.all()],
        "row_version": workshop.row_version,
    }
    form = _workshop_form(request, viewer, initial=initial)
    context = {"form": form, "workshop": workshop, "reference": workshop.case.reference}
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.update_workshop(
                    actor=viewer,
                    keyring=keyring,
                    workshop=workshop,
                    data=form.to_data(),
                    expected_version=form.cleaned_data["row_version"] or 0,
                )
            except EditConflict:
                return conflict_page(
                    request, "training/workshop_form.html", context, form, keyring, workshop
                )
            except actions.TrainingError as error:
                _refuse(form, error, _WORKSHOP_FIELDS)
            else:
                messages.success(request, _("The workshop is saved."))
                return redirect("training:workshop", workshop_id=workshop.id)
        return render(request, "training/workshop_form.html", context, status=400)
    return render(request, "training/workshop_form.html", context)


@require_POST
@workshop_view
def delete(request: HttpRequest, workshop: Workshop, keyring: Keyring) -> HttpResponse:
    """Delete the workshop with everything in it, once its reference is typed to confirm."""
    reference = workshop.case.reference
    typed = request.POST.get("confirm", "").strip().upper()
    if typed != reference:
        context = _workshop_context(
            request,
            workshop,
            keyring,
            delete_problem=Problem(
                _("Type the workshop's reference %(reference)s to confirm the deletion.")
                % {"reference": reference},
                _confirm_label(workshop),
                "id_confirm",
            ),
            typed_confirm=request.POST.get("confirm", "")[:60],
        )
        return render(request, "training/workshop.html", context, status=400)
    actions.delete_workshop(actor=current_user(request), keyring=keyring, workshop=workshop)
    messages.success(
        request,
        _("Workshop %(reference)s is deleted, with its participants and notes.")
        % {"reference": reference},
    )
    return redirect("training:workshops")


@require_POST
@workshop_view
def add_trainer(request: HttpRequest, workshop: Workshop, keyring: Keyring) -> HttpResponse:
    viewer = current_user(request)
    form = TrainerForm(request.POST, people=queries.trainer_choices(viewer, workshop))
    if form.is_valid():
        person = User.objects.filter(pk=form.cleaned_data["user"], desk_id=viewer.desk_id).first()
        if person is None:
            raise Http404
        try:
            actions.add_trainer(actor=viewer, keyring=keyring, workshop=workshop, user=person)
        except actions.TrainingError as error:
            form.add_error("user", error.message)
        else:
            messages.success(
                request, _("%(name)s is a trainer of the workshop now.") % {"name": person.label}
            )
            return redirect(reverse("training:workshop", args=[workshop.id]) + "#trainers")
    context = _workshop_context(request, workshop, keyring, trainer_form=form)
    return render(request, "training/workshop.html", context, status=400)


@require_POST
@workshop_view
def remove_trainer(
    request: HttpRequest, workshop: Workshop, keyring: Keyring, user_id: uuid.UUID
) -> HttpResponse:
    viewer = current_user(request)
    person = User.objects.filter(pk=user_id, desk_id=viewer.desk_id).first()
    if person is None:
        raise Http404
    try:
        actions.remove_trainer(actor=viewer, keyring=keyring, workshop=workshop, user=person)
    except actions.TrainingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s is no longer a trainer of the workshop.") % {"name": person.label},
        )
    return redirect(reverse("training:workshop", args=[workshop.id]) + "#trainers")


@require_POST
@workshop_view
def rotate_keys(request: HttpRequest, workshop: Workshop, keyring: Keyring) -> HttpResponse:
    """New keys for the workshop, everything in it re-encrypted and the old keys destroyed
    (after a trainer leaves under suspicion). A workshop holds tens of records, so this runs
    within the request; an interrupted rotation resumes on the next press."""
    done = rotation.rotate(actor=current_user(request), keyring=keyring, case=workshop.case)
    messages.success(
        request,
        ngettext(
            "The workshop has new keys: %(count)d record was re-encrypted and the old keys are "
            "destroyed.",
            "The workshop has new keys: %(count)d records were re-encrypted and the old keys are "
            "destroyed.",
            done.converted,
        )
        % {"count": done.converted},
    )
    return redirect(reverse("training:workshop", args=[workshop.id]) + "#trainers")


# --- participants ---------------------------------------------------------------------------

_PARTICIPANT_FIELDS = {"no_such_case": "case_reference", "no_name": "name", "duplicate": None}


@require_http_methods(["GET", "POST"])
@workshop_view
def new_participant(request: HttpRequest, workshop: Workshop, keyring: Keyring) -> HttpResponse:
    form = ParticipantForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_participant(
                actor=current_user(request),
                keyring=keyring,
                workshop=workshop,
                data=form.to_data(),
            )
        except actions.TrainingError as error:
            _refuse(form, error, _PARTICIPANT_FIELDS)  # type: ignore[arg-type]
        else:
            messages.success(request, _("The participant is added."))
            if "another" in request.POST:
                return redirect("training:new_participant", workshop_id=workshop.id)
            return redirect(reverse("training:workshop", args=[workshop.id]) + "#participants")
    context = {"form": form, "workshop": workshop, "reference": workshop.case.reference}
    status = 400 if request.method == "POST" else 200
    return render(request, "training/participant_form.html", context, status=status)


def _participant(workshop: Workshop, participant_id: uuid.UUID) -> Participant:
    return queries.participant_in(workshop, participant_id)


def _participant_context(
    request: HttpRequest, workshop: Workshop, keyring: Keyring, participant: Participant
) -> dict[str, Any]:
    found = queries.answers_of(keyring, participant)
    case = actions.defender_case_of(keyring, participant)
    in_plan = actions.measures_in_plan(keyring, case) if case is not None else set()
    sessions = []
    for session in CoachingSession.objects.filter(participant=participant):
        items = [
            {"text": text, "in_plan": text.strip() in in_plan}
            for text in actions.action_texts(keyring, session)
        ]
        sessions.append((session, keyring.opened(session), items))
    return {
        "workshop": workshop,
        "reference": workshop.case.reference,
        "participant": participant,
        "name": queries.name_of(keyring, participant),
        "opened": keyring.opened(participant),
        "defender_case": case,
        "can_plan": case is not None and keyring.has_staff_key(case.id),
        "pre": found.get(Phase.PRE),
        "post": found.get(Phase.POST),
        "sessions": sessions,
    }


@require_http_methods(["GET", "POST"])
@workshop_view
def participant(
    request: HttpRequest, workshop: Workshop, keyring: Keyring, participant_id: uuid.UUID
) -> HttpResponse:
    """One participant: details (editable), self-assessments, coaching sessions."""
    target = _participant(workshop, participant_id)
    opened = keyring.opened(target)
    linked = actions.defender_case_of(keyring, target)
    initial = {
        "case_reference": linked.reference
        if linked is not None
        else queries.linked_reference(keyring, target),
        "name": opened.name,
        "organisation": opened.organisation,
        "contacts": opened.contacts,
        "gender": target.gender,
        "age_band": target.age_band,
        "sector": target.sector,
        "defender_kind": target.defender_kind,
        "counted": target.counted,
        "row_version": target.row_version,
    }
    form = ParticipantForm(request.POST if request.method == "POST" else None, initial=initial)
    context = {**_participant_context(request, workshop, keyring, target), "form": form}
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.update_participant(
                    actor=current_user(request),
                    keyring=keyring,
                    participant=target,
                    data=form.to_data(),
                    expected_version=form.cleaned_data["row_version"] or 0,
                )
            except EditConflict:
                return conflict_page(
                    request, "training/participant.html", context, form, keyring, target
                )
            except actions.TrainingError as error:
                _refuse(form, error, _PARTICIPANT_FIELDS)  # type: ignore[arg-type]
            else:
                messages.success(request, _("The participant is saved."))
                return redirect("training:participant", workshop.id, target.id)
        return render(request, "training/participant.html", context, status=400)
    record_access(request, "workshop.participant_viewed", target)
    return render(request, "training/participant.html", context)


@require_POST
@workshop_view
def remove_participant(
    request: HttpRequest, workshop: Workshop, keyring: Keyring, participant_id: uuid.UUID
) -> HttpResponse:
    target = _participant(workshop, participant_id)
    if request.POST.get("confirm") != "yes":
        messages.error(
            request,
            _("Tick “Yes, remove this participant” to confirm: their answers and notes go too."),
        )
        return redirect("training:participant", workshop.id, target.id)
    actions.remove_participant(actor=current_user(request), keyring=keyring, participant=target)
    messages.success(request, _("The participant is removed, with their answers and notes."))
    return redirect(reverse("training:workshop", args=[workshop.id]) + "#participants")


# --- self-assessments -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@workshop_view
def assessment(
    request: HttpRequest,
    workshop: Workshop,
    keyring: Keyring,
    participant_id: uuid.UUID,
    phase: str,
) -> HttpResponse:
    """One participant's answers before (``pre``) or after (``post``) the workshop."""
    if phase not in Phase.values:
        raise Http404
    target = _participant(workshop, participant_id)
    viewer = current_user(request)
    questionnaire = actions.questionnaire_for(viewer, workshop.questionnaire)
    if questionnaire is None:
        raise Http404
    existing = queries.answers_of(keyring, target).get(phase)
    initial: dict[str, Any] = {}
    if existing is not None:
        initial = {
            f"q_{code}": str(score)
            for code, score in queries.opened_answers(keyring, existing).items()
        }
        initial.update(
            filled_on=existing.filled_on.isoformat(),
            comments=keyring.text(existing, "comments"),
            row_version=existing.row_version,
        )
    form = AssessmentForm(
        request.POST if request.method == "POST" else None,
        questionnaire=questionnaire,
        initial=initial,
    )
    context = {
        "workshop": workshop,
        "reference": workshop.case.reference,
        "participant": target,
        "name": queries.name_of(keyring, target),
        "phase": phase,
        "phase_label": Phase(phase).label,
        "questionnaire": questionnaire,
        "low_label": localised(questionnaire.low_labels),
        "high_label": localised(questionnaire.high_labels),
        "form": form,
        "existing": existing,
    }
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.record_assessment(
                    actor=viewer,
                    keyring=keyring,
                    participant=target,
                    phase=phase,
                    answers=form.answers_given(),
                    filled_on=form.cleaned_data["filled_on"],
                    comments=form.cleaned_data["comments"],
                    expected_version=(
                        form.cleaned_data["row_version"] if existing is not None else None
                    ),
                )
            except EditConflict:
                if existing is None:
                    raise
                return conflict_page(
                    request, "training/assessment.html", context, form, keyring, existing
                )
            except actions.TrainingError as error:
                _refuse(form, error, {"post_before_pre": "filled_on"})
            else:
                messages.success(request, _("The self-assessment is saved."))
                return redirect("training:participant", workshop.id, target.id)
        return render(request, "training/assessment.html", context, status=400)
    record_access(request, "workshop.participant_viewed", target)
    if phase == Phase.POST and queries.answers_of(keyring, target).get(Phase.PRE) is None:
        context["refused"] = Problem(
            _(
                "Record the self-assessment before the workshop first: the one after is "
                "compared with it."
            )
        )
    return render(request, "training/assessment.html", context)


@require_GET
@workshop_view
def results(request: HttpRequest, workshop: Workshop, keyring: Keyring) -> HttpResponse:
    found = queries.results(keyring, current_user(request), workshop)
    if found is None:
        raise Http404
    record_access(request, "workshop.results_viewed", workshop.case)
    return render(
        request,
        "training/results.html",
        {"workshop": workshop, "reference": workshop.case.reference, "results": found},
    )


# --- coaching -------------------------------------------------------------------------------

_COACHING_FIELDS = {"next_before_held": "next_on", "empty": None}


@require_http_methods(["GET", "POST"])
@workshop_view
def coaching(
    request: HttpRequest,
    workshop: Workshop,
    keyring: Keyring,
    participant_id: uuid.UUID,
    session_id: uuid.UUID | None = None,
) -> HttpResponse:
    """A new coaching session with the participant, or one edited (``session_id``)."""
    target = _participant(workshop, participant_id)
    session = queries.coaching_in(target, session_id) if session_id is not None else None
    initial: dict[str, Any] = {}
    if session is not None:
        initial = {
            "held_on": session.held_on.isoformat(),
            "next_on": session.next_on.isoformat() if session.next_on else "",
            "notes": keyring.text(session, "notes"),
            "actions_text": "\n".join(actions.action_texts(keyring, session)),
            "row_version": session.row_version,
        }
    form = CoachingForm(request.POST if request.method == "POST" else None, initial=initial)
    context = {
        "workshop": workshop,
        "reference": workshop.case.reference,
        "participant": target,
        "name": queries.name_of(keyring, target),
        "form": form,
        "session": session,
    }
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.save_coaching(
                    actor=current_user(request),
                    keyring=keyring,
                    participant=target,
                    data=form.to_data(),
                    session=session,
                    expected_version=form.cleaned_data["row_version"] if session else None,
                )
            except EditConflict:
                if session is None:
                    raise
                return conflict_page(
                    request, "training/coaching.html", context, form, keyring, session
                )
            except actions.TrainingError as error:
                _refuse(form, error, _COACHING_FIELDS)  # type: ignore[arg-type]
            else:
                messages.success(request, _("The coaching session is saved."))
                return redirect(
                    reverse("training:participant", args=[workshop.id, target.id]) + "#coaching"
                )
        return render(request, "training/coaching.html", context, status=400)
    record_access(request, "workshop.participant_viewed", target)
    return render(request, "training/coaching.html", context)


@require_POST
@workshop_view
def coaching_measure(
    request: HttpRequest,
    workshop: Workshop,
    keyring: Keyring,
    participant_id: uuid.UUID,
    session_id: uuid.UUID,
    index: int,
) -> HttpResponse:
    """An agreed action becomes a measure of the defender's protection plan."""
    target = _participant(workshop, participant_id)
    session = queries.coaching_in(target, session_id)
    try:
        actions.action_to_measure(
            actor=current_user(request), keyring=keyring, session=session, index=index
        )
    except actions.TrainingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "The action is a measure of the protection plan now: give it an owner and a due "
                "date there."
            ),
        )
    return redirect(reverse("training:participant", args=[workshop.id, target.id]) + "#coaching")


# --- a desk's own questionnaires ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def questionnaires(request: HttpRequest) -> HttpResponse:
    viewer = current_user(request)
    form = QuestionnaireForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    refused: list[Problem] = []
    if request.method == "POST" and form.is_valid():
        try:
            added = actions.add_questionnaire(actor=viewer, definition=form.cleaned_data["file"])
        except QuestionnaireError as error:
            refused = [
                Problem(str(problem), _("Questionnaire file"), "id_file")
                for problem in error.problems
            ]
        else:
            messages.success(
                request,
                _("The questionnaire %(code)s is added: workshops can use it now.")
                % {"code": added.code},
            )
            return redirect("training:questionnaires")
    context = {
        "form": form,
        "refused": refused,
        "available": queries.questionnaire_choices(viewer),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "training/questionnaires.html", context, status=status)
