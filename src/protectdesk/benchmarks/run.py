"""``protectdesk bench run``: generate what is needed, measure, and report ratios.

One run measures, on SQLite (a file in its own folder) and, with ``--postgres URL``, on a
PostgreSQL server (databases ``protectdesk_bench_s`` and ``_m`` it creates there):

* tier S always, and tier M when asked: each tier is a fresh database made as a desk would
  make it (``migrate``, ``init``, then ``bench generate`` acting as the first coordinator,
  with a random password kept in a file only the owner can read, in the run's folder);
* each tier's pages, in a child process on that database (``bench measure``,
  :mod:`protectdesk.benchmarks.pages`);
* with tier M on PostgreSQL and no ``--no-load``, the load run (gunicorn and locust on
  127.0.0.1, :mod:`protectdesk.benchmarks.load`).

Ratios come from numbers of this one run, on this one machine (see :data:`TARGETS`); the
report (``bench/results/<tier>.json`` and ``.md``) names the machine. ``--keep`` reuses the
databases a previous run generated (same tier, seed and code) instead of generating again.
"""

from __future__ import annotations

import json
import os
import platform
import secrets
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit, urlunsplit

from protectdesk.benchmarks.generate import TIERS, _login

#: name → (what it compares, target, True if the target is an upper bound)
TARGETS: dict[str, tuple[str, float, bool]] = {
    "growth": ("page at M / page at S (median)", 1.5, True),
    "encryption": ("page / page with decryption short-circuited (median)", 1.3, True),
    "floor": ("page / raw SQL + libsodium of the values it shows (median)", 3.0, True),
    "search": ("blind-index search / LIKE scan of a plaintext copy (median)", 1.0, True),
    "load": ("p95 with 50 users / p95 of one user", 3.0, True),
    "weight": ("HTML + CSS bytes per page (KB)", 60.0, True),
}
SEED = 1


def _pd(*args: str, env: dict[str, str], out: IO[str] | None = None, **kw: Any) -> None:
    command = [sys.executable, "-m", "protectdesk.cli", *args]
    result = subprocess.run(  # noqa: S603 - our own command, arguments we built
        command, env=env, stdout=subprocess.PIPE, stderr=None, text=True, check=False, **kw
    )
    if result.returncode != 0:
        raise RuntimeError(f"protectdesk {' '.join(args[:2])} failed:\n{result.stdout[-2000:]}")
    if out is not None and result.stdout.strip():
        out.write(result.stdout.strip().splitlines()[-1] + "\n")


