"""The writers on their own: cells, formula neutralisation, CSV, JSON and XLSX content."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from openpyxl import load_workbook

from protectdesk.exports import formats

HEADER = ["incident_id", "types", "year", "title"]
DANGEROUS = ['=HYPERLINK("http://x","y")', "+cmd", "@SUM(1)", "-2+3", "\tx", "\rx"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_formula_starts_are_neutralised(text):
    assert formats.neutralise(text) == "'" + text


def test_harmless_text_and_numbers_are_left_alone():
    assert formats.neutralise("Car outside") == "Car outside"
    assert formats.cell(2026) == 2026
    assert formats.cell(None) == ""
    assert formats.cell(["surveillance", "death_threat"]) == "surveillance;death_threat"


def _rows():
    return [
        {"incident_id": "1", "types": ["surveillance", "stalking"], "year": 2026, "title": t}
        for t in DANGEROUS
    ]


def test_csv_neutralises_every_formula_cell():
    text = "".join(formats.csv_chunks(HEADER, _rows()))
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    assert lines[0] == HEADER
    assert [line[3] for line in lines[1:]] == ["'" + t for t in DANGEROUS]
    assert lines[1][1] == "surveillance;stalking"


def test_csv_is_produced_row_by_row():
    chunks = formats.csv_chunks(HEADER, iter(_rows()))
    assert [next(chunks) for _ in range(3)][2].startswith("1,surveillance;stalking,2026,")


def test_xlsx_cells_are_strings_or_numbers_and_neutralised():
    workbook = load_workbook(io.BytesIO(formats.xlsx_bytes(HEADER, _rows())))
    sheet = workbook.active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == HEADER
    # (XML reads a carriage return back as a line feed: compare all but that one exactly.)
    assert [row[3] for row in values[1:6]] == ["'" + t for t in DANGEROUS[:5]]
    assert values[6][3] in ("'\rx", "'\nx")
    assert values[1][2] == 2026
    for row in sheet.iter_rows(min_row=2):
        assert all(c.data_type in ("s", "n") for c in row), [c.data_type for c in row]


def test_xlsx_holds_no_formula_anywhere():
    data = formats.xlsx_bytes(HEADER, _rows())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet and b"<f " not in sheet


def test_json_document():
    text = "".join(
        formats.json_chunks(
            HEADER, _rows()[:2], exported_at="2026-12-02T10:00:00+00:00", identifying=True
        )
    )
    doc = json.loads(text)
    assert doc["format"] == "protectdesk-incidents" and doc["version"] == 1
    assert doc["identifying"] is True
    assert doc["incidents"][0]["types"] == ["surveillance", "stalking"]
    assert doc["incidents"][0]["year"] == 2026
    # JSON is not a spreadsheet: its text is left as typed.
    assert doc["incidents"][0]["title"] == DANGEROUS[0]


def test_json_with_no_incidents_is_valid():
    doc = json.loads("".join(formats.json_chunks(HEADER, [], exported_at="x", identifying=False)))
    assert doc["incidents"] == []
