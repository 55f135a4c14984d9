"""Plan views: the current plan (the defender reads it too), its parts, reviews, versions
compared, check-ins, and the lists behind the coordinator's dashboard."""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from protectdesk import vocabularies
from protectdesk.accounts.models import ACCOUNT_MANAGERS
from protectdesk.audit.actions import record_access
from protectdesk.cases import queries as case_queries
from protectdesk.lib import pdf as pdf_lib
from protectdesk.lib.access import current_user, role_required
from protectdesk.lib.forms import Problem, rebind
from protectdesk.library import queries as library_queries
from protectdesk.plans import actions, dashboard, queries
from protectdesk.plans.forms import (
    CheckInForm,
    ContingencyForm,
    MeasureForm,
    PlanForm,
    ProtocolForm,
)
from protectdesk.plans.models import CheckIn, Measure, PlanVersion
from protectdesk.records import registry
from protectdesk.records.access import case_view, conflict_page
from protectdesk.records.actions import EditConflict
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case
from protectdesk.threats import queries as threat_queries


def _base(case: Case, keyring: Keyring) -> dict[str, Any]:
    return {"case": case, "defender": case_queries.defender_of(keyring, case)}


def _current_or_404(case: Case) -> PlanVersion:
    version = actions.current(case)
    if version is None:
        raise Http404
    return version


@require_GET
@case_view()
def plan(request: HttpRequest, case: Case, keyring: Keyring) -> HttpResponse:
    """The current plan. The defender's own account reads it (shared key) without staff notes."""
    version = actions.current(case)
    context = _base(case, keyring)
    context["is_staff"] = keyring.has_staff_key(case.id)
    context["languages"] = settings.LANGUAGES
    context["protocol_kinds"] = vocabularies.load("protocol_templates").choices()
    context["contingency_kinds"] = vocabularies.load("contingency_templates").choices()
    if version is not None:
        record_access(request, "plan.viewed", version)
        context.update(
            view=queries.plan_view(keyring, version),
            checkins=queries.upcoming_checkins(case),
            missed=queries.missed_checkins([case.id]),
            checkin_form=CheckInForm(),
        )
    return render(request, "plans/plan.html", context)


@require_POST
@case_view(staff_only=True)
def start(request: HttpRequest, case: Case, keyring: Keyring) -> HttpResponse:
    actions.start_plan(actor=current_user(request), keyring=keyring, case=case)
    messages.success(request, _("The protection plan is started: add its objectives and measures."))
    return redirect("plans:plan", case_id=case.id)


@require_http_methods(["GET", "POST"])
@case_view(staff_only=True)
def edit(request: HttpRequest, case: Case, keyring: Keyring) -> HttpResponse:
    version = _current_or_404(case)
    opened = keyring.opened(version)
    initial = {name: getattr(opened, name) for name in (*actions.PLAN_TEXTS, "staff_notes")}
    initial.update(
        next_review=version.next_review,
        row_version=version.row_version,
        plan_version=version.number,
    )
    form = PlanForm(request.POST if request.method == "POST" else None, initial=initial)
    context = {**_base(case, keyring), "form": form, "version": version}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "plans/edit.html", context, status=400)
        try:
            actions.update_plan(
                actor=current_user(request),
                keyring=keyring,
                version=_loaded_version(case, form, version),
                data=form.data_for_action(),
                expected_version=form.cleaned_data["row_version"] or 0,
            )
        except (actions.Frozen, EditConflict):
            return _plan_conflict(request, case, keyring, "plans/edit.html", context, form, None)
        messages.success(request, _("The plan is saved."))
        return redirect("plans:plan", case_id=case.id)
    return render(request, "plans/edit.html", context)


def _loaded_version(case: Case, form: Any, current: PlanVersion) -> PlanVersion:
    """The plan version the form was loaded from (its ``plan_version``; a form without one:
    the current version).

    A part is found by its kind, and a review's copy starts its own row versions; so a page
    loaded before a review must be saved against the version it was typed on (the action's
    :class:`~protectdesk.plans.actions.Frozen`), never on the new one, whose part a colleague
    may have saved since under the same row version.
    """
    number = form.cleaned_data.get("plan_version")
    if not number or number == current.number:
        return current
    loaded = PlanVersion.objects.filter(case=case, number=number).first()
    if loaded is None:
        raise Http404
    return loaded


def _plan_conflict(
    request: HttpRequest,
    case: Case,
    keyring: Keyring,
    template: str,
    context: dict[str, Any],
    form: Any,
    related: str | None,
) -> HttpResponse:
    """A save from a stale page: someone saved the part, or a review started a new version
    since it was loaded. The page shows the current version's part beside the form, keeps
    everything typed, and the next save goes to the current version (409)."""
    latest = _current_or_404(case)
    saved = (
        latest if related is None else getattr(latest, related).filter(kind=context["kind"]).first()
    )
    if saved is None:  # the part is not in the current version (cannot happen after a review)
        context["refused"] = _frozen()
        return render(request, template, context, status=400)
    rebind(form, plan_version=str(latest.number))
    return conflict_page(request, template, context, form, keyring, saved)


