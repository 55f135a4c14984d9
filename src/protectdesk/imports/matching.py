"""Matching what a person typed to codes: vocabularies, choices, countries and column names.

A cell matches a code when, once normalised (case, accents and punctuation ignored), it is the
code itself or its label in one of the shipped languages (en, es, fr, pt): a desk that keeps
"Vigilancia" in its sheet imports it as ``surveillance``. Anything else is an error, with the
nearest entry (difflib over codes and labels, then a label that contains the word) offered as
a suggestion — never taken silently.
"""

from __future__ import annotations

import difflib
import gettext
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import pycountry
from django.db import models
from django.utils import translation

from protectdesk import vocabularies
from protectdesk.cases.models import AgeBand, DefenderKind, Gender
from protectdesk.incidents import columns
from protectdesk.incidents.models import DatePrecision, Nature, Step

_NOT_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Lower case, without accents, punctuation as single spaces ("País " → "pais")."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", bare.casefold()).split())


@dataclass(frozen=True)
class Choices:
    """The codes of one list, and every normalised way of writing each of them."""

    name: str
    keys: dict[str, str]  # normalised code or label → code

    def match(self, text: str) -> str | None:
        return self.keys.get(normalise(text))

    def suggest(self, text: str) -> str | None:
        """The nearest code to what was typed, if any is near enough."""
        typed = normalise(text)
        if not typed:
            return None
        close = difflib.get_close_matches(typed, list(self.keys), n=1, cutoff=0.6)
        if close:
            return self.keys[close[0]]
        contains = sorted(key for key in self.keys if typed in key.split() or typed in key)
        return self.keys[contains[0]] if contains else None

    def label(self, code: str) -> str:
        """The code's label in the active language."""
        if self.name in _CHOICES:
            return str(dict(_CHOICES[self.name].choices).get(code, code))
        return vocabularies.load(self.name).label(code)


_CHOICES: dict[str, type[models.TextChoices]] = {
    "DefenderKind": DefenderKind,
    "Gender": Gender,
    "AgeBand": AgeBand,
    "DatePrecision": DatePrecision,
    "Nature": Nature,
    "Step": Step,
}


@cache
def choices(name: str) -> Choices:
    """A vocabulary (``incident_types``) or model choices (``Nature``) as :class:`Choices`."""
    keys: dict[str, str] = {}
    if name in _CHOICES:
        model = _CHOICES[name]
        for code in model.values:
            keys.setdefault(normalise(code), code)
        for language in vocabularies.LANGUAGES:
            with translation.override(language):
                for code, label in model.choices:
                    keys.setdefault(normalise(str(label)), code)
    else:
        for term in vocabularies.load(name).terms:
            keys.setdefault(normalise(term.code), term.code)
            for label in term.labels.values():
                keys.setdefault(normalise(label), term.code)
    keys.pop("", None)
    return Choices(name, keys)


def for_column(column: columns.Column) -> Choices | None:
    source = column.vocabulary or column.choices
    return choices(source) if source else None


# --- countries ------------------------------------------------------------------------------


@cache
def _country_names() -> dict[str, str]:
    """Normalised country names (en, es, fr, pt; official and common names) and alpha-3
    codes → alpha-2 code."""
    names: dict[str, str] = {}
    catalogues = [
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
        for lang in vocabularies.LANGUAGES
    ]
    for country in pycountry.countries:
        code = country.alpha_2
        names.setdefault(normalise(country.alpha_3), code)
        for attribute in ("name", "official_name", "common_name"):
            english = getattr(country, attribute, None)
            if not english:
                continue
            for catalogue in catalogues:
                names.setdefault(normalise(catalogue.gettext(english)), code)
    names.pop("", None)
    return names


