"""``protectdesk check`` removes uploaded sheets older than a day (imports/storage.py).

A check that tidies up rather than only reports: a sheet is ciphertext whose key waits sealed
to its uploader, but a file nobody will import must not stay. ``protectdesk check`` is run by
deployments regularly, and every new upload does the same.
"""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Tags, register
from django.db import DatabaseError


@register(Tags.database, deploy=True)
def expired_sheets(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from protectdesk.imports import actions

    try:
        actions.remove_expired()
    except DatabaseError:
        return []  # not migrated yet: no sheet
    return []
