"""Import rate: rows per second of a desk import (in-request path, one transaction), and peak
memory, for generated sheets of 5,000 and 50,000 rows.

Each row is an incident with its defender (two incidents per defender, so half as many new
cases as rows), written through the real import path (``imports.actions.import_rows``: the
check pass, then one transaction) on a temporary database (SQLite by default, PostgreSQL when
DATABASE_URL is set) with production settings. Rates are wall-clock and CPU time of the
import; memory is the tracemalloc peak of the dry run (reading and checking the file) and the
process's ru_maxrss after each import (the whole process so far, sizes run in order).

``python -m bench.import_rate [ROWS ...]`` runs it alone (default: 5000 50000).
"""

from __future__ import annotations

import csv
import io
import resource
import sys
import time
import tracemalloc

from bench.setup import bench_user

SIZES = (5_000, 50_000)


def sheet(rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "case_reference", "defender_name", "defender_kind", "defender_country", "year",
            "month", "exact_date", "country", "subdivision", "types", "nature", "title",
            "narrative", "place",
        ]
    )  # fmt: skip
    for n in range(rows):
        writer.writerow(
            [
                f"XX-{n // 2:06d}", f"Defender number {n // 2}", "individual", "GT", "2025",
                "2025-03", f"2025-03-{1 + n % 28:02d}", "GT", "GT-16", "surveillance;intimidation",
                "physical", f"Car outside the office, night {n}",
                "A white pickup without plates waited outside the office for three nights; "
                f"the driver photographed everyone who came in. Report {n}.",
                f"Zona {n % 20}, behind the market",
            ]
        )  # fmt: skip
    return out.getvalue().encode("utf-8")


def run(sizes: tuple[int, ...] = SIZES) -> dict[str, float]:
    from django.core.management import call_command

    from protectdesk.imports import actions, matching, sheets, validate

    call_command("migrate", verbosity=0, interactive=False)
    results: dict[str, float] = {}
    for index, rows in enumerate(sizes):
        user, _private_key, keyring = bench_user(f"import{index}@bench.example", f"I{index}")
        data = sheet(rows)
        mapping = matching.guess_mapping(sheets.read(data).header)
        # The dry run under tracemalloc: what reading and checking the file allocates.
        tracemalloc.start()
        started = time.perf_counter()
        report = validate.dry_run(data, mapping, validate.DESK)
        checked = time.perf_counter() - started
        _current, check_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert report.ok, report.findings[:3]
        # The import itself without tracemalloc (it would slow Python down several times).
        started, cpu = time.perf_counter(), time.process_time()
        imported = actions.import_rows(
            actor=user, keyring=keyring, case=None, data=data, mapping=mapping, total=rows
        )
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        assert imported.incidents == rows
        assert imported.cases == rows // 2
        results[f"import{rows}_file_mb"] = len(data) / 1e6
        results[f"import{rows}_dry_run_rows_per_s"] = rows / checked
        results[f"import{rows}_dry_run_tracemalloc_peak_mb"] = check_peak / 1e6
        results[f"import{rows}_rows_per_s"] = rows / elapsed
        results[f"import{rows}_rows_per_cpu_s"] = rows / cpu
        results[f"import{rows}_seconds"] = elapsed
        results[f"import{rows}_maxrss_mb"] = (
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        )
    return results


def main() -> None:
    import os
    import tempfile
    from pathlib import Path

    os.environ["PROTECTDESK_DATA_DIR"] = tempfile.mkdtemp(prefix="pd-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "protectdesk.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    sizes = tuple(int(a) for a in sys.argv[1:]) or SIZES
    for name, value in run(sizes).items():
        print(f"{name:<36} {value:12.2f}")


if __name__ == "__main__":
    main()
