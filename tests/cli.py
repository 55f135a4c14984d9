"""Running the real ``protectdesk`` command in a subprocess, on its own data dir and database."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from django.conf import settings

PROTECTDESK = [sys.executable, "-m", "protectdesk.cli"]


@dataclass
class CommandLine:
    data_dir: Path
    database_url: str | None
    extra_env: dict[str, str] = field(default_factory=dict)

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PROTECTDESK_", "DJANGO_"))}
        env.pop("DATABASE_URL", None)
        env["PROTECTDESK_DATA_DIR"] = str(self.data_dir)
        src = str(Path(__file__).resolve().parents[1] / "src")
        env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        env.update(self.extra_env)
        return env

    def run(
        self, *args: str, input_text: str | None = None, check: bool = True, timeout: int = 180
    ):
        result = subprocess.run(
            [*PROTECTDESK, *args],
            env=self.env(),
            input=input_text,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"protectdesk {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
            )
        return result

    def popen(self, *args: str, extra_env: dict[str, str] | None = None) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [*PROTECTDESK, *args],
            env={**self.env(), **(extra_env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def init_desk(self, tmp_path: Path) -> None:
        """``protectdesk init`` of a desk, its coordinator's password read from a file."""
        password_file = tmp_path / "pw"
        password_file.write_text("a long coordinator passphrase\n")
        self.run(
            "init",
            "--desk-name",
            "Desk",
            "--country",
            "GT",
            "--email",
            "coord@desk.example",
            "--password-file",
            str(password_file),
        )

    def sql(self, statement: str) -> None:
        """A plain SQL statement against this command line's database, outside Django."""
        if self.database_url:
            with psycopg.connect(self.database_url, autocommit=True) as conn:
                conn.execute(statement)
        else:
            import sqlite3

            conn = sqlite3.connect(self.data_dir / "protectdesk.sqlite3")
            with conn:
                conn.execute(statement)
            conn.close()


def on_postgresql() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def fresh_command_line(tmp_path: Path):
    """A generator for fixtures: a command line with an empty database of the engine under test."""
    database_url = None
    admin_dsn = None
    name = None
    if on_postgresql():
        db = settings.DATABASES["default"]
        name = f"pd_cli_{uuid.uuid4().hex[:12]}"
        host, port, user = (
            db.get("HOST") or "127.0.0.1",
            db.get("PORT") or 5432,
            db.get("USER") or "postgres",
        )
        admin_dsn = f"postgresql://{user}@{host}:{port}/postgres"
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        database_url = f"postgres://{user}@{host}:{port}/{name}"
    data_dir = tmp_path / "data"
    data_dir.mkdir(parents=True)
    try:
        yield CommandLine(data_dir, database_url)
    finally:
        if admin_dsn and name:
            with psycopg.connect(admin_dsn, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
