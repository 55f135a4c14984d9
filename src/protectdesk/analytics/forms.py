"""The analytics settings form (the shared error pattern, ``lib.forms.Form``) and the
filters of a view (a GET form: codes only, nothing identifying)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from protectdesk.analytics import actions
from protectdesk.analytics.catalogue import DIMENSIONS
from protectdesk.analytics.models import Period
from protectdesk.analytics.suppression import MAX_K, MIN_K
from protectdesk.lib.forms import Form


class SettingsForm(Form):
    k = forms.IntegerField(
        label=_("Smallest group shown"),
        min_value=MIN_K,
        max_value=MAX_K,
        # a text input: the limits are said and checked by the server, never by the browser
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text=_(
            "A whole number from 2 to 50. Any group of fewer records is left out of every "
            "number, chart and download. 5 is usual; a larger number protects more and shows "
            "less."
        ),
        error_messages={
            "required": _("Enter the smallest group to show, a whole number from 2 to 50."),
            "invalid": _("Enter a whole number from 2 to 50, for example 5."),
            "min_value": _("Enter 2 or more: a group of one person must never show."),
            "max_value": _("Enter 50 or less: a larger number would hide almost everything."),
        },
    )
    period = forms.ChoiceField(
        label=_("Time periods"),
        choices=Period.choices,
        widget=forms.RadioSelect,
        help_text=_("A small desk shows more with quarters or years than with months."),
    )
    regions = forms.BooleanField(
        label=_("Show regions within countries"),
        required=False,
        help_text=_("Regions split the counts further; leave this off on a small desk."),
    )
    pooled = forms.BooleanField(
        label=_("Pool our statistics with the network"),
        required=False,
        help_text=_(
            "The desks that pool see statistics of all of them together, under the network's "
            "own settings; nobody sees one desk's share of the pool."
        ),
    )

    def to_data(self) -> actions.SettingsData:
        data = self.cleaned_data
        return actions.SettingsData(data["k"], data["period"], data["regions"], data["pooled"])


class FilterForm(forms.Form):
    """One list per dimension of the view: the codes in published atoms only. A GET form;
    an unknown code is simply ignored (it could only be forged)."""

    def __init__(self, *args: Any, choices: dict[str, list[tuple[str, str]]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        for dimension, offered in choices.items():
            self.fields[dimension] = forms.MultipleChoiceField(
                label=str(DIMENSIONS[dimension].title),
                choices=offered,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