def _frozen() -> Problem:
    return Problem(
        _(
            "A review has replaced this version of the plan: it is kept as it was. Change the current version."
        )
    )


@require_http_methods(["GET", "POST"])
@case_view(staff_only=True)
def measure(
    request: HttpRequest, case: Case, keyring: Keyring, measure_id: uuid.UUID | None = None
) -> HttpResponse:
    version = _current_or_404(case)
    existing = None
    initial: dict[str, Any] = {"strategy": "protection", "status": "planned"}
    if measure_id is not None:
        existing = version.measures.filter(pk=measure_id).first()
        if existing is None and request.method == "POST":
            # A page loaded before a review: the action refuses it (Frozen) and the page keeps
            # what was typed, instead of a 404 that would lose it.
            existing = Measure.objects.filter(case=case, pk=measure_id).first()
        if existing is None:
            raise Http404
        opened = keyring.opened(existing)
        initial = {
            "description": opened.description,
            "strategy": existing.strategy,
            "target": f"s:{existing.target_scenario_id}"
            if existing.target_scenario_id
            else (f"c:{existing.target_component}" if existing.target_component else ""),
            "builds_capacity": existing.builds_capacity,
            "owner": opened.owner,
            "owner_is_defender": existing.owner_is_defender,
            "due": existing.due,
            "cost": opened.cost,
            "status": existing.status,
            "resource": str(existing.resource_id or ""),
            "row_version": existing.row_version,
        }
    form = MeasureForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        targets=queries.target_choices(
            keyring, case, keep=existing.target_scenario_id if existing else None
        ),
        resources=library_queries.resource_choices(
            case.desk_id, (translation.get_language() or "en").split("-")[0]
        ),
    )
    context = {**_base(case, keyring), "form": form, "version": version, "existing": existing}
    if request.method == "GET":
        record_access(request, "plan.viewed", version, part="measure")
        return render(request, "plans/measure.html", context)
    if not form.is_valid():
        return render(request, "plans/measure.html", context, status=400)
    try:
        actions.save_measure(
            actor=current_user(request),
            keyring=keyring,
            version=version,
            data=form.data_for_action(),
            measure=existing,
            expected_version=(form.cleaned_data["row_version"] or 0) if existing else None,
        )
    except actions.DueBeforePlan:
        form.add_error(
            "due",
            _("Choose a due date on or after the plan's date (%(day)s).")
            % {"day": version.started_on.isoformat()},
        )
        return render(request, "plans/measure.html", context, status=400)
    except actions.Frozen:
        context["refused"] = _frozen()
        return render(request, "plans/measure.html", context, status=400)
    except EditConflict:
        if existing is None:  # a conflict needs a row that existed
            raise
        return conflict_page(request, "plans/measure.html", context, form, keyring, existing)
    messages.success(request, _("The measure is saved."))
    return redirect("plans:plan", case_id=case.id)


@require_POST
@case_view()
def measure_done(
    request: HttpRequest, case: Case, keyring: Keyring, measure_id: uuid.UUID
) -> HttpResponse:
    """Staff, or the defender for a measure they carry out themselves."""
    target = Measure.objects.filter(case=case, pk=measure_id).first()
    if target is None or not (keyring.has_staff_key(case.id) or target.owner_is_defender):
        raise Http404
    try:
        actions.mark_done(actor=current_user(request), keyring=keyring, measure=target)
    except actions.Frozen:
        messages.error(request, str(_frozen().message))
    else:
        messages.success(request, _("The measure is marked done."))
    return redirect("plans:plan", case_id=case.id)


def _kind_or_404(vocabulary: str, kind: str) -> Any:
    term = vocabularies.load(vocabulary).get(kind)
    if term is None:
        raise Http404
    return term


def _template_text(term: Any, field: str) -> str:
    """A starter template's text in the reader's language (English if it has none)."""
    language = (translation.get_language() or "en").split("-")[0]
    return str(term.extra.get(f"{field}_{language}") or term.extra.get(f"{field}_en") or "")


