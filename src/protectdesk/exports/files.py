"""Export files as downloads: streamed (CSV, JSON) or built in memory (XLSX), never stored.
Used by the export pages and by the JSON API's export operations."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from protectdesk.exports import formats, rows
from protectdesk.records.keyring import Keyring

FORMATS = ("csv", "xlsx", "json")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json", "xlsx": XLSX}


def download(
    name: str, fmt: str, keyring: Keyring | None, case_ids: list[uuid.UUID]
) -> HttpResponse | StreamingHttpResponse:
    """The export as a download: ``name`` is neutral (a case reference or a date, never a name)."""
    identifying = keyring is not None
    header = rows.header(identifying=identifying)
    data = rows.incident_rows(case_ids, keyring=keyring)
    response: HttpResponse | StreamingHttpResponse
    if fmt == "xlsx":
        response = HttpResponse(formats.xlsx_bytes(header, data), content_type=_TYPES[fmt])
    else:
        chunks: Iterator[str]
        if fmt == "csv":
            chunks = formats.csv_chunks(header, data)
        else:
            chunks = formats.json_chunks(
                header, data, exported_at=timezone.now().isoformat(), identifying=identifying
            )
        response = StreamingHttpResponse(encoded(chunks), content_type=_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


def encoded(chunks: Iterable[str]) -> Iterator[bytes]:
    for chunk in chunks:
        yield chunk.encode()
