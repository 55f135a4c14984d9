"""The search page. Queries travel in POST bodies only (never URLs), and so does paging."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from protectdesk.accounts.models import STAFF_ROLES, Role
from protectdesk.audit.actions import record_access
from protectdesk.lib.access import current_user, role_required
from protectdesk.records.keyring import keyring_for
from protectdesk.search import queries
from protectdesk.search.forms import SearchForm


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES, Role.DEFENDER)
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.POST if request.method == "POST" else None)
    results = None
    if request.method == "POST" and form.is_valid():
        results = queries.search(
            keyring_for(request), form.cleaned_data["query"], form.cleaned_data.get("page") or 1
        )
        record_access(
            request, "search.performed", None, cases=results.cases_searched, results=results.total
        )
    return render(
        request,
        "search/search.html",
        {"form": form, "results": results, "defender": current_user(request).role == Role.DEFENDER},
        status=400 if form.errors else 200,
    )
