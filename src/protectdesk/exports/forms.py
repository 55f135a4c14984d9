from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from protectdesk.lib.forms import Form

FORMAT_CHOICES = [("csv", "CSV"), ("xlsx", "XLSX (Excel, LibreOffice)"), ("json", "JSON")]


class IdentifyingExportForm(Form):
    """A member's export of a case with its identifying data, after an explicit confirmation."""

    file_format = forms.ChoiceField(
        label=_("Format"), choices=FORMAT_CHOICES, initial="csv", widget=forms.RadioSelect
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand that this file holds the defender's name, exact places and dates and "
            "the narratives of the incidents, in clear, and that it leaves the protection of "
            "the server once downloaded."
        ),
        error_messages={
            "required": _("Tick the box to confirm you want the identifying data in the file.")
        },
    )
