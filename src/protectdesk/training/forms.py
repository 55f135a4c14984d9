"""Training forms: a workshop, a participant, a self-assessment, a coaching session, a trainer,
and a desk's own questionnaire (a YAML file). Every one uses the shared error pattern
(``lib.forms.Form``: a summary linking to each field, messages that say how to fix it)."""

from __future__ import annotations

import uuid
from typing import Any

import yaml
from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from protectdesk import vocabularies
from protectdesk.attachments.uploads import EncryptedUpload
from protectdesk.cases.models import AgeBand, DefenderKind, Gender
from protectdesk.lib.forms import (
    PRIVATE_INPUT,
    DayField,
    Form,
    PlannedDayField,
    check_order,
    private_text,
    set_choices,
)
from protectdesk.lib.places import check_place, offer_places
from protectdesk.training import actions
from protectdesk.training.questionnaires import Questionnaire

#: The largest questionnaire file a desk may upload (a questionnaire of 60 statements in four
#: languages is about 30 KB).
MAX_QUESTIONNAIRE_BYTES = 256 * 1024


class WorkshopForm(Form):
    topic = forms.CharField(
        label=gettext_lazy("Topic"),
        max_length=300,
        widget=forms.TextInput(attrs=PRIVATE_INPUT),
        help_text=gettext_lazy("Encrypted. For example: security for the land defenders' network."),
        error_messages={"required": gettext_lazy("Enter the workshop's topic.")},
    )
    starts_on = PlannedDayField(label=gettext_lazy("First day"))
    ends_on = PlannedDayField(
        label=gettext_lazy("Last day"),
        required=False,
        help_text=gettext_lazy("Leave it empty for a one-day workshop."),
    )
    country = forms.ChoiceField(label=gettext_lazy("Country"))
    subdivision = forms.ChoiceField(
        label=gettext_lazy("Region"),
        required=False,
        help_text=gettext_lazy("In clear, for reports. The venue itself is encrypted."),
    )
    venue = private_text(
        gettext_lazy("Venue"), rows=2, max_length=2000, help_text=gettext_lazy("Encrypted.")
    )
    modules = forms.MultipleChoiceField(
        label=gettext_lazy("Curriculum modules"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": gettext_lazy("Choose at least one module the workshop covers.")
        },
    )
    methods = private_text(
        gettext_lazy("Methods and materials"),
        rows=4,
        help_text=gettext_lazy("Encrypted. Exercises, role plays, what participants take home."),
    )
    materials = forms.MultipleChoiceField(
        label=gettext_lazy("Guides from the library"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Published guides, and your desk's drafts."),
    )
    questionnaire = forms.ChoiceField(
        label=gettext_lazy("Self-assessment"),
        help_text=gettext_lazy("Participants fill it in before and after the workshop."),
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        country_default: str = "",
        materials: list[tuple[str, str]] | None = None,
        questionnaires: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        offer_places(self, country_default)
        set_choices(self, "modules", vocabularies.load("curriculum_modules").choices())
        set_choices(self, "materials", materials or [])
        set_choices(self, "questionnaire", questionnaires or [])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_place(self, data)
        check_order(
            self,
            data,
            "starts_on",
            "ends_on",
            _("The last day is before the first day: enter a day on or after %(day)s."),
        )
        return data

    def to_data(self) -> actions.WorkshopData:
        data = self.cleaned_data
        return actions.WorkshopData(
            topic=data["topic"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"] or data["starts_on"],
            country=data["country"],
            subdivision=data.get("subdivision", ""),
            venue=data["venue"],
            modules=tuple(data["modules"]),
            methods=data["methods"],
            questionnaire=data["questionnaire"],
            materials=tuple(("", uuid.UUID(value)) for value in data["materials"]),
        )


class ParticipantForm(Form):
    case_reference = forms.CharField(
        label=gettext_lazy("Case reference at the desk"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs=PRIVATE_INPUT),
        help_text=gettext_lazy(
            "For a defender the desk accompanies: their name then comes from the case, shown "
            "only to the case's members. Leave it empty for someone recorded for this workshop "
            "only."
        ),
    )
    name = forms.CharField(
        label=gettext_lazy("Name"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs=PRIVATE_INPUT),
        help_text=gettext_lazy("Encrypted. Not needed with a case reference."),
    )
    organisation = forms.CharField(
        label=gettext_lazy("Organisation or community"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs=PRIVATE_INPUT),
        help_text=gettext_lazy("Encrypted."),
    )
    contacts = private_text(
        gettext_lazy("How to reach them safely"),
        rows=2,
        max_length=2000,
        help_text=gettext_lazy("Encrypted. For coaching follow-ups."),
    )
    gender = forms.ChoiceField(
        label=gettext_lazy("Gender"),
        required=False,
        choices=[("", gettext_lazy("Not recorded")), *Gender.choices],
    )
    age_band = forms.ChoiceField(
        label=gettext_lazy("Age"),
        required=False,
        choices=[("", gettext_lazy("Not recorded")), *AgeBand.choices],
    )
    sector = forms.ChoiceField(label=gettext_lazy("Sector of work"), required=False)
    defender_kind = forms.ChoiceField(
        label=gettext_lazy("Defends rights as"),
        required=False,
        choices=[("", gettext_lazy("Not recorded")), *DefenderKind.choices],
        help_text=gettext_lazy(
            "Gender, age, sector and kind are kept in clear, as anonymous counts for reports."
        ),
    )
    counted = forms.BooleanField(
        label=gettext_lazy("Agreed to be counted in anonymised statistics"),
        required=False,
        help_text=gettext_lazy(
            "Counted by gender and sector in the desk's statistics, never by name. For a "
            "defender with a case, the consent recorded on the case must say so too."
        ),
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self, "sector", [("", _("Not recorded")), *vocabularies.load("sectors").choices()]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            not self.errors
            and not data.get("case_reference")
            and not str(data.get("name", "")).strip()
        ):
            self.add_error(
                "name",
                _("Enter the participant's name, or the reference of their case at the desk."),
            )
        return data

    def to_data(self) -> actions.ParticipantData:
        data = self.cleaned_data
        return actions.ParticipantData(
            name="" if data["case_reference"] else data["name"],
            organisation=data["organisation"],
            contacts=data["contacts"],
            case_reference=data["case_reference"],
            gender=data["gender"],
            age_band=data["age_band"],
            sector=data["sector"],
            defender_kind=data["defender_kind"],
            counted=data["counted"],
        )


class AssessmentForm(Form):
    """One radio group per statement of the questionnaire, on its scale; empty is allowed
    (a statement a participant skipped is not a low score)."""

    filled_on = DayField(label=gettext_lazy("Filled in on"))
    comments = private_text(
        gettext_lazy("Comments"),
        rows=3,
        max_length=4000,
        help_text=gettext_lazy("Encrypted. What the participant wants to add or to learn."),
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, questionnaire: Questionnaire, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("filled_on", timezone.localdate().isoformat())
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        scale = [(str(n), str(n)) for n in range(questionnaire.low, questionnaire.high + 1)]
        for number, question in enumerate(questionnaire.questions, start=1):
            self.fields[f"q_{question.code}"] = forms.TypedChoiceField(
                label=f"{number}. {question.label}",
                required=False,
                choices=scale,
                coerce=int,
                empty_value=None,
                widget=forms.RadioSelect(attrs={"class": "scale"}),
            )

    def question_fields(self) -> list[Any]:
        return [self[f"q_{question.code}"] for question in self.questionnaire.questions]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not self.answers_given(data):
            raise forms.ValidationError(
                _("Choose a score for at least one statement."), code="no_answer"
            )
        return data

    def answers_given(self, data: dict[str, Any] | None = None) -> dict[str, int]:
        values = data if data is not None else self.cleaned_data
        return {
            q.code: values[f"q_{q.code}"]
            for q in self.questionnaire.questions
            if values.get(f"q_{q.code}") is not None
        }


class CoachingForm(Form):
    held_on = DayField(label=gettext_lazy("Date of the session"))
    notes = private_text(gettext_lazy("Notes"), rows=5, help_text=gettext_lazy("Encrypted."))
    actions_text = private_text(
        gettext_lazy("Agreed actions"),
        rows=4,
        max_length=8000,
        help_text=gettext_lazy(
            "One action per line. Encrypted. For a defender the desk accompanies, each can "
            "become a measure of their protection plan."
        ),
    )
    next_on = PlannedDayField(
        label=gettext_lazy("Next follow-up"),
        required=False,
        help_text=gettext_lazy("Shown on your home page when it is near."),
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("held_on", timezone.localdate().isoformat())
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lines = [line for line in str(data.get("actions_text", "")).splitlines() if line.strip()]
        if len(lines) > actions.MAX_ACTIONS:
            self.add_error(
                "actions_text",
                _("Agree on %(count)d actions at most per session: merge or move some.")
                % {"count": actions.MAX_ACTIONS},
            )
        check_order(
            self,
            data,
            "held_on",
            "next_on",
            _("The next follow-up is before this session: enter a day on or after %(day)s."),
        )
        if not self.errors and not str(data.get("notes", "")).strip() and not lines:
            raise forms.ValidationError(
                _("Write notes on the session or at least one agreed action."), code="empty"
            )
        return data

    def to_data(self) -> actions.CoachingData:
        data = self.cleaned_data
        return actions.CoachingData(
            held_on=data["held_on"],
            notes=data["notes"],
            actions=tuple(line.strip() for line in data["actions_text"].splitlines()),
            next_on=data.get("next_on"),
        )


class TrainerForm(Form):
    user = forms.ChoiceField(
        label=gettext_lazy("Add a trainer"),
        error_messages={"required": gettext_lazy("Choose the person to add.")},
    )

    def __init__(self, *args: Any, people: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "user", [("", _("Choose…")), *people])


class QuestionnaireForm(Form):
    file = forms.FileField(
        label=gettext_lazy("Questionnaire file (YAML)"),
        help_text=gettext_lazy(
            "In the format of the shipped questionnaire: a code, a title in English, Spanish, "
            "French and Portuguese, a scale, and statements each tied to a curriculum module."
        ),
        error_messages={
            "required": gettext_lazy("Choose the questionnaire file to add."),
            "empty": gettext_lazy("The file is empty: choose the questionnaire file again."),
        },
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_QUESTIONNAIRE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s KB: a questionnaire is much smaller.")
                % {"size": MAX_QUESTIONNAIRE_BYTES // 1024}
            )
        raw = _uploaded_bytes(upload)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                _("The file is not UTF-8 text: save it as UTF-8 and add it again.")
            ) from None
        try:
            return yaml.safe_load(text)
        # Not only YAMLError: a timestamp that is no day (2026-02-30) or `!!int x` raises
        # ValueError while the document is built, and deep nesting RecursionError.
        except (yaml.YAMLError, ValueError, RecursionError) as error:
            mark = getattr(error, "problem_mark", None)
            where = _(" (line %(line)d)") % {"line": mark.line + 1} if mark is not None else ""
            raise forms.ValidationError(
                _("The file is not valid YAML%(where)s: check its indentation and colons.")
                % {"where": where}
            ) from None


def _uploaded_bytes(upload: Any) -> bytes:
    """The uploaded file's bytes, in memory. The desk's upload handler
    (``attachments.uploads``) never keeps a file in clear: ``request.FILES`` holds an
    ``EncryptedUploadedFile`` whose ``read()`` gives nothing, so the spooled ciphertext is
    opened here with the upload's own key (the spool is deleted at the end of the request)."""
    encrypted = getattr(upload, "upload", None)
    if not isinstance(encrypted, EncryptedUpload):
        return bytes(upload.read())
    if encrypted.error in ("size", "image-size"):
        raise forms.ValidationError(
            _("The file is larger than %(size)s KB: a questionnaire is much smaller.")
            % {"size": MAX_QUESTIONNAIRE_BYTES // 1024}
        )
    if encrypted.error == "empty":
        raise forms.ValidationError(_("The file is empty: choose the questionnaire file again."))
    if encrypted.error:  # a binary file, an image…: not a text file at all
        raise forms.ValidationError(
            _("The file is not UTF-8 text: save it as UTF-8 and add it again.")
        )
    return encrypted.plaintext()
