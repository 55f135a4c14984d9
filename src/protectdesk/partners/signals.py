"""React to account events: an account that no longer may hold the partner directory (its
role changed, or it was deactivated) leaves it; reactivated, it waits to be given it again."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from protectdesk.accounts.signals import account_deactivated, role_changed


@receiver(role_changed)
def leave_directory_with_the_role(
    sender: Any, user: Any, old: str, new: str, actor: Any = None, **kwargs: Any
) -> None:
    from protectdesk.partners.actions import DIRECTORY_ROLES, leave_directory

    if new not in DIRECTORY_ROLES:
        leave_directory(user, actor=actor)


@receiver(account_deactivated)
def leave_directory_when_deactivated(
    sender: Any, user: Any, actor: Any = None, **kwargs: Any
) -> None:
    from protectdesk.partners.actions import leave_directory

    leave_directory(user, actor=actor)
