"""Partner organisations, their contact people, and referrals of a defender to them.

**The partner directory is a compartment of the desk.** A partner's staff can be at risk too:
the lawyer who takes criminalised land defenders, the doctor who documents torture, the
network that relocates people. Their names and channels must not be readable from a seized
server. So the directory is encrypted as a case is, by the same machinery: one
:class:`~protectdesk.records.models.Case` of kind ``directory`` per desk, with its own keys,
sealed to the desk's coordinators and caseworkers who are its members and to the recovery key.
Its records (:class:`Partner`, :class:`PartnerContact`) are case records of that compartment,
so rotation, recovery, backups, the damaged-record check and the canary scan cover them. The
first staff member to open the directory creates it and seals it to every colleague who can
hold it; a colleague who joins later is given it by any member, with their own keys (the
server alone cannot). A member whose role leaves the case roles, or whose account is
deactivated, is dismissed from it.

In clear: which services a partner offers and which countries it covers (for finding one),
and whether it is active. Encrypted: its name, description and every contact.

**A referral** is a record of the defender's case: the service and its status and dates in
clear (for the dashboard and statistics), the partner it goes to and the outcome encrypted
under the case's **staff** key. The partner is named in the case by its id, padded: the
database does not tie a case to a partner.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import User
from protectdesk.records.fields import EncryptedText, statistical
from protectdesk.records.models import SHARED, STAFF, CaseRecord


class Partner(CaseRecord):
    name = EncryptedText(_("name"), key=SHARED, pad_to=128)
    description = EncryptedText(_("what they do and how to ask"), key=SHARED)
    #: Codes of vocabularies/partner_services.yaml.
    services = statistical(models.JSONField(_("services"), default=list))
    #: ISO 3166-1 alpha-2 codes of the countries it works in.
    countries = statistical(models.JSONField(_("countries"), default=list))
    active = statistical(models.BooleanField(_("active"), default=True))
    created_by = statistical(
        models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    )

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"partner {self.id}"


class PartnerContact(CaseRecord):
    partner = statistical(
        models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    )
    name = EncryptedText(_("name"), key=SHARED)
    role = EncryptedText(_("role"), key=SHARED)
    channels = EncryptedText(_("how to reach them safely"), key=SHARED)
    notes = EncryptedText(_("notes"), key=SHARED)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"partner contact {self.id}"


class ReferralStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined by the partner")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (ReferralStatus.REQUESTED, ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS)


class Referral(CaseRecord):
    """A defender referred to a partner for a service (a record of the defender's case)."""

    service = statistical(models.CharField(_("service"), max_length=40))
    referred_on = statistical(models.DateField(_("referred on")))
    status = statistical(
        models.CharField(
            _("status"),
            max_length=16,
            choices=ReferralStatus.choices,
            default=ReferralStatus.REQUESTED,
        )
    )
    follow_up_on = statistical(models.DateField(_("follow up on"), null=True, blank=True))
    #: The partner's id in the desk's directory, encrypted and padded (see the module).
    partner_ref = EncryptedText(_("partner"), key=STAFF, pad_to=64)
    outcome = EncryptedText(_("outcome"), key=STAFF)
    created_by = statistical(
        models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    )

    class Meta:
        ordering = ["-referred_on", "-created_at"]

    def __str__(self) -> str:
        return f"referral {self.id}"
