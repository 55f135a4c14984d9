"""Django's CSRF protection, adapted to ``Referrer-Policy: no-referrer``.

security.md pins ``Referrer-Policy: no-referrer`` (nothing about the desk's URLs may leak to
anyone). Under that policy browsers send no ``Referer`` at all and send ``Origin: null`` on
same-origin form posts. Django's stock middleware rejects both: ``Origin: null`` fails its
origin check, and over HTTPS a missing Referer fails its referer check, so no form would work.

What still protects every form here:
* the CSRF token (double-submit, masked per response) is checked exactly as Django does;
* every cookie is ``SameSite=Strict``: a cross-site request carries no session and no key;
* an ``Origin`` header naming a real foreign origin is still rejected.
Only two things change: ``Origin: null`` is treated as "no Origin header", and a *missing*
Referer is accepted (a present one is still checked).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponseForbidden
from django.middleware.csrf import CsrfViewMiddleware


class NoReferrerCsrfMiddleware(CsrfViewMiddleware):
    def process_view(
        self,
        request: HttpRequest,
        callback: Callable[..., Any],
        callback_args: Any,
        callback_kwargs: Any,
    ) -> HttpResponseForbidden | None:
        if request.META.get("HTTP_ORIGIN") == "null":
            del request.META["HTTP_ORIGIN"]
        return super().process_view(request, callback, callback_args, callback_kwargs)

    # A private hook of Django's middleware (stable since Django 4.0), not in the type stubs.
    def _check_referer(self, request: HttpRequest) -> None:
        if request.META.get("HTTP_REFERER") is None:
            return
        super()._check_referer(request)  # type: ignore[misc]
