"""A country and its first-level regions on a form, with no JavaScript.

Without JavaScript the region list cannot follow the country as it changes: the form offers
the regions of the country chosen (or the desk's), and if the country was changed a region of
another country is refused with a message that asks to pick again. Every form with a
``country`` and a ``subdivision`` field (a defender's profile, an incident, a workshop) uses
these two functions.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _

from protectdesk import vocabularies
from protectdesk.lib.forms import set_choices


def offer_places(form: forms.Form, default_country: str = "") -> None:
    """Fill ``country`` with every country and ``subdivision`` with the chosen one's regions."""
    set_choices(form, "country", vocabularies.country_choices())
    country = (
        (form.data.get("country") if form.is_bound else None)
        or form.initial.get("country")
        or default_country
    )
    form.fields["country"].initial = country
    set_choices(
        form,
        "subdivision",
        [("", _("Not recorded")), *vocabularies.subdivision_choices(str(country or ""))],
    )


def check_place(form: forms.Form, data: dict[str, Any]) -> None:
    """In ``clean``: a region must belong to the country chosen."""
    country, subdivision = data.get("country", ""), data.get("subdivision", "")
    if subdivision and not vocabularies.is_subdivision_of(subdivision, country):
        form.add_error("subdivision", _("Choose a region of the selected country."))
