"""Case forms. Identifying fields are plain form fields here; actions encrypt them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from protectdesk import vocabularies
from protectdesk.cases.actions import ConsentChoice, DefenderProfile
from protectdesk.cases.models import COLLECTIVE_KINDS, AgeBand, DefenderKind, Gender, SizeBand
from protectdesk.lib.forms import DayField, Form, private_text, set_choices
from protectdesk.lib.places import check_place, offer_places
from protectdesk.records.models import CaseStatus

_PRIVATE = {"autocomplete": "off", "spellcheck": "false"}


class DefenderForm(Form):
    """The defender's profile: statistical codes first, then what identifies them (encrypted).

    Without JavaScript the region list cannot follow the country as it changes; the form shows
    the regions of the chosen country and, if the country was changed, asks to pick again.
    """

    kind = forms.ChoiceField(
        label=_("Who is protected"),
        choices=DefenderKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _(
                "Choose who is protected: an individual, an organisation, a network or a community."
            )
        },
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=300,
        widget=forms.TextInput(attrs=_PRIVATE),
        help_text=_("Encrypted. Only members of this case can read it."),
        error_messages={
            "required": _(
                "Enter the name of the person, organisation, network or community protected."
            )
        },
    )
    aliases = private_text(_("Other names or aliases"), rows=2, max_length=2000)
    country = forms.ChoiceField(label=_("Country"))
    subdivision = forms.ChoiceField(
        label=_("Region"),
        required=False,
        help_text=_("First-level region (state, department, province)."),
    )
    location = private_text(
        _("Exact place or address"), rows=2, max_length=2000, help_text=_("Encrypted.")
    )
    contacts = private_text(
        _("Contact details"),
        rows=3,
        max_length=4000,
        help_text=_("Encrypted. Phone numbers, safe channels, trusted contacts."),
    )
    sectors = forms.MultipleChoiceField(
        label=_("Sectors of work"), required=False, widget=forms.CheckboxSelectMultiple
    )
    gender = forms.ChoiceField(
        label=_("Gender"),
        required=False,
        choices=[("", _("Not recorded")), *Gender.choices],
        help_text=_("For individuals."),
    )
    age_band = forms.ChoiceField(
        label=_("Age"),
        required=False,
        choices=[("", _("Not recorded")), *AgeBand.choices],
        help_text=_("For individuals."),
    )
    size_band = forms.ChoiceField(
        label=_("Size"),
        required=False,
        choices=[("", _("Not recorded")), *SizeBand.choices],
        help_text=_("For organisations, networks and communities."),
    )
    description = private_text(
        _("Description of their work"), rows=5, max_length=20000, help_text=_("Encrypted.")
    )

    def __init__(self, *args: Any, default_country: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_places(self, default_country)
        set_choices(self, "sectors", vocabularies.load("sectors").choices())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_place(self, data)
        kind = data.get("kind")
        if kind in COLLECTIVE_KINDS:
            data["gender"] = data["age_band"] = ""
        elif kind == DefenderKind.INDIVIDUAL:
            data["size_band"] = ""
        return data

    def profile(self) -> DefenderProfile:
        """The validated form as the case actions take it."""
        data = self.cleaned_data
        return DefenderProfile(
            kind=data["kind"],
            country=data["country"],
            subdivision=data.get("subdivision", ""),
            sectors=tuple(data.get("sectors", ())),
            gender=data.get("gender", ""),
            age_band=data.get("age_band", ""),
            size_band=data.get("size_band", ""),
            name=data["name"],
            aliases=data.get("aliases", ""),
            contacts=data.get("contacts", ""),
            location=data.get("location", ""),
            description=data.get("description", ""),
        )


class DefenderEditForm(DefenderForm):
    row_version = forms.IntegerField(widget=forms.HiddenInput)

    @staticmethod
    def initial_for(defender: Any) -> dict[str, Any]:
        """The form filled in from an opened defender record (and its row version)."""
        names = [*DefenderProfile.STATISTICAL, *DefenderProfile.IDENTIFYING, "sectors"]
        return {
            **{name: getattr(defender, name) for name in names},
            "row_version": defender.row_version,
        }


class StatusForm(Form):
    status = forms.ChoiceField(label=_("Status"), choices=CaseStatus.choices)


class StaffNotesForm(Form):
    staff_notes = private_text(
        _("Staff notes"),
        rows=6,
        max_length=50000,
        help_text=_(
            "Encrypted with the staff key: the defender's own account never sees these notes."
        ),
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput)


class AddMemberForm(Form):
    user = forms.ChoiceField(
        label=_("Add a colleague"),
        error_messages={"required": _("Choose a colleague from the list.")},
    )

    def __init__(self, *args: Any, candidates: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self, "user", [(str(u.pk), f"{u.label} · {u.get_role_display()}") for u in candidates]
        )


class ConsentForm(Form):
    store_data = forms.BooleanField(
        label=_("Storing their information with the desk"), required=False
    )
    share_with_partners = forms.BooleanField(
        label=_("Sharing with the partners named below"), required=False
    )
    partners = private_text(_("Named partners"), rows=2, max_length=2000, help_text=_("Encrypted."))
    anonymised_statistics = forms.BooleanField(
        label=_("Use in anonymised statistics"), required=False
    )
    advocacy_use = forms.BooleanField(
        label=_("Use in advocacy (with their agreement on each use)"), required=False
    )
    given_on = DayField(
        label=_("Date consent was given"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Enter the date consent was given.")},
    )
    notes = private_text(_("Notes (how it was given, limits)"), rows=2, max_length=5000)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("share_with_partners") and not (data.get("partners") or "").strip():
            self.add_error("partners", _("Name the partners the defender agreed to share with."))
        return data

    def choice(self) -> ConsentChoice:
        data = self.cleaned_data
        return ConsentChoice(
            store_data=data["store_data"],
            share_with_partners=data["share_with_partners"],
            anonymised_statistics=data["anonymised_statistics"],
            advocacy_use=data["advocacy_use"],
            given_on=data["given_on"],
            partners=data["partners"],
            notes=data["notes"],
        )


class LinkForm(Form):
    collective = forms.ChoiceField(
        label=_("Organisation, network or community"),
        error_messages={"required": _("Choose a case from the list.")},
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "collective", choices)


class OwnProfileForm(Form):
    """The defender's own profile: only the fields the desk allows (``Desk.defender_editable``)."""

    row_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, editable: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in editable:
            self.fields[name] = DefenderForm.base_fields[name]
        self.order_fields([*DefenderProfile.IDENTIFYING, "row_version"])

    def values(self) -> dict[str, str]:
        return {
            name: str(self.cleaned_data.get(name) or "")
            for name in self.fields
            if name != "row_version"
        }
