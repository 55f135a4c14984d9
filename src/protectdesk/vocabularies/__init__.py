"""Controlled vocabularies shipped as data (YAML) with their en/es/fr/pt labels.

Each file is a list of entries ``{code, en, es, fr, pt}`` plus optional fields (``huridocs``,
``severity``, ``group``...). Codes are stable identifiers stored in the database and used in
exports; labels follow the active language. Countries and their first-level subdivisions
come from ``pycountry`` (ISO 3166-1 and 3166-2) with its own translations.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pycountry
import yaml
from django.utils import translation

DATA_DIR = Path(__file__).resolve().parent
LANGUAGES = ("en", "es", "fr", "pt")


@dataclass(frozen=True)
class Term:
    code: str
    labels: dict[str, str]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        language = (translation.get_language() or "en").split("-")[0]
        return self.labels.get(language) or self.labels["en"]


@dataclass(frozen=True)
class Vocabulary:
    name: str
    terms: tuple[Term, ...]

    def choices(self) -> list[tuple[str, str]]:
        return [(term.code, term.label) for term in self.terms]

    def get(self, code: str) -> Term | None:
        return self._index().get(code)

    def label(self, code: str) -> str:
        term = self.get(code)
        return term.label if term else code

    def codes(self) -> set[str]:
        return set(self._index())

    def order(self) -> dict[str, int]:
        """Each code's place in the data file (a set of codes has no order)."""
        return {term.code: n for n, term in enumerate(self.terms)}

    def _index(self) -> dict[str, Term]:
        return {term.code: term for term in self.terms}


@cache
def load(name: str) -> Vocabulary:
    """Load ``<name>.yaml``; every entry must carry a label in each shipped language."""
    entries = yaml.safe_load((DATA_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
    terms = []
    for entry in entries:
        labels = {language: entry.pop(language) for language in LANGUAGES}
        code = entry.pop("code")
        terms.append(Term(code=code, labels=labels, extra=entry))
    return Vocabulary(name, tuple(terms))


# --- countries and subdivisions (ISO 3166) ---------------------------------------------------


@cache
def _iso_translation(domain: str, language: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)


def _translate(domain: str, text: str) -> str:
    language = (translation.get_language() or "en").split("-")[0]
    return _iso_translation(domain, language).gettext(text)


def country_choices() -> list[tuple[str, str]]:
    return sorted(
        ((c.alpha_2, _translate("iso3166-1", c.name)) for c in pycountry.countries),
        key=lambda c: c[1],
    )


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code) if code else None
    return _translate("iso3166-1", country.name) if country else code


@cache
def _top_subdivisions(country: str) -> tuple[tuple[str, str], ...]:
    found = pycountry.subdivisions.get(country_code=country) or []  # type: ignore[no-untyped-call]
    top = [s for s in found if not s.parent_code]
    return tuple(sorted((s.code, s.name) for s in top))


def subdivision_choices(country: str) -> list[tuple[str, str]]:
    """First-level subdivisions (ISO 3166-2) of ``country``, labelled in the active language."""
    return sorted(
        ((code, _translate("iso3166-2", name)) for code, name in _top_subdivisions(country)),
        key=lambda c: c[1],
    )


def subdivision_name(code: str) -> str:
    if not code:
        return ""
    sub = pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]
    return _translate("iso3166-2", sub.name) if sub else code


def is_subdivision_of(code: str, country: str) -> bool:
    return any(code == c for c, _ in _top_subdivisions(country))
