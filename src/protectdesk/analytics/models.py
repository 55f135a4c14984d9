"""A desk's analytics settings: the minimum cell size, how coarse the codes are, and whether it
pools its statistics with the network. No case data: the counts are computed on each request
from clear statistical fields (``analytics.queries``) and never stored."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import Desk, User
from protectdesk.analytics.suppression import DEFAULT_K


class Period(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


#: From finest to coarsest: a pool uses the coarsest period any participating desk chose.
PERIOD_ORDER = (Period.MONTH, Period.QUARTER, Period.YEAR)


class AnalyticsSettings(models.Model):
    """One per desk, made when a coordinator first saves them (until then: the defaults).

    Years by default: every view of one kind of record is released together, so on a desk of
    a few hundred incidents quarters already leave most of them in groups below k."""

    desk = models.OneToOneField(
        Desk, primary_key=True, on_delete=models.CASCADE, related_name="analytics_settings"
    )
    k = models.PositiveSmallIntegerField(_("smallest group shown"), default=DEFAULT_K)
    period = models.CharField(
        _("time periods"), max_length=8, choices=Period.choices, default=Period.YEAR
    )
    regions = models.BooleanField(_("show regions within countries"), default=False)
    pooled = models.BooleanField(_("pool statistics with the network"), default=False)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"analytics settings of desk {self.desk_id}"
