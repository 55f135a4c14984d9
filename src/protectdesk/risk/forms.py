"""Risk forms: the analysis (threshold, who decides, summary) and one scenario with its
components (every component of the shipped list, each: not relevant, vulnerability or
capacity, a rating and a note — one table, no JavaScript)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from protectdesk import vocabularies
from protectdesk.lib.forms import PRIVATE_INPUT, Form, private_text, set_choices
from protectdesk.risk import actions
from protectdesk.risk.models import Band, ComponentKind

RATING_LABELS = [(n, str(n)) for n in range(1, 6)]
_RATING = _("Rate it from 1 (lowest) to 5 (highest): choose one of the five.")


def _rating(label: Any, help_text: Any = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        coerce=int,
        choices=[("", "—"), *RATING_LABELS],
        help_text=help_text,
        error_messages={"required": _RATING, "invalid_choice": _RATING},
    )


class AnalysisForm(Form):
    threshold = forms.ChoiceField(
        label=_("Acceptable risk"),
        choices=Band.choices,
        help_text=_("The highest band the defender and the desk accept before acting."),
    )
    decider = forms.CharField(
        label=_("Who decides to stop or suspend the work"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs=PRIVATE_INPUT),
        help_text=_("Staff only, encrypted. For example: the council's assembly, with the desk."),
    )
    summary = private_text(_("Summary of the analysis"), rows=4)
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def data_for_action(self) -> actions.AnalysisData:
        data = self.cleaned_data
        return actions.AnalysisData(data["threshold"], data["summary"], data["decider"])


class ScenarioForm(Form):
    title = forms.CharField(
        label=_("Threat scenario"),
        max_length=300,
        widget=forms.TextInput(attrs=PRIVATE_INPUT),
        help_text=_("Encrypted, staff only. For example: attack on the road home after meetings."),
        error_messages={"required": _("Name the threat scenario in a few words.")},
    )
    assessment = forms.ChoiceField(
        label=_("Threat assessment it rests on"),
        required=False,
        help_text=_("Its conclusion gives the threat rating, which you can change."),
    )
    threat = _rating(_("Threat"), _("How serious and how likely the threat is, 1 to 5."))
    likelihood = _rating(_("Likelihood"), _("That it happens, 1 (rare) to 5 (almost certain)."))
    impact = _rating(_("Impact"), _("If it happens, 1 (slight) to 5 (catastrophic)."))
    notes = private_text(_("Notes on the scenario"), rows=3)
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, assessments: list[tuple[str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        set_choices(self, "assessment", [("", _("None")), *assessments])
        self.component_rows: list[tuple[str, str, str, str]] = []
        for term in vocabularies.load("risk_components").terms:
            kind, rating, note = (f"{part}_{term.code}" for part in ("kind", "rating", "note"))
            self.fields[kind] = forms.ChoiceField(
                label=_("%(component)s: part of this threat") % {"component": term.label},
                required=False,
                choices=[("", _("Not relevant")), *ComponentKind.choices],
            )
            self.fields[rating] = forms.TypedChoiceField(
                label=_("%(component)s: rating") % {"component": term.label},
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", "—"), *RATING_LABELS],
                error_messages={"invalid_choice": _RATING},
            )
            self.fields[note] = forms.CharField(
                label=_("%(component)s: note") % {"component": term.label},
                required=False,
                max_length=2000,
                widget=forms.TextInput(attrs=PRIVATE_INPUT),
            )
            self.component_rows.append((term.label, kind, rating, note))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for term in vocabularies.load("risk_components").terms:
            kind, rating = data.get(f"kind_{term.code}"), data.get(f"rating_{term.code}")
            if kind and rating is None:
                self.add_error(
                    f"rating_{term.code}",
                    _("Rate “%(component)s” from 1 to 5, or mark it not relevant.")
                    % {"component": term.label},
                )
            if rating is not None and not kind:
                self.add_error(
                    f"kind_{term.code}",
                    _("Say whether “%(component)s” is a vulnerability or a capacity here.")
                    % {"component": term.label},
                )
        return data

    def bound_rows(self) -> list[tuple[str, Any, Any, Any]]:
        return [(label, self[k], self[r], self[n]) for label, k, r, n in self.component_rows]

    def data_for_action(self) -> actions.ScenarioData:
        data = self.cleaned_data
        components = tuple(
            actions.ComponentData(
                term.code, kind, data[f"rating_{term.code}"], data[f"note_{term.code}"]
            )
            for term in vocabularies.load("risk_components").terms
            if (kind := data.get(f"kind_{term.code}")) and data.get(f"rating_{term.code}")
        )
        return actions.ScenarioData(
            title=data["title"],
            threat=data["threat"],
            likelihood=data["likelihood"],
            impact=data["impact"],
            assessment_id=uuid.UUID(data["assessment"]) if data["assessment"] else None,
            notes=data["notes"],
            components=components,
        )
