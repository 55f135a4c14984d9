"""React to account events: boxes sealed to a replaced keypair are deleted (they open nothing)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from protectdesk.accounts.signals import keypair_replaced
from protectdesk.cases.models import CaseKeyBox


@receiver(keypair_replaced)
def drop_stale_boxes(sender: Any, user: Any, **kwargs: Any) -> None:
    CaseKeyBox.objects.filter(recipient=user).delete()
