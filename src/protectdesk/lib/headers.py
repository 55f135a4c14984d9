"""Response headers that Django's own settings do not cover (security.md "Other controls")."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class SecurityHeadersMiddleware:
    """Cross-Origin-Resource-Policy everywhere; ``Cache-Control: no-store`` on every page.

    Every page is dynamic and most show decrypted data, so nothing but the public stylesheet
    and icons (served by WhiteNoise under STATIC_URL) may be cached by a browser or proxy.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
        if not request.path.startswith(settings.STATIC_URL):
            response.headers["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
        return response
