"""Writing the audit log: called by every action function, inside its transaction.

``record`` is for changes (it runs inside the action's transaction); ``record_access`` is the one
audit write allowed while serving a GET (security.md): opening a case, a download, an export, a
search. Both store ids and codes only; ``detail`` must never carry identifying plaintext.
"""

from __future__ import annotations

import uuid
from typing import Any, Protocol

from django.http import HttpRequest

from protectdesk.audit import chain
from protectdesk.audit.codes import ACTIONS
from protectdesk.audit.models import AuditEntry


class _Actor(Protocol):
    id: uuid.UUID
    desk_id: uuid.UUID


class _Target(Protocol):
    pk: Any


def record(
    action: str,
    *,
    actor: _Actor | None,
    target: _Target | None = None,
    desk_id: uuid.UUID | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append ``action`` by ``actor`` on ``target`` to the audit chain."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}; add it to audit/codes.py")
    return chain.append(
        action=action,
        actor_id=actor.id if actor else None,
        desk_id=desk_id or (actor.desk_id if actor else None),
        object_type=_type_of(target),
        object_id=str(target.pk) if target is not None else "",
        detail=detail,
    )


def record_access(
    request: HttpRequest, action: str, target: _Target | None, **detail: Any
) -> AuditEntry:
    """Record that the signed-in user opened, downloaded, exported or searched something."""
    user = request.user
    if not user.is_authenticated or not hasattr(user, "desk_id"):
        raise PermissionError("record_access needs a signed-in user")
    return record(action, actor=user, target=target, detail=detail or None)


def _type_of(target: _Target | None) -> str:
    if target is None:
        return ""
    meta = getattr(target, "_meta", None)
    return str(meta.label_lower) if meta is not None else type(target).__name__.lower()
