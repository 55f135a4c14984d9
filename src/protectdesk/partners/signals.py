"""React to account events: a role that no longer holds the partner directory leaves it."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from protectdesk.accounts.signals import role_changed


@receiver(role_changed)
def leave_directory_with_the_role(
    sender: Any, user: Any, old: str, new: str, **kwargs: Any
) -> None:
    from protectdesk.partners.actions import DIRECTORY_ROLES, leave_directory

    if new not in DIRECTORY_ROLES:
        leave_directory(user)
