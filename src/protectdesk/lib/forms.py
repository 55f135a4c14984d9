"""Small typed helpers for Django forms."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms


def set_choices(form: forms.Form, name: str, choices: Iterable[tuple[Any, Any]]) -> None:
    """Set the choices of a choice field built at runtime (countries, regions, colleagues)."""
    cast(forms.ChoiceField, form.fields[name]).choices = list(choices)


def clear_errors(form: forms.Form) -> forms.Form:
    """Show a bound form again without its error messages (Django reads ``_errors``)."""
    form._errors = forms.utils.ErrorDict()  # type: ignore[attr-defined]
    return form


def rebind(form: forms.Form, **values: str) -> None:
    """Change values in a bound form's data (e.g. the row version after an edit conflict)."""
    data = form.data.copy()  # type: ignore[attr-defined]
    for name, value in values.items():
        data[name] = value
    form.data = data


PRIVATE_INPUT = {"autocomplete": "off", "spellcheck": "false"}


def private_text(
    label: Any,
    *,
    rows: int = 3,
    max_length: int = 20000,
    required: bool = False,
    help_text: Any = "",
) -> forms.CharField:
    """A textarea for identifying text: no autocomplete or spellcheck (nothing cached by browsers)."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={**PRIVATE_INPUT, "rows": rows}),
        help_text=help_text,
    )
