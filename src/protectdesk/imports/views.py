"""The import pages: upload, the sheet's page (mapping, dry run, progress, result), confirm.

A sheet's page is its uploader's only (anyone else gets 404, as for a case they cannot open);
each request opens the sheet with the uploader's private key from their session.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from protectdesk.accounts import session_keys
from protectdesk.cases import queries as case_queries
from protectdesk.cases.actions import CASE_ROLES
from protectdesk.imports import actions, validate
from protectdesk.imports.forms import MappingForm, UploadForm, column_label
from protectdesk.imports.models import ImportSheet, SheetState
from protectdesk.incidents import columns
from protectdesk.lib.access import current_user, role_required, signed_in
from protectdesk.lib.forms import Problem
from protectdesk.records import jobs
from protectdesk.records.access import case_view
from protectdesk.records.keyring import Keyring, NoCaseAccess, keyring_for
from protectdesk.records.models import Case

#: How often the page of a sheet being imported reloads itself.


@require_http_methods(["GET", "POST"])
@role_required(*CASE_ROLES)
def upload(request: HttpRequest) -> HttpResponse:
    """A desk import: each defender of the sheet becomes a new case."""
    return _upload(request, keyring_for(request), None)


@require_http_methods(["GET", "POST"])
@case_view(staff_only=True)
def case_upload(request: HttpRequest, case: Case, keyring: Keyring) -> HttpResponse:
    """A case import: each row becomes an incident of this case."""
    return _upload(request, keyring, case)


def _upload(request: HttpRequest, keyring: Keyring, case: Case | None) -> HttpResponse:
    actor = current_user(request)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST" and form.is_valid():
        try:
            sheet = actions.receive(
                actor=actor, keyring=keyring, upload=form.cleaned_data["sheet"].upload, case=case
            )
        except actions.ImportRefused as refused:
            form.add_error("sheet", refused.message)
        else:
            return redirect("imports:sheet", sheet_id=sheet.id)
    recent = ImportSheet.objects.filter(uploaded_by=actor, case=case).order_by("-created_at")[:10]
    context: dict[str, Any] = {
        "form": form,
        "case": case,
        "recent": recent,
        "columns": columns.INCIDENT_COLUMNS if case is not None else columns.COLUMNS,
    }
    if case is not None:
        context["defender"] = case_queries.defender_of(keyring, case)  # for the breadcrumb
    return render(request, "imports/upload.html", context, status=400 if form.errors else 200)


def _sheet_or_404(request: HttpRequest, sheet_id: uuid.UUID) -> tuple[ImportSheet, Keyring]:
    keyring = keyring_for(request)
    sheet = actions.sheet_for(current_user(request), keyring, sheet_id)
    if sheet is None:
        raise Http404
    return sheet, keyring


def _key(request: HttpRequest, sheet: ImportSheet) -> tuple[bytes, str]:
    try:
        return actions.sheet_key(sheet, session_keys.private_key(request))
    except NoCaseAccess:
        raise Http404 from None


@require_http_methods(["GET", "POST"])
@signed_in
def sheet_page(request: HttpRequest, sheet_id: uuid.UUID) -> HttpResponse:
    """Choose the columns and check the file; then confirm; then follow the import."""
    sheet, keyring = _sheet_or_404(request, sheet_id)
    context: dict[str, Any] = {"sheet": sheet, "mode": actions.mode_of(sheet)}
    if sheet.state in (SheetState.QUEUED, SheetState.IMPORTING):
        job = jobs.job_for(keyring, sheet.job_id) if sheet.job_id else None
        sheet = actions.as_shown(sheet, job)
        if job is not None:
            context["progress"] = jobs.progress(job)
    if not sheet.is_open or sheet.state in (SheetState.QUEUED, SheetState.IMPORTING):
        if request.method == "POST":
            messages.error(request, _("This file cannot be checked again now."))
            return redirect("imports:sheet", sheet_id=sheet.id)
        return render(request, "imports/sheet.html", context)
    key, name = _key(request, sheet)
    context["name"] = name
    try:
        header = actions.header_of(sheet, key)
    except actions.ImportRefused as refused:
        context["gone"] = refused.message
        return render(request, "imports/sheet.html", context)
    form = MappingForm(
        request.POST if request.method == "POST" else None,
        header=header,
        mode=actions.mode_of(sheet),
        mapping=list(sheet.mapping),
    )
    context.update(form=form, header=header)
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            try:
                report = actions.check(
                    actor=current_user(request), sheet=sheet, key=key, mapping=form.mapping()
                )
            except actions.ImportRefused as refused:
                messages.error(request, refused.message)
                return redirect("imports:sheet", sheet_id=sheet.id)
            if report.ok:
                return redirect("imports:sheet", sheet_id=sheet.id)
            status = 400
            context.update(_report_context(report, header))
    return render(request, "imports/sheet.html", context, status=status)


def _report_context(report: validate.Report, header: list[str]) -> dict[str, Any]:
    summary = ngettext(
        "The file has %(count)s problem, listed below: nothing was saved. Correct it in your "
        "spreadsheet and upload the file again, or choose other columns.",
        "The file has %(count)s problems, listed below: nothing was saved. Correct them in your "
        "spreadsheet and upload the file again, or choose other columns.",
        report.error_count,
    ) % {"count": report.error_count}
    lines = [
        {
            "row": finding.row,
            "column": column_label(finding.column, header),
            "message": finding.message,
            "suggestion": finding.suggestion,
        }
        for finding in report.findings
    ]
    return {"report": report, "report_lines": lines, "report_problem": Problem(summary)}


@require_POST
@signed_in
def confirm(request: HttpRequest, sheet_id: uuid.UUID) -> HttpResponse:
    sheet, keyring = _sheet_or_404(request, sheet_id)
    if sheet.state != SheetState.CHECKED:  # imported, cancelled: its key is gone with the file
        messages.error(request, actions.NOT_CHECKED())
        return redirect("imports:sheet", sheet_id=sheet.id)
    key, _name = _key(request, sheet)
    try:
        job = actions.confirm(actor=current_user(request), keyring=keyring, sheet=sheet, key=key)
    except actions.ImportRefused as refused:
        messages.error(request, refused.message)
    else:
        if job is None:
            messages.success(request, _("The file is imported and deleted."))
    return redirect("imports:sheet", sheet_id=sheet.id)


@require_POST
@signed_in
def cancel(request: HttpRequest, sheet_id: uuid.UUID) -> HttpResponse:
    sheet, _keyring = _sheet_or_404(request, sheet_id)
    try:
        actions.cancel(actor=current_user(request), sheet=sheet)
    except actions.ImportRefused as refused:
        messages.error(request, refused.message)
        return redirect("imports:sheet", sheet_id=sheet.id)
    messages.success(request, _("The import is cancelled and the file deleted."))
    if sheet.case_id is not None:
        return redirect("imports:case_upload", case_id=sheet.case_id)
    return redirect("imports:upload")
