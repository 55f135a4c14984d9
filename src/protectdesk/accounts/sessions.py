"""Session engine: Django's database sessions, stored in :class:`accounts.Session` with its owner.

Recording the owner lets "sign out all my sessions" delete every session row of a user (and
with it every wrapped copy of their private key) instead of waiting for expiry.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import InterfaceError, OperationalError
from django.utils import timezone

#: Session keys used by the login flow (the only things besides Django's own we keep there).
PENDING_USER = "pd_pending_user"
PENDING_STAGE = "pd_pending_stage"
WRAPPED_KEY = "pd_wrapped_key"


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls):  # type: ignore[no-untyped-def]
        from protectdesk.accounts.models import Session

        return Session

    def _get_session_from_db(self):  # type: ignore[no-untyped-def]
        """An expired session is deleted when it is seen, not merely ignored: its row holds a
        wrapped private key that must not outlive the idle timeout."""
        key = self.session_key  # Django forgets it when the row is missing or expired
        session = super()._get_session_from_db()  # type: ignore[misc]
        if session is None and key:
            model = self.get_model_class()  # type: ignore[no-untyped-call]
            model.objects.filter(session_key=key, expire_date__lte=timezone.now()).delete()
        return session

    def save(self, must_create: bool = False) -> None:
        """Django turns *any* database error while saving a session into ``UpdateError``, which
        its middleware answers with 400 "Bad request" (the session "was deleted"). A database
        that is not answering is not that: the error is raised as it is, and the request gets
        the 503 page (``views.server_error``), which says to look whether the request was saved
        (the view's own transaction may have committed before the session save failed)."""
        try:
            super().save(must_create)
        except UpdateError as error:
            cause = error.__context__
            if isinstance(cause, OperationalError | InterfaceError):
                raise cause from None
            raise

    def create_model_instance(self, data: dict[str, Any]):  # type: ignore[no-untyped-def]
        instance = super().create_model_instance(data)
        instance.user_id = data.get("_auth_user_id") or data.get(PENDING_USER)  # type: ignore[attr-defined]
        return instance
