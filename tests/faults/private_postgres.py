"""A PostgreSQL server of a test's own, so the test may restart it (never the machine's cluster).

``initdb`` into a fresh directory, a free TCP port on loopback and the unix socket in that
directory. PostgreSQL refuses to run as root; when the tests run as root (CI does), every
server program runs as the ``postgres`` system user (``runuser``), which owns the directory.
``fsync`` is off: the test kills and restarts the server process, not the machine, and what a
killed server had written is in the operating system's cache all the same.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg


def _bin_dir() -> Path:
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name)
    )
    if not found:
        raise AssertionError(
            "no PostgreSQL server under /usr/lib/postgresql (scripts/system-deps.sh installs it)"
        )
    return found[-1].parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PrivatePostgres:
    def __init__(self) -> None:
        self.bin = _bin_dir()
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        # Not under pytest's tmp_path: its parents are 0700 root's, which postgres cannot cross.
        self.dir = Path(tempfile.mkdtemp(prefix="pd-faults-pg-"))
        if self.as_owner:
            shutil.chown(self.dir, "postgres")
        self.data = self.dir / "data"
        self.port = _free_port()
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--no-sync", "--no-instructions")  # fmt: skip
        self.start()

    def _run(self, program: str, *args: str, timeout: int = 60) -> None:
        result = subprocess.run(
            [*self.as_owner, str(self.bin / program), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.dir,
        )
        if result.returncode != 0:
            log = (self.dir / "log").read_text() if (self.dir / "log").exists() else ""
            raise AssertionError(f"{program} {args} failed:\n{result.stderr}\n{log[-2000:]}")

    def _ctl(self, action: str, *args: str) -> None:
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c full_page_writes=off"
        )
        self._run(
            "pg_ctl", action, "-D", str(self.data), "-l", str(self.dir / "log"), "-w", "-o",
            options, *args,
        )  # fmt: skip

    def start(self) -> None:
        self._ctl("start")

    def stop(self, mode: str = "immediate") -> None:
        """``immediate`` is a crash: every backend killed, recovery from the WAL at start."""
        self._ctl("stop", "-m", mode)

    def restart(self, mode: str = "fast") -> None:
        self._ctl("restart", "-m", mode)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def create_database(self, name: str) -> str:
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def close(self) -> None:
        with contextlib.suppress(AssertionError):  # not running
            self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", timeout=30)
        deadline = time.monotonic() + 10
        while (self.data / "postmaster.pid").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        shutil.rmtree(self.dir, ignore_errors=True)
