from __future__ import annotations

from django import forms


class UploadForm(forms.Form):
    """The non-file fields of an upload (the file itself arrives already encrypted)."""

    staff_only = forms.BooleanField(required=False)
    record = forms.CharField(max_length=100)
