"""Pages of an international communication (staff of the case only; the defender's own
account gets 404, as for every staff side of a case).

The communication's page shows the dossier as it will be exported, and the forms that move it
through its life: consent, submission and the State's answer, follow-ups. Each form posts to
its own address and, when refused, the page comes back with that form's errors (400) and the
others as they were. The exports are built in memory in the dossier's language and streamed;
each one is audited, and refused while consent is missing.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from protectdesk.accounts.models import Desk, User
from protectdesk.advocacy import communications, dossier
from protectdesk.advocacy.communication_forms import (
    ConsentForm,
    DraftForm,
    FactsForm,
    FollowUpForm,
    TrackingForm,
    WithdrawForm,
)
from protectdesk.advocacy.models import Communication
from protectdesk.audit.actions import record_access
from protectdesk.cases import queries as case_queries
from protectdesk.incidents.models import Actor, Incident
from protectdesk.lib import pdf as pdf_lib
from protectdesk.lib.access import current_user
from protectdesk.lib.forms import Form, rebind
from protectdesk.records.access import case_view, conflict_page
from protectdesk.records.actions import EditConflict
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case

DETAIL = "advocacy/communication.html"


def _communication_or_404(case: Case, communication_id: uuid.UUID) -> Communication:
    return get_object_or_404(Communication, case=case, pk=communication_id)


def _page(communication: Communication, anchor: str = "") -> str:
    url = reverse("advocacy:communication", args=[communication.case_id, communication.id])
    return url + (f"#{anchor}" if anchor else "")


@require_http_methods(["GET", "POST"])
@case_view(staff_only=True)
def draft(
    request: HttpRequest, case: Case, keyring: Keyring, communication_id: uuid.UUID | None = None
) -> HttpResponse:
    """A new communication (prefilled from the defender's profile), or its texts edited."""
    existing = _communication_or_404(case, communication_id) if communication_id else None
    defender = case_queries.defender_of(keyring, case)
    if existing is not None:
        opened = keyring.opened(existing)
        initial: dict[str, Any] = {
            name: getattr(opened, name)
            for name in (
                "mechanism",
                "kind",
                "language",
                "title",
                "hrd_status",
                "action_taken",
                "requests",
                "source",
                "publicity",
                "confidentiality",
                "row_version",
            )
        }
    else:
        initial = {
            "hrd_status": str(defender.description) if defender else "",
            "source": communications.default_source(Desk.objects.get(pk=case.desk_id)),
            "language": translation.get_language()
            if translation.get_language() in ("es", "fr")
            else "en",
        }
    form = DraftForm(request.POST if request.method == "POST" else None, initial=initial)
    context = {"case": case, "defender": defender, "form": form, "communication": existing}
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = communications.save_draft(
                    actor=current_user(request),
                    keyring=keyring,
                    case=case,
                    data=form.to_data(),
                    communication=existing,
                    expected_version=form.cleaned_data["row_version"] if existing else None,
                )
            except EditConflict:
                if existing is None:
                    raise
                return conflict_page(
                    request, "advocacy/communication_draft.html", context, form, keyring, existing
                )
            except communications.CommunicationError as error:
                form.add_error(error.code, error.message)
            else:
                messages.success(request, _("The communication is saved."))
                return redirect(_page(saved) if existing else _facts_url(saved))
        return render(request, "advocacy/communication_draft.html", context, status=400)
    return render(request, "advocacy/communication_draft.html", context)


def _facts_url(communication: Communication) -> str:
    return reverse("advocacy:communication_facts", args=[communication.case_id, communication.id])


def _case_incidents(keyring: Keyring, case: Case) -> list[tuple[uuid.UUID, str, str]]:
    rows = Incident.objects.filter(case=case).order_by("year", "month", "created_at")
    out = []
    for incident in rows:
        opened = keyring.opened(incident)
        when = str(opened.exact_date or incident.month or incident.year)
        out.append((incident.id, keyring.text(incident, "title") or _("(untitled)"), when))
    return out


def _case_actors(keyring: Keyring, case: Case) -> list[tuple[str, str]]:
    return [
        (str(actor.id), keyring.text(actor, "name") or _("(unnamed)"))
        for actor in Actor.objects.filter(case=case).order_by("created_at")
    ]


@require_http_methods(["GET", "POST"])
@case_view(staff_only=True)
def facts(
    request: HttpRequest, case: Case, keyring: Keyring, communication_id: uuid.UUID
) -> HttpResponse:
    communication = _communication_or_404(case, communication_id)
    incidents = _case_incidents(keyring, case)
    initial = FactsForm.initial_for(
        dossier.facts_of(keyring, communication), incidents, communication.row_version
    )
    form = FactsForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        incidents=incidents,
        actors=_case_actors(keyring, case),
    )
    context = {
        "case": case,
        "defender": case_queries.defender_of(keyring, case),
        "form": form,
        "communication": keyring.opened(communication),
    }
    if request.method == "POST":
        if form.is_valid():
            try:
                communications.save_facts(
                    actor=current_user(request),
                    keyring=keyring,
                    communication=communication,
                    facts=form.to_facts(),
                    expected_version=form.cleaned_data["row_version"] or 0,
                )
            except EditConflict:
                return conflict_page(
                    request,
                    "advocacy/communication_facts.html",
                    context,
                    form,
                    keyring,
                    communication,
                )
            messages.success(request, _("The facts of the dossier are saved."))
            return redirect(_page(communication, "dossier"))
        return render(request, "advocacy/communication_facts.html", context, status=400)
    return render(request, "advocacy/communication_facts.html", context)


