"""Observatory forms, in the shared error pattern (``lib.forms.Form``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from protectdesk import vocabularies
from protectdesk.advocacy import actions
from protectdesk.advocacy.models import HIGHEST, LOWEST, InstrumentKind, InstrumentStatus
from protectdesk.lib.forms import DayField, Form, set_choices


class InstrumentForm(Form):
    country = forms.ChoiceField(label=gettext_lazy("Country"))
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=InstrumentKind.choices)
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=300,
        error_messages={"required": gettext_lazy("Enter the instrument's title.")},
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=InstrumentStatus.choices,
        initial=InstrumentStatus.IN_FORCE,
        help_text=gettext_lazy("The comparison of countries counts the instruments in force."),
    )
    adopted_on = DayField(label=gettext_lazy("Adopted on"), required=False)
    summary = forms.CharField(
        label=gettext_lazy("Summary"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Public information: name no defender here."),
    )
    document = forms.URLField(
        assume_scheme="https",
        label=gettext_lazy("Where to read it"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("The address of the official text."),
        error_messages={"invalid": gettext_lazy("Enter a full address, for example https://…")},
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "country", vocabularies.country_choices())

    def to_data(self) -> actions.InstrumentData:
        data = self.cleaned_data
        return actions.InstrumentData(
            country=data["country"],
            kind=data["kind"],
            title=data["title"],
            status=data["status"],
            adopted_on=data.get("adopted_on"),
            summary=data["summary"],
            document=data["document"],
        )


def _score_message(label: str) -> str:
    return _("Give “%(criterion)s” a score from %(low)d to %(high)d.") % {
        "criterion": label.replace("%", "%%"),
        "low": LOWEST,
        "high": HIGHEST,
    }


class AssessmentForm(Form):
    """A score (0–4, typed) and the reasoning for every criterion."""

    assessed_on = DayField(label=gettext_lazy("Assessed on"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("assessed_on", timezone.localdate().isoformat())
        super().__init__(*args, **kwargs)
        self.criteria = vocabularies.load("policy_criteria").terms
        for term in self.criteria:
            message = _score_message(term.label)
            help_texts = term.extra.get("help", {})
            self.fields[f"score_{term.code}"] = forms.IntegerField(
                label=_("%(criterion)s: score (%(low)d to %(high)d)")
                % {"criterion": term.label, "low": LOWEST, "high": HIGHEST},
                min_value=LOWEST,
                max_value=HIGHEST,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                help_text=_label(help_texts),
                error_messages={
                    "required": message,
                    "invalid": message,
                    "min_value": message,
                    "max_value": message,
                },
            )
            self.fields[f"rationale_{term.code}"] = forms.CharField(
                label=_("%(criterion)s: why") % {"criterion": term.label},
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[tuple[str, Any, Any]]:
        return [
            (term.label, self[f"score_{term.code}"], self[f"rationale_{term.code}"])
            for term in self.criteria
        ]

    def scores(self) -> dict[str, tuple[int, str]]:
        data = self.cleaned_data
        return {
            term.code: (data[f"score_{term.code}"], data[f"rationale_{term.code}"])
            for term in self.criteria
        }


def _label(texts: dict[str, str]) -> str:
    language = (translation.get_language() or "en").split("-")[0]
    return texts.get(language) or texts.get("en", "")


class CompareForm(Form):
    countries = forms.MultipleChoiceField(
        label=gettext_lazy("Countries to compare"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least two countries to compare.")},
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "countries", choices)

    def clean_countries(self) -> list[str]:
        chosen = list(self.cleaned_data["countries"])
        if len(chosen) < 2:
            raise forms.ValidationError(_("Choose at least two countries to compare."))
        return chosen
