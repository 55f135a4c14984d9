"""Partner, contact and referral forms, in the shared error pattern (``lib.forms.Form``)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from protectdesk import vocabularies
from protectdesk.lib.forms import (
    PRIVATE_INPUT,
    DayField,
    Form,
    PlannedDayField,
    check_order,
    private_text,
    set_choices,
)
from protectdesk.partners import actions
from protectdesk.partners.models import ReferralStatus


class PartnerForm(Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the organisation"),
        max_length=200,
        widget=forms.TextInput(attrs=PRIVATE_INPUT),
        help_text=gettext_lazy("Encrypted, like everything about a partner but its services."),
        error_messages={"required": gettext_lazy("Enter the partner's name.")},
    )
    services = forms.MultipleChoiceField(
        label=gettext_lazy("Services they offer"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one service they offer.")},
    )
    countries = forms.MultipleChoiceField(
        label=gettext_lazy("Countries they work in"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    description = private_text(
        gettext_lazy("What they do and how to ask"),
        rows=4,
        help_text=gettext_lazy("Encrypted. Conditions, delays, what to send them."),
    )
    active = forms.BooleanField(label=gettext_lazy("Active"), required=False, initial=True)
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "services", vocabularies.load("partner_services").choices())
        set_choices(self, "countries", vocabularies.country_choices())

    def to_data(self) -> actions.PartnerData:
        data = self.cleaned_data
        return actions.PartnerData(
            name=data["name"],
            services=tuple(data["services"]),
            countries=tuple(data["countries"]),
            description=data["description"],
            active=bool(data["active"]),
        )


class ContactForm(Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=200,
        widget=forms.TextInput(attrs=PRIVATE_INPUT),
        help_text=gettext_lazy("Encrypted: a partner's staff can be at risk too."),
        error_messages={"required": gettext_lazy("Enter the contact person's name.")},
    )
    role = forms.CharField(
        label=gettext_lazy("Role"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs=PRIVATE_INPUT),
    )
    channels = private_text(
        gettext_lazy("How to reach them safely"),
        rows=3,
        max_length=2000,
        help_text=gettext_lazy("Encrypted. Phone, secure messenger, hours."),
    )
    notes = private_text(gettext_lazy("Notes"), rows=3, max_length=4000)
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def to_data(self) -> actions.ContactData:
        data = self.cleaned_data
        return actions.ContactData(data["name"], data["role"], data["channels"], data["notes"])


class ReferralForm(Form):
    partner = forms.ChoiceField(
        label=gettext_lazy("Partner"),
        error_messages={
            "required": gettext_lazy("Choose the partner the defender is referred to.")
        },
    )
    service = forms.ChoiceField(
        label=gettext_lazy("Service"),
        error_messages={"required": gettext_lazy("Choose the service asked for.")},
    )
    referred_on = DayField(label=gettext_lazy("Referred on"))
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=ReferralStatus.choices)
    follow_up_on = PlannedDayField(
        label=gettext_lazy("Follow up on"),
        required=False,
        help_text=gettext_lazy("The day to ask the partner or the defender how it went."),
    )
    outcome = private_text(
        gettext_lazy("Outcome"),
        rows=3,
        help_text=gettext_lazy("Encrypted, for the case's staff only."),
    )
    add_measure = forms.BooleanField(
        label=gettext_lazy("Also add it to the protection plan as a measure"), required=False
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, partners: list[tuple[str, str]], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("referred_on", timezone.localdate().isoformat())
        super().__init__(*args, **kwargs)
        set_choices(self, "partner", [("", _("Choose…")), *partners])
        set_choices(
            self,
            "service",
            [("", _("Choose…")), *vocabularies.load("partner_services").choices()],
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_order(
            self,
            data,
            "referred_on",
            "follow_up_on",
            _("The follow-up date is before the referral: enter a day on or after %(day)s."),
        )
        return data

    def to_data(self) -> actions.ReferralData:
        data = self.cleaned_data
        return actions.ReferralData(
            partner_id=uuid.UUID(data["partner"]),
            service=data["service"],
            referred_on=data["referred_on"],
            status=data["status"],
            follow_up_on=data.get("follow_up_on"),
            outcome=data["outcome"],
        )
