"""The JSON API, version 1: the operations, their errors, and the schema generated from them.

Why django-ninja: operations are plain functions over our own query and action functions, the
pydantic schemas they declare are the OpenAPI 3.1 document (no second description to keep in
step), and it brings no authentication, permission or serializer layer of its own to reconcile
with the authorization matrix and the records write path: authorization here is exactly the
pages' (``records.queries.member_case``, the keyring's memberships, the actions' checks). The
interactive Swagger page it can serve loads JavaScript, which the desk's CSP forbids and Tor
"Safest" would not run, so ``docs_url`` is off and ``api.views.docs`` renders the same schema
as a plain page.

Every operation names its scopes (``auth.require``); every answer that is not a success is a
problem document (``lib/problems.py``); pages are ``?page=`` and ``?page_size=`` (at most
:data:`schemas.MOST_PER_PAGE`).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from protectdesk import vocabularies
from protectdesk.analytics import queries as analytics
from protectdesk.analytics.catalogue import DIMENSIONS, UNITS, VIEWS
from protectdesk.api import schemas
from protectdesk.api.auth import Caller, Problem, TokenAuth, require, unauthorized
from protectdesk.api.models import Scope
from protectdesk.api.writing import create_incident
from protectdesk.audit.actions import record
from protectdesk.cases import queries as case_queries
from protectdesk.crypto import CryptoError
from protectdesk.exports import files, rows
from protectdesk.incidents import queries as incident_queries
from protectdesk.incidents.actions import IncidentData
from protectdesk.incidents.models import Incident, Step
from protectdesk.lib import problems
from protectdesk.records import queries as record_queries
from protectdesk.records.actions import EditConflict
from protectdesk.records.keyring import Keyring, NoCaseAccess, StaffOnly
from protectdesk.records.models import Case, CaseKind, CaseMember, MemberKind

logger = logging.getLogger("protectdesk.api")

#: The vocabularies whose codes appear in what the API returns or accepts.
VOCABULARIES = (
    "affected",
    "authority_responses",
    "incident_types",
    "perpetrator_types",
    "sectors",
    "source_connections",
    "source_reliability",
    "threat_objectives",
    "risk_components",
    "partner_services",
    "library_topics",
    "un_declaration_articles",
)
_TARGET = "_pd_api_target"
_ALL = (Scope.STATISTICS, Scope.READ, Scope.WRITE)
_CONTENT = (Scope.READ, Scope.WRITE)
_ERRORS: dict[int | str, Any] = {
    401: schemas.Problem,
    403: schemas.Problem,
    404: schemas.Problem,
    422: schemas.Problem,
    429: schemas.Problem,
}

api = NinjaAPI(
    title="Protection Desk API",
    version="1",
    description=(
        "Statistics, vocabularies, and the cases a token's owner is a member of, with their "
        "incidents. Authenticate with a personal access token made in My account → API tokens "
        "(Authorization: Bearer pd1_…). Every call is in the desk's audit log."
    ),
    urls_namespace="api:api-v1",
    docs_url=None,
    openapi_url="/openapi.json",
    auth=TokenAuth(),
)


# --- errors -----------------------------------------------------------------------------------


def _pydantic_message(kind: str) -> str:
    return {
        "missing": _("This field is required."),
        "string_type": _("Send text here."),
        "list_type": _("Send a list here."),
        "int_type": _("Send a whole number here."),
        "int_parsing": _("Send a whole number here."),
        "bool_parsing": _("Send true or false here."),
        "uuid_parsing": _("This is not an identifier of the API (a UUID)."),
        "greater_than_equal": _("This number is too small: see the documentation."),
        "less_than_equal": _("This number is too large: see the documentation."),
        "json_invalid": _("The body is not valid JSON."),
        "model_attributes_type": _("Send a JSON object here."),
        "dict_type": _("Send a JSON object here."),
    }.get(kind, _("This value is not valid: see the documentation."))


def _pointer(location: Sequence[Any]) -> str:
    where = [str(part) for part in location]
    if where and where[0] == "body":
        return "#/" + "/".join(where[2:])
    return where[-1] if where else ""


@api.exception_handler(Problem)
def _problem(request: HttpRequest, error: Problem) -> HttpResponse:
    return problems.response(
        error.kind, error.detail, request=request, errors=error.errors, headers=error.headers
    )


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, error: NinjaValidationError) -> HttpResponse:
    found = [
        {"pointer": _pointer(e.get("loc", ())), "detail": _pydantic_message(str(e.get("type")))}
        for e in error.errors
    ]
    return problems.response(
        "invalid",
        _("Fix the values listed in errors and send again."),
        request=request,
        errors=found,
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return _problem(request, unauthorized())


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return problems.response(
        "not-found",
        _("There is no such record among those this token may read."),
        request=request,
    )


@api.exception_handler(NoCaseAccess)
def _no_access(request: HttpRequest, error: NoCaseAccess) -> HttpResponse:
    return _not_found(request, Http404())


@api.exception_handler(StaffOnly)
def _staff_only(request: HttpRequest, error: StaffOnly) -> HttpResponse:
    return _not_found(request, Http404())


@api.exception_handler(EditConflict)
def _conflict(request: HttpRequest, error: EditConflict) -> HttpResponse:
    return problems.response(
        "conflict",
        _("It was changed since you read it. Read it again, then send your change."),
        request=request,
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    kind = next((k for k, s in problems.STATUSES.items() if s == error.status_code), "bad-request")
    return problems.response(kind, request=request)


@api.exception_handler(RequestDataTooBig)
def _too_large(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
    return problems.response(
        "too-large",
        _("The body is larger than the desk accepts (%(most)d KB). Send less at a time.")
        % {"most": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024},
        request=request,
    )


@api.exception_handler(CryptoError)
def _damaged(request: HttpRequest, error: CryptoError) -> HttpResponse:
    logging.getLogger("protectdesk.crypto").error(
        "protected data failed to open on %s: %s", request.path, type(error).__name__
    )
    return problems.response(
        "server-error",
        _("A stored value failed its integrity check. Nothing was changed; tell the desk."),
        request=request,
    )


@api.exception_handler(OperationalError)
def _database_away(request: HttpRequest, error: Exception) -> HttpResponse:
    from protectdesk.views import RETRY_AFTER_SECONDS

    return problems.unavailable(request, RETRY_AFTER_SECONDS)


@api.exception_handler(InterfaceError)
def _database_gone(request: HttpRequest, error: Exception) -> HttpResponse:
    return _database_away(request, error)


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, error: Exception) -> HttpResponse:
    # The type only: an exception's message may carry what was being decrypted or written.
    logger.error("API operation failed on %s: %s", request.path, type(error).__name__)
    return problems.response(
        "server-error",
        _("Nothing was saved by the call that failed. Try again later."),
        request=request,
    )


# --- helpers ----------------------------------------------------------------------------------


def _page(request: HttpRequest, items: QuerySet[Any], paging: schemas.Paging) -> dict[str, Any]:
    page, page_size = paging.page, paging.page_size
    total = items.count()
    start = (page - 1) * page_size
    chosen = list(items[start : start + page_size])

    def link(number: int) -> str:
        query = request.GET.copy()
        query["page"] = str(number)
        query["page_size"] = str(page_size)
        return f"{request.path}?{query.urlencode()}"

    return {
        "chosen": chosen,
        "page": page,
        "page_size": page_size,
        "total": total,
        "next": link(page + 1) if start + page_size < total else None,
        "previous": link(page - 1) if page > 1 and start - page_size < total else None,
    }


def _case(request: HttpRequest, caller: Caller, case_id: uuid.UUID) -> Case:
    case = record_queries.member_case(caller.keyring, case_id)
    setattr(request, _TARGET, case)
    return case


def target_of(request: HttpRequest) -> Any:
    return getattr(request, _TARGET, None)


def _case_out(keyring: Keyring, case: Case, membership: str) -> dict[str, Any]:
    defender = case_queries.defender_of(keyring, case)
    return {
        "id": case.id,
        "reference": case.reference,
        "status": case.status,
        "opened": case.created_at.strftime("%Y-%m"),
        "membership": membership,
        "defender": None
        if defender is None
        else {
            "kind": defender.kind,
            "country": defender.country,
            "subdivision": defender.subdivision,
            "sectors": list(defender.sectors),
            "name": str(defender.name or ""),
        },
    }


def _when(incident: Incident, opened: Any) -> str:
    if incident.date_precision == "exact":
        return str(opened.exact_date or incident.month)
    return incident.month if incident.date_precision == "month" else str(incident.year)


def _step(keyring: Keyring, incident: Incident) -> str:
    """The handling step; for the defender's own account, "analysed" reads as "registered":
    whether staff analysed it is staff's (as on the incident's page)."""
    if incident.step == Step.ANALYSED and not keyring.has_staff_key(incident.case_id):
        return Step.REGISTERED
    return incident.step


def incident_summary(keyring: Keyring, incident: Incident) -> dict[str, Any]:
    opened = keyring.opened(incident)
    return {
        "id": incident.id,
        "case_id": incident.case_id,
        "title": str(opened.title or ""),
        "when": _when(incident, opened),
        "country": incident.country,
        "subdivision": incident.subdivision,
        "types": list(incident.types),
        "nature": incident.nature,
        "severity": incident.severity,
        "step": _step(keyring, incident),
        "reported_by_defender": incident.reported_by_defender,
        "version": incident.row_version,
    }


def incident_out(keyring: Keyring, incident: Incident) -> dict[str, Any]:
    opened = keyring.opened(incident)
    staff = keyring.has_staff_key(incident.case_id)
    return {
        **incident_summary(keyring, incident),
        **{
            name: str(getattr(opened, name) or "")
            for name in IncidentData.SHARED_TEXT
            if name != "title"  # in the summary
        },
        "affected": list(incident.affected),
        "authority_response": incident.authority_response,
        "analysis": str(opened.analysis or "") if staff else None,
    }


# --- vocabularies -----------------------------------------------------------------------------


def _scalar_extra(extra: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in extra.items() if isinstance(v, str | int | float | bool)}


@api.get(
    "/vocabularies/",
    response={200: list[schemas.VocabularySummary], **_ERRORS},
    tags=["vocabularies"],
    summary="The vocabularies whose codes the API uses",
)
def list_vocabularies(request: HttpRequest) -> Any:
    require(request, *_ALL)
    return [{"name": n, "terms": len(vocabularies.load(n).terms)} for n in VOCABULARIES]


@api.get(
    "/vocabularies/{name}/",
    response={200: schemas.Vocabulary, **_ERRORS},
    tags=["vocabularies"],
    summary="One vocabulary: its codes and their labels",
)
def get_vocabulary(request: HttpRequest, name: str) -> Any:
    require(request, *_ALL)
    if name not in VOCABULARIES:
        raise Http404
    vocabulary = vocabularies.load(name)
    return {
        "name": name,
        "terms": [
            {"code": t.code, "label": t.label, "extra": _scalar_extra(t.extra)}
            for t in vocabulary.terms
        ],
    }


# --- statistics -------------------------------------------------------------------------------


def _view_out(view: Any, scope: Any) -> dict[str, Any]:
    return {
        "slug": view.slug,
        "title": str(view.title),
        "counts": str(UNITS[view.unit].counted),
        "dimensions": list(analytics.dimensions_of(view, scope)),
    }


@api.get(
    "/statistics/",
    response={200: list[schemas.StatisticsView], **_ERRORS},
    tags=["statistics"],
    summary="The statistics views (as on the Analytics pages)",
)
def list_statistics(request: HttpRequest) -> Any:
    caller = require(request, Scope.STATISTICS)
    scope = analytics.own_scope(caller.user)
    return [_view_out(view, scope) for view in VIEWS.values()]


@api.get(
    "/statistics/{slug}/",
    response={200: schemas.StatisticsResult, **_ERRORS},
    tags=["statistics"],
    summary="One statistics view, with small groups withheld as on the Analytics pages",
    description=(
        "Filter with one query parameter per dimension (?type=killing&type=threat); codes "
        "not offered are ignored. ?scope=network reads the network's pooled statistics if "
        "the desk takes part (404 otherwise)."
    ),
)
def get_statistics(request: HttpRequest, slug: str, scope: str = "own") -> Any:
    caller = require(request, Scope.STATISTICS)
    view = analytics.view_of(slug)
    if view is None or scope not in ("own", "network"):
        raise Http404
    chosen = (
        analytics.own_scope(caller.user) if scope == "own" else analytics.pool_scope(caller.user)
    )
    if chosen is None:
        raise Http404
    published = analytics.publish(
        view, chosen, {d: request.GET.getlist(d) for d in view.dimensions}
    )
    return {
        "view": _view_out(view, chosen),
        "scope": scope,
        "smallest_group": chosen.k,
        "withheld": published.withheld,
        "filters": {d: sorted(codes) for d, codes in published.filters.items()},
        "tables": [
            {
                "by": list(table.by),
                "groups": [
                    {
                        "codes": list(codes),
                        "labels": [
                            DIMENSIONS[d].label_of(c) for d, c in zip(table.by, codes, strict=True)
                        ],
                        "count": n,
                    }
                    for codes, n in analytics.ordered_cells(table)
                ],
                "total": table.total,
            }
            for table in published.tables
        ],
    }


# --- cases and incidents ----------------------------------------------------------------------


@api.get(
    "/cases/",
    response={200: schemas.CasePage, **_ERRORS},
    tags=["cases"],
    summary="The cases the token's owner is a member of",
)
def list_cases(
    request: HttpRequest,
    paging: Query[schemas.Paging],
) -> Any:
    caller = require(request, *_CONTENT)
    memberships = (
        CaseMember.objects.filter(user=caller.user, case__kind=CaseKind.DEFENDER)
        .select_related("case")
        .order_by("case__reference", "case_id")
    )
    found = _page(request, memberships, paging)
    keyring = caller.keyring
    keyring.preload([m.case_id for m in found["chosen"]])
    items = [
        _case_out(keyring, m.case, "staff" if m.kind == MemberKind.STAFF else "defender")
        for m in found.pop("chosen")
        if keyring.can_open(m.case_id)
    ]
    return {"items": items, **found}


@api.get(
    "/cases/{case_id}/",
    response={200: schemas.Case, **_ERRORS},
    tags=["cases"],
    summary="One case",
)
def get_case(request: HttpRequest, case_id: uuid.UUID) -> Any:
    caller = require(request, *_CONTENT)
    case = _case(request, caller, case_id)
    staff = caller.keyring.has_staff_key(case.id)
    return _case_out(caller.keyring, case, "staff" if staff else "defender")


@api.get(
    "/cases/{case_id}/incidents/",
    response={200: schemas.IncidentPage, **_ERRORS},
    tags=["incidents"],
    summary="The incidents of a case, newest first",
)
def list_incidents(
    request: HttpRequest,
    case_id: uuid.UUID,
    paging: Query[schemas.Paging],
) -> Any:
    caller = require(request, *_CONTENT)
    case = _case(request, caller, case_id)
    incidents = Incident.objects.filter(case=case).order_by("-year", "-month", "-id")
    found = _page(request, incidents, paging)
    items = [incident_summary(caller.keyring, i) for i in found.pop("chosen")]
    return {"items": items, **found}


@api.get(
    "/cases/{case_id}/incidents/{incident_id}/",
    response={200: schemas.Incident, **_ERRORS},
    tags=["incidents"],
    summary="One incident",
)
def get_incident(request: HttpRequest, case_id: uuid.UUID, incident_id: uuid.UUID) -> Any:
    caller = require(request, *_CONTENT)
    case = _case(request, caller, case_id)
    incident = incident_queries.incident_in_case(case, incident_id)
    if incident is None:
        raise Http404
    setattr(request, _TARGET, incident)  # audited as the page audits a reading: the incident
    return incident_out(caller.keyring, incident)


@api.post(
    "/cases/{case_id}/incidents/",
    response={201: schemas.Incident, 409: schemas.Problem, **_ERRORS},
    tags=["incidents"],
    summary="Log an incident in a case",
    description=(
        "Staff members log a full incident; the defender's own account reports one with the "
        "fields of its own form. The same checks as the page's form apply, with the same "
        "messages, in errors."
    ),
)
def post_incident(request: HttpRequest, case_id: uuid.UUID, payload: schemas.IncidentIn) -> Any:
    caller = require(request, Scope.WRITE)
    case = _case(request, caller, case_id)
    incident = create_incident(caller, case, payload.dict())
    setattr(request, _TARGET, incident)
    return Status(201, incident_out(caller.keyring, incident))


# --- exports ----------------------------------------------------------------------------------


_FILE = {
    200: {
        "content": {t: {} for t in ("application/json", "text/csv", files.XLSX)},
        "description": "The file (?format=json, csv or xlsx).",
    }
}


@api.get(
    "/exports/incidents/",
    response={**_ERRORS},
    openapi_extra={"responses": _FILE},
    tags=["exports"],
    summary="Statistical export of the incidents of every case the owner is staff of",
    description="The same file as Exports → desk export (docs/formats/incidents-v1.schema.json).",
)
def export_incidents(request: HttpRequest, format: str = "json") -> Any:
    caller = require(request, *_CONTENT)
    if format not in files.FORMATS or not caller.user.is_staff_member:
        raise Http404
    case_ids = list(
        CaseMember.objects.filter(user=caller.user, kind=MemberKind.STAFF).values_list(
            "case_id", flat=True
        )
    )
    record(
        "export.statistical",
        actor=caller.user,
        detail={"format": format, "count": rows.count(case_ids), "cases": len(case_ids)},
    )
    return files.download(f"incidents-{timezone.localdate().isoformat()}", format, None, case_ids)


@api.get(
    "/cases/{case_id}/export/",
    response={**_ERRORS},
    openapi_extra={"responses": _FILE},
    tags=["exports"],
    summary="Identifying export of one case (staff members of the case)",
)
def export_case(request: HttpRequest, case_id: uuid.UUID, format: str = "json") -> Any:
    caller = require(request, *_CONTENT)
    case = _case(request, caller, case_id)
    if format not in files.FORMATS or not caller.keyring.has_staff_key(case.id):
        raise Http404
    record(
        "export.identifying",
        actor=caller.user,
        target=case,
        detail={"format": format, "count": rows.count([case.id])},
    )
    return files.download(f"{case.reference}-identifying", format, caller.keyring, [case.id])
