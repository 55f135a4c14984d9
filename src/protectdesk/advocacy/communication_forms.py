"""Forms of an international communication, in the shared error pattern (``lib.forms.Form``)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from protectdesk import vocabularies
from protectdesk.advocacy import communications
from protectdesk.advocacy.dossier import ChosenIncident, Facts
from protectdesk.advocacy.models import (
    DOSSIER_LANGUAGES,
    KINDS_OF,
    CommunicationKind,
    CommunicationStatus,
    Mechanism,
    Publicity,
)
from protectdesk.lib.forms import DayField, Form, PlannedDayField, check_order, private_text

LANGUAGE_NAMES = {
    "en": gettext_lazy("English"),
    "es": gettext_lazy("Spanish"),
    "fr": gettext_lazy("French"),
}


class DraftForm(Form):
    mechanism = forms.ChoiceField(label=gettext_lazy("Mechanism"), choices=Mechanism.choices)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of communication"),
        choices=CommunicationKind.choices,
        help_text=gettext_lazy(
            "The UN Special Rapporteur sends urgent appeals and allegation letters; the "
            "Inter-American Commission grants precautionary measures."
        ),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the dossier"),
        choices=[(code, LANGUAGE_NAMES[code]) for code in DOSSIER_LANGUAGES],
        help_text=gettext_lazy(
            "A language the mechanism works in. The headings are translated; "
            "the texts stay as you write them."
        ),
    )
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=300,
        error_messages={"required": gettext_lazy("Give the communication a title.")},
    )
    hrd_status = private_text(
        gettext_lazy("Why they are a human rights defender"),
        rows=4,
        help_text=gettext_lazy("Their work, for whom, since when (Article 1 of the Declaration)."),
    )
    action_taken = private_text(
        gettext_lazy("Action already taken"),
        rows=4,
        help_text=gettext_lazy("Complaints filed, authorities informed, and what they did."),
    )
    requests = private_text(gettext_lazy("What is asked of the mechanism"), rows=3)
    source = private_text(
        gettext_lazy("Source of the communication"),
        rows=2,
        help_text=gettext_lazy("Who sends it and how the mechanism can reach them safely."),
    )
    publicity = forms.ChoiceField(
        label=gettext_lazy("May the defender's name be made public?"),
        choices=Publicity.choices,
        initial=Publicity.CONFIDENTIAL,
    )
    confidentiality = private_text(
        gettext_lazy("Confidentiality wishes"),
        rows=2,
        help_text=gettext_lazy("What must not be disclosed to the State or in public reports."),
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        mechanism, kind = data.get("mechanism"), data.get("kind")
        if mechanism and kind and kind not in KINDS_OF[Mechanism(mechanism)]:
            self.add_error(
                "kind",
                _("%(mechanism)s does not receive this kind: choose one of %(kinds)s.")
                % {
                    "mechanism": Mechanism(mechanism).label,
                    "kinds": ", ".join(str(k.label) for k in KINDS_OF[Mechanism(mechanism)]),
                },
            )
        return data

    def to_data(self) -> communications.DraftData:
        data = self.cleaned_data
        return communications.DraftData(
            mechanism=data["mechanism"],
            kind=data["kind"],
            language=data["language"],
            title=data["title"],
            hrd_status=data["hrd_status"],
            action_taken=data["action_taken"],
            requests=data["requests"],
            source=data["source"],
            publicity=data["publicity"],
            confidentiality=data["confidentiality"],
        )


class FactsForm(Form):
    """Which incidents (with a date and the articles breached) and which actors go in.

    One group of fields per incident of the case: ``incident_<n>``, ``on_<n>``,
    ``articles_<n>``, ``analysis_<n>``, ``sources_<n>`` (``n`` counts the incidents, so the
    page's field names carry no record id)."""

    actors = forms.MultipleChoiceField(
        label=gettext_lazy("Alleged perpetrators"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Their names and types go in; the desk's notes on them never do."),
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        incidents: list[tuple[uuid.UUID, str, str]],
        actors: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        """``incidents``: (id, title, when) of the case's incidents, oldest first."""
        super().__init__(*args, **kwargs)
        self.incidents = incidents
        articles = vocabularies.load("un_declaration_articles").choices()
        self.fields["actors"].choices = actors  # type: ignore[attr-defined]
        for n, (_id, title, when) in enumerate(incidents, start=1):
            self.fields[f"incident_{n}"] = forms.BooleanField(
                label=_("Include “%(title)s” (%(when)s)") % {"title": title, "when": when},
                required=False,
            )
            self.fields[f"on_{n}"] = DayField(
                label=_("Day of the violation"),
                required=False,
                help_text=_("If only the month is known, enter its first day and say so."),
            )
            self.fields[f"articles_{n}"] = forms.MultipleChoiceField(
                label=_("Articles of the UN Declaration it breaches"),
                required=False,
                choices=articles,
                widget=forms.SelectMultiple(attrs={"size": 5}),
            )
            self.fields[f"analysis_{n}"] = forms.BooleanField(
                label=_("Also include the desk's analysis (staff only)"), required=False
            )
            self.fields[f"sources_{n}"] = forms.BooleanField(
                label=_("Also include its sources (staff only)"), required=False
            )

    def groups(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"{name}_{n}"] for name in ("incident", "on", "articles", "analysis", "sources")]
            for n in range(1, len(self.incidents) + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n, (_id, title, _when) in enumerate(self.incidents, start=1):
            if (
                data.get(f"incident_{n}")
                and not data.get(f"on_{n}")
                and not self.has_error(f"on_{n}")
            ):
                self.add_error(
                    f"on_{n}",
                    _(
                        "Give the day “%(title)s” happened: a mechanism needs a date for each "
                        "violation."
                    )
                    % {"title": title},
                )
        return data

    @staticmethod
    def initial_for(
        facts: Facts, incidents: list[tuple[uuid.UUID, str, str]], row_version: int
    ) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "actors": [str(a) for a in facts.actors],
            "row_version": row_version,
        }
        for n, (incident_id, _title, _when) in enumerate(incidents, start=1):
            chosen = facts.chosen(incident_id)
            if chosen is None:
                continue
            initial.update(
                {
                    f"incident_{n}": True,
                    f"on_{n}": chosen.on.isoformat() if chosen.on else "",
                    f"articles_{n}": list(chosen.articles),
                    f"analysis_{n}": chosen.analysis,
                    f"sources_{n}": chosen.sources,
                }
            )
        return initial

    def to_facts(self) -> Facts:
        data = self.cleaned_data
        chosen = tuple(
            ChosenIncident(
                id=incident_id,
                on=data.get(f"on_{n}"),
                articles=tuple(data.get(f"articles_{n}") or ()),
                analysis=bool(data.get(f"analysis_{n}")),
                sources=bool(data.get(f"sources_{n}")),
            )
            for n, (incident_id, _title, _when) in enumerate(self.incidents, start=1)
            if data.get(f"incident_{n}")
        )
        return Facts(chosen, tuple(uuid.UUID(a) for a in data.get("actors") or ()))


class ConsentForm(Form):
    given_on = DayField(label=gettext_lazy("The defender agreed on"))
    consent_notes = private_text(
        gettext_lazy("How they agreed"),
        rows=2,
        help_text=gettext_lazy("In person, signed form, by a safe message; any condition."),
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "consent_%s")  # several forms share a page
        super().__init__(*args, **kwargs)


class WithdrawForm(Form):
    withdrawn_on = DayField(label=gettext_lazy("Consent withdrawn on"))
    withdraw_notes = private_text(gettext_lazy("What they said"), rows=2)
    row_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "withdraw_%s")  # several forms share a page
        super().__init__(*args, **kwargs)


class TrackingForm(Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=CommunicationStatus.choices)
    submitted_on = DayField(label=gettext_lazy("Submitted on"), required=False)
    reference = forms.CharField(
        label=gettext_lazy("The mechanism's reference"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    answered_on = DayField(label=gettext_lazy("The State answered on"), required=False)
    state_response = private_text(gettext_lazy("The State's answer"), rows=4)
    due_on = PlannedDayField(
        label=gettext_lazy("Next deadline"),
        required=False,
        help_text=gettext_lazy(
            "The day something is due (the State's answer, our comments): the dashboard "
            "reminds the case's staff."
        ),
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "tracking_%s")  # several forms share a page
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_order(
            self,
            data,
            "submitted_on",
            "answered_on",
            _("The State cannot answer before the submission: enter a day on or after %(day)s."),
        )
        return data

    @staticmethod
    def data_from(data: dict[str, Any]) -> communications.TrackingData:
        return communications.TrackingData(
            status=data["status"],
            submitted_on=data.get("submitted_on"),
            reference=data["reference"],
            answered_on=data.get("answered_on"),
            state_response=data["state_response"],
            due_on=data.get("due_on"),
        )


class FollowUpForm(Form):
    followed_on = DayField(label=gettext_lazy("Day of the follow-up"))
    text = private_text(
        gettext_lazy("What was done"),
        rows=3,
        required=True,
        error_messages={"required": gettext_lazy("Say what was done in the follow-up.")},
    )
    next_due_on = PlannedDayField(label=gettext_lazy("Next deadline"), required=False)
    row_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "follow_%s")  # several forms share a page
        super().__init__(*args, **kwargs)
