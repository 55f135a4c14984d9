"""The desk's audit log, for administrators and coordinators."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from protectdesk.accounts.models import ACCOUNT_MANAGERS
from protectdesk.audit import chain, queries
from protectdesk.lib.access import current_user, role_required


@require_GET
@role_required(*ACCOUNT_MANAGERS)
def log(request: HttpRequest) -> HttpResponse:
    page, rows = queries.entry_page(current_user(request), request.GET.get("page"))
    verdict = chain.verify() if request.GET.get("verify") == "1" else None
    return render(request, "audit/log.html", {"page": page, "rows": rows, "verdict": verdict})
