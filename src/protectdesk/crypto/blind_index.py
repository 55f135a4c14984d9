"""The per-case blind index (security.md, Keys 5).

* The case's **search key** is keyed BLAKE2b of a fixed context under the case's *staff* key:
  only staff members can search, every case has its own tokens, and a rotation of the staff key
  gives a new search key (the index is rebuilt).
* A **token** is keyed BLAKE2b(search key, normalised word), truncated to 12 bytes: collisions
  inside one case are negligible (2^-48 for a pair), and nothing desk-wide exists to compare.
* What it reveals, documented: which records (and fields) of one case share a word, and how many
  distinct words a text has. Not the words, and nothing across cases.
"""

from __future__ import annotations

from protectdesk.crypto import kdf, text

TOKEN_BYTES = 12
_CONTEXT = b"pd-search-index-v1"


def search_key(staff_key: bytes) -> bytes:
    """The case's search key, derived from its staff key."""
    if len(staff_key) != 32:
        raise ValueError("staff keys are 32 bytes")
    return kdf.keyed_digest(staff_key, _CONTEXT)


def token(key: bytes, word: str) -> bytes:
    """The token of one already-normalised word."""
    return kdf.keyed_digest(key, word.encode("utf-8"), size=TOKEN_BYTES)


def tokens_of(key: bytes, plaintext: str) -> set[bytes]:
    """The distinct tokens of a text."""
    return {token(key, word) for word in text.words(plaintext)}


def query_tokens(key: bytes, query: str) -> list[bytes]:
    """One token per distinct query word, in query order."""
    return [token(key, word) for word in text.query_words(query)]
