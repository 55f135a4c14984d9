"""The decorator every case route uses: members only, everyone else gets 404 (never 403);
and the answer every edit form gives a stale save (:func:`conflict_page`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from protectdesk.lib.access import signed_in
from protectdesk.lib.forms import rebind
from protectdesk.records import queries
from protectdesk.records.keyring import Keyring, NoCaseAccess, StaffOnly, keyring_for

CaseView = Callable[..., HttpResponse | StreamingHttpResponse]


def case_view(*, staff_only: bool = False) -> Callable[[CaseView], CaseView]:
    """Load the case for a member (404 otherwise) and pass ``case`` and ``keyring`` on.

    ``staff_only`` routes also answer 404 to the defender's own account: for them the staff
    side of the case does not exist.
    """

    def decorator(view: CaseView) -> CaseView:
        @wraps(view)
        def wrapper(
            request: HttpRequest, case_id: Any, *args: Any, **kwargs: Any
        ) -> HttpResponse | StreamingHttpResponse:
            keyring = keyring_for(request)
            case = queries.member_case(keyring, case_id)
            if staff_only and not keyring.has_staff_key(case.id):
                raise Http404
            try:
                return view(request, case, keyring, *args, **kwargs)
            except (NoCaseAccess, StaffOnly):
                raise Http404 from None

        return signed_in(wrapper)

    return decorator


def conflict_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    form: Any,
    keyring: Keyring,
    record: models.Model,
) -> HttpResponse:
    """Someone saved ``record`` since the form was loaded (``EditConflict``): show what they
    saved as ``conflict`` beside the form, keep everything typed, and let the next save go
    over the version now shown (409)."""
    record.refresh_from_db()
    rebind(form, row_version=str(getattr(record, "row_version")))  # noqa: B009 - case records
    context["conflict"] = keyring.opened(record)
    return render(request, template, context, status=409)
