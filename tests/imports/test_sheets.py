"""Reading sheets (imports/sheets.py): every bad input of the issue gets its own refusal or
row issue, and memory stays bounded."""

from __future__ import annotations

import codecs
import contextlib
import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadhandler import StopFutureHandlers

from protectdesk.attachments.uploads import EncryptingUploadHandler
from protectdesk.imports import actions, sheets
from tests.imports.helpers import HEADER, csv_bytes, row, xlsx_bytes


def _read_all(data: bytes) -> None:
    list(sheets.read(data).rows)


def refusal(data: bytes) -> sheets.Refused:
    with pytest.raises(sheets.Refused) as raised:
        _read_all(data)
    assert raised.value.code
    return raised.value


def rows_of(data: bytes) -> list[sheets.Row]:
    return list(sheets.read(data).rows)


# --- whole files refused ----------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"\r\n \r\n", codecs.BOM_UTF8])
def test_an_empty_file_is_refused(data):
    assert refusal(data).code == "empty"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),  # a photo renamed .csv
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nstream\n\x00\x01\x02",
        bytes(range(256)) * 4,  # random binary without a NUL in its first bytes
        b"\x7fELF\x02\x01\x01" + b"\x01\x02\x03\x04\x05\x06\x07\x08" * 20,
    ],
)
def test_a_binary_renamed_csv_is_not_a_spreadsheet(data):
    assert refusal(data).code == "binary"


def test_a_zip_that_is_not_a_workbook_and_a_damaged_zip_are_refused():
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    assert refusal(docx.getvalue()).code == "not_workbook"
    assert refusal(b"PK\x03\x04" + b"\x14\x00" * 40).code == "binary"


def test_an_old_excel_file_or_a_password_protected_workbook_is_refused():
    assert refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)).code == "old_excel"