@require_http_methods(["GET", "POST"])
@case_view(staff_only=True)
def protocol(request: HttpRequest, case: Case, keyring: Keyring, kind: str) -> HttpResponse:
    term = _kind_or_404("protocol_templates", kind)
    version = _current_or_404(case)
    existing = version.protocols.filter(kind=kind).first()
    text = keyring.opened(existing).text if existing else _template_text(term, "text")
    form = ProtocolForm(
        request.POST if request.method == "POST" else None,
        initial={
            "text": text,
            "row_version": existing.row_version if existing else "",
            "plan_version": version.number,
        },
    )

    def save() -> None:
        actions.save_protocol(
            actor=current_user(request),
            keyring=keyring,
            version=_loaded_version(case, form, version),
            kind=kind,
            text=form.cleaned_data["text"],
            expected_version=form.cleaned_data["row_version"] or 0,
        )

    return _part_page(
        request,
        case,
        keyring,
        _Part("protocol", "protocols", _("The protocol is saved."), term, kind, existing, version),
        form,
        save,
    )


@require_http_methods(["GET", "POST"])
@case_view(staff_only=True)
def contingency(request: HttpRequest, case: Case, keyring: Keyring, kind: str) -> HttpResponse:
    term = _kind_or_404("contingency_templates", kind)
    version = _current_or_404(case)
    existing = version.contingencies.filter(kind=kind).first()
    if existing:
        opened = keyring.opened(existing)
        initial = {
            "steps": opened.steps,
            "who": opened.who,
            "contacts": opened.contacts,
            "checkin_every_hours": existing.checkin_every_hours,
            "checkin_from": existing.checkin_from,
            "checkin_until": existing.checkin_until,
            "row_version": existing.row_version,
        }
    else:
        initial = {"steps": _template_text(term, "steps"), "who": _template_text(term, "who")}
    initial["plan_version"] = version.number
    form = ContingencyForm(request.POST if request.method == "POST" else None, initial=initial)

    def save() -> None:
        actions.save_contingency(
            actor=current_user(request),
            keyring=keyring,
            version=_loaded_version(case, form, version),
            kind=kind,
            data=form.data_for_action(),
            expected_version=form.cleaned_data["row_version"] or 0,
        )

    return _part_page(
        request,
        case,
        keyring,
        _Part(
            "contingency",
            "contingencies",
            _("The contingency plan is saved."),
            term,
            kind,
            existing,
            version,
        ),
        form,
        save,
    )


@dataclass(frozen=True)
class _Part:
    """One kind of a plan's part (a protocol, a contingency plan) on its own page."""

    name: str  # "protocol": its template plans/<name>.html, its audit detail
    related: str  # the version's related name ("protocols")
    saved: str  # the message once saved
    term: Any  # the vocabulary term of its kind
    kind: str
    existing: Any  # the part as saved, or None
    version: PlanVersion


def _part_page(
    request: HttpRequest,
    case: Case,
    keyring: Keyring,
    part: _Part,
    form: Any,
    save: Callable[[], None],
) -> HttpResponse:
    """Show the part's form, or save it: refused (400), a stale save (409, both versions
    shown, nothing typed lost), or saved (back to the plan)."""
    template = f"plans/{part.name}.html"
    context = {
        **_base(case, keyring),
        "form": form,
        "label": part.term.label,
        "existing": part.existing,
        "kind": part.kind,
    }
    if request.method != "POST":
        record_access(request, "plan.viewed", part.version, part=f"{part.name}:{part.kind}")
        return render(request, template, context)
    if not form.is_valid():
        return render(request, template, context, status=400)
    try:
        save()
    except (actions.Frozen, EditConflict):
        return _plan_conflict(request, case, keyring, template, context, form, part.related)
    messages.success(request, part.saved)
    return redirect("plans:plan", case_id=case.id)


@require_POST
@case_view(staff_only=True)
def review(request: HttpRequest, case: Case, keyring: Keyring) -> HttpResponse:
    try:
        number = int(request.POST.get("from", ""))
    except ValueError:  # a form from no plan page: say so, start nothing
        messages.error(request, _("Start the review from the plan's page: nothing was added."))
        return redirect("plans:plan", case_id=case.id)
    try:
        new = actions.review(
            actor=current_user(request), keyring=keyring, case=case, from_number=number
        )
    except actions.ReviewAlreadyStarted as started:
        messages.warning(
            request,
            _(
                "This review was already made: version %(number)s is the current plan. Nothing was added."
            )
            % {"number": started.current.number},
        )
        return redirect("plans:plan", case_id=case.id)
    except actions.Frozen:
        raise Http404 from None
    messages.success(
        request,
        _("Version %(number)s of the plan is started; version %(old)s is kept as it was.")
        % {"number": new.number, "old": number},
    )
    return redirect("plans:plan", case_id=case.id)


