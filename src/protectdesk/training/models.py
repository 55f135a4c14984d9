"""Capacity building (methodology.md §8): workshops, their participants, pre/post
self-assessments and coaching follow-ups.

**A workshop is a compartment.** Who took part in a security workshop is as dangerous to leak
as a case file: a list of names, phone numbers and organisations of defenders who met to talk
about their security. So each workshop gets what a case gets, by the same machinery: a
:class:`~protectdesk.records.models.Case` row of kind ``workshop`` with its own keys, sealed to
its trainers (members) and to the desk's recovery key. Every record below is a
:class:`~protectdesk.records.models.CaseRecord` of that compartment, so sealing, the version
check, rotation, recovery, backups, the damaged-record check and the canary scan apply to it
unchanged. Everything is under the compartment's **shared** key (all its members are trainers
with both keys; there is no defender account in a workshop).

In clear, for reports and the analytics to come: dates, country and region, the curriculum
module codes, the questionnaire code, and each participant's gender, age band, sector and kind
of defender (the anonymous counts). Encrypted: the topic, the venue, methods, every name and
contact, the link to a defender's case, the answers and the coaching notes.

**A participant linked to a defender's case** stores the case's id *encrypted* (the server
cannot tell which defender attended which workshop): padded so a linked and a named
participant store the same lengths, with no clear field copied from the defender's profile,
and no write to the workshop when a coaching action becomes a measure of that case's plan.
Trainers see the case reference; only members of that case see the defender's name, opened
with their own keys of the case.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import Desk, User
from protectdesk.library.models import Resource
from protectdesk.records.fields import EncryptedJSON, EncryptedText, statistical
from protectdesk.records.models import SHARED, CaseRecord


class WorkshopSequence(models.Model):
    """Per desk and year, the last workshop number used (locked while one is allocated)."""

    desk = models.ForeignKey(Desk, on_delete=models.CASCADE)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["desk", "year"], name="one_workshop_sequence_per_desk_year"
            )
        ]

    def __str__(self) -> str:
        return f"workshop sequence {self.year}"


class Workshop(CaseRecord):
    """One workshop: the record that describes its compartment (one per compartment)."""

    topic = EncryptedText(_("topic"), key=SHARED)
    starts_on = statistical(models.DateField(_("first day")))
    ends_on = statistical(models.DateField(_("last day")))
    country = statistical(models.CharField(_("country"), max_length=2))
    subdivision = statistical(models.CharField(_("region"), max_length=10, blank=True))
    venue = EncryptedText(_("venue"), key=SHARED)
    #: Codes of vocabularies/curriculum_modules.yaml, in the order the workshop takes them.
    modules = statistical(models.JSONField(_("curriculum modules"), default=list))
    methods = EncryptedText(_("methods and materials"), key=SHARED)
    #: The pre/post questionnaire's code (a shipped one or the desk's own).
    questionnaire = statistical(models.CharField(_("self-assessment"), max_length=60))
    created_by = statistical(
        models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    )

    class Meta:
        ordering = ["-starts_on", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["case"], name="one_workshop_per_compartment"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="workshop_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"workshop {self.id}"


class Material(models.Model):
    """A library resource the workshop uses, for one of its modules (or for all: ``""``).

    Public library items and curriculum codes only, so in clear. A resource in use cannot be
    deleted from the library (PROTECT), as for plan measures."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="materials")
    module = models.CharField(max_length=40, blank=True)
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "module", "resource"], name="one_material_per_module"
            )
        ]

    def __str__(self) -> str:
        return f"material {self.pk}"


class Participant(CaseRecord):
    """Someone who took part: a defender with a case (``linked_case``, encrypted) or a person
    recorded for the workshop only (name and contacts, encrypted)."""

    workshop = statistical(
        models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="participants")
    )
    #: Empty for a linked participant: padded so that it stores the same length either way.
    name = EncryptedText(_("name"), key=SHARED, pad_to=256)
    organisation = EncryptedText(_("organisation or community"), key=SHARED)
    contacts = EncryptedText(_("how to reach them safely"), key=SHARED)
    #: The id of a defender's case of the desk, or empty (the same stored length either way).
    linked_case = EncryptedText(_("defender's case"), key=SHARED, pad_to=64)
    gender = statistical(models.CharField(_("gender"), max_length=16, blank=True))
    age_band = statistical(models.CharField(_("age band"), max_length=8, blank=True))
    sector = statistical(models.CharField(_("sector"), max_length=40, blank=True))
    defender_kind = statistical(models.CharField(_("kind of defender"), max_length=16, blank=True))
    #: They agreed to be counted (by gender and sector, never by name) in the desk's anonymised
    #: statistics; for a defender with a case, their case's consent must say so too.
    counted = statistical(models.BooleanField(_("counted in anonymised statistics"), default=False))

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"participant {self.id}"


class Phase(models.TextChoices):
    PRE = "pre", _("Before the workshop")
    POST = "post", _("After the workshop")


class SelfAssessment(CaseRecord):
    """One participant's answers to the workshop's questionnaire, before or after."""

    participant = statistical(
        models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="assessments")
    )
    phase = statistical(models.CharField(_("when"), max_length=4, choices=Phase.choices))
    filled_on = statistical(models.DateField(_("filled on"), default=timezone.localdate))
    #: {question code: score}, encrypted: how safe a named person feels is theirs to tell.
    answers = EncryptedJSON(_("answers"), key=SHARED)
    comments = EncryptedText(_("comments"), key=SHARED)

    class Meta:
        ordering = ["participant", "phase"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "phase"], name="one_assessment_per_phase"
            )
        ]

    def __str__(self) -> str:
        return f"self-assessment {self.id}"


class CoachingSession(CaseRecord):
    """A follow-up with one participant after the workshop: notes and agreed actions."""

    participant = statistical(
        models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="coaching")
    )
    held_on = statistical(models.DateField(_("date of the session")))
    next_on = statistical(models.DateField(_("next follow-up"), null=True, blank=True))
    notes = EncryptedText(_("notes"), key=SHARED)
    #: [{"text": …}]. Whether an action became a measure is read from the defender's plan.
    actions = EncryptedJSON(_("agreed actions"), key=SHARED)
    created_by = statistical(
        models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    )

    class Meta:
        ordering = ["-held_on", "-created_at"]

    def __str__(self) -> str:
        return f"coaching session {self.id}"


class DeskQuestionnaire(models.Model):
    """A desk's own pre/post questionnaire, in the shipped files' format (validated on upload
    and again on every load by ``training.questionnaires.validate``). Statements to rate, no
    one's data: in clear."""

    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=60)
    definition = models.JSONField()
    added_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["desk", "code"], name="one_questionnaire_code_per_desk")
        ]

    def __str__(self) -> str:
        return f"questionnaire {self.code}"
