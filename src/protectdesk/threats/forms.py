"""Forms of the threats module: the actors map, relations, and one form per assessment step.

Everything works without JavaScript. Choices of incidents and actors are the case's own, built
when the form is: an incident or an actor of another case can only be forged, and is refused
as a choice not on the list.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from protectdesk import vocabularies
from protectdesk.incidents.actions import ActorProfile
from protectdesk.incidents.models import Confidence, Stance
from protectdesk.lib.forms import PRIVATE_INPUT, Form, private_text, set_choices
from protectdesk.threats import actions
from protectdesk.threats.models import Answer, RelationKind, ThreatKind

Choices = list[tuple[str, str]]

INFLUENCE_LABELS = {
    1: _("1 · little influence"),
    2: _("2"),
    3: _("3 · some influence"),
    4: _("4"),
    5: _("5 · decisive influence"),
}
LIKELIHOOD_LABELS = {
    1: _("1 · very unlikely"),
    2: _("2 · unlikely"),
    3: _("3 · as likely as not"),
    4: _("4 · likely"),
    5: _("5 · almost certain"),
}
_LIKELIHOOD_RANGE = _(
    "Rate the likelihood from 1 (very unlikely) to 5 (almost certain): choose one of the five."
)


def _row_version() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, required=False)


# --- the actors map ---------------------------------------------------------------------------


class ActorForm(Form):
    actor_type = forms.ChoiceField(
        label=_("Type"), error_messages={"required": _("Choose the type of actor.")}
    )
    name = forms.CharField(
        label=_("Name or description"),
        max_length=500,
        widget=forms.TextInput(attrs=PRIVATE_INPUT),
        help_text=_("Staff only, encrypted. Name the part that acts: a battalion, not “the army”."),
        error_messages={
            "required": _("Enter a name or a description of the actor, even a rough one.")
        },
    )
    parent = forms.ChoiceField(
        label=_("Part of"),
        required=False,
        help_text=_("The larger actor this one belongs to, if any (a unit of a force)."),
    )
    stance = forms.ChoiceField(
        label=_("Stance towards the defender's work"),
        choices=Stance.choices,
        initial=Stance.UNKNOWN,
        widget=forms.RadioSelect,
    )
    influence = forms.TypedChoiceField(
        label=_("Influence"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Not assessed")), *INFLUENCE_LABELS.items()],
    )
    interests = private_text(
        _("Interests the defender's work affects"),
        rows=2,
        max_length=5000,
        help_text=_("Staff only, encrypted. For example: a mining concession, an election."),
    )
    resources = private_text(
        _("Resources"),
        rows=2,
        max_length=5000,
        help_text=_("Staff only, encrypted. Money, armed men, media, contacts in the courts…"),
    )
    notes = private_text(_("Notes"), rows=3, max_length=20000)
    row_version = _row_version()

    def __init__(self, *args: Any, parents: Choices = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        set_choices(self, "actor_type", vocabularies.load("perpetrator_types").choices())
        set_choices(self, "parent", [("", _("None: it stands on its own")), *parents])

    def profile(self) -> ActorProfile:
        data = self.cleaned_data
        return ActorProfile(
            stance=data["stance"],
            influence=data["influence"],
            parent_id=uuid.UUID(data["parent"]) if data["parent"] else None,
            interests=data["interests"],
            resources=data["resources"],
        )


class RelationForm(Form):
    source = forms.ChoiceField(
        label=_("Actor"),
        error_messages={"required": _("Choose the actor the relation starts from.")},
    )
    kind = forms.ChoiceField(label=_("Relation"), choices=RelationKind.choices)
    target = forms.ChoiceField(
        label=_("Other actor"),
        error_messages={"required": _("Choose the actor the relation goes to.")},
    )
    notes = private_text(_("Notes on the relation"), rows=2, max_length=5000)

    def __init__(self, *args: Any, actors: Choices = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        empty = [("", _("Choose an actor"))]
        set_choices(self, "source", [*empty, *actors])
        set_choices(self, "target", [*empty, *actors])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("source") and data.get("source") == data.get("target"):
            self.add_error(
                "target", _("Choose another actor: an actor cannot be related to itself.")
            )
        return data


# --- the five steps ---------------------------------------------------------------------------


class FactsForm(Form):
    title = forms.CharField(
        label=_("What threat is assessed"),
        max_length=300,
        widget=forms.TextInput(attrs=PRIVATE_INPUT),
        help_text=_("Encrypted, staff only. For example: death threat at the market, October."),
        error_messages={"required": _("Give the assessment a short title.")},
    )
    incidents = forms.MultipleChoiceField(
        label=_("Incidents it is about"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Tick at least one incident of this case: the facts start there.")
        },
    )
    facts = private_text(
        _("What exactly happened"),
        rows=6,
        required=True,
        help_text=_("The facts only: who said or did what, when, where, how it reached you."),
        error_messages={"required": _("Write down the facts: what exactly happened.")},
    )
    row_version = _row_version()

    def __init__(self, *args: Any, incidents: Choices = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        set_choices(self, "incidents", incidents)

    def data_for_step(self) -> actions.Facts:
        data = self.cleaned_data
        return actions.Facts(
            title=data["title"],
            facts=data["facts"],
            incident_ids=tuple(uuid.UUID(i) for i in data["incidents"]),
        )


class PatternForm(Form):
    pattern = private_text(
        _("Is there a pattern?"),
        rows=5,
        required=True,
        help_text=_(
            "Look at the timeline and the flags: more frequent, more severe, the same means or "
            "symbols, the same people?"
        ),
        error_messages={
            "required": _("Write what the timeline shows, even “no pattern seen yet”.")
        },
    )
    row_version = _row_version()

    def data_for_step(self) -> actions.Pattern:
        return actions.Pattern(pattern=self.cleaned_data["pattern"])


class ObjectiveForm(Form):
    objective = forms.ChoiceField(
        label=_("What does the threat seek?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what the threat seeks, or “Other”.")},
    )
    objective_other = forms.CharField(
        label=_("Other objective"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs=PRIVATE_INPUT),
        help_text=_("Only for “Other”."),
    )
    objective_notes = private_text(
        _("How you traced it"),
        rows=4,
        help_text=_(
            "Which part of the defender's work does it answer? Whose interests does it hit?"
        ),
    )
    row_version = _row_version()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "objective", vocabularies.load("threat_objectives").choices())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("objective") == "other" and not data.get("objective_other", "").strip():
            self.add_error("objective_other", _("Say what the threat seeks: you chose “Other”."))
        return data

    def data_for_step(self) -> actions.Objective:
        data = self.cleaned_data
        return actions.Objective(
            data["objective"], data["objective_other"], data["objective_notes"]
        )


class SourceForm(Form):
    actor = forms.ChoiceField(
        label=_("Who is behind it"),
        required=False,
        help_text=_(
            "An actor of this case: the unit, not the whole institution. Add actors in the "
            "actors map."
        ),
    )
    attribution = forms.ChoiceField(
        label=_("How sure are you?"),
        choices=Confidence.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say how sure you are of who is behind it.")},
    )
    possibly_false = forms.BooleanField(
        label=_("The attribution may be false (a signature or a uniform can be faked)"),
        required=False,
    )
    source_notes = private_text(_("Why you think so"), rows=4)
    row_version = _row_version()

    def __init__(self, *args: Any, actors: Choices = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        set_choices(self, "actor", [("", _("Not known")), *actors])

    def data_for_step(self) -> actions.Source:
        data = self.cleaned_data
        return actions.Source(
            actor_id=uuid.UUID(data["actor"]) if data["actor"] else None,
            attribution=data["attribution"],
            possibly_false=data["possibly_false"],
            source_notes=data["source_notes"],
        )


class ConclusionForm(Form):
    threat_kind = forms.ChoiceField(
        label=_("Declared or possible threat"),
        choices=ThreatKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the threat was declared or is possible.")},
    )
    declared = private_text(
        _("What was declared"),
        rows=3,
        help_text=_(
            "Making a threat: the words, the message, the sign left. Not the same as posing one."
        ),
    )
    intent = forms.ChoiceField(
        label=_("Do they intend to act?"),
        choices=Answer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether they intend to act, or that you do not know.")},
    )
    capacity = forms.ChoiceField(
        label=_("Can they act?"),
        choices=Answer.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Say whether they have the means to act, or that you do not know.")
        },
    )
    capacity_intent = private_text(
        _("What shows intent and capacity"),
        rows=3,
        help_text=_("Posing a threat: what they have done before, their means, their access."),
    )
    likelihood = forms.TypedChoiceField(
        label=_("Will the threat be carried out?"),
        coerce=int,
        choices=list(LIKELIHOOD_LABELS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": _LIKELIHOOD_RANGE, "invalid_choice": _LIKELIHOOD_RANGE},
    )
    rationale = private_text(
        _("Why this rating"),
        rows=5,
        required=True,
        error_messages={"required": _("Explain the rating: a number alone is not an assessment.")},
    )
    row_version = _row_version()

    def data_for_step(self) -> actions.Conclusion:
        data = self.cleaned_data
        return actions.Conclusion(
            threat_kind=data["threat_kind"],
            intent=data["intent"],
            capacity=data["capacity"],
            likelihood=data["likelihood"],
            rationale=data["rationale"],
            declared=data["declared"],
            capacity_intent=data["capacity_intent"],
        )


STEP_FORMS: dict[int, type[Form]] = {
    1: FactsForm,
    2: PatternForm,
    3: ObjectiveForm,
    4: SourceForm,
    5: ConclusionForm,
}
STEP_NAMES = {
    1: _("Facts"),
    2: _("Pattern"),
    3: _("Objective"),
    4: _("Source"),
    5: _("Conclusion"),
}
