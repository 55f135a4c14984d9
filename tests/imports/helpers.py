"""Sheets for import tests: rows of the interchange format as CSV or XLSX bytes."""

from __future__ import annotations

import csv
import io
from typing import Any

HEADER = [
    "case_reference",
    "defender_name",
    "defender_kind",
    "defender_country",
    "defender_sectors",
    "year",
    "month",
    "exact_date",
    "country",
    "subdivision",
    "types",
    "nature",
    "severity",
    "title",
    "narrative",
    "place",
]


def row(n: int, **overrides: Any) -> dict[str, Any]:
    """Row ``n``: defender ``n // 2`` (two incidents each), a valid incident."""
    values: dict[str, Any] = {
        "case_reference": f"XX-2025-{n // 2:04d}",
        "defender_name": f"Defender Number {n // 2}",
        "defender_kind": "individual",
        "defender_country": "GT",
        "defender_sectors": "land_environment",
        "year": "2025",
        "month": "2025-03",
        "exact_date": f"2025-03-{1 + n % 28:02d}",
        "country": "GT",
        "subdivision": "GT-16",
        "types": "surveillance;intimidation",
        "nature": "physical",
        "severity": "3",
        "title": f"Incident title {n}",
        "narrative": f"What happened in incident {n}, told at length.",
        "place": f"Street {n}",
    }
    values.update(overrides)
    return values


def csv_bytes(
    rows: list[dict[str, Any]],
    header: list[str] | None = None,
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> bytes:
    header = header or HEADER
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for values in rows:
        writer.writerow([values.get(name, "") for name in header])
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for values in rows:
        sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def private_key_of(user) -> bytes:
    """The private key a signed-in user's session holds (opened with their password)."""
    from protectdesk.crypto import userkeys
    from tests.conftest import PASSWORD

    user.refresh_from_db()
    return userkeys.open_private_key(bytes(user.sealed_private_key), PASSWORD, str(user.id))
