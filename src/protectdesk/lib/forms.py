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