def _zip_bomb(path, megabytes: int) -> bytes:
    """A workbook whose sheet unpacks to ``megabytes`` of zeros, written in chunks."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = bytes(1024 * 1024)
            for _ in range(megabytes):
                member.write(chunk)
    return path.read_bytes()


@pytest.mark.parametrize("megabytes", [150, 400])  # the ratio, then the declared size too
def test_a_zip_bomb_renamed_xlsx_is_refused_before_anything_unpacks_it(tmp_path, megabytes):
    bomb = _zip_bomb(tmp_path / "bomb.xlsx", megabytes)
    assert len(bomb) < 2 * 1024 * 1024  # a tiny file...
    tracemalloc.start()
    try:
        assert refusal(bomb).code == "zip_bomb"
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024, "nothing was unpacked"  # ...that would unpack to hundreds of MB


def test_a_workbook_with_too_many_members_is_refused():
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for n in range(sheets.MAX_MEMBERS):
            archive.writestr(f"xl/media/{n}.bin", b"x")
    assert refusal(many.getvalue()).code == "zip_bomb"


def test_a_fifty_megabyte_sheet_is_refused_as_too_large():
    big = b"a,b\r\n" + b"1,2\r\n" * (50 * 1024 * 1024 // 5)
    refused = refusal(big)
    assert refused.code == "too_large" and refused.params == {"megabytes": 25}


def test_the_upload_handler_refuses_a_fifty_megabyte_sheet_without_holding_it(settings, tmp_path):
    """Fed chunk by chunk, as a request arrives: past 25 MB it is dropped, never kept."""
    settings.DATA_DIR = tmp_path
    handler = EncryptingUploadHandler(None)
    with contextlib.suppress(StopFutureHandlers):
        handler.new_file("sheet", "big.csv", "text/csv", None)
    chunk = b"1,2,3,4,5,6,7\r\n" * 4096
    tracemalloc.start()
    try:
        sent = 0
        while sent < 50 * 1024 * 1024:
            handler.receive_data_chunk(chunk, sent)
            sent += len(chunk)
        uploaded = handler.file_complete(sent)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert uploaded.upload.error == "size"
    assert not uploaded.upload.temp_path.exists(), "the ciphertext so far is deleted"
    assert peak < 4 * 1024 * 1024
    assert "split it into files under 25 MB" in actions.upload_refusal(uploaded.upload)


def test_a_sheet_with_two_hundred_columns_is_refused_with_the_count():
    header = ",".join(f"column {n}" for n in range(200))
    refused = refusal(f"{header}\r\n{',' * 199}1\r\n".encode())
    assert refused.code == "columns" and refused.params["count"] == 200


def test_more_rows_than_the_limit_are_refused():
    data = b"a\n" + b"1\n" * (sheets.MAX_ROWS + 1)
    assert refusal(data).code == "rows"


def test_a_quote_that_never_closes_does_not_crash_the_reader():
    data = b'title,narrative\r\n"Open quote,text\r\n' + b"x" * 200_000
    with contextlib.suppress(sheets.Refused):
        rows_of(data)


# --- encodings and delimiters -----------------------------------------------------------------


def test_latin_1_bytes_in_a_utf_8_file_are_reported_on_their_rows():
    good = csv_bytes([row(0, narrative="Amenazas en la montaña, según él")])
    pasted = "Jos\xe9 Mar\xeda,Ni\xf1o\r\n".encode("latin-1")
    data = b"defender_name,title\r\n" + "Ñandú,Café\r\n".encode() + pasted + b"Ana,ok\r\n"
    assert good  # the helper writes UTF-8
    sheet = sheets.read(data)
    assert sheet.encoding == "utf-8" and sheet.notices == []
    rows = list(sheet.rows)
    assert [r.number for r in rows] == [2, 3, 4]
    assert rows[0].issues == [] and rows[0].cells == ["Ñandú", "Café"]
    assert [(i.column, i.code) for i in rows[1].issues] == [(0, "encoding"), (1, "encoding")]
    assert rows[2].issues == []


def test_a_file_in_a_single_byte_encoding_is_read_with_a_notice():
    data = "defender_name;title\r\nJosé María;Niño\r\n".encode("cp1252")
    sheet = sheets.read(data)
    assert sheet.encoding in ("cp1252", "iso8859-1", "iso8859-15")
    assert sheet.notices and sheet.notices[0][0] == "encoding_guessed"
    assert next(sheet.rows).cells == ["José María", "Niño"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-32"])
def test_byte_order_marks_name_the_encoding(encoding):
    data = "defender_name\ttitle\r\nJosé\tNiño\r\n".encode(encoding)
    if encoding == "utf-16-le":
        data = codecs.BOM_UTF16_LE + data
    sheet = sheets.read(data)
    assert sheet.header == ["defender_name", "title"]
    assert next(sheet.rows).cells == ["José", "Niño"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_the_delimiter_is_found(delimiter):
    sheet = sheets.read(csv_bytes([row(1), row(2)], delimiter=delimiter))
    assert sheet.delimiter == delimiter
    assert sheet.header == HEADER
    assert next(sheet.rows).cells[HEADER.index("title")] == "Incident title 1"


def test_a_one_column_file_falls_back_to_a_comma():
    sheet = sheets.read(b"title\r\nA title; with a semicolon\r\n")
    assert sheet.header == ["title"]
    assert next(sheet.rows).cells == ["A title; with a semicolon"]


# --- cells ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    [
        '=HYPERLINK("http://evil.example","click")',
        "=1+1",
        "@SUM(A1:A3)",
        "+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "+SUM(1,2)",
    ],
)
def test_a_csv_cell_a_spreadsheet_would_run_is_a_formula(cell):
    data = csv_bytes([{"title": cell, "narrative": "text"}], ["title", "narrative"])
    only = rows_of(data)[0]
    assert [(i.column, i.code) for i in only.issues] == [(0, "formula")]
    assert only.cells == ["", "text"], "the formula is not kept, not even in memory"


@pytest.mark.parametrize("cell", ["- a list item (see below)", "+502 5555 0000", "@ the office"])
def test_ordinary_text_starting_with_a_sign_is_not_a_formula(cell):
    data = csv_bytes([{"title": cell}], ["title"])
    assert rows_of(data)[0].issues == []


def test_a_cell_our_export_neutralised_imports_as_it_was():
    data = csv_bytes(
        [{"title": "'=not a formula", "narrative": "'-5 degrees"}], ["title", "narrative"]
    )
    only = rows_of(data)[0]
    assert only.issues == [] and only.cells == ["=not a formula", "-5 degrees"]


def test_too_long_cells_and_cells_beyond_the_header_are_issues():
    data = b"title,narrative\r\n" + b"x" * (sheets.MAX_CELL + 1) + b",ok,extra\r\n"
    only = rows_of(data)[0]
    assert [(i.column, i.code) for i in only.issues] == [(2, "extra_cells"), (0, "too_long")]
    assert only.cells == ["", "ok"]


def test_ragged_rows_are_padded_and_blank_rows_skipped_but_counted():
    rows = rows_of(b"a,b,c\r\n1\r\n\r\n,,\r\n4,5\r\n")
    assert [(r.number, r.cells) for r in rows] == [(2, ["1", "", ""]), (5, ["4", "5", ""])]


def test_an_xlsx_sheet_is_read_with_its_dates_numbers_and_formulas():
    import datetime

    data = xlsx_bytes(
        [
            ["year", "exact_date", "title", "severity"],
            [2025, datetime.datetime(2025, 3, 4), '=HYPERLINK("http://x","y")', 3.0],
            [2025.0, "2025-03-05", "'=neutralised", None],
            [],
            [2024, None, "ok", 2, "beyond"],
        ]
    )
    sheet = sheets.read(data)
    assert sheet.format == "xlsx" and sheet.header == ["year", "exact_date", "title", "severity"]
    rows = list(sheet.rows)
    assert rows[0].cells == ["2025", "2025-03-04", "", "3"]
    assert [(i.column, i.code) for i in rows[0].issues] == [(2, "formula")]
    assert rows[1].cells == ["2025", "2025-03-05", "=neutralised", ""] and not rows[1].issues
    assert rows[2].number == 5 and [i.code for i in rows[2].issues] == ["extra_cells"]


def test_reading_a_large_csv_holds_about_one_copy_of_it():
    data = csv_bytes([row(n) for n in range(20_000)])
    assert len(data) > 4 * 1024 * 1024
    tracemalloc.start()
    try:
        count = sum(1 for _ in sheets.read(data).rows)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 20_000
    assert peak < len(data), f"rows are streamed: peak {peak} for a file of {len(data)}"


def test_a_padding_member_does_not_let_one_bomb_member_through(tmp_path):
    """The archive's totals look fine (a large incompressible member beside the bomb), but one
    member alone unpacks far beyond its size: refused before openpyxl loads it."""
    import os

    path = tmp_path / "padded.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/media/padding.bin", os.urandom(3 * 1024 * 1024))
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            for _ in range(150):
                member.write(bytes(1024 * 1024))
    data = path.read_bytes()
    members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    declared = sum(m.file_size for m in members)
    compressed = sum(m.compress_size for m in members)
    assert declared < sheets.MAX_UNCOMPRESSED and declared < sheets.MAX_RATIO * compressed
    assert refusal(data).code == "zip_bomb"


def test_a_cell_in_the_last_column_does_not_widen_every_row():
    """One cell in column XFD: the data rows are read no wider than the column limit and one
    more (a cell that far is not read); a cell beyond the header within it is reported."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["year", "title"])
    for n in range(2, 2002):
        sheet.cell(row=n, column=1, value=2025)
        sheet.cell(row=n, column=2, value=f"Title {n}")
    sheet.cell(row=3, column=16384, value="far away")
    out = io.BytesIO()
    workbook.save(out)
    read = sheets.read(out.getvalue())
    rows = list(read.rows)
    assert len(rows) == 2000 and all(len(r.cells) == 2 for r in rows)
    assert not rows[1].issues
    sheet.cell(row=4, column=40, value="beyond the header")
    out = io.BytesIO()
    workbook.save(out)
    rows = list(sheets.read(out.getvalue()).rows)
    assert [i.code for i in rows[2].issues] == ["extra_cells"]


