"""Security incidents (methodology.md §2): "any fact or event that you think could affect your
personal or organisational security".

In clear, for statistics and filters: the month (or only the year) it happened, the country and
region, its types, physical/digital, severity, who was affected, whether and how authorities
responded, and how far its handling has gone. Encrypted under the case's shared key (so the
defender reads their own incident log): the title, exact date and time, exact place, narrative,
consequences, the authorities' response in detail and the immediate reaction. Under the staff
key: the analysis, named actors and sources. An incident the defender's own account reported
keeps, under the shared key, what the defender wrote (``as_reported``) beside what staff made
of it, and is marked unreviewed until a staff member reviews it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import User
from protectdesk.records.fields import EncryptedJSON, EncryptedText, statistical
from protectdesk.records.models import SHARED, STAFF, CaseRecord


class DatePrecision(models.TextChoices):
    EXACT = "exact", _("Exact date")
    MONTH = "month", _("Month only")
    YEAR = "year", _("Year only")


class Nature(models.TextChoices):
    PHYSICAL = "physical", _("Physical")
    DIGITAL = "digital", _("Digital")
    BOTH = "both", _("Physical and digital")


class Step(models.TextChoices):
    """Handling: register → analyse → react (each visible on the incident)."""

    REGISTERED = "registered", _("Registered")
    ANALYSED = "analysed", _("Analysed")
    REACTED = "reacted", _("Reacted")


class Confidence(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    LIKELY = "likely", _("Likely")
    POSSIBLE = "possible", _("Possible")
    UNKNOWN = "unknown", _("Unknown")


class Stance(models.TextChoices):
    """Where an actor stands towards the defender's work (methodology.md §5)."""

    SUPPORTING = "supporting", _("Supporting")
    RESISTING = "resisting", _("Resisting")
    NEUTRAL = "neutral", _("Neutral")
    UNKNOWN = "unknown", _("Unknown")


class Actor(CaseRecord):
    """An actor of the case: a perpetrator, and any party of the case's actors map.

    The model stays in ``incidents`` (its label is bound into every envelope's associated data
    and stored in the audit log); the map that reads and edits its stance, influence and
    sub-units is the ``threats`` module's. Named under the staff key, and so are the interests
    the defender's work affects and the actor's resources. "Repeated perpetrator" compares actor
    ids, never names. ``parent``: the larger actor this one is a part of (a battalion of the
    army), never forming a loop (checked on every write).
    """

    actor_type = statistical(models.CharField(_("type"), max_length=40))
    created_by = statistical(
        models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    )
    stance = statistical(
        models.CharField(_("stance"), max_length=12, choices=Stance.choices, default=Stance.UNKNOWN)
    )
    influence = statistical(models.PositiveSmallIntegerField(_("influence"), null=True))
    parent = statistical(
        models.ForeignKey("self", null=True, on_delete=models.SET_NULL, related_name="units")
    )
    name = EncryptedText(_("name or description of the actor"), key=STAFF, searchable=True)
    notes = EncryptedText(_("notes on the actor"), key=STAFF, searchable=True)
    interests = EncryptedText(
        _("interests the defender's work affects"), key=STAFF, searchable=True
    )
    resources = EncryptedText(_("resources of the actor"), key=STAFF, searchable=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"actor {self.id}"


class Incident(CaseRecord):
    month = statistical(models.CharField(_("month"), max_length=7, blank=True))  # "YYYY-MM"
    year = statistical(models.PositiveSmallIntegerField(_("year")))
    date_precision = statistical(models.CharField(max_length=8, choices=DatePrecision.choices))
    country = statistical(models.CharField(_("country"), max_length=2))
    subdivision = statistical(models.CharField(_("region"), max_length=8, blank=True))
    types = statistical(models.JSONField(_("types"), default=list))
    nature = statistical(
        models.CharField(_("physical or digital"), max_length=10, choices=Nature.choices)
    )
    severity = statistical(models.PositiveSmallIntegerField(_("severity")))
    severity_by_hand = statistical(models.BooleanField(default=False))
    affected = statistical(models.JSONField(_("who was affected"), default=list))
    authority_response = statistical(
        models.CharField(_("reported to the authorities"), max_length=20, default="not_reported")
    )
    step = statistical(
        models.CharField(
            _("handling"), max_length=12, choices=Step.choices, default=Step.REGISTERED
        )
    )
    created_by = statistical(
        models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    )
    #: Reported by the defender's own account; until a staff member reviews it, the case page
    #: and the incident say so, and ``as_reported`` keeps what the defender wrote.
    reported_by_defender = statistical(models.BooleanField(default=False))
    reviewed_at = statistical(models.DateTimeField(null=True, blank=True))
    reviewed_by = statistical(
        models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    )
    title = EncryptedText(_("title"), key=SHARED, searchable=True)
    exact_date = EncryptedText(_("exact date"), key=SHARED)
    exact_time = EncryptedText(_("time"), key=SHARED)
    place = EncryptedText(_("exact place"), key=SHARED, searchable=True)
    narrative = EncryptedText(_("what happened"), key=SHARED, searchable=True)
    consequences = EncryptedText(_("harm and consequences"), key=SHARED, searchable=True)
    authority_details = EncryptedText(_("response of the authorities"), key=SHARED, searchable=True)
    reaction = EncryptedText(_("immediate reaction"), key=SHARED, searchable=True)
    analysis = EncryptedText(_("analysis"), key=STAFF, searchable=True)
    as_reported = EncryptedJSON(_("as the defender reported it"), key=SHARED)

    class Meta:
        ordering = ["-year", "-month", "-created_at"]
        indexes = [models.Index(fields=["case", "year", "month"], name="incident_case_month")]

    def __str__(self) -> str:
        return f"incident {self.id}"

    @property
    def when_label(self) -> str:
        return self.month or str(self.year)


class IncidentPerpetrator(CaseRecord):
    """An actor named as (possibly) behind an incident, with how sure the desk is."""

    incident = statistical(
        models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="perpetrators")
    )
    actor = statistical(
        models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="incidents")
    )
    confidence = statistical(
        models.CharField(
            _("attribution"), max_length=10, choices=Confidence.choices, default=Confidence.UNKNOWN
        )
    )
    possibly_false = statistical(
        models.BooleanField(
            _("the attribution may be false (a signature can be faked)"), default=False
        )
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "actor"], name="one_link_per_actor")
        ]

    def __str__(self) -> str:
        return f"perpetrator link {self.id}"


class IncidentSource(CaseRecord):
    """Where the information came from (HURIDOCS MT 19 / MT 42); who, under the staff key."""

    incident = statistical(
        models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="sources")
    )
    connection = statistical(models.CharField(_("connection to the information"), max_length=30))
    reliability = statistical(models.CharField(_("reliability"), max_length=30))
    description = EncryptedText(_("source"), key=STAFF)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"source {self.id}"
