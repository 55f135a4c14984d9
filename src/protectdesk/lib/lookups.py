"""Database lookups Django has no portable form of, for the two databases the app runs on."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import NotSupportedError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Lookup
from django.db.models.sql.compiler import SQLCompiler


class AnyOf(Lookup):  # type: ignore[type-arg]
    """A JSON list of strings that holds at least one of the given strings.

    Used as an expression, ``Incident.objects.filter(AnyOf(F("types"), ["raid", "eviction"]))``:
    on PostgreSQL the jsonb operator ``?|`` (an array's string elements count as its keys), on
    SQLite an ``EXISTS`` over ``json_each`` of the list. An empty list matches nothing.
    """

    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self) -> list[str]:
        if not isinstance(self.rhs, list | tuple) or not all(isinstance(v, str) for v in self.rhs):
            raise TypeError("AnyOf takes a list of strings")
        return list(self.rhs)

    def _lhs(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, Any]:
        if not self.rhs:
            raise EmptyResultSet
        return self.process_lhs(compiler, connection)

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, list[Any]]:
        lhs, lhs_params = self._lhs(compiler, connection)
        marks = ", ".join(["%s"] * len(self.rhs))
        return (
            # lhs is the compiled column; the strings are parameters
            f"EXISTS (SELECT 1 FROM json_each({lhs}) AS any_of WHERE any_of.value IN ({marks}))",  # noqa: S608 - compiled column and placeholders
            [*lhs_params, *self.rhs],
        )

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, list[Any]]:
        lhs, lhs_params = self._lhs(compiler, connection)
        return f"({lhs} ?| %s::text[])", [*lhs_params, list(self.rhs)]

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, list[Any]]:
        raise NotSupportedError(
            f"AnyOf is written for SQLite and PostgreSQL, not {connection.vendor}"
        )
