"""Words for the blind index: the same normalisation for indexed text and for queries.

Design goals, in order: a query typed without accents, in any case, with or without French
elisions or plural endings finds the record; normalisation is idempotent (normalising a
normalised word changes nothing) so indexing and querying always agree; nothing here depends
on the interface language, because one case mixes languages (a Q'eqchi' community's case may
hold Spanish, English and French notes).

Steps for each word: Unicode compatibility decomposition, accents dropped, case folded;
apostrophes unified; French/Portuguese elisions (l', d', qu'…) removed, other apostrophes
dropped (O'Brien → obrien); split on anything that is not a letter or digit; stop words of
en/es/fr/pt skipped; a light stemmer (plural -s, then a final -e, to a fixed point) applied.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*", re.UNICODE)
_ELISIONS = {"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"}
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "he",
        "her",
        "his",
        "i",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "she",
        "that",
        "the",
        "their",
        "they",
        "this",
        "to",
        "was",
        "were",
        "will",
        "with",
        "you",
        "we",
        "our",
        "al",
        "con",
        "de",
        "del",
        "el",
        "en",
        "es",
        "la",
        "las",
        "lo",
        "los",
        "mas",
        "o",
        "para",
        "por",
        "que",
        "se",
        "sin",
        "su",
        "sus",
        "un",
        "una",
        "uno",
        "unos",
        "unas",
        "y",
        "e",
        "ya",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "dans",
        "des",
        "du",
        "elle",
        "en",
        "et",
        "il",
        "ils",
        "la",
        "le",
        "les",
        "leur",
        "mais",
        "ne",
        "ni",
        "nous",
        "ou",
        "par",
        "pas",
        "pour",
        "qui",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "un",
        "une",
        "vous",
        "ao",
        "aos",
        "as",
        "com",
        "da",
        "das",
        "do",
        "dos",
        "em",
        "na",
        "nas",
        "no",
        "nos",
        "os",
        "ou",
        "pela",
        "pelo",
        "um",
        "uma",
    ]
)
_MIN_LENGTH = 2
_MAX_LENGTH = 64


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _stem_once(word: str) -> str:
    # Plural -s, then a final -e: affaire/affaires, camion/camiones, menace/menaces and
    # mujer/mujeres all meet. Crude on purpose: it only has to be the same for text and query.
    if word.isdigit() or len(word) <= 3:
        return word
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    if word.endswith("e"):
        return word[:-1]
    return word


def _stem(word: str) -> str:
    """Strip plural endings to a fixed point, so stemming a stem changes nothing."""
    while (shorter := _stem_once(word)) != word:
        word = shorter
    return word


def normalise_word(word: str) -> str:
    """One word in its indexed form ('' if it is not indexed). Idempotent."""
    folded = _fold(word)
    tokens = list(_split(folded))
    return tokens[0] if len(tokens) == 1 else ""


def _split(folded: str) -> Iterator[str]:
    for match in _WORD.finditer(folded):
        word = match.group(0)
        if "'" in word:
            head, _sep, tail = word.partition("'")
            word = tail.replace("'", "") if head in _ELISIONS else word.replace("'", "")
        if word in STOP_WORDS:
            continue
        word = _stem(word[:_MAX_LENGTH])
        if word in STOP_WORDS or len(word) < _MIN_LENGTH:
            continue
        yield word


def words(text: str) -> list[str]:
    """The indexed words of ``text``, in order, duplicates kept."""
    return list(_split(_fold(text)))


def query_words(query: str) -> list[str]:
    """The distinct words of a query. Quotes are ignored: a phrase is searched as all its words."""
    seen: list[str] = []
    for word in words(query.replace('"', " ").replace("«", " ").replace("»", " ")):
        if word not in seen:
            seen.append(word)
    return seen
