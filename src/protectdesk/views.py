"""Project-wide views: the home page of each role, and the error pages."""

from __future__ import annotations

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from protectdesk.accounts import actions as account_actions
from protectdesk.accounts import queries as account_queries
from protectdesk.accounts.models import ACCOUNT_MANAGERS, Role
from protectdesk.audit import queries as audit_queries
from protectdesk.cases import queries as case_queries
from protectdesk.lib import problems
from protectdesk.lib.access import current_user, signed_in
from protectdesk.lib.headers import promises_no_cookie
from protectdesk.plans import dashboard
from protectdesk.plans import queries as plan_queries
from protectdesk.records import registry
from protectdesk.records.keyring import keyring_for
from protectdesk.records.models import CaseStatus
from protectdesk.risk.models import Band
from protectdesk.training import queries as training_queries


@require_GET
@signed_in
def home(request: HttpRequest) -> HttpResponse:
    """What this role can do today, with the numbers that matter to it."""
    user = current_user(request)
    context: dict[str, object] = {
        "has_totp": account_queries.has_confirmed_totp(user),
        "role": user.role,
    }
    if user.role in ACCOUNT_MANAGERS:
        accounts = account_queries.desk_accounts(user)
        with_totp = account_queries.users_with_totp(accounts)
        context.update(
            active_staff=sum(1 for a in accounts if a.is_active and a.is_team_member),
            active_defenders=sum(1 for a in accounts if a.is_active and a.is_defender),
            open_invitations=len(account_queries.open_invitations(user)),
            staff_without_totp=sum(
                1 for a in accounts if a.is_active and a.is_team_member and a.pk not in with_totp
            ),
            recent_audit=audit_queries.recent_entries(user, limit=8),
        )
    if user.role == Role.ANALYST:
        return render(request, "home/analyst.html", context)  # analytics and nothing else
    context["missed_checkins"] = plan_queries.missed_for_member(user)
    if user.role == Role.TRAINER:
        keyring = keyring_for(request)
        context["workshops"] = training_queries.my_workshops(keyring)
        context["due"] = training_queries.coaching_due(keyring)
        return render(request, "home/trainer.html", context)
    if user.role != Role.ADMIN:
        keyring = keyring_for(request)
        if user.role in (Role.COORDINATOR, Role.CASEWORKER):
            today = timezone.localdate()
            context["today"] = today
            context["reminders"] = registry.reminders_for(user, today)
        first = case_queries.page_of(case_queries.my_case_count(user), 1)
        context["cards"] = case_queries.my_cases(keyring, first)
        context["cards_total"] = first.total

    if user.role in ACCOUNT_MANAGERS:
        by_status = case_queries.desk_case_counts(user)
        context["case_counts"] = {status: by_status.get(status, 0) for status in CaseStatus.values}
        context["case_total"] = sum(by_status.values())
        states = dashboard.desk_states(user)
        numbers = dashboard.counts(states)
        context["flagged_count"] = numbers["flagged"]
        context["dashboard"] = numbers
        context["attention"] = dashboard.attention(states)
        context["incidents_chart"] = dashboard.incidents_per_month(user)
        context["risk_counts"] = [
            (f"band-{band.value}", str(band.label), numbers[f"band-{band.value}"])
            for band in reversed(Band)
        ] + [("band-none", _("no risk analysis yet"), numbers["band-none"])]
    template = {
        Role.ADMIN: "home/admin.html",
        Role.COORDINATOR: "home/coordinator.html",
        Role.CASEWORKER: "home/caseworker.html",
        Role.DEFENDER: "home/defender.html",
    }[Role(user.role)]
    return render(request, template, context)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch (a cookie), POST only; remembered on the account when signed in."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        account_actions.set_language(user=current_user(request), language=language)
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form was sent without a valid CSRF token (usually a page left open too long)."""
    return render(request, "errors/csrf.html", status=403)


def _error(request: HttpRequest, template: str, status: int) -> HttpResponse:
    """An error page; on the public form's pages, one without the menu's forms (whose CSRF
    token would set a cookie there) in the reader's language of the link; under the JSON
    API, a problem document (lib/problems.py)."""
    if problems.is_api(request):
        return problems.for_status(request, status)
    if promises_no_cookie(request):
        return render(
            request,
            "errors/public.html",
            {"status": status, "languages": settings.LANGUAGES, "language": get_language()},
            status=status,
        )
    return render(request, template, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, "errors/400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, "errors/403.html", 403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, "errors/404.html", 404)


#: Seconds a client is asked to wait when the database is not answering (it may be restarting).
RETRY_AFTER_SECONDS = 30


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500, called while the exception is being handled (``sys.exc_info``).

    A database that does not answer (restarting, unreachable, or SQLite busy past its timeout)
    is not a bug in the request: the page says so, with 503 and ``Retry-After``, so people and
    monitors wait and retry instead of reporting a crash. Any transaction under way was rolled
    back by the database; a request whose commit met the outage may or may not have been saved,
    and the page asks the user to look before sending it again.
    """
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        if problems.is_api(request):
            return problems.unavailable(request, RETRY_AFTER_SECONDS)
        # Rendered without the request: the context processors would ask the database who is
        # signed in, and fail again (the server would then answer with its bare 500).
        if promises_no_cookie(request):
            template = "errors/public.html"
            context = {"status": 503, "languages": settings.LANGUAGES, "language": get_language()}
        else:
            template, context = "errors/503.html", {}
        response = HttpResponse(render_to_string(template, context), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return _error(request, "errors/500.html", 500)
