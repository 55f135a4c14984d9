"""The defender a case protects, their consent, and links between defenders' cases.

The case itself (the compartment with its keys and members) lives on the floor below, in
:mod:`protectdesk.records.models`. In clear here: the defender's kind, country, region and
statistical bands, consent choices and dates. Encrypted: everything that identifies a person,
place or event (declared field by field with :mod:`protectdesk.records.fields`).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import Desk, User
from protectdesk.records.fields import EncryptedText, statistical
from protectdesk.records.models import SHARED, Case, CaseRecord


class CaseSequence(models.Model):
    """Per desk and year, the last case number used (locked while a reference is allocated)."""

    desk = models.ForeignKey(Desk, on_delete=models.CASCADE)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["desk", "year"], name="one_sequence_per_desk_year")
        ]

    def __str__(self) -> str:
        return f"sequence {self.year}"


class DefenderKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    ORGANISATION = "organisation", _("Organisation")
    NETWORK = "network", _("Network")
    COMMUNITY = "community", _("Community")


COLLECTIVE_KINDS = frozenset(
    {DefenderKind.ORGANISATION, DefenderKind.NETWORK, DefenderKind.COMMUNITY}
)


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non_binary", _("Non-binary or another gender identity")
    UNDISCLOSED = "undisclosed", _("Prefers not to say")


class AgeBand(models.TextChoices):
    UNDER_18 = "0-17", _("Under 18")
    AGE_18_29 = "18-29", _("18 to 29")
    AGE_30_44 = "30-44", _("30 to 44")
    AGE_45_59 = "45-59", _("45 to 59")
    AGE_60_PLUS = "60+", _("60 or older")
    UNKNOWN = "unknown", _("Unknown")


class SizeBand(models.TextChoices):
    UP_TO_10 = "1-10", _("Up to 10 people")
    UP_TO_50 = "11-50", _("11 to 50 people")
    UP_TO_250 = "51-250", _("51 to 250 people")
    UP_TO_1000 = "251-1000", _("251 to 1,000 people")
    OVER_1000 = "1000+", _("More than 1,000 people")
    UNKNOWN = "unknown", _("Unknown")


class Defender(CaseRecord):
    """The person or collective a case protects: one per case, created with it.

    Statistical attributes stay in clear for dashboards and anonymised statistics; everything
    that could identify them is encrypted under the case's shared key, so the defender's own
    account can read and co-edit their profile.
    """

    kind = statistical(models.CharField(_("kind"), max_length=16, choices=DefenderKind.choices))
    country = statistical(models.CharField(_("country"), max_length=2))
    subdivision = statistical(models.CharField(_("region"), max_length=8, blank=True))
    sectors = statistical(models.JSONField(_("sectors"), default=list))
    gender = statistical(
        models.CharField(_("gender"), max_length=16, choices=Gender.choices, blank=True)
    )
    age_band = statistical(
        models.CharField(_("age"), max_length=8, choices=AgeBand.choices, blank=True)
    )
    size_band = statistical(
        models.CharField(_("size"), max_length=10, choices=SizeBand.choices, blank=True)
    )
    name = EncryptedText(_("name"), key=SHARED, searchable=True)
    aliases = EncryptedText(_("other names or aliases"), key=SHARED, searchable=True)
    contacts = EncryptedText(_("contact details"), key=SHARED)
    location = EncryptedText(_("exact place or address"), key=SHARED, searchable=True)
    description = EncryptedText(_("description of their work"), key=SHARED, searchable=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case"], name="one_defender_per_case")]

    def __str__(self) -> str:
        return f"defender {self.id}"

    @property
    def is_collective(self) -> bool:
        return self.kind in COLLECTIVE_KINDS


class Consent(CaseRecord):
    """What the defender agreed to, dated. Every change is a new row; the latest is in force."""

    store_data = statistical(
        models.BooleanField(_("storing their information with the desk"), default=False)
    )
    share_with_partners = statistical(
        models.BooleanField(_("sharing with the partners named below"), default=False)
    )
    anonymised_statistics = statistical(
        models.BooleanField(_("use in anonymised statistics"), default=False)
    )
    advocacy_use = statistical(
        models.BooleanField(_("use in advocacy (with their agreement on each use)"), default=False)
    )
    given_on = statistical(models.DateField(_("date of consent")))
    recorded_by = statistical(
        models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    )
    partners = EncryptedText(_("named partners"), key=SHARED)
    notes = EncryptedText(_("notes on consent"), key=SHARED)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"consent {self.id}"


class DefenderLink(models.Model):
    """An individual's case linked to the case of their organisation, network or community.

    Only ids are stored; the other defender's name shows to those who can open that case.
    """

    member_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_out")
    collective_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_in")
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member_case", "collective_case"], name="one_link_per_pair"
            ),
            models.CheckConstraint(
                condition=~Q(member_case=models.F("collective_case")), name="no_self_link"
            ),
        ]

    def __str__(self) -> str:
        return f"defender link {self.pk}"
