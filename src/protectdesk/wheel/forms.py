"""Wheel forms: start a session (which wheel, when, a title and notes) and enter one participant
(a label, then for each spoke a score 0–100, barriers and solutions — one page, no JavaScript).

The participant form carries a hidden ``submission`` id, made when the page is shown: the
action recognises the same form sent twice by it.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from protectdesk.lib.forms import PRIVATE_INPUT, DayField, Form, private_text, set_choices
from protectdesk.wheel import actions, definitions, scoring


class StartForm(Form):
    wheel = forms.ChoiceField(
        label=gettext_lazy("Wheel"),
        help_text=gettext_lazy(
            "The organisational wheel has the eight spokes of security management; the others "
            "look at one theme."
        ),
    )
    held_on = DayField(label=gettext_lazy("Date of the session"))
    title = forms.CharField(
        label=gettext_lazy("Title"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs=PRIVATE_INPUT),
        help_text=gettext_lazy("Encrypted. For example: assembly of the regional team."),
    )
    notes = private_text(
        gettext_lazy("Notes on the session"),
        rows=3,
        help_text=gettext_lazy(
            "Encrypted. The organisation's members read the wheel with the defender account."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"held_on": timezone.localdate().isoformat()})
        super().__init__(*args, **kwargs)
        set_choices(self, "wheel", definitions.choices())


def _score_message(spoke: str) -> str:
    # Django formats min/max messages with %: a % in a label must not be read as one.
    return _("Enter a score from 0 to 100 for “%(spoke)s”.") % {"spoke": spoke.replace("%", "%%")}


class ParticipantForm(Form):
    label = forms.CharField(
        label=gettext_lazy("Participant"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs=PRIVATE_INPUT),
        help_text=gettext_lazy("A name, or leave it empty to number the participants. Encrypted."),
    )
    submission = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, wheel: definitions.Wheel, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.wheel = wheel
        if not self.is_bound:
            self.initial.setdefault("submission", str(uuid.uuid4()))
        for spoke in wheel.spokes:
            message = _score_message(spoke.label)
            self.fields[f"score_{spoke.code}"] = forms.IntegerField(
                label=_("%(spoke)s: score (0 to 100)") % {"spoke": spoke.label},
                required=False,
                min_value=scoring.MINIMUM,
                max_value=scoring.MAXIMUM,
                # A text input: a number input would let the browser refuse 101 in its own
                # language, before the error summary can say it.
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                error_messages={"invalid": message, "min_value": message, "max_value": message},
            )
            self.fields[f"barriers_{spoke.code}"] = private_text(
                _("%(spoke)s: barriers") % {"spoke": spoke.label}, rows=2, max_length=2000
            )
            self.fields[f"solutions_{spoke.code}"] = private_text(
                _("%(spoke)s: solutions") % {"spoke": spoke.label}, rows=2, max_length=2000
            )

    def spoke_rows(self) -> list[tuple[str, Any, Any, Any]]:
        """(spoke label, score, barriers, solutions) bound fields, in the wheel's order."""
        return [
            (
                spoke.label,
                self[f"score_{spoke.code}"],
                self[f"barriers_{spoke.code}"],
                self[f"solutions_{spoke.code}"],
            )
            for spoke in self.wheel.spokes
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        scored = False
        for spoke in self.wheel.spokes:
            score = data.get(f"score_{spoke.code}")
            name = f"score_{spoke.code}"
            if score is not None:
                scored = True
            elif name not in self.errors and (
                data.get(f"barriers_{spoke.code}") or data.get(f"solutions_{spoke.code}")
            ):
                self.add_error(
                    name,
                    _(
                        "Give “%(spoke)s” a score from 0 to 100 too: its barriers and solutions "
                        "are saved with a score."
                    )
                    % {"spoke": spoke.label},
                )
        if not scored and not self.errors:
            raise forms.ValidationError(
                _("Give at least one spoke a score from 0 to 100."), code="no_score"
            )
        return data

    def data_for_action(self) -> tuple[str, uuid.UUID, tuple[actions.SpokeEntry, ...]]:
        data = self.cleaned_data
        scores = tuple(
            actions.SpokeEntry(
                spoke.code,
                data[f"score_{spoke.code}"],
                data[f"barriers_{spoke.code}"],
                data[f"solutions_{spoke.code}"],
            )
            for spoke in self.wheel.spokes
            if data.get(f"score_{spoke.code}") is not None
        )
        return data["label"], data["submission"], scores
