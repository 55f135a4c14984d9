"""Snapshot of every table's rows, to prove a request changed nothing (or find canaries)."""

from __future__ import annotations

from django.db import connection

#: Tables a GET may legitimately touch: the session (expiry slides) and record_access() rows.
GET_MAY_WRITE = {"accounts_session", "audit_auditentry", "audit_audithead"}


def snapshot(exclude: set[str] = GET_MAY_WRITE) -> dict[str, list[tuple]]:
    state: dict[str, list[tuple]] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table in exclude:
                continue
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from introspection
            state[table] = sorted(map(repr, cursor.fetchall()))
    return state
