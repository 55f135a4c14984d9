"""Every write of analytics: a desk's settings (coordinators only), audited."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from protectdesk.accounts.models import Role, User
from protectdesk.analytics.models import AnalyticsSettings, Period
from protectdesk.analytics.suppression import check_k
from protectdesk.audit.actions import record as audit_record

#: Who sees the desk's analytics. The analyst sees nothing else; coordinators already see the
#: desk's dashboard from the same clear fields. Caseworkers and administrators do not: the
#: first work on their cases, the second on accounts, and neither needs desk-wide counts.
VIEWERS = frozenset({Role.COORDINATOR, Role.ANALYST})


@dataclass(frozen=True)
class SettingsData:
    k: int
    period: str
    regions: bool
    pooled: bool


def save_settings(*, actor: User, data: SettingsData) -> AnalyticsSettings:
    """A coordinator sets the desk's minimum group size, coarseness and pooling."""
    if actor.role != Role.COORDINATOR:
        raise PermissionError("coordinators set the desk's analytics")
    check_k(data.k)
    Period(data.period)  # ValueError for an unknown period
    with transaction.atomic():
        chosen, _created = AnalyticsSettings.objects.select_for_update().get_or_create(
            desk_id=actor.desk_id
        )
        before = {
            "k": chosen.k,
            "period": chosen.period,
            "regions": chosen.regions,
            "pooled": chosen.pooled,
        }
        chosen.k, chosen.period = data.k, data.period
        chosen.regions, chosen.pooled = data.regions, data.pooled
        chosen.updated_at, chosen.updated_by = timezone.now(), actor
        chosen.save()
        after = {"k": data.k, "period": data.period, "regions": data.regions, "pooled": data.pooled}
        changed = {name: value for name, value in after.items() if before[name] != value}
        if changed:
            audit_record(
                "analytics.settings_changed",
                actor=actor,
                target=None,
                detail=changed,
            )
        if "pooled" in changed:
            audit_record(
                "analytics.pool_joined" if data.pooled else "analytics.pool_left",
                actor=actor,
                target=None,
            )
    return chosen
