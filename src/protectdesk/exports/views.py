"""Export pages: the desk's statistical export, and one case's (statistical or identifying).

Every file is streamed (CSV, JSON) or built in memory (XLSX) and never stored; each export is
audited with its format and count, never its content.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from protectdesk.accounts.models import Role
from protectdesk.audit.actions import record_access
from protectdesk.cases import queries as case_queries
from protectdesk.exports import files, rows
from protectdesk.exports import schema as json_schema
from protectdesk.exports.forms import IdentifyingExportForm
from protectdesk.lib.access import current_user, role_required
from protectdesk.records.access import case_view
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case, CaseMember, MemberKind

FORMATS = files.FORMATS


def _staff_case_ids(request: HttpRequest) -> list[uuid.UUID]:
    return list(
        CaseMember.objects.filter(user=current_user(request), kind=MemberKind.STAFF).values_list(
            "case_id", flat=True
        )
    )


@require_GET
@role_required(Role.COORDINATOR, Role.CASEWORKER)
def desk(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """Statistical export of the incidents of every case the viewer is a staff member of."""
    fmt = request.GET.get("format")
    case_ids = _staff_case_ids(request)
    if fmt is None:
        return render(
            request, "exports/desk.html", {"formats": FORMATS, "count": rows.count(case_ids)}
        )
    if fmt not in FORMATS:
        raise Http404
    record_access(
        request,
        "export.statistical",
        None,
        format=fmt,
        count=rows.count(case_ids),
        cases=len(case_ids),
    )
    name = f"incidents-{timezone.localdate().isoformat()}"
    return files.download(name, fmt, None, case_ids)


@require_GET
@role_required(Role.COORDINATOR, Role.CASEWORKER)
def schema(request: HttpRequest) -> HttpResponse:
    """The JSON Schema of the JSON export (the same as docs/formats/incidents-v1.schema.json)."""
    return HttpResponse(json_schema.as_text(), content_type="application/schema+json")


@require_http_methods(["GET", "POST"])
@case_view(staff_only=True)
def case(
    request: HttpRequest, case: Case, keyring: Keyring
) -> HttpResponse | StreamingHttpResponse:
    """The case's export page; ``?format=`` downloads the statistical file, the confirmed form
    the identifying one."""
    context: dict[str, Any] = {
        "case": case,
        "defender": case_queries.defender_of(keyring, case),
        "formats": FORMATS,
        "count": rows.count([case.id]),
    }
    if request.method == "POST":
        form = IdentifyingExportForm(request.POST)
        if not form.is_valid():
            context["form"] = form
            return render(request, "exports/case.html", context, status=400)
        fmt = form.cleaned_data["file_format"]
        record_access(request, "export.identifying", case, format=fmt, count=context["count"])
        return files.download(f"{case.reference}-identifying", fmt, keyring, [case.id])
    fmt = request.GET.get("format")
    if fmt is None:
        context["form"] = IdentifyingExportForm()
        return render(request, "exports/case.html", context)
    if fmt not in FORMATS:
        raise Http404
    record_access(request, "export.statistical", case, format=fmt, count=context["count"])
    return files.download(case.reference, fmt, None, [case.id])
