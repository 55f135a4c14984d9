"""Session engine: Django's database sessions, stored in :class:`accounts.Session` with its owner.

Recording the owner lets "sign out all my sessions" delete every session row of a user (and
with it every wrapped copy of their private key) instead of waiting for expiry.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

#: Session keys used by the login flow (the only things besides Django's own we keep there).
PENDING_USER = "pd_pending_user"
PENDING_STAGE = "pd_pending_stage"
WRAPPED_KEY = "pd_wrapped_key"


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls):  # type: ignore[no-untyped-def]
        from protectdesk.accounts.models import Session

        return Session

    def create_model_instance(self, data: dict[str, Any]):  # type: ignore[no-untyped-def]
        instance = super().create_model_instance(data)
        instance.user_id = data.get("_auth_user_id") or data.get(PENDING_USER)  # type: ignore[attr-defined]
        return instance
