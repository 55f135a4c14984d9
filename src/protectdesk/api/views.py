"""The API's pages: personal access tokens in My account, and the documentation.

The documentation is the OpenAPI schema rendered as one plain page on the server, so it reads
with JavaScript off, under the desk's CSP, from the desk itself (no CDN).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from protectdesk.accounts import session_keys
from protectdesk.accounts.views import password_ok
from protectdesk.api import actions, schemas
from protectdesk.api.forms import TokenForm
from protectdesk.api.models import READS_CONTENT, Scope, Token
from protectdesk.lib import problems
from protectdesk.lib.access import current_user, public, signed_in

_REFUSALS = {
    "scope": lambda: _("Your role cannot give a token that scope."),
    "lifetime": lambda: _("Choose one of the lifetimes offered."),
    "key": lambda: _("Your session cannot open your key. Sign out, sign in again, and retry."),
    "too many": lambda: (
        _("You have %(most)d tokens that have not expired. Revoke one you no longer use first.")
        % {"most": actions.MOST_LIVE}
    ),
}


def _page(request: HttpRequest, form: TokenForm | None, made: Any, status: int) -> HttpResponse:
    user = current_user(request)
    private_key = session_keys.private_key(request)
    rows = [
        {"token": t, "label": actions.label_of(t, private_key), "reads": t.scope in READS_CONTENT}
        for t in Token.objects.filter(owner=user)
    ]
    return render(
        request,
        "api/tokens.html",
        {"form": form, "made": made, "rows": rows, "calls_per_minute": actions.CALLS_PER_MINUTE},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@signed_in
def tokens(request: HttpRequest) -> HttpResponse:
    """The owner's tokens; a new one is shown once, on the page that answers its form."""
    user = current_user(request)
    if not actions.scopes_for(user):
        if request.method == "POST":
            return HttpResponseForbidden()
        return _page(request, None, None, 200)
    if request.method != "POST":
        return _page(request, TokenForm(user=user, auto_id="token-%s"), None, 200)
    form = TokenForm(request.POST, user=user, auto_id="token-%s")
    if form.is_valid() and password_ok(user, form):
        try:
            made = actions.create_token(
                actor=user,
                scope=form.cleaned_data["scope"],
                days=form.cleaned_data["days"],
                label=form.cleaned_data["label"],
                private_key=session_keys.private_key(request),
            )
        except actions.TokenRefused as refusal:
            form.add_error(None, _REFUSALS[str(refusal)]())
        else:
            return _page(request, TokenForm(user=user, auto_id="token-%s"), made, 200)
    return _page(request, form, None, 400)


@require_POST
@signed_in
def revoke(request: HttpRequest, token_id: uuid.UUID) -> HttpResponse:
    if actions.revoke_token(actor=current_user(request), token_id=token_id):
        messages.success(request, _("The token is revoked: it no longer works."))
    else:
        messages.info(request, _("That token was already revoked or has expired."))
    return redirect("api:tokens")


# --- documentation ----------------------------------------------------------------------------


def _type_of(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_type_of(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list of {_type_of(schema.get('items', {}))}"
    kind = str(schema.get("type", "object"))
    return f"{kind} ({schema['format']})" if "format" in schema else kind


def _properties(schema: dict[str, Any]) -> list[dict[str, Any]]:
    required = set(schema.get("required", ()))
    return [
        {
            "name": name,
            "type": _type_of(spec),
            "required": name in required,
            "description": spec.get("description", ""),
        }
        for name, spec in schema.get("properties", {}).items()
    ]


def documentation() -> dict[str, Any]:
    """The schema, flattened for the page: operations by tag, then every named shape."""
    from protectdesk.api.endpoints import api

    schema = api.get_openapi_schema(path_prefix="/api/v1")
    operations: dict[str, list[dict[str, Any]]] = {}
    for route, methods in schema["paths"].items():
        for method, op in methods.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            operations.setdefault(op.get("tags", ["other"])[0], []).append(
                {
                    "id": op["operationId"],
                    "method": method.upper(),
                    "path": route,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "required": p.get("required", False),
                            "type": _type_of(p.get("schema", {})),
                            "description": p.get("description", ""),
                        }
                        for p in op.get("parameters", [])
                    ],
                    "body": _type_of(body["schema"]) if body else "",
                    "responses": sorted(op.get("responses", {}).items()),
                }
            )
    shapes = [
        {"name": name, "description": spec.get("description", ""), "fields": _properties(spec)}
        for name, spec in sorted(schema.get("components", {}).get("schemas", {}).items())
    ]
    return {
        "info": schema["info"],
        "openapi": schema["openapi"],
        "tags": sorted(operations.items()),
        "shapes": shapes,
    }


@public
@require_GET
def docs(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "api/docs.html",
        {
            **documentation(),
            "problems": [(k, problems.title_of(k), s) for k, s in problems.STATUSES.items()],
            "scopes": Scope.choices,
            "calls_per_minute": actions.CALLS_PER_MINUTE,
            "most_per_page": schemas.MOST_PER_PAGE,
        },
    )
