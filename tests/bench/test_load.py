"""The load harness: the real server on loopback, locust's users signing in and reading pages
(no timings asserted: those live in bench/results, from ``protectdesk bench run``)."""

from __future__ import annotations

import io
from pathlib import Path

from protectdesk.benchmarks import load
from protectdesk.benchmarks.generate import _login
from protectdesk.benchmarks.run import Database


def test_the_summary_leaves_sign_in_out_of_the_page_percentiles() -> None:
    rows = [{"name": "sign in", "ms": 900.0, "error": ""}]
    rows += [{"name": "case page", "ms": float(ms), "error": ""} for ms in range(1, 21)]
    rows += [{"name": "incident page", "ms": 5000.0, "error": "HTTPError('500')"}]
    summary = load.summarise(rows)
    assert summary["requests"] == 22
    assert summary["errors"] == 1
    assert summary["error_examples"] == ["incident page: HTTPError('500')"]
    assert summary["pages"] == 20
    assert summary["p95_ms"] == 19.0  # nearest rank: the 19th of 20
    assert summary["median_ms"] == 10.0
    assert summary["by_name"] == {"case page": 20, "incident page": 1, "sign in": 1}


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
