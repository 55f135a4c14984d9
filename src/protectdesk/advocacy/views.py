"""Observatory pages for the desk's staff: the countries, one country's instruments, an
instrument with its assessments, a new assessment, and the comparison across countries."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from protectdesk import vocabularies
from protectdesk.accounts.models import Role
from protectdesk.advocacy import actions, queries
from protectdesk.advocacy.forms import AssessmentForm, CompareForm, InstrumentForm
from protectdesk.advocacy.models import Instrument, PublishedCountry
from protectdesk.lib.access import current_user, public, role_required
from protectdesk.lib.forms import rebind
from protectdesk.lib.languages import reader_language
from protectdesk.records.actions import EditConflict

ROLES = tuple(actions.WRITERS)


@require_GET
@role_required(*ROLES)
def index(request: HttpRequest) -> HttpResponse:
    viewer = current_user(request)
    rows = queries.countries(viewer)
    compare = CompareForm(choices=[(row.country, row.name) for row in rows])
    return render(request, "advocacy/index.html", {"rows": rows, "compare": compare})


@require_GET
@role_required(*ROLES)
def country(request: HttpRequest, code: str) -> HttpResponse:
    viewer = current_user(request)
    code = code.upper()
    instruments = list(Instrument.objects.filter(desk_id=viewer.desk_id, country=code))
    rows = [
        (instrument, queries.shown(queries.mean(queries.latest(instrument))))
        for instrument in instruments
    ]
    published = PublishedCountry.objects.filter(desk_id=viewer.desk_id, country=code).exists()
    return render(
        request,
        "advocacy/country.html",
        {
            "code": code,
            "name": vocabularies.country_name(code),
            "rows": rows,
            "published": published,
            "desk_id": viewer.desk_id,
            "can_publish": viewer.role == Role.COORDINATOR,
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(*ROLES)
def instrument(request: HttpRequest, instrument_id: uuid.UUID | None = None) -> HttpResponse:
    """A new instrument, or one shown with its assessments and edited."""
    viewer = current_user(request)
    target = queries.instrument_of(viewer, instrument_id) if instrument_id else None
    initial: dict[str, Any] = {"country": request.GET.get("country", "").upper()}
    if target is not None:
        initial = {
            "country": target.country,
            "kind": target.kind,
            "title": target.title,
            "status": target.status,
            "adopted_on": target.adopted_on.isoformat() if target.adopted_on else "",
            "summary": target.summary,
            "document": target.document,
            "row_version": target.row_version,
        }
    form = InstrumentForm(request.POST if request.method == "POST" else None, initial=initial)
    context: dict[str, Any] = {"form": form, "instrument": target}
    if target is not None:
        context.update(_place(target))
        history = []
        labels = vocabularies.load("policy_criteria")
        for assessment in target.assessments.prefetch_related("scores"):
            history.append(
                (
                    assessment,
                    queries.shown(queries.mean(assessment)),
                    [
                        (labels.label(s.criterion), s.score, s.rationale)
                        for s in assessment.scores.all()
                    ],
                )
            )
        context["history"] = history
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = actions.save_instrument(
                    actor=viewer,
                    data=form.to_data(),
                    instrument=target,
                    expected_version=form.cleaned_data["row_version"] if target else None,
                )
            except EditConflict:
                if target is None:
                    raise
                target.refresh_from_db()
                context["conflict"] = target
                rebind(form, row_version=str(target.row_version))
                return render(request, "advocacy/instrument.html", context, status=409)
            messages.success(request, _("The instrument is saved."))
            return redirect("advocacy:instrument", instrument_id=saved.id)
        return render(request, "advocacy/instrument.html", context, status=400)
    return render(request, "advocacy/instrument.html", context)


@require_http_methods(["GET", "POST"])
@role_required(*ROLES)
def assess(request: HttpRequest, instrument_id: uuid.UUID) -> HttpResponse:
    viewer = current_user(request)
    target = queries.instrument_of(viewer, instrument_id)
    form = AssessmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        actions.assess(
            actor=viewer,
            instrument=target,
            scores=form.scores(),
            assessed_on=form.cleaned_data["assessed_on"],
        )
        messages.success(request, _("The assessment is saved."))
        return redirect("advocacy:instrument", instrument_id=target.id)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "instrument": target, **_place(target)}
    return render(request, "advocacy/assess.html", context, status=status)


def _place(instrument: Instrument) -> dict[str, str]:
    """What the breadcrumb needs to lead back to the instrument's country."""
    return {
        "country_code": instrument.country,
        "country_name": vocabularies.country_name(instrument.country),
    }


@require_GET
@role_required(*ROLES)
def compare(request: HttpRequest) -> HttpResponse:
    viewer = current_user(request)
    rows = queries.countries(viewer)
    form = CompareForm(request.GET or None, choices=[(row.country, row.name) for row in rows])
    context: dict[str, Any] = {"form": form}
    if form.is_bound and form.is_valid():
        context["comparison"] = queries.compare(viewer, form.cleaned_data["countries"])
        return render(request, "advocacy/compare.html", context)
    return render(request, "advocacy/compare.html", context, status=400 if form.is_bound else 200)


@require_POST
@role_required(Role.COORDINATOR)
def publish(request: HttpRequest, code: str) -> HttpResponse:
    """Publish the country's observatory page (or withdraw it): coordinators decide."""
    viewer = current_user(request)
    code = code.upper()
    published = request.POST.get("publish") == "1"
    try:
        actions.publish_country(actor=viewer, country=code, published=published)
    except ValueError:
        raise Http404 from None  # no such country
    if published:
        messages.success(
            request, _("The country's page is public: anyone with its address reads it.")
        )
    else:
        messages.success(request, _("The country's page is no longer public."))
    return redirect("advocacy:country", code=code)


@public
@require_GET
def public_country(request: HttpRequest, desk_id: uuid.UUID, code: str) -> HttpResponse:
    """A published country page: the instruments and the desk's latest assessment of each,
    in the reader's choice of language (``?lang=``); no sign-in, no cookie."""
    code = code.upper()
    published = (
        PublishedCountry.objects.filter(desk_id=desk_id, country=code)
        .select_related("desk")
        .first()
    )
    if published is None:
        raise Http404
    language = reader_language(request.GET.get("lang", ""))
    with translation.override(language):
        labels = vocabularies.load("policy_criteria")
        rows = []
        for item in Instrument.objects.filter(desk_id=desk_id, country=code):
            latest = queries.latest(item)
            scores = (
                [(labels.label(s.criterion), s.score, s.rationale) for s in latest.scores.all()]
                if latest
                else []
            )
            rows.append((item, latest, queries.shown(queries.mean(latest)), scores))
        return render(
            request,
            "advocacy/public_country.html",
            {
                "desk_name": published.desk.name,
                "code": code,
                "name": vocabularies.country_name(code),
                "rows": rows,
                "language": language,
                "languages": settings.LANGUAGES,
            },
        )
