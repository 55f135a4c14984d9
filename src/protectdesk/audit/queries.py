"""Reads of the audit log, scoped to the viewer's desk."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import Promise

from protectdesk.accounts.models import User
from protectdesk.audit.codes import ACTIONS
from protectdesk.audit.models import AuditEntry


@dataclass(frozen=True)
class Row:
    entry: AuditEntry
    label: Promise | str
    actor: str


def _desk_entries(viewer: User) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(desk_id=viewer.desk_id).order_by("-seq")


def _rows(viewer: User, entries: list[AuditEntry]) -> list[Row]:
    actor_ids = {entry.actor_id for entry in entries if entry.actor_id}
    names = {
        user.pk: user.label
        for user in User.objects.filter(desk_id=viewer.desk_id, pk__in=actor_ids)
    }
    return [
        Row(
            entry,
            ACTIONS.get(entry.action, entry.action),
            names.get(entry.actor_id, "") if entry.actor_id else "",
        )
        for entry in entries
    ]


def recent_entries(viewer: User, limit: int) -> list[Row]:
    return _rows(viewer, list(_desk_entries(viewer)[:limit]))


def entry_page(
    viewer: User, number: str | int | None, per_page: int = 50
) -> tuple[Page[AuditEntry], list[Row]]:
    page = Paginator(_desk_entries(viewer), per_page).get_page(number)
    return page, _rows(viewer, list(page.object_list))
