"""Forms of video advocacy, in the shared error pattern (``lib.forms.Form``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from protectdesk.advocacy import videos
from protectdesk.advocacy.models import Channel, FilmConsent, VideoKind
from protectdesk.lib.forms import DayField, Form, private_text


class VideoForm(Form):
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": gettext_lazy("Give the video a title.")},
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=VideoKind.choices)
    channel = forms.ChoiceField(
        label=gettext_lazy("Channel"),
        required=False,
        choices=[("", gettext_lazy("Not decided yet")), *Channel.choices],
    )
    description = private_text(gettext_lazy("What it shows and for whom"), rows=3)
    anonymity = private_text(
        gettext_lazy("Anonymity requirements"),
        rows=3,
        help_text=gettext_lazy(
            "What must not be seen or heard: faces, voices, places, vehicles, "
            "landmarks, documents on a desk."
        ),
    )
    where = forms.CharField(
        label=gettext_lazy("Where it is published (address)"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def to_data(self) -> videos.VideoData:
        data = self.cleaned_data
        return videos.VideoData(
            title=data["title"],
            kind=data["kind"],
            channel=data["channel"],
            description=data["description"],
            anonymity=data["anonymity"],
            where=data["where"],
        )


class PersonForm(Form):
    name = forms.CharField(
        label=gettext_lazy("Name or description"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=gettext_lazy("For someone you cannot name: “the woman at the market, 0:42”."),
        error_messages={"required": gettext_lazy("Enter a name or a description of the person.")},
    )
    consent = forms.ChoiceField(
        label=gettext_lazy("What they agreed to"),
        required=False,
        choices=FilmConsent.choices,
    )
    consent_on = DayField(label=gettext_lazy("Day of their answer"), required=False)
    in_final_cut = forms.BooleanField(
        label=gettext_lazy("They appear in the final edit"), required=False, initial=True
    )
    notes = private_text(gettext_lazy("How consent was given, conditions"), rows=2)
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "person_%s")  # several forms share a page
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("consent") and not data.get("consent_on") and not self.has_error("consent_on"):
            self.add_error("consent_on", _("Enter the day they gave their answer."))
        return data

    def to_data(self) -> videos.PersonData:
        data = self.cleaned_data
        return videos.PersonData(
            name=data["name"],
            consent=data["consent"],
            consent_on=data.get("consent_on"),
            in_final_cut=data["in_final_cut"],
            notes=data["notes"],
        )


class WithdrawPersonForm(Form):
    withdrawn_on = DayField(label=gettext_lazy("Consent withdrawn on"))
    row_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "withdraw_%s")  # several forms share a page
        super().__init__(*args, **kwargs)


class PublishForm(Form):
    published_on = DayField(label=gettext_lazy("Published on"))
    nobody_recognisable = forms.BooleanField(
        label=gettext_lazy("No one can be recognised in this video"),
        required=False,
        help_text=gettext_lazy("Only for a video in which nobody filmed is recorded above."),
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "publish_%s")  # several forms share a page
        super().__init__(*args, **kwargs)
