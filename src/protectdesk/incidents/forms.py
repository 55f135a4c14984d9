"""Incident forms. Everything works without JavaScript: perpetrators and sources are formsets
with a few blank rows; the date is one field whose precision follows what was typed."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from typing import Any

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from protectdesk import vocabularies
from protectdesk.incidents.actions import (
    DefenderReport,
    IncidentData,
    PerpetratorEntry,
    SourceEntry,
    When,
)
from protectdesk.incidents.models import Confidence, Nature
from protectdesk.lib.forms import (
    SEARCH_TOO_LONG,
    Form,
    check_day,
    check_past_day,
    parse_day,
    private_text,
    set_choices,
)
from protectdesk.lib.places import check_place, offer_places

_PRIVATE = {"autocomplete": "off", "spellcheck": "false"}
_DATE_HELP = _(
    "Write the date as YYYY-MM-DD (or DD/MM/YYYY), or YYYY-MM if you know only the month, or YYYY."
)


_NO_FORMAT = _(
    "This does not match any accepted format. Write the date as YYYY-MM-DD or DD/MM/YYYY, as "
    "YYYY-MM or MM/YYYY if you know only the month, or as YYYY if you know only the year."
)


def parse_when(value: str) -> When:
    """Read a date of any known precision; ValidationError saying what is wrong otherwise:
    the day or month does not exist, the date is in the future, or no format matches."""
    text = value.strip()
    day = parse_day(text)
    if day is not None:
        check_past_day(day)
        iso = day.isoformat()
        return When("exact", day.year, iso[:7], iso)
    year_month = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
    month_year = re.fullmatch(r"(\d{1,2})/(\d{4})", text)
    if year_month or month_year:
        year, month = (
            (int(year_month[1]), int(year_month[2]))
            if year_month
            else (int(month_year[2]), int(month_year[1]))  # type: ignore[index]
        )
        check_past_day(check_day(year, month, 1))
        return When("month", year, f"{year:04d}-{month:02d}")
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        check_past_day(check_day(year, 1, 1))
        return When("year", year)
    raise forms.ValidationError(_NO_FORMAT, code="invalid")


class IncidentForm(Form):
    title = forms.CharField(
        label=_("Short title"),
        max_length=300,
        widget=forms.TextInput(attrs=_PRIVATE),
        help_text=_("Encrypted. For example: car parked outside the office for three nights."),
        error_messages={"required": _("Give the incident a short title.")},
    )
    # No max_length: a date that long is in no format, and parse_when says so.
    when = forms.CharField(
        label=_("When it happened"),
        help_text=_DATE_HELP,
        error_messages={"required": _("Enter when it happened: a date, a month or a year.")},
    )
    exact_time = forms.TimeField(
        label=_("Time (if known)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    country = forms.ChoiceField(label=_("Country"))
    subdivision = forms.ChoiceField(label=_("Region"), required=False)
    place = private_text(_("Exact place"), rows=2, max_length=2000, help_text=_("Encrypted."))
    types = forms.MultipleChoiceField(
        label=_("What kind of incident"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one kind of incident.")},
    )
    nature = forms.ChoiceField(
        label=_("Physical or digital"),
        choices=Nature.choices,
        initial=Nature.PHYSICAL,
        widget=forms.RadioSelect,
    )
    narrative = private_text(
        _("What happened"),
        rows=8,
        max_length=50000,
        required=True,
        help_text=_("Encrypted. The facts as reported: who, what, where, when, how."),
        error_messages={"required": _("Describe what happened: the facts as reported.")},
    )
    consequences = private_text(_("Harm and consequences"), rows=3, max_length=20000)
    affected = forms.MultipleChoiceField(
        label=_("Who was affected"), required=False, widget=forms.CheckboxSelectMultiple
    )
    authority_response = forms.ChoiceField(
        label=_("Reported to the authorities?"),
        error_messages={
            "required": _("Choose whether it was reported to the authorities (or “Unknown”).")
        },
    )
    authority_details = private_text(_("Their response in detail"), rows=2, max_length=20000)
    reaction = private_text(
        _("Immediate reaction"),
        rows=3,
        max_length=20000,
        help_text=_("What was done right away (step 3: react)."),
    )
    analysis = private_text(
        _("Analysis"),
        rows=4,
        max_length=50000,
        help_text=_(
            "Staff only (step 2: analyse): is it a threat, part of a pattern, what does it seek?"
        ),
    )
    severity = forms.TypedChoiceField(
        label=_("Severity"), required=False, coerce=int, empty_value=None
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    # The order of the page (the error summary lists problems in this order).
    field_order = [
        *("title", "when", "exact_time", "country", "subdivision", "place", "types", "nature"),
        *("narrative", "consequences", "affected", "authority_response", "authority_details"),
        *("severity", "analysis", "reaction"),
    ]

    def __init__(self, *args: Any, default_country: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_places(self, default_country)
        set_choices(self, "types", vocabularies.load("incident_types").choices())
        set_choices(self, "affected", vocabularies.load("affected").choices())
        set_choices(self, "authority_response", vocabularies.load("authority_responses").choices())
        set_choices(
            self,
            "severity",
            [
                ("", _("From the incident types")),
                *[(str(n), label) for n, label in SEVERITY_LABELS.items()],
            ],
        )

    def clean_when(self) -> When:
        return parse_when(str(self.cleaned_data.get("when") or ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_place(self, data)
        return data


SEVERITY_LABELS = {
    1: _("1 · low"),
    2: _("2 · moderate"),
    3: _("3 · serious"),
    4: _("4 · high"),
    5: _("5 · critical"),
}


def incident_data(
    form: IncidentForm, perpetrators: Iterable[PerpetratorForm], sources: Iterable[SourceForm]
) -> IncidentData:
    """What the three validated parts of the incident form say, as the actions take it."""
    data = form.cleaned_data
    return IncidentData(
        when=data["when"],
        country=data["country"],
        subdivision=data["subdivision"],
        title=data["title"],
        narrative=data["narrative"],
        types=tuple(data["types"]),
        nature=data["nature"],
        exact_time=data["exact_time"].strftime("%H:%M") if data["exact_time"] else "",
        place=data["place"],
        consequences=data["consequences"],
        affected=tuple(data["affected"]),
        authority_response=data["authority_response"],
        authority_details=data["authority_details"],
        reaction=data["reaction"],
        analysis=data["analysis"],
        severity=data["severity"],
        perpetrators=tuple(f.entry() for f in perpetrators if f.cleaned_data and not f.is_blank()),
        sources=tuple(f.entry() for f in sources if f.cleaned_data and not f.is_blank()),
    )


class PerpetratorForm(Form):
    actor = forms.ChoiceField(label=_("Who"), required=False)
    new_type = forms.ChoiceField(label=_("Type of a new actor"), required=False)
    new_name = forms.CharField(
        label=_("Name or description of a new actor"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs=_PRIVATE),
        help_text=_(
            "Staff only, encrypted. Name the part of a complex actor (a unit, not 'the government')."
        ),
    )
    confidence = forms.ChoiceField(
        label=_("Attribution"), choices=Confidence.choices, required=False
    )
    possibly_false = forms.BooleanField(
        label=_("The attribution may be false (a signature can be faked)"), required=False
    )

    def __init__(
        self, *args: Any, actors: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self,
            "actor",
            [("", _("—")), *(actors or []), ("new", _("A new actor (fill in below)"))],
        )
        set_choices(
            self, "new_type", [("", _("—")), *vocabularies.load("perpetrator_types").choices()]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["confidence"] = data.get("confidence") or Confidence.UNKNOWN
        if data.get("actor") == "new":
            if not data.get("new_type"):
                self.add_error("new_type", _("Choose the type of the new actor."))
            if not (data.get("new_name") or "").strip():
                self.add_error(
                    "new_name",
                    _("Describe the new actor, even roughly (e.g. 'two men on a motorbike')."),
                )
        return data

    def is_blank(self) -> bool:
        return not self.cleaned_data.get("actor")

    def entry(self) -> PerpetratorEntry:
        data = self.cleaned_data
        return PerpetratorEntry(
            actor_id=None if data["actor"] == "new" else uuid.UUID(data["actor"]),
            new_actor_type=data.get("new_type", ""),
            new_actor_name=data.get("new_name", ""),
            confidence=data["confidence"],
            possibly_false=data["possibly_false"],
        )

    @staticmethod
    def initial_for(perpetrator: Any) -> dict[str, Any]:
        return {
            "actor": str(perpetrator.actor_id),
            "confidence": perpetrator.confidence,
            "possibly_false": perpetrator.possibly_false,
        }


class SourceForm(Form):
    connection = forms.ChoiceField(label=_("Connection to the information"), required=False)
    reliability = forms.ChoiceField(label=_("Reliability"), required=False)
    description = private_text(_("Who or what (staff only, encrypted)"), rows=2, max_length=5000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self, "connection", [("", _("—")), *vocabularies.load("source_connections").choices()]
        )
        set_choices(
            self, "reliability", [("", _("—")), *vocabularies.load("source_reliability").choices()]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("connection") or data.get("description")) and not data.get("reliability"):
            self.add_error("reliability", _("Say how reliable this source is (or 'Unknown')."))
        if (data.get("reliability") or data.get("description")) and not data.get("connection"):
            self.add_error(
                "connection",
                _("Say how this source is connected to the information (or 'Unknown')."),
            )
        return data

    def is_blank(self) -> bool:
        return not self.cleaned_data.get("connection")

    def entry(self) -> SourceEntry:
        data = self.cleaned_data
        return SourceEntry(data["connection"], data["reliability"], data["description"])

    @staticmethod
    def initial_for(source: Any, description: str) -> dict[str, Any]:
        return {
            "connection": source.connection,
            "reliability": source.reliability,
            "description": description,
        }


# BaseFormSet is generic in the type stubs only; at run time it cannot be subscripted.
class PerpetratorRows(BaseFormSet):  # type: ignore[type-arg]
    row_label = _("Actor %(n)s")  # how the error summary names a row (as the form does)


class SourceRows(BaseFormSet):  # type: ignore[type-arg]
    row_label = _("Source %(n)s")


#: The incident form's repeatable parts: two empty perpetrator rows and one source row to fill
#: without JavaScript (saving shows fresh empty rows again).
PerpetratorFormSet = formset_factory(
    PerpetratorForm, formset=PerpetratorRows, extra=2, max_num=20, validate_max=True
)
SourceFormSet = formset_factory(
    SourceForm, formset=SourceRows, extra=1, max_num=20, validate_max=True
)


class FilterForm(Form):
    words = forms.CharField(
        label=_("Words"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "type": "search"}),
        help_text=_("Encrypted search in titles, narratives, places…"),
        error_messages={"max_length": SEARCH_TOO_LONG},
    )
    types = forms.MultipleChoiceField(
        label=_("Types"), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    # No max_length on the months: a longer value is no month, and _month says so.
    month_from = forms.CharField(
        label=_("From (YYYY-MM)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "2026-01"}),
    )
    month_to = forms.CharField(
        label=_("To (YYYY-MM)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "2026-12"}),
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    subdivision = forms.CharField(
        label=_("Region code"), required=False, max_length=8, help_text=_("For example GT-16.")
    )
    perpetrator_type = forms.ChoiceField(label=_("Perpetrator type"), required=False)
    severity_min = forms.TypedChoiceField(
        label=_("Severity at least"), required=False, coerce=int, empty_value=None
    )
    case = forms.ChoiceField(label=_("Case"), required=False)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, cases: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "types", vocabularies.load("incident_types").choices())
        set_choices(self, "country", [("", _("Any")), *vocabularies.country_choices()])
        set_choices(
            self,
            "perpetrator_type",
            [("", _("Any")), *vocabularies.load("perpetrator_types").choices()],
        )
        set_choices(
            self,
            "severity_min",
            [("", _("Any")), *[(str(n), label) for n, label in SEVERITY_LABELS.items()]],
        )
        set_choices(self, "case", [("", _("All my cases")), *(cases or [])])

    def _month(self, name: str) -> str:
        value = str(self.cleaned_data.get(name) or "").strip()
        if value and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
            raise forms.ValidationError(_("Write the month as YYYY-MM."))
        return value

    def clean_month_from(self) -> str:
        return self._month("month_from")

    def clean_month_to(self) -> str:
        return self._month("month_to")


class DefenderReportForm(Form):
    """The defender's own report: few fields, plain words, phone-first. Staff complete the rest
    (region, who was affected, authorities, severity, analysis) when they review it."""

    title = IncidentForm.base_fields["title"]
    when = IncidentForm.base_fields["when"]
    place = private_text(_("Where it happened"), rows=2, max_length=2000, help_text=_("Encrypted."))
    types = forms.MultipleChoiceField(
        label=_("What kind of incident"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one kind of incident.")},
    )
    nature = IncidentForm.base_fields["nature"]
    narrative = private_text(
        _("What happened"),
        rows=8,
        max_length=50000,
        required=True,
        help_text=_("Encrypted. Who, what, where, when, how — in your own words."),
        error_messages={"required": _("Describe what happened, in your own words.")},
    )
    consequences = private_text(_("Harm and consequences"), rows=3, max_length=20000)

    field_order = ["title", "when", "place", "types", "nature", "narrative", "consequences"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "types", vocabularies.load("incident_types").choices())

    def clean_when(self) -> When:
        return parse_when(str(self.cleaned_data.get("when") or ""))

    def report(self, country: str) -> DefenderReport:
        data = self.cleaned_data
        return DefenderReport(
            when=data["when"],
            country=country,
            title=data["title"],
            narrative=data["narrative"],
            types=tuple(data["types"]),
            nature=data["nature"],
            place=data["place"],
            consequences=data["consequences"],
        )
