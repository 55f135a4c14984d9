"""Database chores shared by the modules that destroy secrets."""

from __future__ import annotations

from django.db import DatabaseError, transaction


def checkpoint() -> None:
    """SQLite's ``secure_delete`` zeroes freed pages of the database file, but the rows' old
    pages stay in the write-ahead log until a checkpoint copies it over: do that now, so a
    destroyed row (a report past its retention, a revoked token's key) is gone from the disk.
    Inside a transaction the next checkpoint does it; PostgreSQL: docs/security.md."""
    connection = transaction.get_connection()
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except DatabaseError:  # busy: SQLite checkpoints again on its own soon
        return
