"""A deactivated account stops being an intake officer (a role change is handled by
``desk_keys.revoke``, which drops every secret the new role may not hold)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from protectdesk.accounts.signals import account_deactivated


@receiver(account_deactivated)
def drop_intake_key_when_deactivated(
    sender: Any, user: Any, actor: Any = None, **kwargs: Any
) -> None:
    from protectdesk.accounts import desk_keys
    from protectdesk.intake.actions import SECRET

    desk_keys.drop(user, SECRET, actor=actor)
