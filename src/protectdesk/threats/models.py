"""Threat assessment, the actors map's relations, and the case's escalation flags.

methodology.md §3 and §5. An assessment answers, in five steps and in this order: what
happened (facts, linked incidents), is there a pattern, what does the threat seek, who is
behind it (only once the first three are answered), and will it be carried out. Everything
written is under the case's **staff** key: the defender's own account sees no assessment. In
clear, for the coordinator's view and statistics: how far the steps have gone, the objective's
code, the attribution confidence, the likelihood and the kind of threat, and which incidents and
actor (by id) it concerns.

Every save of an assessment also appends an :class:`AssessmentVersion`: the whole assessment as
it then stood, sealed as one JSON value under the staff key, so "history kept" means any earlier
version can be read as it was, not only that it existed.

:class:`Escalation` is not a case record: it holds only counts, codes, ids and a month, derived
from the case's incidents and assessments each time one is saved (``threats.escalation``), in
clear on purpose so coordinators see which cases need attention without opening them.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import User
from protectdesk.incidents.models import Actor, Confidence, Incident
from protectdesk.records.fields import EncryptedJSON, EncryptedText, statistical
from protectdesk.records.models import STAFF, Case, CaseRecord


class RelationKind(models.TextChoices):
    ALLY_OF = "ally_of", _("is an ally of")
    COMMANDS = "commands", _("commands")
    FUNDS = "funds", _("funds")
    PRESSURES = "pressures", _("pressures")


#: How a relation reads from its target's side ("the battalion is *commanded by* the army").
INCOMING = {
    RelationKind.ALLY_OF: _("is an ally of"),
    RelationKind.COMMANDS: _("is commanded by"),
    RelationKind.FUNDS: _("is funded by"),
    RelationKind.PRESSURES: _("is pressured by"),
}


class ActorRelation(CaseRecord):
    """``source`` *kind* ``target``: the 7th battalion *is commanded by*… (always one way)."""

    source = statistical(
        models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="relations_from")
    )
    target = statistical(
        models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="relations_to")
    )
    kind = statistical(models.CharField(_("relation"), max_length=12, choices=RelationKind.choices))
    created_by = statistical(
        models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    )
    notes = EncryptedText(_("notes on the relation"), key=STAFF, searchable=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "kind"], name="one_relation_of_a_kind"
            )
        ]

    def __str__(self) -> str:
        return f"actor relation {self.id}"


class ThreatKind(models.TextChoices):
    """Declared (the threat was made, received) or possible (others like them were targeted)."""

    DECLARED = "declared", _("Declared: the threat was made to them")
    POSSIBLE = "possible", _("Possible: people like them have been targeted")


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("We do not know")


class ThreatAssessment(CaseRecord):
    """One threat, assessed in five steps (``steps_done``: how many, in order, are answered)."""

    created_by = statistical(
        models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    )
    steps_done = statistical(models.PositiveSmallIntegerField(default=0))
    incidents: models.ManyToManyField[Incident, Any] = statistical(
        models.ManyToManyField(Incident, related_name="assessments")
    )
    # step 3
    objective = statistical(models.CharField(_("objective"), max_length=20, blank=True))
    # step 4
    source_actor = statistical(
        models.ForeignKey(
            Actor, null=True, blank=True, on_delete=models.SET_NULL, related_name="assessments"
        )
    )
    attribution = statistical(
        models.CharField(_("attribution"), max_length=10, choices=Confidence.choices, blank=True)
    )
    possibly_false = statistical(models.BooleanField(default=False))
    # step 5
    threat_kind = statistical(
        models.CharField(_("kind of threat"), max_length=10, choices=ThreatKind.choices, blank=True)
    )
    intent = statistical(models.CharField(max_length=8, choices=Answer.choices, blank=True))
    capacity = statistical(models.CharField(max_length=8, choices=Answer.choices, blank=True))
    likelihood = statistical(models.PositiveSmallIntegerField(_("likelihood"), null=True))
    concluded_on = statistical(models.DateField(null=True))

    title = EncryptedText(_("title of the assessment"), key=STAFF, searchable=True)
    facts = EncryptedText(_("facts"), key=STAFF, searchable=True)
    pattern = EncryptedText(_("pattern"), key=STAFF, searchable=True)
    objective_other = EncryptedText(_("other objective"), key=STAFF, searchable=True)
    objective_notes = EncryptedText(_("how the objective was traced"), key=STAFF, searchable=True)
    source_notes = EncryptedText(_("who is behind it"), key=STAFF, searchable=True)
    declared = EncryptedText(_("what was declared"), key=STAFF, searchable=True)
    capacity_intent = EncryptedText(_("intent and capacity"), key=STAFF, searchable=True)
    rationale = EncryptedText(_("rationale"), key=STAFF, searchable=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"threat assessment {self.id}"


class AssessmentVersion(CaseRecord):
    """An assessment as it stood after one save (``number`` = its row version then)."""

    assessment = statistical(
        models.ForeignKey(ThreatAssessment, on_delete=models.CASCADE, related_name="versions")
    )
    number = statistical(models.PositiveIntegerField())
    step = statistical(models.PositiveSmallIntegerField())  # the step that was saved
    saved_by = statistical(
        models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    )
    saved_at = statistical(models.DateTimeField(default=timezone.now))
    snapshot = EncryptedJSON(_("the assessment as it stood"), key=STAFF)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="one_version_number")
        ]

    def __str__(self) -> str:
        return f"assessment version {self.id}"


class Escalation(models.Model):
    """The case's escalation flags as last computed: codes, counts, ids — never content."""

    case = statistical(
        models.OneToOneField(Case, on_delete=models.CASCADE, related_name="escalation")
    )
    flags = statistical(models.JSONField(default=list))
    latest_month = statistical(models.CharField(max_length=7, blank=True))  # "YYYY-MM"
    gravity = statistical(models.PositiveSmallIntegerField(default=0))
    computed_on = statistical(models.DateField())

    class Meta:
        indexes = [models.Index(fields=["latest_month", "gravity"], name="escalation_order")]

    def __str__(self) -> str:
        return f"escalation of case {self.case_id}"
