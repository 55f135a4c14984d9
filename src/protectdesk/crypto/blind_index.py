"""The per-case blind index (security.md, Keys 5): two search keys per case.

* Each case has **two search keys**, one per case key: keyed BLAKE2b of a fixed context under
  the case's *shared* key, and under its *staff* key (distinct contexts). A field is indexed
  with the search key of the key that seals it: shared-key fields (the defender's profile, the
  incident log) under the shared search key, staff-key fields (analysis, actors, notes) under
  the staff search key. So the defender's own account, which holds only the shared key, can
  index what it writes and search it, and can never compute a token of a staff-only field;
  staff hold both keys and search both. A rotation of the case keys gives new search keys
  (the index is rebuilt).
* Cases indexed before the split (round one) have every token under the staff search key;
  their rotation rebuilds the index under the two keys (``Case.search_keys`` says which).
* A **token** is keyed BLAKE2b(search key, normalised word), truncated to 12 bytes: collisions
  inside one case are negligible (2^-48 for a pair), and nothing desk-wide exists to compare.
* What it reveals, documented: which records (and fields) of one case share a word, and how many
  distinct words a text has. Not the words, and nothing across cases; tokens of the two keys
  are unrelated, so not even which shared and staff fields share a word.
"""

from __future__ import annotations

from protectdesk.crypto import kdf, text
from protectdesk.crypto.casekeys import Purpose

TOKEN_BYTES = 12
#: The staff context is the round-one one, so tokens written before the split stay valid.
_CONTEXTS = {Purpose.STAFF: b"pd-search-index-v1", Purpose.SHARED: b"pd-search-index-shared-v1"}


def search_key(case_key: bytes, purpose: Purpose = Purpose.STAFF) -> bytes:
    """The case's search key for the fields sealed under ``case_key`` (of ``purpose``)."""
    if len(case_key) != 32:
        raise ValueError("case keys are 32 bytes")
    return kdf.keyed_digest(case_key, _CONTEXTS[Purpose(purpose)])


def token(key: bytes, word: str) -> bytes:
    """The token of one already-normalised word."""
    return kdf.keyed_digest(key, word.encode("utf-8"), size=TOKEN_BYTES)


def tokens_of(key: bytes, plaintext: str) -> set[bytes]:
    """The distinct tokens of a text."""
    return {token(key, word) for word in text.words(plaintext)}


def query_tokens(key: bytes, query: str) -> list[bytes]:
    """One token per distinct query word, in query order."""
    return [token(key, word) for word in text.query_words(query)]
