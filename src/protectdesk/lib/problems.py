"""Errors of the JSON API as RFC 9457 problem details (``application/problem+json``).

One shape for every error the API gives, whether an operation raised it or Django's own
handlers answer (an unknown URL under ``/api/``, a server error): ``type`` names the kind of
problem by a link into the API's documentation, ``title`` says it in the caller's language,
``status`` repeats the HTTP status, ``detail`` says how to fix it, and a validation error lists
each field with its message in ``errors`` (``pointer`` is a JSON Pointer into the body, or the
query parameter's name).

Nothing identifying is ever put in a problem: messages are the product's own texts, never the
input that was sent.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
MEDIA_TYPE = "application/problem+json"
DOCS = "/api/v1/docs/"


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _titles() -> dict[str, str]:
    return {
        "bad-request": _("The request could not be read"),
        "unauthorized": _("A valid API token is needed"),
        "forbidden": _("This token may not do that"),
        "not-found": _("Nothing here"),
        "method-not-allowed": _("This method is not allowed here"),
        "conflict": _("Someone else changed it first"),
        "too-large": _("The request is too large"),
        "invalid": _("Some values need fixing"),
        "too-many-requests": _("Too many calls"),
        "server-error": _("Something went wrong on the server"),
        "unavailable": _("The desk's server is busy or restarting"),
    }


#: Every problem type the API can answer, with its HTTP status (listed in the documentation).
STATUSES = {
    "bad-request": 400,
    "unauthorized": 401,
    "forbidden": 403,
    "not-found": 404,
    "method-not-allowed": 405,
    "conflict": 409,
    "too-large": 413,
    "invalid": 422,
    "too-many-requests": 429,
    "server-error": 500,
    "unavailable": 503,
}


def title_of(kind: str) -> str:
    return _titles()[kind]


def response(
    kind: str,
    detail: str = "",
    *,
    request: HttpRequest | None = None,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """The problem of ``kind`` as an HTTP response."""
    status = STATUSES[kind]
    body: dict[str, Any] = {
        "type": f"{DOCS}#problem-{kind}",
        "title": title_of(kind),
        "status": status,
    }
    if detail:
        body["detail"] = detail
    if request is not None:
        body["instance"] = request.path
    if errors:
        body["errors"] = errors
    answer = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=MEDIA_TYPE
    )
    for name, value in (headers or {}).items():
        answer[name] = value
    return answer


def for_status(request: HttpRequest, status: int) -> HttpResponse:
    """Django's own error handlers, for a request under the API: the problem of that status."""
    kind = next((k for k, s in STATUSES.items() if s == status), "server-error")
    detail = {
        404: _("There is no such operation or record. The documentation lists every operation."),
        500: _("Nothing was saved by the call that failed. Try again later."),
    }.get(status, "")
    return response(kind, detail, request=request)


def unavailable(request: HttpRequest, retry_after: int) -> HttpResponse:
    """The database does not answer (restarting, busy): 503 with ``Retry-After``."""
    return response(
        "unavailable",
        _(
            "Wait a minute and try again. If you were sending something, read it back before "
            "you send it again: it may have been saved."
        ),
        request=request,
        headers={"Retry-After": str(retry_after)},
    )
