"""Library forms: the public search, a resource's details, one language version."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from protectdesk import vocabularies
from protectdesk.lib.forms import SEARCH_TOO_LONG, Form, set_choices
from protectdesk.library import actions, fulltext
from protectdesk.library.models import LANGUAGES, Audience, Kind, Licence

PUBLIC_NOTE = _("Published for anyone to read: write nothing that identifies a person at risk.")


def reserved_slug_message(slug: str) -> str:
    """Why an address the library uses itself cannot be a resource's (the form and the view)."""
    return gettext(
        "“%(slug)s” is an address the library uses itself (so are %(reserved)s): choose "
        "another one."
    ) % {"slug": slug, "reserved": ", ".join(sorted(actions.RESERVED_SLUGS))}


class SearchForm(Form):
    q = forms.CharField(
        label=_("Words to find"),
        max_length=fulltext.MAX_QUERY_CHARS,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false"}),
        help_text=_("Finds guides that contain all the words, in any of their forms."),
        error_messages={"max_length": SEARCH_TOO_LONG},
    )
    lang = forms.ChoiceField(label=_("Language of the resources"), choices=LANGUAGES)

    def clean_q(self) -> str:
        query: str = self.cleaned_data["q"]
        if query.strip():
            try:
                fulltext.query_words(query)
            except fulltext.BadQuery as refused:
                if refused.code == "no_words":
                    raise forms.ValidationError(
                        _("Type at least one word (letters or digits) to search for."),
                        code="no_words",
                    ) from None
                raise
        return query


class ResourceForm(Form):
    slug = forms.CharField(
        label=_("Address"),
        max_length=actions.MAX_SLUG,
        help_text=_("Lower-case letters, digits and hyphens, for example: safe-travel-guide."),
        error_messages={"required": _("Enter the address, for example: safe-travel-guide.")},
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one topic.")},
    )
    licence = forms.ChoiceField(label=_("Licence"), choices=Licence.choices)
    published_on = forms.DateField(
        label=_("Publication date"),
        required=False,
        help_text=_("Year-month-day, for example 2026-03-31. Empty: the day it is published."),
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(format="%Y-%m-%d"),
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "topics", vocabularies.load("library_topics").choices())

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"].strip()
        if not actions.SLUG.match(slug):
            raise forms.ValidationError(
                _(
                    "Use lower-case letters, digits and single hyphens, for example "
                    "safe-travel-guide."
                ),
                code="slug",
            )
        if slug in actions.RESERVED_SLUGS:
            raise forms.ValidationError(reserved_slug_message(slug), code="slug_reserved")
        return slug

    def data_for_action(self) -> actions.ResourceData:
        data = self.cleaned_data
        return actions.ResourceData(
            slug=data["slug"],
            kind=data["kind"],
            audience=data["audience"],
            topics=tuple(data["topics"]),
            licence=data["licence"],
            published_on=data["published_on"],
        )


class VersionForm(Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=actions.MAX_TITLE,
        help_text=PUBLIC_NOTE,
        error_messages={"required": _("Enter the title in this language.")},
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=actions.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Plain text; an empty line starts a new paragraph."),
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("A PDF, an office or e-book document, plain text or an image; up to 25 MB."),
    )
    remove_file = forms.BooleanField(label=_("Remove the file"), required=False)
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def data_for_action(self, language: str) -> actions.VersionData:
        data = self.cleaned_data
        return actions.VersionData(language, data["title"], data["summary"], data["body"])
