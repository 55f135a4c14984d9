"""The decorator every case route uses: members only, everyone else gets 404 (never 403)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse

from protectdesk.lib.access import signed_in
from protectdesk.records import queries
from protectdesk.records.keyring import NoCaseAccess, StaffOnly, keyring_for

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
