"""View decorators that say who may call a view. Every view carries one (the matrix test checks)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

from protectdesk.accounts.models import User

View = Callable[..., HttpResponse | StreamingHttpResponse]


def signed_in(view: View) -> View:
    """Any signed-in account (the middleware has already checked 2FA and the session key)."""
    return login_required(view)


def role_required(*roles: str) -> Callable[[View], View]:
    """Signed in, and in one of ``roles``; other roles get 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(
            request: HttpRequest, *args: Any, **kwargs: Any
        ) -> HttpResponse | StreamingHttpResponse:
            if current_user(request).role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapper)

    return decorator


def current_user(request: HttpRequest) -> User:
    """The signed-in account of a view behind ``signed_in``/``role_required`` (typed)."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user


def public(view: View) -> View:
    """Reachable without signing in (login, invitations, error pages). Marks intent for review."""
    view.protectdesk_public = True  # type: ignore[attr-defined]
    return view
