"""Reads of the floor, scoped to what the viewer's keys open."""

from __future__ import annotations

import uuid

from django.http import Http404

from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case


def member_case(keyring: Keyring, case_id: uuid.UUID | str) -> Case:
    """The case, if the viewer is a member who can open it; otherwise 404 (never 403)."""
    case = (
        Case.objects.select_related("desk").filter(pk=case_id, desk_id=keyring.user.desk_id).first()
    )
    if case is None or not keyring.can_open(case.id):
        raise Http404
    return case
