"""The naive baseline for search: a plaintext copy of the narratives, scanned with ``LIKE``.

The copy is an in-memory SQLite database of the benchmark process, made by decrypting every
incident's title and narrative with its case owner's keys (a generated database: fictional
people only). It never touches the disk and never becomes a migration; it is dropped when the
``with`` block ends. ``like_search`` is what a desk without encryption would run: the same
membership filter, then ``LIKE '%word%'`` over title and narrative, a count and a first page.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from protectdesk.accounts.models import User
from protectdesk.incidents.models import Incident
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case

PAGE = 20


@contextmanager
def plaintext_copy(keyring_of: Callable[[User], Keyring]) -> Iterator[sqlite3.Connection]:
    plain = sqlite3.connect(":memory:")
    plain.execute(
        "CREATE TABLE incident (id TEXT PRIMARY KEY, case_id TEXT, created_at TEXT, "
        "title TEXT, narrative TEXT)"
    )
    owners = dict(Case.objects.values_list("id", "created_by_id"))
    keyrings: dict[object, Keyring] = {}
    batch = []
    for incident in Incident.objects.only(
        "id", "case_id", "created_at", "title", "narrative"
    ).iterator(chunk_size=2000):
        owner_id = owners[incident.case_id]
        if owner_id not in keyrings:
            keyrings[owner_id] = keyring_of(User.objects.get(pk=owner_id))
        opened = keyrings[owner_id].opened(incident)
        batch.append(
            (
                str(incident.id),
                str(incident.case_id),
                incident.created_at.isoformat(),
                str(opened.title),
                str(opened.narrative),
            )
        )
        if len(batch) >= 2000:
            plain.executemany("INSERT INTO incident VALUES (?, ?, ?, ?, ?)", batch)
            batch.clear()
    plain.executemany("INSERT INTO incident VALUES (?, ?, ?, ?, ?)", batch)
    plain.commit()
    try:
        yield plain
    finally:
        plain.close()


def like_search(
    plain: sqlite3.Connection, word: str, case_ids: list[str]
) -> tuple[int, list[tuple[str, str]]]:
    """(matches, first page of (id, title)) among the incidents of ``case_ids``."""
    placeholders = ", ".join("?" * len(case_ids))
    where = f"case_id IN ({placeholders}) AND (title LIKE ? OR narrative LIKE ?)"
    pattern = f"%{word}%"
    total = plain.execute(
        f"SELECT count(*) FROM incident WHERE {where}",  # noqa: S608 - placeholders only
        [*case_ids, pattern, pattern],
    ).fetchone()[0]
    rows = plain.execute(
        f"SELECT id, title FROM incident WHERE {where} ORDER BY created_at DESC LIMIT {PAGE}",  # noqa: S608 - placeholders only
        [*case_ids, pattern, pattern],
    ).fetchall()
    return total, rows