class Database:
    """One tier on one database engine: its environment, made on first use."""

    def __init__(self, base: Path, engine: str, tier: str, postgres: str) -> None:
        self.engine, self.tier = engine, tier
        self.folder = base / f"{engine}-{tier.lower()}"
        self.env = {**os.environ, "PROTECTDESK_DATA_DIR": str(self.folder)}
        self.env.pop("DATABASE_URL", None)
        self.env["DJANGO_SETTINGS_MODULE"] = "protectdesk.settings"  # as a desk runs it
        if engine == "postgresql":
            parts = urlsplit(postgres)
            self.name = f"protectdesk_bench_{tier.lower()}"
            self.server = urlunsplit(parts._replace(path="/postgres"))
            self.env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{self.name}"))
        self.password_file = self.folder / "bench-password"
        self.marker = self.folder / f"generated-seed-{SEED}"

    def make(self, keep: bool, out: IO[str]) -> None:
        if keep and self.marker.exists():
            out.write(f"{self.engine} tier {self.tier}: reusing {self.folder}\n")
            return
        self._fresh()
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.password_file.write_text(secrets.token_urlsafe(24) + "\n", encoding="utf-8")
        self.password_file.chmod(0o600)
        out.write(f"{self.engine} tier {self.tier}: generating in {self.folder}\n")
        _pd("migrate", "--noinput", "-v0", env=self.env)
        login = _login(1, "coordinator", 1)
        _pd(
            "init",
            "--desk-name=Bench desk 1",
            "--country=GT",
            "--prefix=B1",
            "--languages=en,es,fr,pt",
            f"--email={login}",
            "--name=Coordinator 1.1 (fictional)",
            f"--password-file={self.password_file}",
            "--no-staff-2fa",
            env=self.env,
        )
        _pd(
            "bench",
            "generate",
            f"--tier={self.tier}",
            f"--as={login}",
            f"--password-file={self.password_file}",
            f"--seed={SEED}",
            env=self.env,
            out=out,
        )
        if self.engine == "postgresql":
            # What autovacuum does on a default server after a bulk load (it can be off, as on
            # the machines these benchmarks ran on): the planner's statistics (without them every
            # blind-index lookup is a sequential scan of millions of tokens) and the visibility
            # map (without it no count is answered from an index alone).
            import psycopg

            with psycopg.connect(self.env["DATABASE_URL"], autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE")
        self.marker.write_text("done\n", encoding="utf-8")

    def _fresh(self) -> None:
        import shutil

        if self.folder.exists():
            shutil.rmtree(self.folder)
        if self.engine == "postgresql":
            import psycopg

            with psycopg.connect(self.server, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
                conn.execute(f'CREATE DATABASE "{self.name}"')

    def measure(self, samples: int) -> dict[str, Any]:
        out = self.folder / "measured.json"
        _pd(
            "bench",
            "measure",
            f"--tier={self.tier}",
            f"--samples={samples}",
            f"--password-file={self.password_file}",
            f"--out={out}",
            env=self.env,
        )
        measured: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        return measured

    @property
    def password(self) -> str:
        return self.password_file.read_text(encoding="utf-8").splitlines()[0]


def ratios(measured: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Every ratio the run can give, per engine and page, from the measured tiers."""
    result: dict[str, Any] = {}
    for engine, tiers in measured.items():
        top = tiers.get("M") or tiers["S"]
        pages: dict[str, Any] = {}
        for name, page in top["pages"].items():
            normal = page["normal"]["median_ms"]
            row = {
                "median_ms": normal,
                "p95_ms": page["normal"]["p95_ms"],
                "queries": page["queries"],
                "encryption": normal / page["decryption_off"]["median_ms"],
                "floor": normal / page["floor"]["median_ms"],
                # a PDF is no HTML page: no weight to hold against the target
                "weight": (page["html_bytes"] + page["css_bytes"]) / 1024
                if page["html_bytes"]
                else None,
                "third_party_requests": page["third_party_requests"],
            }
            if "M" in tiers and "S" in tiers:
                small = tiers["S"]["pages"][name]["normal"]["median_ms"]
                row["growth"] = normal / small
                row["median_ms_at_S"] = small
            pages[name] = row
        search = top["search"]
        result[engine] = {
            "baseline_ms": top["baseline"]["median_ms"],
            "pages": pages,
            "search": {
                **search,
                "ratio": search["blind_index"]["median_ms"] / search["like_scan"]["median_ms"],
            },
        }
    return result


def main(
    *, tier: str, postgres: str, samples: int, load: bool, keep: bool, out: IO[str]
) -> dict[str, Any]:
    started = time.monotonic()
    samples = samples or (20 if tier == "M" else 10)
    base = Path(os.environ.get("PROTECTDESK_BENCH_DIR", "var/bench")).resolve()
    engines = ["sqlite", *(["postgresql"] if postgres else [])]
    if postgres:  # before anything is generated: a wrong URL should cost nothing
        import psycopg

        psycopg.connect(urlunsplit(urlsplit(postgres)._replace(path="/postgres"))).close()
    tiers = ["S", "M"] if tier == "M" else ["S"]
    measured: dict[str, dict[str, Any]] = {}
    databases: dict[tuple[str, str], Database] = {}
    for engine in engines:
        for name in tiers:
            database = Database(base, engine, name, postgres)
            databases[(engine, name)] = database
            generated = time.monotonic()
            database.make(keep, out)
            out.write(f"  ready in {time.monotonic() - generated:.0f} s; measuring…\n")
            measured.setdefault(engine, {})[name] = database.measure(samples)
    report: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "tier": tier,
        "machine": machine(),
        "samples": samples,
        "targets": {k: {"what": v[0], "target": v[1]} for k, v in TARGETS.items()},
        "ratios": ratios(measured),
        "measured": measured,
    }
    if load and postgres:
        from protectdesk.benchmarks.load import run_load

        database = databases[("postgresql", tiers[-1])]
        logins = [
            _login(d, "caseworker", n)
            for d in range(1, TIERS[tier].desks + 1)
            for n in range(3, TIERS[tier].staff_per_desk + 1)
        ]
        out.write(f"load: 50 users on gunicorn, PostgreSQL tier {tiers[-1]}…\n")
        report["load"] = run_load(env=database.env, logins=logins, password=database.password)
    report["seconds"] = time.monotonic() - started
    folder = Path("bench/results")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{tier}.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    markdown = table(report)
    (folder / f"{tier}.md").write_text(markdown, encoding="utf-8")
    out.write(markdown)
    return report


def machine() -> dict[str, Any]:
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) // 1024 // 1024} GiB"
    except OSError:
        pass
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
    }


def _mark(value: float | None, key: str) -> str:
    if value is None:
        return "–"
    target = TARGETS[key][1]
    ok = value <= target if key != "search" else value < target
    return f"{value:.2f}{'' if ok else ' ✗'}"


def _mark_errors(errors: int) -> str:
    return f"{errors:,}" if errors == 0 else f"{errors:,} ✗"


def table(report: dict[str, Any]) -> str:
    m = report["machine"]
    lines = [
        f"# Benchmarks, tier {report['tier']} ({report['when']})",
        "",
        f"Machine: {m['cpus']} × {m['cpu']}, {m['memory']}, {m['platform']}, "
        f"Python {m['python']}. {report['samples']} timed requests per page after 3 to warm "
        "up. ✗ marks a ratio over its target.",
        "",
        "Targets: "
        + "; ".join(f"**{k}** {v['what']} ≤ {v['target']}" for k, v in report["targets"].items())
        + ".",
        "",
    ]
    for engine, data in report["ratios"].items():
        lines += [
            f"## {engine}",
            "",
            "| page | median ms | p95 ms | queries | growth M/S | encryption | floor | KB |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name, row in data["pages"].items():
            lines.append(
                f"| {name} | {row['median_ms']:.1f} | {row['p95_ms']:.1f} | {row['queries']} | "
                f"{_mark(row.get('growth'), 'growth')} | {_mark(row['encryption'], 'encryption')} | "
                f"{_mark(row['floor'], 'floor')} | {_mark(row['weight'], 'weight')} |"
            )
        s = data["search"]
        lines += [
            "",
            f"For scale: *My account*, a signed-in page that shows no case data, takes "
            f"{data['baseline_ms']:.1f} ms (middleware, session, the key from the cookie, a "
            "template): the part of each page that no query or decryption in its floor explains.",
            "",
            f"Search for “{s['word']}”: blind index {s['blind_index']['median_ms']:.1f} ms "
            f"({s['blind_index_hits']} hits) vs LIKE over {s['plaintext_rows']:,} plaintext rows "
            f"{s['like_scan']['median_ms']:.1f} ms ({s['like_scan_hits']} hits): ratio "
            f"{_mark(s['ratio'], 'search')}.",
            "",
        ]
    if "load" in report:
        load = report["load"]
        lines += [
            "## Load (gunicorn on PostgreSQL, locust on 127.0.0.1)",
            "",
            f"{load['users']} users arriving {load['spawn_per_s']:g} a second, think time "
            f"{load['think_s'][0]:g}–{load['think_s'][1]:g} s, {load['duration_s']} s, after one "
            f"user alone for {load['single_user_s']} s: {load['requests']:,} requests, "
            f"{_mark_errors(load['errors'])} errors.",
            "",
            "| pages (sign-in left out) | requests | median ms | p95 ms | p95 / one user's |",
            "| --- | ---: | ---: | ---: | ---: |",
            f"| one user | {load['pages_one_user']:,} | {load['median_one_user_ms']:.0f} | "
            f"{load['p95_one_user_ms']:.0f} | – |",
            f"| {load['users']} users, the whole run | {load['pages_loaded']:,} | "
            f"{load['median_loaded_ms']:.0f} | {load['p95_loaded_ms']:.0f} | "
            f"{_mark(load['ratio'], 'load')} |",
            f"| {load['users']} users, after the last sign-in | {load['pages_steady']:,} | "
            f"{load['median_steady_ms']:.0f} | {load['p95_steady_ms']:.0f} | "
            f"{_mark(load['ratio_steady'], 'load')} |",
            "",
            f"Peak resident memory of a server worker ({load['workers']} workers, 4 threads "
            f"each): {load['worker_peak_rss_mb']:.0f} MB.",
            "",
        ]
        if load["error_examples"]:
            lines += ["Errors: " + "; ".join(load["error_examples"]), ""]
    third = sum(
        row["third_party_requests"]
        for d in report["ratios"].values()
        for row in d["pages"].values()
    )
    lines += [f"Third-party requests on all pages: {third}.", ""]
    return "\n".join(lines)
