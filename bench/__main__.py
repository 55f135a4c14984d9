"""``python -m bench``: run the micro-benchmarks and print (and save) the results."""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path


def main() -> None:
    os.environ["PROTECTDESK_DATA_DIR"] = tempfile.mkdtemp(prefix="pd-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "protectdesk.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from bench import crypto_bench, list_bench, search_bench

    results: dict[str, float] = {}
    results.update(crypto_bench.run())
    results.update(list_bench.run())
    results.update(search_bench.run())
    results["argon2id_vs_field_decrypt"] = (
        results["argon2id_production_ms"] * 1e3 / results["field_decrypt_short_us"]
    )
    width = max(map(len, results))
    for name, value in results.items():
        print(f"{name:<{width}}  {value:12.2f}")
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    record = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": platform.platform(),
        "python": platform.python_version(),
        "database": "postgresql" if os.environ.get("DATABASE_URL") else "sqlite",
        "results": results,
    }
    (out / "latest.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