def test_a_lone_cell_far_down_an_xlsx_is_refused_with_its_row():
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["year", "title"])
    sheet.cell(row=1_000_000, column=1, value=2025)
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(sheets.Refused) as refused:
        list(sheets.read(out.getvalue()).rows)
    assert (refused.value.code, refused.value.params) == (
        "far_row",
        {"limit": sheets.MAX_ROW_NUMBER},
    )


@pytest.mark.parametrize("where", ["header", "row"])
def test_a_line_of_a_million_commas_is_refused_before_it_is_split(where):
    line = b"xy," * 400_000
    data = line + b"\r\n1,2\r\n" if where == "header" else b"a,b\r\n1,2\r\n" + line + b"\r\n"
    tracemalloc.start()
    try:
        with pytest.raises(sheets.Refused) as refused:
            list(sheets.read(data).rows)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused.value.code == "long_line"
    assert refused.value.params["line"] == (1 if where == "header" else 3)
    assert peak < 40 * 1024 * 1024, peak


@pytest.mark.parametrize("cell", [' =HYPERLINK("http://x.example")', "  +SUM(A1:A2)", "\t@SUM(A1)"])
def test_a_formula_after_spaces_is_still_a_formula(cell):
    data = csv_bytes([row(1, title=cell)])
    read = sheets.read(data)
    (first,) = list(read.rows)
    assert [i.code for i in first.issues] == ["formula"]
    workbook = xlsx_bytes([HEADER, [row(1, title=cell)[name] for name in HEADER]])
    (from_xlsx,) = list(sheets.read(workbook).rows)
    assert [i.code for i in from_xlsx.issues] == ["formula"]
