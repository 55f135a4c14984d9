"""React to account events: boxes sealed to a replaced keypair are deleted (they open nothing)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from protectdesk.accounts.signals import account_voided, keypair_replaced
from protectdesk.records.models import CaseKeyBox, CaseMember


@receiver(keypair_replaced)
def drop_stale_boxes(sender: Any, user: Any, **kwargs: Any) -> None:
    CaseKeyBox.objects.filter(recipient=user).delete()


@receiver(account_voided)
def drop_voided_account(sender: Any, user: Any, **kwargs: Any) -> None:
    """A defender account nobody ever accepted: no keys, no membership (a new one can be made)."""
    CaseKeyBox.objects.filter(recipient=user).delete()
    CaseMember.compartments.filter(user=user).delete()
