"""The API's routes: the token pages of My account, the documentation, and version 1.

Every operation of version 1 is wrapped by :func:`audited`, so each call a token makes is in
the desk's audit log whatever it answered (one refused call per minute past the rate limit,
not every one: a runaway script must not flood the log).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path

from protectdesk.api import actions, views
from protectdesk.api.auth import caller_of
from protectdesk.api.endpoints import api, target_of
from protectdesk.audit.actions import record

app_name = "api"


def audited(view: Callable[..., HttpResponse], name: str) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        caller = caller_of(request)
        throttled = getattr(request, "_pd_api_throttled", 0)
        if caller is not None and throttled in (0, actions.CALLS_PER_MINUTE + 1):
            record(
                "api.call",
                actor=caller.user,
                target=target_of(request),
                detail={
                    "operation": f"{request.method} /api/v1/{name}",
                    "status": response.status_code,
                    "token": str(caller.token.pk),
                },
            )
        return response

    return wrapper


def _version_1() -> list[URLPattern | URLResolver]:
    patterns, _app, _namespace = api.urls
    wrapped: list[URLPattern | URLResolver] = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern) and pattern.name not in ("openapi-json", "api-root"):
            pattern = URLPattern(
                pattern.pattern,
                audited(pattern.callback, str(pattern.pattern)),
                pattern.default_args,
                pattern.name,
            )
        wrapped.append(pattern)
    return wrapped


urlpatterns = [
    path("account/api-tokens/", views.tokens, name="tokens"),
    path("account/api-tokens/<uuid:token_id>/revoke/", views.revoke, name="revoke"),
    path("api/v1/docs/", views.docs, name="docs"),
    path("api/v1/", include((_version_1(), "ninja"), namespace="api-v1")),
]
