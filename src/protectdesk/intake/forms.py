"""The intake's forms: the public report, the receipt, an answer; and the officers' forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from protectdesk.intake.actions import MAX_TEXT
from protectdesk.intake.models import MAX_RETENTION_DAYS, MIN_RETENTION_DAYS
from protectdesk.lib.forms import PRIVATE_INPUT, Form, private_text


class ReportForm(Form):
    """What a person tells the desk. Only "what happened" is required: anything else may be
    too dangerous to write, and the desk can ask later through the conversation."""

    what = private_text(
        _("What happened?"),
        rows=8,
        max_length=MAX_TEXT,
        required=True,
        help_text=_("Tell it in your own words. Leave out anything you are not sure is safe."),
        error_messages={"required": _("Write what happened: the report cannot be empty.")},
    )
    when = private_text(
        _("When did it happen?"), rows=2, max_length=2000, help_text=_("A day, or roughly.")
    )
    where = private_text(_("Where did it happen?"), rows=2, max_length=2000)
    who = private_text(
        _("Who is at risk, and who did it?"),
        rows=4,
        max_length=MAX_TEXT,
        help_text=_("Names only if you want the desk to know them."),
    )
    contact = private_text(
        _("How can the desk reach you safely?"),
        rows=3,
        max_length=2000,
        help_text=_(
            "Optional. You can also come back with your receipt to read the desk's replies."
        ),
    )
    #: The page's one-time token (signed by the server, checked when the form comes back).
    token = forms.CharField(widget=forms.HiddenInput, max_length=200)


class ReceiptForm(Form):
    receipt = forms.CharField(
        label=_("Your receipt"),
        max_length=60,
        widget=forms.TextInput(attrs={**PRIVATE_INPUT, "autocapitalize": "characters"}),
        help_text=_("24 letters and digits, as they were shown after you sent your report."),
        error_messages={"required": _("Type the receipt you were given when you sent the report.")},
    )


class AnswerForm(Form):
    receipt = forms.CharField(widget=forms.HiddenInput, max_length=60)
    text = private_text(
        _("Your message to the desk"),
        rows=5,
        max_length=MAX_TEXT,
        required=True,
        error_messages={"required": _("Write your message before sending it.")},
    )


class ReplyForm(Form):
    text = private_text(
        _("Reply to the person"),
        rows=5,
        max_length=MAX_TEXT,
        required=True,
        help_text=_("Sealed to the person's key: they read it with their receipt."),
        error_messages={"required": _("Write the reply before sending it.")},
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput)


class VersionForm(Form):
    """A button that acts on a submission (close it) with the version the officer saw."""

    row_version = forms.IntegerField(widget=forms.HiddenInput)


class AddToCaseForm(Form):
    case = forms.ChoiceField(
        label=_("Case"),
        error_messages={"required": _("Choose the case this report belongs to.")},
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput)


class DoorForm(Form):
    accepting = forms.BooleanField(
        label=_("Accept reports through the public form"), required=False
    )
    retention_days = forms.IntegerField(
        label=_("Days a report is kept"),
        min_value=MIN_RETENTION_DAYS,
        max_value=MAX_RETENTION_DAYS,
        help_text=_(
            "A report nobody wrote to for this many days is destroyed, with its files and "
            "conversation, whether or not it was moved into a case."
        ),
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput)


class GiveKeyForm(Form):
    users = forms.MultipleChoiceField(
        label=_("Colleagues to make intake officers"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one colleague.")},
    )