@require_GET
@case_view()
def pdf(request: HttpRequest, case: Case, keyring: Keyring) -> HttpResponse | FileResponse:
    """The current plan as a PDF, in the language the reader chose (``?lang=``), built in
    memory and streamed; the download is audited. Shared-key content only: what the defender
    reads (no staff notes, no scenario titles), since paper travels."""
    version = _current_or_404(case)
    language = request.GET.get("lang", "")
    if language not in {code for code, _name in settings.LANGUAGES}:
        language = translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        view = queries.plan_view(keyring, version, staff=False)
        html = render_to_string(
            "plans/print.html",
            {
                "case": case,
                "defender": case_queries.defender_of(keyring, case),
                "view": view,
                "checkins": queries.upcoming_checkins(case, limit=12),
                "incidents_chart": threat_queries.month_chart(case),
                "more_charts": [
                    found
                    for chart in registry.PRINT_CHARTS
                    if (found := chart(case, keyring)) is not None
                ],
                "language": language,
                "printed_on": timezone.localdate().isoformat(),
            },
        )
    try:
        document = pdf_lib.render(html)
    except pdf_lib.TooLarge as large:
        messages.error(
            request,
            _(
                "The plan is too long to print (%(count)s characters; at most %(limit)s). "
                "Shorten its longest texts, or print the page from the browser."
            )
            % {"count": f"{large.characters:,}", "limit": f"{pdf_lib.MAX_CHARACTERS:,}"},
        )
        return redirect("plans:plan", case_id=case.id)
    except pdf_lib.Busy:
        messages.error(request, _("Another plan is being printed: try again in a minute."))
        return redirect("plans:plan", case_id=case.id)
    record_access(request, "plan.printed", version, language=language)
    response = FileResponse(
        io.BytesIO(document),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"protection-plan-{case.reference}-v{version.number}-{language}.pdf",
    )
    return response


@require_GET
@case_view()
def versions(request: HttpRequest, case: Case, keyring: Keyring) -> HttpResponse:
    return render(
        request,
        "plans/versions.html",
        {**_base(case, keyring), "versions": queries.versions_of(case)},
    )


@require_GET
@case_view()
def version(request: HttpRequest, case: Case, keyring: Keyring, number: int) -> HttpResponse:
    found = queries.version_in(case, number)
    if found is None:
        raise Http404
    record_access(request, "plan.viewed", found, version=number)
    current = actions.current(case)
    comparison = (
        queries.compare(keyring, found, current)
        if current is not None and current.pk != found.pk
        else []
    )
    return render(
        request,
        "plans/version.html",
        {
            **_base(case, keyring),
            "view": queries.plan_view(keyring, found),
            "is_staff": keyring.has_staff_key(case.id),
            "comparison": comparison,
            "current": current,
        },
    )


@require_POST
@case_view()
def check_in(
    request: HttpRequest, case: Case, keyring: Keyring, checkin_id: uuid.UUID
) -> HttpResponse:
    target = CheckIn.objects.filter(case=case, pk=checkin_id).first()
    if target is None:  # a page from before a new schedule replaced it
        return _rescheduled(request, case)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _(
                "The note is too long (at most 2,000 characters): the check-in is not recorded yet. Shorten it and check in again."
            ),
        )
        return redirect("plans:plan", case_id=case.id)
    try:
        actions.record_checkin(
            actor=current_user(request),
            keyring=keyring,
            checkin=target,
            note=form.cleaned_data["note"],
        )
    except actions.TooEarly:
        messages.error(
            request,
            _("This check-in is not due yet: it can be made from an hour before its time."),
        )
    except actions.Rescheduled:
        return _rescheduled(request, case)
    else:
        messages.success(request, _("Check-in recorded: thank you."))
    return redirect("plans:plan", case_id=case.id)


@require_GET
@role_required(*ACCOUNT_MANAGERS)
def dashboard_list(request: HttpRequest, kind: str) -> HttpResponse:
    states = dashboard.desk_states(current_user(request))
    try:
        rows = dashboard.cases_for(states, kind)
    except KeyError:
        raise Http404 from None
    return render(
        request,
        "plans/dashboard_list.html",
        {"rows": rows, "kind": kind, "title": dashboard_title(kind)},
    )


def dashboard_title(kind: str) -> str:
    from protectdesk.risk.models import Band

    titles = {
        "overdue": _("Plans overdue for review"),
        "early": _("Plans marked for early review"),
        "flagged": _("Cases flagged for escalation"),
        "missed": _("Missed check-ins"),
        "late": _("Measures past due"),
        "band-none": _("Cases without a risk analysis"),
    }
    if kind in titles:
        return titles[kind]
    return _("Cases at %(band)s risk") % {"band": Band(kind.removeprefix("band-")).label.lower()}


def _rescheduled(request: HttpRequest, case: Case) -> HttpResponse:
    """The check-in was replaced by a new schedule while the page was open: say so, and show
    the plan with the check-ins as they are now (a 404 would leave the person unsure whether
    their "all is well" counted)."""
    messages.error(
        request,
        _(
            "The check-in times were changed while you were checking in, so nothing was recorded. Check in again below."
        ),
    )
    return redirect("plans:plan", case_id=case.id)
