"""Reads of the floor, scoped to what the viewer's keys open."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404

from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case, CaseKind, CaseMember, MemberKind

if TYPE_CHECKING:
    from protectdesk.accounts.models import User


def staff_cases_of(viewer: User) -> QuerySet[CaseMember, Any]:
    """The ids of the defenders' cases ``viewer`` is a staff member of, as a subquery."""
    return CaseMember.objects.filter(user=viewer, kind=MemberKind.STAFF).values("case_id")


def member_case(keyring: Keyring, case_id: uuid.UUID | str, kind: str = CaseKind.DEFENDER) -> Case:
    """The compartment of ``kind`` (a defender's case unless said otherwise), if the viewer is
    a member who can open it; otherwise 404 (never 403): a workshop is never a case page."""
    case = (
        Case.compartments.select_related("desk")
        .filter(pk=case_id, desk_id=keyring.user.desk_id, kind=kind)
        .first()
    )
    if case is None or not keyring.can_open(case.id):
        raise Http404
    return case
