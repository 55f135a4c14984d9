"""The intake officers' pages: the inbox, one submission (read, reply, open a case, add it to
a case, close), the door's settings and who holds the intake key.

Coordinators and caseworkers reach these pages; only intake officers (holders of the intake
key) see submissions. A submission id of another desk, or asked for by someone who is not an
officer, answers 404. Opening a submission is audit-logged (``intake.read``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from protectdesk.accounts.forms import RecoveryPhraseForm
from protectdesk.accounts.models import Role, User
from protectdesk.attachments.names import content_disposition
from protectdesk.audit.actions import record_access
from protectdesk.cases.forms import DefenderForm
from protectdesk.crypto import StreamError, stream
from protectdesk.intake import actions
from protectdesk.intake.forms import AddToCaseForm, DoorForm, GiveKeyForm, ReplyForm, VersionForm
from protectdesk.intake.models import IntakeDoor, Submission
from protectdesk.lib.access import current_user, role_required
from protectdesk.lib.forms import rebind, set_choices
from protectdesk.records.actions import EditConflict
from protectdesk.records.keyring import keyring_for
from protectdesk.records.models import Case
from protectdesk.records.queries import staff_cases_of

ROLES = tuple(actions.OFFICER_ROLES)


def _door_context(viewer: User) -> dict[str, Any]:
    door = actions.door_of(viewer.desk_id)
    return {
        "door": door,
        "officer": actions.is_officer(viewer),
        "officers": actions.officers(viewer.desk_id) if door else [],
        "is_coordinator": viewer.role == Role.COORDINATOR,
        "public_url": reverse("intake:report", args=[viewer.desk_id]) if door else "",
    }


@require_GET
@role_required(*ROLES)
def inbox(request: HttpRequest) -> HttpResponse:
    viewer = current_user(request)
    context = _door_context(viewer)
    if context["officer"] and context["door"] is not None:
        door: IntakeDoor = context["door"]
        context["rows"] = [
            (submission, actions.days_left(submission, door))
            for submission in actions.submissions_of(viewer)
        ]
    return render(request, "intake/inbox.html", context)


def _settings_page(request: HttpRequest, status: int = 200, **forms: Any) -> HttpResponse:
    viewer = current_user(request)
    context = _door_context(viewer)
    door = context["door"]
    if door is not None:
        forms.setdefault(
            "door_form",
            DoorForm(
                initial={
                    "accepting": door.accepting,
                    "retention_days": door.retention_days,
                    "row_version": door.row_version,
                },
                auto_id="door_%s",
            ),
        )
        give = forms.setdefault("give_form", GiveKeyForm(auto_id="give_%s"))
        set_choices(
            give, "users", [(str(u.pk), u.label) for u in actions.could_be_officers(viewer.desk_id)]
        )
        forms.setdefault("recovery_form", RecoveryPhraseForm(auto_id="recover_%s"))
    context.update(forms)
    return render(request, "intake/settings.html", context, status=status)


@require_GET
@role_required(*ROLES)
def settings_page(request: HttpRequest) -> HttpResponse:
    return _settings_page(request)


@require_POST
@role_required(Role.COORDINATOR)
def open_door(request: HttpRequest) -> HttpResponse:
    actions.open_door(actor=current_user(request))
    messages.success(
        request,
        _("The public form is open. Give its address to the people the desk works with."),
    )
    return redirect("intake:settings")


def _door_or_404(viewer: User) -> IntakeDoor:
    door = actions.door_of(viewer.desk_id)
    if door is None:
        raise Http404
    return door


@require_POST
@role_required(Role.COORDINATOR)
def change_door(request: HttpRequest) -> HttpResponse:
    viewer = current_user(request)
    door = _door_or_404(viewer)
    form = DoorForm(request.POST, auto_id="door_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.update_door(
                actor=viewer,
                door=door,
                accepting=data["accepting"],
                retention_days=data["retention_days"],
                expected_version=data["row_version"],
            )
        except actions.IntakeRefused as refused:
            form.add_error("retention_days", refused.message)
        except EditConflict:
            door.refresh_from_db()
            rebind(form, row_version=str(door.row_version))
            return _settings_page(request, status=409, door_form=form, conflict=True)
        else:
            messages.success(request, _("The public form's settings are saved."))
            return redirect("intake:settings")
    return _settings_page(request, status=400, door_form=form)


@require_POST
@role_required(*ROLES)
def give_key(request: HttpRequest) -> HttpResponse:
    viewer = current_user(request)
    _door_or_404(viewer)
    form = GiveKeyForm(request.POST, auto_id="give_%s")
    set_choices(
        form, "users", [(str(u.pk), u.label) for u in actions.could_be_officers(viewer.desk_id)]
    )
    if form.is_valid():
        try:
            given = actions.give_key(
                keyring=keyring_for(request),
                user_ids=[uuid.UUID(value) for value in form.cleaned_data["users"]],
            )
        except PermissionError:
            raise Http404 from None
        messages.success(
            request,
            ngettext(
                "%(n)d colleague is now an intake officer.",
                "%(n)d colleagues are now intake officers.",
                given,
            )
            % {"n": given},
        )
        return redirect("intake:settings")
    return _settings_page(request, status=400, give_form=form)


@require_POST
@role_required(Role.COORDINATOR)
def take_key(request: HttpRequest, user_id: uuid.UUID) -> HttpResponse:
    viewer = current_user(request)
    user = User.objects.filter(pk=user_id, desk_id=viewer.desk_id).first()
    if user is None or not actions.is_officer(user):
        raise Http404
    try:
        actions.take_key(keyring=keyring_for(request), user=user)
    except actions.IntakeRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _(
                "%(name)s is no longer an intake officer. The intake key was replaced and "
                "sealed again to the officers who stay."
            )
            % {"name": user.label},
        )
    return redirect("intake:settings")


@require_POST
@role_required(*ROLES)
def renew_key(request: HttpRequest) -> HttpResponse:
    viewer = current_user(request)
    _door_or_404(viewer)
    try:
        resealed = actions.renew_key(keyring=keyring_for(request))
    except PermissionError:
        raise Http404 from None
    messages.success(
        request,
        ngettext(
            "The intake key was replaced: %(n)d sealed part was sealed again to the new key.",
            "The intake key was replaced: %(n)d sealed parts were sealed again to the new key.",
            resealed,
        )
        % {"n": resealed},
    )
    return redirect("intake:settings")


@require_POST
@role_required(Role.COORDINATOR)
def recover(request: HttpRequest) -> HttpResponse:
    viewer = current_user(request)
    _door_or_404(viewer)
    form = RecoveryPhraseForm(request.POST, auto_id="recover_%s")
    if form.is_valid():
        try:
            actions.recover_key(actor=viewer, phrase=form.cleaned_data["phrase"])
        except actions.IntakeRefused as refused:
            form.add_error("phrase", refused.message)
        else:
            messages.success(request, _("You are an intake officer again."))
            return redirect("intake:inbox")
    return _settings_page(request, status=400, recovery_form=form)


# --- one submission -------------------------------------------------------------------------


def _submission_or_404(request: HttpRequest, submission_id: uuid.UUID) -> Submission:
    submission = actions.submission_for(current_user(request), submission_id)
    if submission is None:
        raise Http404
    return submission


def _staff_cases(viewer: User) -> list[tuple[str, str]]:
    ids = staff_cases_of(viewer)
    return [
        (str(case.id), case.reference)
        for case in Case.objects.filter(pk__in=ids, desk_id=viewer.desk_id).order_by("reference")
    ]


def _submission_page(
    request: HttpRequest, submission: Submission, status: int = 200, **forms: Any
) -> HttpResponse:
    viewer = current_user(request)
    try:
        conversation = actions.read(keyring=keyring_for(request), submission=submission)
    except PermissionError:
        raise Http404 from None
    record_access(request, "intake.read", submission)
    version = {"row_version": submission.row_version}
    forms.setdefault("reply_form", ReplyForm(initial=version, auto_id="reply_%s"))
    forms.setdefault("close_form", VersionForm(initial=version, auto_id="close_%s"))
    if submission.state != "moved":
        forms.setdefault(
            "case_form", DefenderForm(auto_id="case_%s", default_country=viewer.desk.country)
        )
        add = forms.setdefault("add_form", AddToCaseForm(initial=version, auto_id="add_%s"))
        set_choices(add, "case", [("", "—"), *_staff_cases(viewer)])
    door = actions.door_of(viewer.desk_id)
    context = {
        "submission": submission,
        "conversation": conversation,
        "days_left": actions.days_left(submission, door) if door else 0,
        **forms,
    }
    return render(request, "intake/submission.html", context, status=status)


@require_GET
@role_required(*ROLES)
def submission(request: HttpRequest, submission_id: uuid.UUID) -> HttpResponse:
    return _submission_page(request, _submission_or_404(request, submission_id))


@require_POST
@role_required(*ROLES)
def reply(request: HttpRequest, submission_id: uuid.UUID) -> HttpResponse:
    viewer = current_user(request)
    found = actions.submission_for(viewer, submission_id)
    if found is None:
        if not actions.is_officer(viewer):
            raise Http404
        # Destroyed while the officer wrote (closed by a colleague, or its retention ran out):
        # say so, and give back what they typed.
        context = {"unsent": request.POST.get("text", "")}
        return render(request, "intake/gone_for_officer.html", context, status=410)
    form = ReplyForm(request.POST, auto_id="reply_%s")
    if form.is_valid():
        try:
            actions.reply(
                actor=current_user(request),
                submission=found,
                text=form.cleaned_data["text"],
                expected_version=form.cleaned_data["row_version"],
            )
        except actions.IntakeRefused as refused:
            form.add_error("text", refused.message)
        except EditConflict:
            found.refresh_from_db()
            rebind(form, row_version=str(found.row_version))
            return _submission_page(request, found, status=409, reply_form=form, conflict=True)
        else:
            messages.success(request, _("Your reply is sealed to the person's key."))
            return redirect("intake:submission", submission_id=found.id)
    return _submission_page(request, found, status=400, reply_form=form)


def _version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("row_version", ""))
    except ValueError:
        return -1


def _moving(
    request: HttpRequest,
    found: Submission,
    form_name: str,
    form: Any,
    move: Callable[[], Any],
) -> tuple[Any, HttpResponse | None]:
    """Run a move into a case (``move``): (its result, None), or (None, the page that says
    why not — the form shown again on an edit conflict, the refusal after a redirect)."""
    try:
        return move(), None
    except EditConflict:
        found.refresh_from_db()
        if "row_version" in form.fields:
            rebind(form, row_version=str(found.row_version))
        page = _submission_page(request, found, status=409, conflict=True, **{form_name: form})
        return None, page
    except actions.IntakeRefused as refused:
        messages.error(request, refused.message)
        return None, redirect("intake:submission", submission_id=found.id)


@require_POST
@role_required(*ROLES)
def open_case(request: HttpRequest, submission_id: uuid.UUID) -> HttpResponse:
    found = _submission_or_404(request, submission_id)
    viewer = current_user(request)
    form = DefenderForm(request.POST, auto_id="case_%s", default_country=viewer.desk.country)
    if form.is_valid():
        case, refused = _moving(
            request,
            found,
            "case_form",
            form,
            lambda: actions.open_case(
                actor=viewer,
                keyring=keyring_for(request),
                submission=found,
                profile=form.profile(),
                expected_version=_version(request),
            ),
        )
        if refused is not None:
            return refused
        messages.success(
            request,
            _("Case %(reference)s is open, with the report and its files.")
            % {"reference": case.reference},
        )
        return redirect("cases:detail", case.id)
    return _submission_page(request, found, status=400, case_form=form)


@require_POST
@role_required(*ROLES)
def add_to_case(request: HttpRequest, submission_id: uuid.UUID) -> HttpResponse:
    found = _submission_or_404(request, submission_id)
    viewer = current_user(request)
    form = AddToCaseForm(request.POST, auto_id="add_%s")
    set_choices(form, "case", [("", "—"), *_staff_cases(viewer)])
    if form.is_valid():
        case = Case.objects.get(pk=form.cleaned_data["case"])
        _report, refused = _moving(
            request,
            found,
            "add_form",
            form,
            lambda: actions.add_to_case(
                actor=viewer,
                keyring=keyring_for(request),
                submission=found,
                case=case,
                expected_version=form.cleaned_data["row_version"],
            ),
        )
        if refused is not None:
            return refused
        messages.success(
            request,
            _("The report and its files are now in case %(reference)s.")
            % {"reference": case.reference},
        )
        return redirect(reverse("cases:detail", args=[case.id]) + "#received")
    return _submission_page(request, found, status=400, add_form=form)


@require_POST
@role_required(*ROLES)
def close(request: HttpRequest, submission_id: uuid.UUID) -> HttpResponse:
    found = _submission_or_404(request, submission_id)
    form = VersionForm(request.POST, auto_id="close_%s")
    if form.is_valid():
        try:
            actions.close(
                actor=current_user(request),
                submission=found,
                expected_version=form.cleaned_data["row_version"],
            )
        except EditConflict:
            found.refresh_from_db()
            return _submission_page(request, found, status=409, conflict=True)
        messages.success(request, _("The report is destroyed, with its files and conversation."))
        return redirect("intake:inbox")
    return _submission_page(request, found, status=400, close_form=form)


@require_GET
@role_required(*ROLES)
def download(
    request: HttpRequest, submission_id: uuid.UUID, part_id: uuid.UUID
) -> HttpResponse | StreamingHttpResponse:
    found = _submission_or_404(request, submission_id)
    try:
        opened = actions.open_file(
            keyring=keyring_for(request),
            submission=found,
            part_id=part_id,
        )
    except PermissionError:
        raise Http404 from None
    if opened is None:
        raise Http404
    record_access(request, "intake.file_downloaded", found)
    try:
        with open(opened.path, "rb") as source:
            size = stream.verify(opened.key, opened.context, source)
    except (StreamError, FileNotFoundError):
        return render(request, "errors/tampered.html", status=500)

    def chunks() -> Iterator[bytes]:
        with open(opened.path, "rb") as source:
            yield from stream.decrypt_chunks(opened.key, opened.context, source)

    response = StreamingHttpResponse(chunks(), content_type=opened.content_type)
    response["Content-Length"] = str(size)
    response["Content-Disposition"] = content_disposition(opened.name)
    return response
