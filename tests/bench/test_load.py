"""The load harness: the real server on loopback, locust's users signing in and reading pages
(no timings asserted: those live in bench/results, from ``protectdesk bench run``)."""

from __future__ import annotations

import io
from pathlib import Path

from protectdesk.benchmarks import load, run
from protectdesk.benchmarks.generate import _login
from protectdesk.benchmarks.run import Database


def test_the_summary_leaves_sign_in_out_of_the_page_percentiles() -> None:
    rows = [{"name": "case page", "ms": 700.0, "error": "", "at": 1.0}]  # during the arrival
    rows += [{"name": "sign in", "ms": 900.0, "error": "", "at": 2.0}]
    rows += [
        {"name": "case page", "ms": float(ms), "error": "", "at": 3.0 + ms} for ms in range(1, 21)
    ]
    rows += [{"name": "incident page", "ms": 5000.0, "error": "HTTPError('500')", "at": 30.0}]
    summary = load.summarise(rows)
    assert summary["requests"] == 23
    assert summary["errors"] == 1
    assert summary["error_examples"] == ["incident page: HTTPError('500')"]
    assert summary["pages"] == 21
    assert summary["p95_ms"] == 20.0  # nearest rank: the 20th of 21 (1…20 and 700)
    assert summary["median_ms"] == 10.0  # nearest rank, as the page timings
    # After the last sign-in: the 20 pages of 1…20 ms only.
    assert summary["pages_steady"] == 20
    assert summary["p95_steady_ms"] == 19.0 and summary["median_steady_ms"] == 10.0
    assert summary["by_name"] == {"case page": 21, "incident page": 1, "sign in": 1}


def test_a_short_load_run_signs_users_in_and_serves_them_without_errors(tmp_path: Path) -> None:
    database = Database(tmp_path, "sqlite", "S", "")
    database.make(keep=False, out=io.StringIO())
    logins = [_login(1, "caseworker", n) for n in range(3, 6)]
    result = load.run_load(
        env=database.env,
        logins=logins,
        password=database.password,
        users=2,
        think=(0.2, 0.5),
        duration_s=6,
        single_user_s=4,
    )
    assert result["errors"] == 0, result["error_examples"]
    assert result["by_name"]["sign in"] == 2
    assert result["pages_loaded"] > 2
    assert result["p95_one_user_ms"] > 0 and result["p95_loaded_ms"] > 0
    assert result["workers"] == 2 and result["worker_peak_rss_mb"] > 50
    assert 0 < result["pages_steady"] <= result["pages_loaded"]
    report = {
        "tier": "S",
        "when": "now",
        "machine": run.machine(),
        "samples": 1,
        "targets": {k: {"what": v[0], "target": v[1]} for k, v in run.TARGETS.items()},
        "ratios": {},
        "load": result,
    }
    table = run.table(report)
    assert "| 2 users, after the last sign-in |" in table and "0 errors" in table
