"""Tokens for the personas, made through the real action (as My account makes them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from protectdesk.api import actions
from protectdesk.api.models import Scope
from tests.conftest import PASSWORD, keyring_of


def make_token(user: Any, scope: str = Scope.READ, days: int = 30, label: str = "") -> str:
    key = keyring_of(user, PASSWORD)._private_key if scope != Scope.STATISTICS else None
    return actions.create_token(
        actor=user, scope=scope, days=days, label=label, private_key=key
    ).text


class ApiClient:
    """A test client that sends one token with every call."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(
            path, headers={**self.headers, **kwargs.pop("headers", {})}, **kwargs
        )

    def post(self, path: str, body: Any, **kwargs: Any) -> Any:
        return self.client.post(
            path,
            body,
            content_type="application/json",
            headers={**self.headers, **kwargs.pop("headers", {})},
            **kwargs,
        )


@pytest.fixture
def api_client() -> Callable[..., ApiClient]:
    def make(user: Any = None, scope: str = Scope.READ, token: str | None = None) -> ApiClient:
        if token is None and user is not None:
            token = make_token(user, scope)
        return ApiClient(token)

    return make
