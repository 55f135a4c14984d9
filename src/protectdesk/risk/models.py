"""Risk analysis (methodology.md §4): dated analyses of a case, each with its threat scenarios.

An analysis holds several **scenarios**, each linked to a threat assessment, with the threat's
rating, the vulnerabilities and capacities that matter *for this threat* (components from the
``risk_components`` vocabulary, each rated 1–5 with a note), likelihood and impact. What it
computes (index, bands, matrix cell) is stored in clear beside the ratings, with the case's
current band on :class:`CaseRisk`: ratings, bands and codes are statistics; titles, notes, the
summary and who decides to stop the work are under the staff key.

History: only the newest analysis of a case can be edited; a new analysis starts as a copy of
the newest, so every earlier one stays as it was and the two can be compared.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import User
from protectdesk.records.fields import EncryptedText, statistical
from protectdesk.records.models import STAFF, Case, CaseRecord
from protectdesk.threats.models import ThreatAssessment


class Band(models.TextChoices):
    VERY_LOW = "very_low", _("Very low")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    VERY_HIGH = "very_high", _("Very high")


class ComponentKind(models.TextChoices):
    VULNERABILITY = "vulnerability", _("Vulnerability")
    CAPACITY = "capacity", _("Capacity")


class RiskAnalysis(CaseRecord):
    created_by = statistical(
        models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    )
    analysed_on = statistical(
        models.DateField(_("date of the analysis"), default=timezone.localdate)
    )
    band = statistical(models.CharField(max_length=10, choices=Band.choices, blank=True))
    threshold = statistical(
        models.CharField(
            _("acceptable risk"), max_length=10, choices=Band.choices, default=Band.MEDIUM
        )
    )
    summary = EncryptedText(_("summary of the analysis"), key=STAFF, searchable=True)
    decider = EncryptedText(_("who decides to stop or suspend the work"), key=STAFF)

    class Meta:
        ordering = ["-analysed_on", "-created_at"]

    def __str__(self) -> str:
        return f"risk analysis {self.id}"


class Scenario(CaseRecord):
    analysis = statistical(
        models.ForeignKey(RiskAnalysis, on_delete=models.CASCADE, related_name="scenarios")
    )
    assessment = statistical(
        models.ForeignKey(
            ThreatAssessment,
            null=True,
            blank=True,
            on_delete=models.SET_NULL,
            related_name="scenarios",
        )
    )
    position = statistical(models.PositiveSmallIntegerField(default=0))
    threat = statistical(models.PositiveSmallIntegerField(_("threat")))
    likelihood = statistical(models.PositiveSmallIntegerField(_("likelihood")))
    impact = statistical(models.PositiveSmallIntegerField(_("impact")))
    index = statistical(models.FloatField(null=True))
    band = statistical(models.CharField(max_length=10, choices=Band.choices, blank=True))
    matrix_band = statistical(models.CharField(max_length=10, choices=Band.choices))
    title = EncryptedText(_("threat scenario"), key=STAFF, searchable=True)
    notes = EncryptedText(_("notes on the scenario"), key=STAFF, searchable=True)

    class Meta:
        ordering = ["position", "created_at"]

    def __str__(self) -> str:
        return f"scenario {self.id}"


class Component(CaseRecord):
    """A vulnerability or a capacity as it matters for one scenario."""

    scenario = statistical(
        models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="components")
    )
    code = statistical(models.CharField(_("component"), max_length=40))
    kind = statistical(models.CharField(max_length=14, choices=ComponentKind.choices))
    rating = statistical(models.PositiveSmallIntegerField(_("rating")))
    note = EncryptedText(_("note on the component"), key=STAFF, searchable=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scenario", "code"], name="one_rating_per_component")
        ]

    def __str__(self) -> str:
        return f"component {self.id}"


class CaseRisk(models.Model):
    """The case's current band (its newest analysis's worst scenario), in clear on the case."""

    case = statistical(models.OneToOneField(Case, on_delete=models.CASCADE, related_name="risk"))
    analysis = statistical(models.ForeignKey(RiskAnalysis, on_delete=models.CASCADE))
    band = statistical(models.CharField(max_length=10, choices=Band.choices, blank=True))
    threshold = statistical(models.CharField(max_length=10, choices=Band.choices))
    analysed_on = statistical(models.DateField())

    def __str__(self) -> str:
        return f"risk of case {self.case_id}"
