"""Full-text search over the library's public text: one interface, each database's own engine.

* **PostgreSQL**: a table ``library_fulltext`` (version id, language, ``tsvector``) with a GIN
  index. A version's vector is ``to_tsvector(<language>, title)`` weighted A, then summary and
  text weighted D, with the language's Snowball configuration (``english``, ``spanish``,
  ``french``, ``portuguese``); a query is ``plainto_tsquery`` in that same configuration
  (every word must be there, stop words dropped) and ranks by ``ts_rank``.
* **SQLite**: an FTS5 table ``library_fulltext`` (version id and language unindexed, title,
  text) whose columns hold the words already stemmed in Python by the same Snowball
  algorithms (:mod:`snowballstemmer`); a query is stemmed likewise, every word required, and
  ranks by ``bm25`` with the title weighted five times the text.

So ``ameaças`` finds ``ameaça`` and ``defensoras`` finds ``defensora`` on both. Diacritics are
kept on both (the stemmers expect them; PostgreSQL's configurations keep them too), so the
two engines answer alike. The table is created by the app's migration for the database in use
and written only here (:func:`index`, :func:`remove`: the library's actions remove a
version's entry when they delete it, on both engines); a search is by language, one query per
language asked for. No foreign key ties it to ``library_version``: FTS5 has none, and on
PostgreSQL one would stop Django's ``flush`` (``TRUNCATE`` of a referenced table) — the
readers (:mod:`protectdesk.library.queries`) only return entries whose version exists.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import snowballstemmer
from django.db import connection

#: Language code → the Snowball algorithm (and PostgreSQL text search configuration).
CONFIGS = {"en": "english", "es": "spanish", "fr": "french", "pt": "portuguese"}
#: A query longer than this is refused by the forms (``QueryTooLong``), not cut.
MAX_QUERY_CHARS = 200
#: Words of a query beyond this are not searched (the forms say so).
MAX_QUERY_WORDS = 12
_WORD = re.compile(r"\w+", re.UNICODE)


class BadQuery(ValueError):
    """The query cannot be searched; ``code`` says why (``too_long``, ``no_words``)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Match:
    version_id: uuid.UUID
    language: str
    rank: float  # higher is better, comparable within one search only


@cache
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(CONFIGS[language])


def words(text: str) -> list[str]:
    """The words of ``text``, lower case (what both engines index)."""
    return [w.casefold() for w in _WORD.findall(text) if not w.isdigit() or len(w) > 1]


def stems(text: str, language: str) -> list[str]:
    """The Snowball stems of the words of ``text`` in ``language`` (the SQLite index)."""
    return list(_stemmer(language).stemWords(words(text)))


def query_words(query: str) -> list[str]:
    """The words to search for, or :class:`BadQuery`."""
    if len(query) > MAX_QUERY_CHARS:
        raise BadQuery("too_long")
    found = list(dict.fromkeys(words(query)))[:MAX_QUERY_WORDS]
    if not found:
        raise BadQuery("no_words")
    return found


def index(version_id: uuid.UUID, language: str, title: str, text: str) -> None:
    """(Re)write one version's entry: its title and text (summary and body)."""
    if language not in CONFIGS:
        raise ValueError(f"no full-text configuration for {language!r}")
    remove([version_id])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "INSERT INTO library_fulltext (version_id, language, vector) VALUES "
                "(%s, %s, setweight(to_tsvector(%s::regconfig, %s), 'A') || "
                "setweight(to_tsvector(%s::regconfig, %s), 'D'))",
                [version_id, language, CONFIGS[language], title, CONFIGS[language], text],
            )
        else:
            cursor.execute(
                "INSERT INTO library_fulltext (version_id, language, title, body) "
                "VALUES (%s, %s, %s, %s)",
                [
                    version_id.hex,
                    language,
                    " ".join(stems(title, language)),
                    " ".join(stems(text, language)),
                ],
            )


def remove(version_ids: Iterable[uuid.UUID]) -> None:
    ids = list(version_ids)
    if not ids:
        return
    marks = ", ".join(["%s"] * len(ids))
    values: list[Any] = list(ids)
    if connection.vendor != "postgresql":
        values = [i.hex for i in ids]
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM library_fulltext WHERE version_id IN ({marks})",  # noqa: S608 - placeholders only
            values,
        )


def search(query: str, languages: Sequence[str]) -> list[Match]:
    """Versions in ``languages`` holding every word of ``query``, best first.

    Raises :class:`BadQuery`. Visibility (drafts, desks) is the caller's: this answers over
    every version, so callers intersect with what the reader may see.
    """
    wanted = query_words(query)
    found: list[Match] = []
    with connection.cursor() as cursor:
        for language in languages:
            if language not in CONFIGS:
                continue
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT version_id, ts_rank(vector, q) FROM library_fulltext, "
                    "plainto_tsquery(%s::regconfig, %s) AS q "
                    "WHERE language = %s AND vector @@ q",
                    [CONFIGS[language], " ".join(wanted), language],
                )
                rows = [(uuid.UUID(str(v)), float(r)) for v, r in cursor.fetchall()]
            else:
                terms = list(dict.fromkeys(_stemmer(language).stemWords(wanted)))
                match = " AND ".join(f'"{term}"' for term in terms)  # \w+ only: no quote
                cursor.execute(
                    "SELECT version_id, bm25(library_fulltext, 0, 0, 5.0, 1.0) "
                    "FROM library_fulltext WHERE library_fulltext MATCH %s AND language = %s",
                    [match, language],
                )
                rows = [(uuid.UUID(hex=v), -float(r)) for v, r in cursor.fetchall()]
            found += [Match(version_id, language, rank) for version_id, rank in rows]
    found.sort(key=lambda m: (-m.rank, str(m.version_id)))
    return found


# --- the table, made by the migration for the database in use ----------------------------

POSTGRESQL_TABLE = [
    "CREATE TABLE library_fulltext ("
    " version_id uuid PRIMARY KEY,"
    " language varchar(2) NOT NULL,"
    " vector tsvector NOT NULL)",
    "CREATE INDEX library_fulltext_vector ON library_fulltext USING gin (vector)",
]
SQLITE_TABLE = [
    "CREATE VIRTUAL TABLE library_fulltext USING fts5("
    "version_id UNINDEXED, language UNINDEXED, title, body, "
    "tokenize = 'unicode61 remove_diacritics 0')",
]


def create_table(vendor: str) -> list[str]:
    return POSTGRESQL_TABLE if vendor == "postgresql" else SQLITE_TABLE
