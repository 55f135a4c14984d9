"""The observatory of national protection policies (methodology.md §8).

Per country, the instruments a State adopted to protect defenders — laws, decrees, public
policies, protection mechanisms, court decisions — each assessed, as often as the desk
reviews it, against the criteria of ``vocabularies/policy_criteria.yaml``: a score from 0
(absent) to 4 (fully met) and the reasoning behind it. Assessments are kept, not overwritten,
so the history shows whether a policy improves.

**Public information, in clear.** What a State has enacted, and a desk's published judgement
of it, identify no defender: the observatory holds no case data, (a rationale must never name a
defender: the form says so). Each desk keeps its own observatory.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import Desk, User

#: Scores run from 0 (absent) to 4 (fully met).
LOWEST, HIGHEST = 0, 4


class InstrumentKind(models.TextChoices):
    LAW = "law", _("Law")
    DECREE = "decree", _("Decree")
    POLICY = "policy", _("Public policy")
    MECHANISM = "mechanism", _("Protection mechanism")
    COURT = "court_decision", _("Court decision")


class InstrumentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    IN_FORCE = "in_force", _("In force")
    SUSPENDED = "suspended", _("Suspended")
    REPEALED = "repealed", _("Repealed")


class Instrument(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="+")
    country = models.CharField(_("country"), max_length=2)
    kind = models.CharField(_("kind"), max_length=16, choices=InstrumentKind.choices)
    title = models.CharField(_("title"), max_length=300)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InstrumentStatus.choices,
        default=InstrumentStatus.IN_FORCE,
    )
    summary = models.TextField(_("summary"), blank=True)
    #: Where the text can be read (the official gazette, the court's site).
    document = models.URLField(_("document"), blank=True, max_length=500)
    row_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["country", "-adopted_on", "title"]

    def __str__(self) -> str:
        return f"instrument {self.id}"


class Assessment(models.Model):
    """One review of an instrument against every criterion (kept; a new review adds one)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField(_("assessed on"), default=timezone.localdate)
    assessed_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-assessed_on", "-created_at"]

    def __str__(self) -> str:
        return f"assessment {self.id}"


class Score(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.CharField(max_length=40)
    score = models.PositiveSmallIntegerField()
    rationale = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="one_score_per_criterion"
            ),
            models.CheckConstraint(
                condition=models.Q(score__lte=HIGHEST), name="score_on_the_scale"
            ),
        ]

    def __str__(self) -> str:
        return f"score {self.pk}"
