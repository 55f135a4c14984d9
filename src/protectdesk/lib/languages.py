"""The reader's language on the pages read without signing in (the library, the observatory's
published pages, the public form): the ``lang`` of the link or form, never a cookie."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


def reader_language(asked: str) -> str:
    """``asked`` if the project ships it; else the language of the request, else English."""
    codes = {code for code, _name in settings.LANGUAGES}
    if asked in codes:
        return asked
    current = (translation.get_language() or "en").split("-")[0]
    return current if current in codes else "en"
