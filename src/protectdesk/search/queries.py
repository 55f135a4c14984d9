"""Searching the cases a member can open, without the server ever holding a word.

For every case the viewer holds a key of, the query's words become that case's tokens under
each search key held (staff: both; a defender's account: the shared one);
one indexed query per batch of tokens finds the rows; a record matches when every query word is
among its tokens (in any of its searchable fields). Only matching records are decrypted, to
name the matched field and show a short excerpt.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from protectdesk.cases.models import Defender
from protectdesk.crypto import blind_index, text
from protectdesk.records import registry
from protectdesk.records.keyring import Keyring, NoCaseAccess
from protectdesk.records.models import Case, CaseMember, SearchToken

_BATCH = 500
PAGE_SIZE = 20


@dataclass
class Hit:
    case: Case
    defender_name: str
    record_type: str
    record_id: uuid.UUID
    title: str
    url: str
    fields: list[str] = field(default_factory=list)
    excerpt: SafeString = field(default_factory=lambda: mark_safe(""))


@dataclass(frozen=True)
class Results:
    hits: list[Hit]
    total: int
    page: int
    pages: int
    cases_searched: int


def _case_tokens(
    keyring: Keyring, case_ids: list[uuid.UUID], words: list[str]
) -> dict[bytes, tuple[uuid.UUID, int, str]]:
    """token → (case, search key purpose, word) for every case, key version and case key held.

    A staff member holds both keys and so searches both halves of the index; a defender's
    account holds only the shared key, so it can make no token of a staff-key field.
    """
    wanted: dict[bytes, tuple[uuid.UUID, int, str]] = {}
    for case_id in case_ids:
        keys = keyring.keys_for(case_id, verify=False)
        for purpose, version in sorted(keys.held()):  # two versions while a rotation runs
            key = blind_index.search_key(keys.key(purpose, version), purpose)
            for word in words:
                wanted[blind_index.token(key, word)] = (case_id, int(purpose), word)
    return wanted


def matching_records(keyring: Keyring, query: str, record_type: str) -> set[uuid.UUID]:
    """Ids of records of ``record_type`` that contain every word of ``query``."""
    return {
        record_id
        for (kind, record_id), _entry in _matches(keyring, query)[0]
        if kind == record_type
    }


def searchable_cases(keyring: Keyring) -> list[uuid.UUID]:
    """The cases the viewer searches: those they are a member of and hold a key of."""
    member_cases = list(
        CaseMember.objects.filter(user=keyring.user).values_list("case_id", flat=True)
    )
    keyring.preload(member_cases)
    found = []
    for case_id in member_cases:
        try:
            keyring.keys_for(case_id, verify=False)
        except NoCaseAccess:
            continue
        found.append(case_id)
    return found


def _matches(
    keyring: Keyring, query: str
) -> tuple[list[tuple[tuple[str, uuid.UUID], dict[str, Any]]], int, list[str]]:
    words = text.query_words(query)
    searchable = searchable_cases(keyring)
    if not words or not searchable:
        return [], len(searchable), words
    wanted = _case_tokens(keyring, searchable, words)
    found: dict[tuple[str, uuid.UUID], dict[str, Any]] = defaultdict(
        lambda: {"words": set(), "fields": set(), "case": None}
    )
    tokens = list(wanted)
    for start in range(0, len(tokens), _BATCH):
        rows = SearchToken.objects.filter(token__in=tokens[start : start + _BATCH]).values_list(
            "token", "case_id", "purpose", "record_type", "record_id", "field"
        )
        for token, case_id, purpose, record_type, record_id, field_name in rows:
            expected_case, expected_purpose, word = wanted[bytes(token)]
            if (case_id, purpose) != (expected_case, expected_purpose):
                continue  # a token of another case or key that happens to collide: not a match
            entry = found[(record_type, record_id)]
            entry["words"].add(word)
            entry["fields"].add(field_name)
            entry["case"] = case_id
    return (
        [(key, entry) for key, entry in found.items() if entry["words"] >= set(words)],
        len(searchable),
        words,
    )


def search(keyring: Keyring, query: str, page: int = 1) -> Results:
    matches, searched, words = _matches(keyring, query)
    if not matches:
        return Results([], 0, 1, 1, searched)
    cases = {c.id: c for c in Case.objects.filter(pk__in={entry["case"] for _k, entry in matches})}
    matches.sort(
        key=lambda item: (cases[item[1]["case"]].created_at, str(item[0][1])), reverse=True
    )
    total = len(matches)
    pages = max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE)
    page = min(max(1, page), pages)
    shown = matches[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    defenders = {
        d.case_id: d
        for d in Defender.objects.filter(case_id__in={entry["case"] for _k, entry in shown})
    }
    ids_of: dict[str, list[uuid.UUID]] = defaultdict(list)
    for (record_type, record_id), _entry in shown:
        ids_of[record_type].append(record_id)
    records = {
        (record_type, record_id): record
        for record_type, ids in ids_of.items()
        for record_id, record in registry.TYPES[record_type]
        .model._default_manager.in_bulk(ids)
        .items()
    }
    hits = []
    for (record_type, record_id), entry in shown:
        case = cases[entry["case"]]
        kind = registry.TYPES[record_type]
        record = records.get((record_type, record_id))
        if record is None:
            continue  # deleted since its tokens were read (they go in the same transaction)
        opened = keyring.opened(record)
        defender = defenders.get(case.id)
        hit = Hit(
            case=case,
            defender_name=str(keyring.opened(defender).name) if defender else case.reference,
            record_type=record_type,
            record_id=record_id,
            title=str(kind.title),
            url=kind.url(case, record_id),
            fields=[kind.field_label(name) for name in sorted(entry["fields"])],
        )
        first_field = sorted(entry["fields"])[0]
        hit.excerpt = excerpt(str(getattr(opened, first_field) or ""), words)
        hits.append(hit)
    return Results(hits, total, page, pages, searched)


def excerpt(plaintext: str, words: list[str], width: int = 160) -> SafeString:
    """A short piece of ``plaintext`` around the first matching word, matches in <mark>."""
    first = next((start for start, _end, word in _word_spans(plaintext) if word in words), 0)
    begin = max(0, first - width // 3)
    window = plaintext[begin : begin + width]
    pieces: list[str] = []
    cursor = 0
    for start, end, normalised in _word_spans(window):
        if normalised in words:
            pieces.append(escape(window[cursor:start]))
            pieces.append(f"<mark>{escape(window[start:end])}</mark>")
            cursor = end
    pieces.append(escape(window[cursor:]))
    prefix = "… " if begin > 0 else ""
    suffix = " …" if begin + width < len(plaintext) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)  # noqa: S308 - every piece is escaped


_SPAN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _word_spans(plaintext: str) -> list[tuple[int, int, str]]:
    spans = []
    for match in _SPAN.finditer(plaintext):
        normalised = text.words(match.group(0))
        if normalised:
            spans.append((match.start(), match.end(), normalised[-1]))
    return spans