def _detail_context(
    keyring: Keyring, case: Case, communication: Communication, **forms: Any
) -> dict[str, Any]:
    version = {"row_version": communication.row_version}
    opened = keyring.opened(communication)
    with translation.override(communication.language):
        built = dossier.assemble(keyring, communication)
        try:
            dossier.check_exportable(communication, built)
            refusal = ""
        except dossier.DossierRefused as refused:
            refusal = refused.message
        html = render_to_string("advocacy/_dossier.html", {"dossier": built})
    tracking_initial = {
        "status": communication.status,
        "submitted_on": opened.submitted_on,
        "reference": opened.reference,
        "answered_on": opened.answered_on,
        "state_response": opened.state_response,
        "due_on": communication.due_on.isoformat() if communication.due_on else "",
        **version,
    }
    return {
        "case": case,
        "defender": case_queries.defender_of(keyring, case),
        "communication": opened,
        "dossier_html": html,
        "missing": built.missing,
        "refusal": refusal,
        "follow_ups": keyring.open_value(communication, "follow_ups") or [],
        "consent_form": forms.get("consent_form") or ConsentForm(initial=version),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(initial=version),
        "tracking_form": forms.get("tracking_form") or TrackingForm(initial=tracking_initial),
        "follow_up_form": forms.get("follow_up_form") or FollowUpForm(initial=version),
    }


@require_GET
@case_view(staff_only=True)
def detail(
    request: HttpRequest, case: Case, keyring: Keyring, communication_id: uuid.UUID
) -> HttpResponse:
    communication = _communication_or_404(case, communication_id)
    record_access(request, "communication.viewed", communication)
    return render(request, DETAIL, _detail_context(keyring, case, communication))


def _refused(
    request: HttpRequest,
    keyring: Keyring,
    case: Case,
    communication: Communication,
    name: str,
    form: Any,
    status: int = 400,
) -> HttpResponse:
    return render(
        request,
        DETAIL,
        _detail_context(keyring, case, communication, **{name: form}),
        status=status,
    )


def _conflict(
    request: HttpRequest,
    keyring: Keyring,
    case: Case,
    communication: Communication,
    name: str,
    form: Any,
) -> HttpResponse:
    communication.refresh_from_db()
    form.add_error(
        None,
        _(
            "Someone changed this communication while you were writing: check what it says "
            "now, then save again (what you typed is kept)."
        ),
    )
    rebind(form, row_version=str(communication.row_version))
    return _refused(request, keyring, case, communication, name, form, status=409)


@dataclass(frozen=True)
class _Step:
    """One of the forms of the communication's page: what it writes, and where it lands."""

    form: type[Form]
    name: str  # the form's name in the page's context
    write: Callable[[User, Keyring, Communication, dict[str, Any]], Communication]
    done: Any  # the success message (lazy)
    anchor: str