def country(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code typed in ``text`` (any case), or None."""
    code = text.strip().upper()
    if len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None:
        return code
    return None


def suggest_country(text: str) -> str | None:
    """The country a name (in one of the four languages) or an alpha-3 code most likely means."""
    typed = normalise(text)
    names = _country_names()
    if typed in names:
        return names[typed]
    close = difflib.get_close_matches(typed, list(names), n=1, cutoff=0.75)
    return names[close[0]] if close else None


def suggest_subdivision(text: str, country_code: str) -> str | None:
    """The first-level region of ``country_code`` a name or a bare number most likely means."""
    typed = normalise(text)
    options = vocabularies.subdivision_choices(country_code)
    by_key = {normalise(label): code for code, label in options}
    by_key.update({normalise(code.split("-", 1)[-1]): code for code, _label in options})
    if typed in by_key:
        return by_key[typed]
    close = difflib.get_close_matches(typed, list(by_key), n=1, cutoff=0.75)
    return by_key[close[0]] if close else None


# --- column names ---------------------------------------------------------------------------

#: Common headings desks use, in the four languages, beside each column's name and label.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "case_reference": (
        "case reference", "reference", "ref", "case", "case id", "case number", "referencia",
        "referencia del caso", "caso", "expediente", "numero de caso", "reference du dossier",
        "dossier", "numero de dossier", "referencia do caso", "processo",
    ),
    "defender_kind": (
        "kind", "defender kind", "type of defender", "tipo de defensor", "tipo de defensora",
        "tipo de persona defensora", "type de defenseur", "type de defenseur e",
        "tipo de defensor a",
    ),
    "defender_country": (
        "defender country", "country of defender", "pais del defensor",
        "pais de la persona defensora", "pays du defenseur", "pais do defensor",
    ),
    "defender_sectors": (
        "sectors", "sector", "sectores", "sectors of work", "area of work", "ambito",
        "secteur", "secteurs", "setor", "setores",
    ),
    "defender_gender": ("gender", "sex", "genero", "sexo", "genre", "sexe"),
    "defender_age_band": ("age", "age band", "edad", "rango de edad", "age range", "idade"),
    "defender_name": (
        "name", "defender", "defender name", "full name", "nombre", "nombre del defensor",
        "nombre de la persona defensora", "defensor", "defensora", "persona defensora", "nom",
        "nom du defenseur", "defenseur", "nome", "nome do defensor", "nome da pessoa defensora",
    ),
    "year": ("year", "ano", "anio", "annee", "yyyy"),
    "month": ("month", "mes", "mois", "yyyy mm"),
    "date_precision": (
        "precision", "date precision", "precision de la fecha", "precision de la date",
        "precisao", "precisao da data",
    ),
    "country": (
        "country", "pais", "pays", "country of the incident", "pais del incidente",
        "pays de l incident", "pais do incidente",
    ),
    "subdivision": (
        "region", "subdivision", "department", "departamento", "province", "provincia",
        "state", "estado", "departement", "regiao",
    ),
    "types": (
        "type", "types", "incident type", "type of incident", "tipo", "tipos",
        "tipo de incidente", "tipo de agresion", "type d incident", "tipo de incidente",
    ),
    "nature": (
        "nature", "physical or digital", "naturaleza", "fisico o digital", "physique ou numerique",
        "natureza", "fisico ou digital",
    ),
    "severity": ("severity", "gravity", "gravedad", "severidad", "gravite", "gravidade"),
    "affected": (
        "affected", "who was affected", "afectados", "afectadas", "personas afectadas",
        "affectes", "personnes affectees", "afetados", "pessoas afetadas",
    ),
    "authority_response": (
        "reported", "reported to authorities", "denuncia", "denunciado", "denunciado ante las autoridades",
        "signale aux autorites", "plainte", "denunciado as autoridades",
    ),
    "step": ("step", "handling", "etapa", "tratamiento", "etape", "traitement"),
    "exact_date": (
        "date", "exact date", "day", "fecha", "fecha exacta", "dia", "data", "date exacte",
        "jour", "data exata", "yyyy mm dd",
    ),
    "title": ("title", "subject", "titulo", "asunto", "titre", "sujet", "assunto"),
    "narrative": (
        "narrative", "description", "what happened", "facts", "descripcion", "relato",
        "hechos", "narracion", "que paso", "recit", "faits", "ce qui s est passe", "descricao",
        "o que aconteceu", "fatos",
    ),
    "place": (
        "place", "exact place", "location", "lugar", "ubicacion", "lugar exacto", "lieu",
        "endroit", "local", "localizacao",
    ),
    "consequences": (
        "consequences", "harm", "impact", "consecuencias", "danos", "impacto", "consequencias",
        "prejudice",
    ),
    "authority_details": (
        "authority details", "response of the authorities", "authorities response",
        "respuesta de las autoridades", "reponse des autorites", "resposta das autoridades",
    ),
    "reaction": (
        "reaction", "immediate reaction", "reaccion", "respuesta inmediata", "reaction immediate",
        "reacao", "reacao imediata",
    ),
}  # fmt: skip


@cache
def _column_keys() -> dict[str, str]:
    """Normalised heading → column name: names, labels in each language, then synonyms."""
    keys: dict[str, str] = {}
    for column in columns.COLUMNS:
        keys.setdefault(normalise(column.name), column.name)
    for language in vocabularies.LANGUAGES:
        with translation.override(language):
            for column in columns.COLUMNS:
                keys.setdefault(normalise(str(column.label)), column.name)
    for name, synonyms in SYNONYMS.items():
        for synonym in synonyms:
            keys.setdefault(normalise(synonym), name)
    return keys


def column_for(heading: str) -> str:
    """The column a heading names, or "" (an export's ``*_huridocs`` and ``incident_id`` too)."""
    return _column_keys().get(normalise(heading), "")


def guess_mapping(header: list[str]) -> list[str]:
    """Each file column's column name by its heading; each name used once (the first wins)."""
    used: set[str] = set()
    mapping = []
    for heading in header:
        name = column_for(heading)
        if name in used:
            name = ""
        used.add(name)
        mapping.append(name)
    return mapping
