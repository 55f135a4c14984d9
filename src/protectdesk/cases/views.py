"""Case views. Every case route answers 404 to anyone who cannot open the case."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from protectdesk.accounts.forms import RecoveryPhraseForm
from protectdesk.accounts.models import ACCOUNT_MANAGERS, STAFF_ROLES, Role, User
from protectdesk.audit.actions import record_access
from protectdesk.cases import actions, queries
from protectdesk.cases.forms import (
    AddMemberForm,
    ConsentForm,
    DefenderEditForm,
    DefenderForm,
    LinkForm,
    OwnProfileForm,
    StaffNotesForm,
    StatusForm,
)
from protectdesk.cases.models import DefenderLink
from protectdesk.lib.access import current_user, role_required
from protectdesk.lib.forms import clear_errors, rebind
from protectdesk.records import jobs, registry, rotation
from protectdesk.records.access import case_view, conflict_page
from protectdesk.records.actions import EditConflict
from protectdesk.records.keyring import Keyring, keyring_for
from protectdesk.records.models import Case, JobKind


@require_GET
@role_required(*STAFF_ROLES, Role.DEFENDER)  # a trainer works on workshops, not cases
def case_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    keyring = keyring_for(request)
    mine = queries.page_of(queries.my_case_count(user), request.GET.get("page", 1))
    context: dict[str, Any] = {
        "cards": queries.my_cases(keyring, mine),
        "mine": mine,
        "can_open_cases": user.role in actions.CASE_ROLES,
    }
    if user.role in ACCOUNT_MANAGERS:
        desk = queries.page_of(queries.desk_case_count(user), request.GET.get("desk_page", 1))
        context["desk"] = desk
        context["desk_rows"] = queries.desk_overview(user, desk)
        # Each list keeps its place while the other one turns its pages.
        context["mine_query"] = f"&desk_page={desk.number}"
        context["desk_query"] = f"&page={mine.number}"
    return render(request, "cases/list.html", context)


@require_http_methods(["GET", "POST"])
@role_required(*actions.CASE_ROLES)
def new_case(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = DefenderForm(
        request.POST if request.method == "POST" else None, default_country=user.desk.country
    )
    if request.method == "POST" and "refresh" not in request.POST and form.is_valid():
        case = actions.open_case(actor=user, keyring=keyring_for(request), profile=form.profile())
        messages.success(request, _("The case is open. Only its members can read it."))
        return redirect("cases:detail", case_id=case.id)
    if "refresh" in request.POST:
        # "Update regions" (no JavaScript): show the regions of the newly chosen country.
        return render(request, "cases/new.html", {"form": clear_errors(form)})
    return render(request, "cases/new.html", {"form": form}, status=400 if form.errors else 200)


def _detail_context(
    request: HttpRequest, case: Case, keyring: Keyring, **extra: Any
) -> dict[str, Any]:
    """The case page: its header, then every registered section the viewer may see.

    ``extra`` (a form shown again with its errors, a conflict) takes the place of the value a
    section would have put under the same name.
    """
    is_staff = keyring.has_staff_key(case.id)
    context: dict[str, Any] = {
        "case": case,
        "defender": queries.defender_of(keyring, case),
        "is_staff": is_staff,
        **extra,
    }
    shown = [s for s in registry.SECTIONS if is_staff or not s.staff_only]
    for section in shown:
        for name, value in section.context(request, case, keyring).items():
            context.setdefault(name, value)
    context["section_templates"] = [section.template for section in shown]
    return context


def _detail_page(
    request: HttpRequest, case: Case, keyring: Keyring, status: int, **extra: Any
) -> HttpResponse:
    """The case page shown again with a form's errors (or a conflict) in place."""
    return render(
        request,
        "cases/detail.html",
        _detail_context(request, case, keyring, **extra),
        status=status,
    )


@require_GET
@case_view()
def case_detail(request: HttpRequest, case: Case, keyring: Keyring) -> HttpResponse:
    record_access(request, "case.viewed", case)
    return render(request, "cases/detail.html", _detail_context(request, case, keyring))


