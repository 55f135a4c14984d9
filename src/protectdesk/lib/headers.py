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


#: Pages that promise to set no cookie at all, whatever they answer (the public intake: its
#: error pages too — a mistyped link must not leave a year-long CSRF cookie in the browser;
#: the JSON API, whose callers authenticate with a token and keep no state).
NO_COOKIE_PATHS = ("/report/", "/api/")


def promises_no_cookie(request: HttpRequest) -> bool:
    return request.path.startswith(NO_COOKIE_PATHS)


class NoCookieMiddleware:
    """On :data:`NO_COOKIE_PATHS`, no response carries a cookie: placed outside the session,
    CSRF and key middleware, it drops whatever they set (a signed-in visitor's session
    refresh included)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if promises_no_cookie(request):
            for name in list(response.cookies):
                del response.cookies[name]
        return response


class TamperedDataMiddleware:
    """A ciphertext that fails to authenticate (moved, edited, truncated) stops the request.

    The page says so plainly; the log records the path and the exception type, never data.
    Nothing is written: the user's saved work is untouched, and the audit log shows who last
    changed the record.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from protectdesk.crypto import CryptoError

        if not isinstance(exception, CryptoError):
            return None
        import logging

        from django.shortcuts import render

        logging.getLogger("protectdesk.crypto").error(
            "protected data failed to open on %s: %s", request.path, type(exception).__name__
        )
        return render(request, "errors/tampered.html", status=500)
