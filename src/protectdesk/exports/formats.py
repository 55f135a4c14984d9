"""Writers of the incident interchange format: CSV, XLSX and JSON (no Django imports).

A row is a ``dict`` of column name → value: ``str``, ``int``, ``None`` or a ``list`` of codes.
CSV and JSON are generators of chunks, for a streamed response; the XLSX file is built in
memory (see :func:`xlsx_bytes`). Nothing is ever written to disk: exports may hold plaintext.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

Row = dict[str, Any]

SEPARATOR = ";"
#: A spreadsheet treats a cell starting with one of these as a formula (or DDE command).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """A text cell a spreadsheet will not run: a leading ``'`` before a formula character."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell(value: Any) -> str | int:
    """A spreadsheet cell: numbers stay numbers, everything else is neutralised text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return neutralise(str(value).lower())
    if isinstance(value, int):
        return value
    if isinstance(value, list | tuple):
        value = SEPARATOR.join(str(v) for v in value)
    return neutralise(str(value))


class _Echo:
    """A file-like object whose ``write`` hands back what it was given (csv → generator)."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(header: Sequence[str], rows: Iterable[Row]) -> Iterator[str]:
    """The CSV file line by line: a header of column names, then one line per row."""
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a byte-order mark, so spreadsheets read the file as UTF-8
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([cell(row.get(name)) for name in header])


def json_chunks(
    header: Sequence[str], rows: Iterable[Row], *, exported_at: str, identifying: bool
) -> Iterator[str]:
    """The JSON document (format ``protectdesk-incidents`` version 1), one incident a chunk."""
    head = {
        "format": "protectdesk-incidents",
        "version": 1,
        "exported_at": exported_at,
        "identifying": identifying,
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "incidents": ['
    for n, row in enumerate(rows):
        item = {name: row.get(name) for name in header}
        yield ("," if n else "") + json.dumps(item, ensure_ascii=False)
    yield "]}"


class _InMemoryExcelWriter(ExcelWriter):  # type: ignore[misc]  # openpyxl ships no types
    """openpyxl's writer, with each worksheet's XML kept in memory.

    openpyxl 3.1 writes every worksheet to a ``NamedTemporaryFile`` before zipping it
    (``worksheet/_writer.py``, also outside write-only mode): the plaintext of an identifying
    export would reach the disk. Here the sheet is written into a ``BytesIO`` instead.
    """

    def write_worksheet(self, ws: Any) -> None:
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = WorksheetWriter(ws, out=io.BytesIO())
        writer.write()
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], writer.read())
        self.manifest.append(ws)


def xlsx_bytes(header: Sequence[str], rows: Iterable[Row], *, title: str = "incidents") -> bytes:
    """The workbook: one sheet, a header row of column names, then one row per incident."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(list(header))
    for row in rows:
        sheet.append([cell(row.get(name)) for name in header])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        _InMemoryExcelWriter(workbook, archive).write_data()
    return buffer.getvalue()
