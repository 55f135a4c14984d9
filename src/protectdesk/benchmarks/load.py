"""The load run: the production server under many simulated caseworkers, on 127.0.0.1 only.

``protectdesk serve`` (gunicorn, as a desk runs it; no background worker) is started on a
free loopback port against the benchmark database, then locust
(:mod:`protectdesk.benchmarks.locustfile`) runs twice, headless, in a process of its own:

1. **one user** for ``single_user_s`` seconds with a short think time, for the p95 of pages
   served with nothing else going on;
2. **``users`` users** spawned at five a second, with a think time of ``think`` seconds, for
   ``duration_s`` seconds.

The load ratio is the second p95 over the first, both over pages only: signing in (an Argon2
key derivation by design, once per session) is counted in the errors and the request count
but left out of the page percentiles, so that the ratio says how pages slow down when the
server is shared, not how many sign-ins fell in the window. Peak memory is the high-water
mark (``VmHWM``) of the largest gunicorn worker, read before the server stops.

Nothing listens beyond 127.0.0.1; the password reaches locust in a file only the owner can
read, never on a command line.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

#: Locust's own options for the single-user baseline's think time (seconds).
BASELINE_THINK = (0.5, 1.0)
#: Users arriving per second: 50 sign-ins (each an Argon2 derivation) in 10 seconds.
SPAWN_PER_S = 5.0
PAGE_EXCLUDED = {"sign in", "login form", "search form"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_up(url: str, server: subprocess.Popen[bytes], timeout_s: float = 600) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped at start (exit {server.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the server did not answer {url} within {timeout_s:.0f} s")


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (as the page timings use)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts and page percentiles of one locust run; ``steady`` ones leave out the pages that
    ended before the last sign-in (the arrival, when sign-ins take the processors)."""
    pages = [row for row in rows if row["name"] not in PAGE_EXCLUDED and not row["error"]]
    errors = [row for row in rows if row["error"]]
    arrived = max((row.get("at", 0) for row in rows if row["name"] == "sign in"), default=0)
    steady = [row["ms"] for row in pages if row.get("at", 0) > arrived]
    return {
        "p95_steady_ms": percentile(steady, 0.95),
        "median_steady_ms": percentile(steady, 0.5),
        "pages_steady": len(steady),
        "requests": len(rows),
        "errors": len(errors),
        "error_examples": sorted({f"{row['name']}: {row['error']}" for row in errors})[:5],
        "p95_ms": percentile([row["ms"] for row in pages], 0.95),
        "median_ms": percentile([row["ms"] for row in pages], 0.5),
        "pages": len(pages),
        "by_name": dict(sorted(Counter(row["name"] for row in rows).items())),
    }


def _locust(
    *,
    host: str,
    folder: Path,
    logins: list[str],
    password_file: Path,
    users: int,
    think: tuple[float, float],
    seconds: int,
    label: str,
    spawn_rate: float = 1,
) -> dict[str, Any]:
    logins_file = folder / f"{label}-logins"
    logins_file.write_text("\n".join(logins[:users]) + "\n", encoding="utf-8")
    out = folder / f"{label}-requests.jsonl"
    env = {
        **os.environ,
        "PD_LOAD_LOGINS": str(logins_file),
        "PD_LOAD_PASSWORD_FILE": str(password_file),
        "PD_LOAD_THINK": f"{think[0]},{think[1]}",
        "PD_LOAD_OUT": str(out),
    }
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(Path(__file__).with_name("locustfile.py")),
        "--headless",
        "--only-summary",
        "--loglevel=WARNING",
        f"--users={users}",
        f"--spawn-rate={spawn_rate:g}",
        f"--run-time={seconds}s",
        "--stop-timeout=30",
        f"--host={host}",
    ]
    subprocess.run(  # noqa: S603 - our interpreter, fixed arguments
        command, env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    text = out.read_text(encoding="utf-8") if out.exists() else ""
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    if not rows:
        raise RuntimeError(f"locust ({label}) made no request")
    return summarise(rows)


def run_load(
    *,
    env: dict[str, str],
    logins: list[str],
    password: str,
    users: int = 50,
    think: tuple[float, float] = (5, 10),
    duration_s: int = 120,
    single_user_s: int = 60,
    spawn_rate: float = SPAWN_PER_S,
    port: int = 0,
) -> dict[str, Any]:
    """Serve the database of ``env`` and measure it under one user, then under ``users``."""
    if len(logins) < users:
        raise ValueError(f"{users} users need {users} accounts; there are {len(logins)}")
    port = port or _free_port()
    host = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="pd-load-") as name:
        folder = Path(name)
        password_file = folder / "password"
        password_file.touch(mode=0o600)
        password_file.write_text(password + "\n", encoding="utf-8")
        log = folder / "server.log"
        server = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
            [
                sys.executable,
                "-m",
                "protectdesk.cli",
                "serve",
                "--no-worker",
                f"--bind=127.0.0.1:{port}",
            ],
            env={**env, "PROTECTDESK_DEBUG": "0"},
            stdout=subprocess.DEVNULL,
            stderr=log.open("wb"),
            start_new_session=True,
        )
        try:
            try:
                _wait_until_up(f"{host}/login/", server)
            except RuntimeError as error:
                raise RuntimeError(f"{error}\n{log.read_text(errors='replace')[-2000:]}") from None
            single = _locust(
                host=host,
                folder=folder,
                logins=logins[-1:],
                password_file=password_file,
                users=1,
                think=BASELINE_THINK,
                seconds=single_user_s,
                label="one",
            )
            loaded = _locust(
                host=host,
                folder=folder,
                logins=logins,
                password_file=password_file,
                users=users,
                think=think,
                seconds=duration_s,
                label="many",
                spawn_rate=spawn_rate,
            )
            workers = _children(server.pid)
            peak = max((_peak_rss_mb(pid) for pid in workers), default=0.0)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
    return {
        "users": users,
        "think_s": list(think),
        "duration_s": duration_s,
        "single_user_s": single_user_s,
        "requests": loaded["requests"] + single["requests"],
        "errors": loaded["errors"] + single["errors"],
        "error_examples": single["error_examples"] + loaded["error_examples"],
        "p95_one_user_ms": single["p95_ms"],
        "median_one_user_ms": single["median_ms"],
        "pages_one_user": single["pages"],
        "p95_loaded_ms": loaded["p95_ms"],
        "median_loaded_ms": loaded["median_ms"],
        "pages_loaded": loaded["pages"],
        "p95_steady_ms": loaded["p95_steady_ms"],
        "median_steady_ms": loaded["median_steady_ms"],
        "pages_steady": loaded["pages_steady"],
        "spawn_per_s": spawn_rate,
        "ratio": loaded["p95_ms"] / single["p95_ms"] if single["p95_ms"] else None,
        "ratio_steady": loaded["p95_steady_ms"] / single["p95_ms"] if single["p95_ms"] else None,
        "worker_peak_rss_mb": peak,
        "workers": len(workers),
        "by_name": loaded["by_name"],
    }
