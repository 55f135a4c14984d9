"""Authentication by e-mail (staff) or handle (defenders), in one field."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend
from django.http import HttpRequest

from protectdesk.accounts.models import User, normalise_login


class LoginBackend(BaseBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        login: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not login or password is None:
            return None
        user = User.objects.select_related("desk").filter(login=normalise_login(login)).first()
        if user is None:
            # Hash anyway so an unknown name takes as long as a wrong password.
            User().set_password(password)
            return None
        if user.check_password(password) and user.is_active:
            return user
        return None

    def get_user(self, user_id: Any) -> User | None:
        return User.objects.select_related("desk").filter(pk=user_id, is_active=True).first()
