from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from protectdesk.lib.forms import SEARCH_TOO_LONG, Form


class SearchForm(Form):
    query = forms.CharField(
        label=_("Words to find"),
        max_length=200,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "type": "search"}
        ),
        help_text=_(
            "Finds records that contain all the words, in any order, with or without accents."
        ),
        error_messages={
            "required": _("Enter the words to find."),
            "max_length": SEARCH_TOO_LONG,
        },
    )
    page = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)
