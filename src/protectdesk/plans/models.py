"""Protection plans (methodology.md §6): one living plan per case, a new version at every review.

A :class:`PlanVersion` holds the objectives; its :class:`Measure`, :class:`Protocol` and
:class:`Contingency` rows belong to it. The **current** version is the newest (the highest
``number``): the one the desk and the defender work with (measures are marked done on it). A
review copies it into the next version, which becomes current; nothing writes to an earlier
version again — not even a "superseded" mark —, so it reads byte for byte as it was.

The plan is the defender's own: its content is under the case's **shared** key (the defender's
account reads it), except the staff's notes on the version (staff key). In clear: version
numbers and dates, review dates and the reason for an early review, each measure's strategy,
target (a scenario id or a component code), due date and status, the kinds of protocols and
contingency plans, and check-in times.

:class:`CheckIn`: an expected check-in created from a contingency plan's schedule; recorded by
the defender or a caseworker; a missed one raises the alarm on every member's home page.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import User
from protectdesk.records.fields import EncryptedText, statistical
from protectdesk.records.models import SHARED, STAFF, CaseRecord
from protectdesk.risk.models import Scenario


class EarlyReview(models.TextChoices):
    NONE = "", _("No")
    INCIDENT = "incident", _("A serious new incident")
    ESCALATION = "escalation", _("An escalation flag")


class PlanVersion(CaseRecord):
    number = statistical(models.PositiveIntegerField())
    started_on = statistical(models.DateField(_("date of the plan"), default=timezone.localdate))
    next_review = statistical(models.DateField(_("next review")))
    created_by = statistical(
        models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    )
    early_review = statistical(
        models.CharField(max_length=12, choices=EarlyReview.choices, blank=True, default="")
    )
    early_review_since = statistical(models.DateField(null=True))
    threats_to_reduce = EncryptedText(_("threats to reduce"), key=SHARED, searchable=True)
    vulnerabilities_to_reduce = EncryptedText(
        _("vulnerabilities to reduce"), key=SHARED, searchable=True
    )
    capacities_to_raise = EncryptedText(_("capacities to raise"), key=SHARED, searchable=True)
    staff_notes = EncryptedText(_("staff notes on the plan"), key=STAFF, searchable=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="one_plan_version_number"),
        ]

    def __str__(self) -> str:
        return f"plan version {self.id}"


class Strategy(models.TextChoices):
    ACCEPTANCE = "acceptance", _("Acceptance: build tolerance and support among actors")
    PROTECTION = "protection", _("Protection: practices and allies that shield the work")
    DETERRENCE = "deterrence", _("Deterrence: raise the cost of attacking")


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDER_WAY = "under_way", _("Under way")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class Measure(CaseRecord):
    version = statistical(
        models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="measures")
    )
    position = statistical(models.PositiveSmallIntegerField(default=0))
    strategy = statistical(models.CharField(_("strategy"), max_length=12, choices=Strategy.choices))
    target_scenario = statistical(
        # RESTRICT: a scenario a measure targets is not deleted on its own (risk refuses it
        # with a message), so no version of a plan is rewritten; a whole case still goes.
        models.ForeignKey(
            Scenario, null=True, blank=True, on_delete=models.RESTRICT, related_name="+"
        )
    )
    target_component = statistical(models.CharField(max_length=40, blank=True))
    builds_capacity = statistical(models.BooleanField(default=False))
    owner_is_defender = statistical(models.BooleanField(default=False))
    due = statistical(models.DateField(_("due date"), null=True, blank=True))
    status = statistical(
        models.CharField(
            _("status"), max_length=10, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
        )
    )
    #: A library guide that helps carry the measure out (public writing: a link, not content).
    #: PROTECT: a plan's history is not rewritten; the library refuses to delete it.
    resource = statistical(
        models.ForeignKey(
            "library.Resource", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
        )
    )
    description = EncryptedText(_("measure"), key=SHARED, searchable=True)
    owner = EncryptedText(_("who carries it out"), key=SHARED, searchable=True)
    cost = EncryptedText(_("cost"), key=SHARED)

    class Meta:
        ordering = ["position", "created_at"]

    def __str__(self) -> str:
        return f"measure {self.id}"


class Protocol(CaseRecord):
    version = statistical(
        models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="protocols")
    )
    kind = statistical(models.CharField(_("kind of protocol"), max_length=30))
    text = EncryptedText(_("protocol"), key=SHARED, searchable=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "kind"], name="one_protocol_of_a_kind")
        ]

    def __str__(self) -> str:
        return f"protocol {self.id}"


class Contingency(CaseRecord):
    version = statistical(
        models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="contingencies")
    )
    kind = statistical(models.CharField(_("kind of contingency"), max_length=30))
    checkin_every_hours = statistical(models.PositiveSmallIntegerField(null=True, blank=True))
    checkin_from = statistical(models.DateTimeField(null=True, blank=True))
    checkin_until = statistical(models.DateTimeField(null=True, blank=True))
    steps = EncryptedText(_("steps"), key=SHARED, searchable=True)
    who = EncryptedText(_("who does what"), key=SHARED, searchable=True)
    contacts = EncryptedText(_("emergency contacts"), key=SHARED)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "kind"], name="one_contingency_of_a_kind")
        ]

    def __str__(self) -> str:
        return f"contingency plan {self.id}"


class CheckIn(CaseRecord):
    """One expected check-in of a contingency plan's schedule (kept across reviews: ``kind``)."""

    kind = statistical(models.CharField(max_length=30))
    due_at = statistical(models.DateTimeField())
    done_at = statistical(models.DateTimeField(null=True, blank=True))
    done_by = statistical(
        models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    )
    note = EncryptedText(_("note of the check-in"), key=SHARED)

    class Meta:
        ordering = ["due_at"]
        indexes = [models.Index(fields=["case", "done_at", "due_at"], name="checkin_pending")]

    def __str__(self) -> str:
        return f"check-in {self.id}"