@require_http_methods(["GET", "POST"])
@case_view()
def own_profile(request: HttpRequest, case: Case, keyring: Keyring) -> HttpResponse:
    """The defender's own account edits what its desk allows of its profile (staff: 404)."""
    if keyring.has_staff_key(case.id):
        raise Http404
    defender = queries.defender_of(keyring, case)
    if defender is None:
        raise Http404
    editable = list(case.desk.defender_editable)
    form = OwnProfileForm(
        request.POST if request.method == "POST" else None,
        editable=editable,
        initial={
            **{name: getattr(defender, name) for name in editable},
            "row_version": defender.row_version,
        },
    )
    context = {"case": case, "defender": defender, "form": form, "editable": editable}
    if request.method == "POST" and editable and form.is_valid():
        try:
            actions.update_own_profile(
                actor=current_user(request),
                keyring=keyring,
                case=case,
                values=form.values(),
                expected_version=form.cleaned_data["row_version"],
            )
        except EditConflict:
            return conflict_page(
                request, "cases/own_profile.html", context, form, keyring, defender.record
            )
        messages.success(request, _("Your profile has been saved."))
        return redirect("cases:detail", case_id=case.id)
    return render(request, "cases/own_profile.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@case_view(staff_only=True)
def edit_defender(request: HttpRequest, case: Case, keyring: Keyring) -> HttpResponse:
    """Edit the profile; a save over someone else's newer save shows both and loses nothing."""
    defender = queries.defender_of(keyring, case)
    if defender is None:
        raise Http404
    form = DefenderEditForm(
        request.POST if request.method == "POST" else None,
        initial=DefenderEditForm.initial_for(defender),
        default_country=defender.country,
    )
    conflict = None
    if request.method == "POST" and "refresh" not in request.POST and form.is_valid():
        try:
            actions.update_defender(
                actor=current_user(request),
                keyring=keyring,
                case=case,
                profile=form.profile(),
                expected_version=form.cleaned_data["row_version"],
            )
        except EditConflict:
            conflict = queries.defender_of(keyring, case)
            rebind(form, row_version=str(conflict.row_version if conflict else 0))
        else:
            messages.success(request, _("The profile has been saved."))
            return redirect("cases:detail", case_id=case.id)
    if "refresh" in request.POST:
        clear_errors(form)
    status = 409 if conflict else (400 if form.errors else 200)
    return render(
        request,
        "cases/edit_defender.html",
        {"case": case, "defender": defender, "form": form, "conflict": conflict},
        status=status,
    )


@require_POST
@case_view(staff_only=True)
def record_consent(request: HttpRequest, case: Case, keyring: Keyring) -> HttpResponse:
    form = ConsentForm(request.POST)
    if form.is_valid():
        actions.record_consent(
            actor=current_user(request), keyring=keyring, case=case, choice=form.choice()
        )
        messages.success(
            request,
            _("The consent record has been saved; the previous one is kept in the history."),
        )
        return redirect("cases:detail", case_id=case.id)
    return _detail_page(request, case, keyring, 400, consent_form=form)


@require_POST
@case_view(staff_only=True)
def link_defender(request: HttpRequest, case: Case, keyring: Keyring) -> HttpResponse:
    form = LinkForm(request.POST, choices=queries.linkable_collectives(keyring, case))
    if not form.is_valid():
        messages.error(request, _("Choose a case from the list."))
    else:
        other = Case.objects.filter(
            pk=form.cleaned_data["collective"], desk_id=case.desk_id
        ).first()
        if other is None:
            raise Http404
        try:
            actions.link_defender(
                actor=current_user(request), keyring=keyring, case=case, collective=other
            )
        except actions.CaseError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The link has been saved."))
    return redirect("cases:detail", case_id=case.id)


@require_POST
@case_view(staff_only=True)
def unlink_defender(
    request: HttpRequest, case: Case, keyring: Keyring, link_id: int
) -> HttpResponse:
    link = DefenderLink.objects.filter(pk=link_id, member_case=case).first()
    if link is None:
        raise Http404
    actions.unlink_defender(actor=current_user(request), keyring=keyring, link=link)
    messages.success(request, _("The link has been removed."))
    return redirect("cases:detail", case_id=case.id)


@require_POST
@case_view(staff_only=True)
def change_status(request: HttpRequest, case: Case, keyring: Keyring) -> HttpResponse:
    form = StatusForm(request.POST)
    if form.is_valid():
        actions.change_status(
            actor=current_user(request),
            keyring=keyring,
            case=case,
            status=form.cleaned_data["status"],
        )
        messages.success(request, _("The status has been changed."))
    else:
        messages.error(request, _("Choose a status from the list."))
    return redirect("cases:detail", case_id=case.id)


@require_POST
@case_view(staff_only=True)
def staff_notes(request: HttpRequest, case: Case, keyring: Keyring) -> HttpResponse:
    form = StaffNotesForm(request.POST)
    if form.is_valid():
        try:
            actions.update_staff_notes(
                actor=current_user(request),
                keyring=keyring,
                case=case,
                notes=form.cleaned_data["staff_notes"],
                expected_version=form.cleaned_data["row_version"],
            )
        except EditConflict:
            case.refresh_from_db()
            current = keyring.opened(case).staff_notes
            return _detail_page(
                request,
                case,
                keyring,
                409,
                notes_form=StaffNotesForm(
                    initial={"staff_notes": current, "row_version": case.row_version}
                ),
                notes_conflict=form.cleaned_data["staff_notes"],
            )
        messages.success(request, _("The staff notes have been saved."))
        return redirect("cases:detail", case_id=case.id)
    return _detail_page(request, case, keyring, 400, notes_form=form)


@require_POST
@case_view(staff_only=True)
def add_member(request: HttpRequest, case: Case, keyring: Keyring) -> HttpResponse:
    candidates = queries.addable_staff(case)
    form = AddMemberForm(request.POST, candidates=candidates)
    if not form.is_valid():
        messages.error(request, _("Choose a colleague from the list."))
    else:
        user = next(u for u in candidates if str(u.pk) == form.cleaned_data["user"])
        try:
            actions.add_member(actor=current_user(request), keyring=keyring, case=case, user=user)
        except actions.CaseError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The colleague can now open this case."))
    return redirect("cases:detail", case_id=case.id)


@require_POST
@case_view(staff_only=True)
def remove_member(request: HttpRequest, case: Case, keyring: Keyring, user_id: Any) -> HttpResponse:
    user = User.objects.filter(pk=user_id, desk_id=case.desk_id).first()
    if user is None:
        raise Http404
    try:
        actions.remove_member(actor=current_user(request), keyring=keyring, case=case, user=user)
    except actions.CaseError as error:
        messages.error(request, error.message)
    else:
        if user.pk == current_user(request).pk:
            messages.success(request, _("You have left this case."))
            return redirect("cases:list")
        messages.success(
            request,
            _(
                "Access removed. If this person may have kept copies of the keys, rotate the case keys."
            ),
        )
    return redirect("cases:detail", case_id=case.id)


@require_POST
@case_view(staff_only=True)
def invite_defender(request: HttpRequest, case: Case, keyring: Keyring) -> HttpResponse:
    try:
        user, invitation, token = actions.invite_defender(
            actor=current_user(request), keyring=keyring, case=case
        )
    except actions.CaseError as error:
        messages.error(request, error.message)
        return redirect("cases:detail", case_id=case.id)
    link = request.build_absolute_uri(reverse("accounts:accept_invitation", args=[token]))
    return render(
        request,
        "cases/defender_invitation.html",
        {"case": case, "handle": user.login, "link": link, "invitation": invitation},
    )


@require_GET
@role_required(*ACCOUNT_MANAGERS)
def recovery_list(request: HttpRequest) -> HttpResponse:
    """Accounts that are members of cases they cannot open (after a new invitation)."""
    actor = current_user(request)
    waiting = queries.accounts_awaiting_recovery(actor)
    people = [
        (user, waiting[user.id])
        for user in User.objects.filter(pk__in=waiting).order_by("display_name", "login")
    ]
    return render(request, "cases/recovery_list.html", {"people": people})


@require_POST
@case_view(staff_only=True)
def rotate_keys(request: HttpRequest, case: Case, keyring: Keyring) -> HttpResponse:
    """New keys for the case; everything re-encrypted (resumes an interrupted rotation).

    In the background when a worker is running (the progress page follows it), else here.
    """
    actor = current_user(request)
    job = jobs.start_rotation(actor=actor, keyring=keyring, case=case)
    if job is not None and job.kind != JobKind.ROTATION:
        messages.info(
            request,
            _(
                "Another background task is under way in this case (an import). Rotate the "
                "keys when it has finished."
            ),
        )
        return redirect("cases:detail", case_id=case.id)
    if job is not None:
        if job.started_by_id == actor.id:
            return redirect("jobs:progress", job_id=job.id)
        messages.info(
            request,
            _("A colleague's key rotation of this case is already running in the background."),
        )
        return redirect("cases:detail", case_id=case.id)
    done = rotation.rotate(actor=actor, keyring=keyring, case=case)
    messages.success(
        request,
        ngettext(
            "The case has new keys: %(count)d record was re-encrypted and the old keys are destroyed.",
            "The case has new keys: %(count)d records were re-encrypted and the old keys are destroyed.",
            done.converted,
        )
        % {"count": done.converted},
    )
    return redirect("cases:detail", case_id=case.id)


@require_http_methods(["GET", "POST"])
@role_required(*ACCOUNT_MANAGERS)
def restore_access(request: HttpRequest, user_id: Any) -> HttpResponse:
    """A coordinator types the desk recovery phrase to re-seal a person's case keys."""
    actor = current_user(request)
    user = User.objects.filter(pk=user_id, desk_id=actor.desk_id).first()
    if user is None:
        raise Http404
    form = RecoveryPhraseForm(request.POST if request.method == "POST" else None)
    waiting = len(queries.cases_awaiting_recovery(user))
    if request.method == "POST" and form.is_valid():
        try:
            restored = actions.restore_access(
                actor=actor, phrase=form.cleaned_data["phrase"], user=user
            )
        except actions.CaseError as error:
            form.add_error("phrase", error.message)
        else:
            said = ngettext(
                "Access restored to %(count)d case.",
                "Access restored to %(count)d cases.",
                restored.cases,
            ) % {"count": restored.cases}
            if restored.workshops:
                said += " " + ngettext(
                    "And to %(count)d workshop.",
                    "And to %(count)d workshops.",
                    restored.workshops,
                ) % {"count": restored.workshops}
            messages.success(request, said)
            return redirect("cases:recovery_list")
    return render(
        request,
        "cases/restore_access.html",
        {"form": form, "person": user, "waiting": waiting},
        status=400 if form.errors else 200,
    )
