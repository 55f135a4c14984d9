"""Consistent database snapshots and per-table checksums, for SQLite and PostgreSQL.

Works on connection parameters, not on Django's connection, so a restore can inspect a staging
database that Django knows nothing about. A checksum is the SHA-256 of every row of a table,
each value normalised to text, rows sorted: two databases of the same engine with the same
content give the same checksums.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from protectdesk.lib.env import open_private

Checksums = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Database:
    """Where a database is: a SQLite file, or a PostgreSQL database."""

    engine: str  # "sqlite" or "postgresql"
    path: Path | None = None
    name: str = ""
    host: str = "127.0.0.1"
    port: int = 5432
    user: str = ""
    password: str = ""

    @classmethod
    def from_django(cls, settings_dict: dict[str, Any]) -> Database:
        if settings_dict["ENGINE"].endswith("sqlite3"):
            return cls("sqlite", path=Path(settings_dict["NAME"]))
        return cls(
            "postgresql",
            name=settings_dict["NAME"],
            host=settings_dict.get("HOST") or "127.0.0.1",
            port=int(settings_dict.get("PORT") or 5432),
            user=settings_dict.get("USER") or "",
            password=settings_dict.get("PASSWORD") or "",
        )

    def named(self, name: str) -> Database:
        return replace(self, name=name)

    def dsn(self, dbname: str | None = None) -> str:
        parts = {"host": self.host, "port": str(self.port), "dbname": dbname or self.name}
        if self.user:
            parts["user"] = self.user
        return " ".join(f"{k}={v}" for k, v in parts.items())

    def pg_env(self) -> dict[str, str]:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def pg_args(self) -> list[str]:
        args = ["-h", self.host, "-p", str(self.port)]
        return [*args, "-U", self.user] if self.user else args

    def connect_pg(
        self, dbname: str | None = None, autocommit: bool = True
    ) -> psycopg.Connection[Any]:
        return psycopg.connect(
            self.dsn(dbname), password=self.password or None, autocommit=autocommit
        )


def _tool(name: str) -> str:
    """The full path of a PostgreSQL client program, or a clear error."""
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"{name} is not installed (Debian package postgresql-client)")
    return path


def _normalise(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bytes | bytearray | memoryview):
        return "b:" + bytes(value).hex()
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    return repr(value)


def _digest(rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    lines = sorted("\t".join(_normalise(v) for v in row) for row in rows)
    return {"rows": len(lines), "sha256": hashlib.sha256("\n".join(lines).encode()).hexdigest()}


def checksums_sqlite(conn: sqlite3.Connection) -> Checksums:
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {t: _digest(conn.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables}  # noqa: S608 - names from the catalogue


def checksums_pg(conn: psycopg.Connection[Any]) -> Checksums:
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema='public' AND table_type='BASE TABLE' ORDER BY table_name"
        )
        tables = [r[0] for r in cursor.fetchall()]
        result = {}
        for table in tables:
            cursor.execute(sql.SQL("SELECT * FROM {}").format(sql.Identifier(table)))
            result[table] = _digest(cursor.fetchall())
    return result


def checksums(database: Database) -> Checksums:
    if database.engine == "sqlite":
        if database.path is None:
            raise RuntimeError("database.path is not set (a bug, not bad input)")
        conn = sqlite3.connect(f"file:{database.path}?mode=ro", uri=True)
        try:
            return checksums_sqlite(conn)
        finally:
            conn.close()
    with database.connect_pg() as pg:
        return checksums_pg(pg)


@dataclass(frozen=True)
class Snapshot:
    data: bytes  # the SQLite file image, or a pg_dump in custom format
    checksums: Checksums
    filename: str


def snapshot(database: Database) -> Snapshot:
    """A consistent copy of the database with the checksums of exactly that copy."""
    if database.engine == "sqlite":
        if database.path is None:
            raise RuntimeError("database.path is not set (a bug, not bad input)")
        source = sqlite3.connect(f"file:{database.path}?mode=ro", uri=True)
        try:
            source.execute("BEGIN")  # one read transaction: a single consistent view
            data = source.serialize()
        finally:
            source.close()
        copy = sqlite3.connect(":memory:")
        try:
            # An in-memory copy cannot use WAL: header bytes 18-19 say "rollback journal" for
            # this throwaway copy only; the archived image keeps the file as it was.
            copy.deserialize(data[:18] + b"\x01\x01" + data[20:] if len(data) > 20 else data)
            sums = checksums_sqlite(copy)
        finally:
            copy.close()
        return Snapshot(data, sums, "database.sqlite3")
    with database.connect_pg(autocommit=False) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot_id = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]  # type: ignore[index]
        dump = subprocess.run(  # noqa: S603 - arguments built here
            [
                _tool("pg_dump"),
                *database.pg_args(),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot_id}",
                database.name,
            ],
            capture_output=True,
            env=database.pg_env(),
            check=False,
        )
        if dump.returncode != 0:
            raise RuntimeError("pg_dump failed: " + dump.stderr.decode(errors="replace")[-500:])
        sums = checksums_pg(conn)
        conn.rollback()
    return Snapshot(dump.stdout, sums, "database.pgdump")


def load_sqlite(data: bytes, path: Path) -> None:
    """Write a SQLite image to ``path`` (0600 from the first byte, fsynced)."""
    with open_private(path) as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def load_pg(data: bytes, database: Database) -> None:
    """pg_restore a custom-format dump into an existing, empty database, in one transaction."""
    result = subprocess.run(  # noqa: S603 - arguments built here
        [
            _tool("pg_restore"),
            *database.pg_args(),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "-d",
            database.name,
        ],
        input=data,
        capture_output=True,
        env=database.pg_env(),
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError("pg_restore failed: " + result.stderr.decode(errors="replace")[-500:])


def empty_tables(database: Database, tables: tuple[str, ...]) -> int:
    """Delete every row of those of ``tables`` the database has; returns the rows deleted.
    SQLite's freed pages are zeroed (``secure_delete``) and vacuumed away."""
    gone = 0
    if database.engine == "sqlite":
        if database.path is None:
            raise RuntimeError("database.path is not set (a bug, not bad input)")
        conn = sqlite3.connect(database.path)
        try:
            conn.execute("PRAGMA secure_delete = ON")
            present = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            for table in tables:
                if table in present:
                    gone += conn.execute(f'DELETE FROM "{table}"').rowcount  # noqa: S608 - our own names
            conn.commit()
            conn.execute("VACUUM")
        finally:
            conn.close()
        return gone
    with database.connect_pg(autocommit=False) as pg:
        for table in tables:
            row = pg.execute("SELECT to_regclass(%s)", [f"public.{table}"]).fetchone()
            if row and row[0]:
                gone += pg.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table))).rowcount
        pg.commit()
    return gone


def has_tables(database: Database) -> bool:
    if database.engine == "sqlite":
        if database.path is None:
            raise RuntimeError("database.path is not set (a bug, not bad input)")
        if not database.path.exists():
            return False
        conn = sqlite3.connect(f"file:{database.path}?mode=ro", uri=True)
        try:
            return bool(
                conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
            )
        finally:
            conn.close()
    if not pg_exists(database, database.name):
        return False
    with database.connect_pg() as pg:
        row = pg.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema='public'"
        ).fetchone()
        return bool(row and row[0])


def pg_exists(database: Database, name: str) -> bool:
    with database.connect_pg("postgres") as conn:
        return (
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            is not None
        )