def _step_view(step: _Step) -> Callable[..., Any]:
    @require_POST
    @case_view(staff_only=True)
    def view(
        request: HttpRequest, case: Case, keyring: Keyring, communication_id: uuid.UUID
    ) -> HttpResponse:
        communication = _communication_or_404(case, communication_id)
        form = step.form(request.POST)
        if not form.is_valid():
            return _refused(request, keyring, case, communication, step.name, form)
        try:
            step.write(current_user(request), keyring, communication, form.cleaned_data)
        except EditConflict:
            return _conflict(request, keyring, case, communication, step.name, form)
        except communications.CommunicationError as error:
            communication.refresh_from_db()
            form.add_error(error.code if error.code in form.fields else None, error.message)
            return _refused(request, keyring, case, communication, step.name, form)
        messages.success(request, str(step.done))
        return redirect(_page(communication, step.anchor))

    return view


consent = _step_view(
    _Step(
        ConsentForm,
        "consent_form",
        lambda actor, keyring, communication, data: communications.record_consent(
            actor=actor,
            keyring=keyring,
            communication=communication,
            given_on=data["given_on"],
            notes=data["consent_notes"],
            expected_version=data["row_version"],
        ),
        gettext_lazy("The defender's consent is recorded."),
        "consent",
    )
)
withdraw = _step_view(
    _Step(
        WithdrawForm,
        "withdraw_form",
        lambda actor, keyring, communication, data: communications.withdraw_consent(
            actor=actor,
            keyring=keyring,
            communication=communication,
            withdrawn_on=data["withdrawn_on"],
            notes=data["withdraw_notes"],
            expected_version=data["row_version"],
        ),
        gettext_lazy("The withdrawal of consent is recorded: the dossier cannot be exported."),
        "consent",
    )
)
tracking = _step_view(
    _Step(
        TrackingForm,
        "tracking_form",
        lambda actor, keyring, communication, data: communications.save_tracking(
            actor=actor,
            keyring=keyring,
            communication=communication,
            data=TrackingForm.data_from(data),
            expected_version=data["row_version"],
        ),
        gettext_lazy("The communication's progress is saved."),
        "tracking",
    )
)
follow_up = _step_view(
    _Step(
        FollowUpForm,
        "follow_up_form",
        lambda actor, keyring, communication, data: communications.add_follow_up(
            actor=actor,
            keyring=keyring,
            communication=communication,
            on=data["followed_on"],
            text=data["text"],
            next_due_on=data.get("next_due_on"),
            expected_version=data["row_version"],
        ),
        gettext_lazy("The follow-up is recorded."),
        "follow-ups",
    )
)


@require_GET
@case_view(staff_only=True)
def export(
    request: HttpRequest,
    case: Case,
    keyring: Keyring,
    communication_id: uuid.UUID,
    file_format: str,
) -> HttpResponse | FileResponse:
    """The dossier as DOCX or PDF in its language; refused (back to the page, with the
    reason) while consent is missing or a violation has no date."""
    communication = _communication_or_404(case, communication_id)
    if file_format not in ("docx", "pdf"):
        raise Http404
    with translation.override(communication.language):
        built = dossier.assemble(keyring, communication)
        try:
            dossier.check_exportable(communication, built)
        except dossier.DossierRefused as refused:
            messages.error(request, refused.message)
            return redirect(_page(communication, "dossier"))
        if file_format == "docx":
            content = dossier.to_docx(built)
            content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        else:
            try:
                content = pdf_lib.render(dossier.to_html(built))
            except pdf_lib.TooLarge:
                messages.error(
                    request,
                    _("The dossier is too long for a PDF: export it as DOCX, or shorten it."),
                )
                return redirect(_page(communication, "dossier"))
            except pdf_lib.Busy:
                messages.error(
                    request, _("Another document is being printed: try again in a minute.")
                )
                return redirect(_page(communication, "dossier"))
            content_type = "application/pdf"
    record_access(
        request,
        "communication.exported",
        communication,
        format=file_format,
        language=communication.language,
    )
    return FileResponse(
        io.BytesIO(content),
        content_type=content_type,
        as_attachment=True,
        # Not the case reference: the file goes to the mechanism, and from it to the State.
        filename=f"{communication.kind}-{communication.language}-{timezone.localdate()}."
        f"{file_format}",
    )
