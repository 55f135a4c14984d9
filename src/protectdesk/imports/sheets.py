"""Reading a spreadsheet (CSV or XLSX) into rows of strings, within fixed limits (no Django).

What a person uploads is whatever their desk keeps: a CSV in any encoding and delimiter, an
XLSX from Excel or LibreOffice — or something else renamed. This module turns bytes into a
header row and an iterator of rows, each a list of strings, and says what it could not read
without guessing, as codes (the importer words them in the user's language):

* a **refusal of the whole file** (:class:`Refused`): empty, too large, not a spreadsheet
  (NUL bytes or other binary content; a zip that is not a workbook), an old ``.xls`` or a
  password-protected workbook, a zip bomb (too many members, too much declared uncompressed
  data, too high a compression ratio), too many columns or rows, a CSV the parser cannot
  follow;
* **issues of single cells** (:class:`CellIssue`), reported against their row: bytes that are
  not valid text in the file's encoding (Latin-1 bytes in a UTF-8 file), formulas (an XLSX
  formula cell, or a cell that a spreadsheet would run as one: ``=…``, or ``+``/``-``/``@``
  followed by a function call), error values, cells longer than :data:`MAX_CELL`, cells
  after the header's last column (up to column :data:`MAX_COLUMNS` + 1; further right they are
  not read).

Memory stays bounded: the file is at most :data:`MAX_BYTES` (held once, as bytes), CSV text is
decoded as it is parsed, an XLSX is inspected with :mod:`zipfile` before openpyxl opens it
(whose read-only mode streams the sheet) and a zip member never yields more than its declared
size. Rows are produced one at a time; nothing here writes to disk.

A cell our export neutralised (``'=…``: a leading apostrophe before a formula character) has
that one apostrophe removed, so an exported file imports back as it was.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import charset_normalizer

#: The platform's upload limit (attachments.uploads.MAX_UPLOAD_BYTES): larger files are split.
MAX_BYTES = 25 * 1024 * 1024
MAX_COLUMNS = 100
MAX_ROWS = 100_000
MAX_CELL = 20_000
#: An XLSX: what its zip may declare, in all, once uncompressed, and its compression ratio.
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 1_000
#: One member of an XLSX once uncompressed (a sheet's XML, the shared strings openpyxl holds
#: in memory), and the ratio each member larger than :data:`_SMALL_MEMBER` may have: a padding
#: member must not let one highly compressed member through the archive's totals.
MAX_MEMBER = 64 * 1024 * 1024
_SMALL_MEMBER = 1024 * 1024
#: Rows an XLSX may number, blank ones included (a lone cell on row 1,048,576 would make the
#: reader walk a million empty rows).
MAX_ROW_NUMBER = 2 * MAX_ROWS
#: A CSV line longer than this (characters) is refused before the parser splits it into cells:
#: a line of a million commas would be a million strings in memory.
MAX_LINE = 1_000_000

#: How much of a CSV the encoding and delimiter are guessed from.
_SAMPLE = 64 * 1024
_SNIFF_SAMPLE = 16 * 1024
DELIMITERS = ",;\t|"
#: Encodings a file without a BOM that is not UTF-8 may be in (one byte per character).
SINGLE_BYTE = ("cp1252", "latin_1", "iso8859_15", "cp850", "mac_roman")
#: A spreadsheet treats a text starting with one of these as a formula (exports/formats.py).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FUNCTION_CALL = re.compile(r"[+\-@]\s*[A-Za-z_][A-Za-z0-9_.]*\s*\(")
_NON_ASCII = re.compile("[^\x00-\x7f]")
_ESCAPED = re.compile("[\udc80-\udcff]")
_CONTROL = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D}

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"

CSV = "csv"
XLSX = "xlsx"


class Refused(Exception):
    """The whole file cannot be read; ``code`` and ``params`` say why (never its content).

    Codes: ``empty``, ``too_large``, ``binary``, ``old_excel``, ``not_workbook``, ``zip_bomb``,
    ``unreadable``, ``encoding``, ``columns`` (``count``), ``rows``, ``malformed`` (``row``),
    ``long_line`` (``line``), ``far_row`` (``limit``: an XLSX with something below that row, far below any
    sheet of incidents, often a formatted empty row).
    """

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class CellIssue:
    """A cell that was not read: ``column`` is its index among the file's columns.

    Codes: ``encoding`` (not valid text in the file's encoding), ``formula``, ``error_value``,
    ``too_long``, ``extra_cells`` (non-empty cells after the header's last column, up to column
    ``MAX_COLUMNS + 1``; cells further right are not read).
    """

    column: int
    code: str


@dataclass
class Row:
    """One row as the spreadsheet shows it: ``number`` counts the header as row 1."""

    number: int
    cells: list[str]
    issues: list[CellIssue] = field(default_factory=list)


@dataclass
class Sheet:
    """A file's header and its rows (an iterator: read once)."""

    format: str
    header: list[str]
    rows: Iterator[Row]
    encoding: str = ""  # a CSV's encoding, as read
    delimiter: str = ""
    #: File-level remarks that are no error: ("encoding_guessed", {"encoding": "cp1252"}).
    notices: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def read(data: bytes) -> Sheet:
    """The header and rows of ``data`` (CSV or XLSX, told apart by content), or :class:`Refused`."""
    if not data or data.isspace():  # isspace: no copy of the file, unlike strip
        raise Refused("empty")
    if len(data) > MAX_BYTES:
        raise Refused("too_large", megabytes=MAX_BYTES // (1024 * 1024))
    if data.startswith(_OLE):
        raise Refused("old_excel")
    if data.startswith(_ZIP):
        return _read_xlsx(data)
    return _read_csv(data)


# --- shared cell rules ------------------------------------------------------------------------


def looks_like_formula(text: str) -> bool:
    """Would a spreadsheet run this text? ``=…``, or ``+``/``-``/``@`` then a function call
    (``@SUM(``) or a DDE link (``+cmd|' /C calc'!A0``)."""
    if text.startswith("=") or _FUNCTION_CALL.match(text):
        return True
    pipe = text.find("|") if text[:1] in ("+", "-", "@") else -1
    return pipe > 0 and "!" in text[pipe:]


def _unneutralised(text: str) -> str:
    """Undo the export's neutralising apostrophe (``'=SUM`` → ``=SUM``, kept as text)."""
    if text.startswith("'") and text[1:2] and text[1] in FORMULA_STARTS:
        return text[1:]
    return text


def _fit(cells: list[str], width: int, issues: list[CellIssue]) -> list[str]:
    """The row cut or padded to the header's width; non-empty cells beyond it are an issue."""
    if len(cells) > width:
        beyond = next((i for i in range(width, len(cells)) if cells[i].strip()), None)
        if beyond is not None:
            issues.append(CellIssue(beyond, "extra_cells"))
        return cells[:width]
    return cells + [""] * (width - len(cells))


def _header(cells: list[str]) -> list[str]:
    while cells and not cells[-1].strip():
        cells = cells[:-1]
    if not cells:
        raise Refused("empty")
    if len(cells) > MAX_COLUMNS:
        raise Refused("columns", count=len(cells), limit=MAX_COLUMNS)
    return [_unneutralised(" ".join(c.split()))[:200] for c in cells]


# --- CSV --------------------------------------------------------------------------------------


def _encoding_of(data: bytes) -> tuple[str, list[tuple[str, dict[str, Any]]]]:
    """The encoding to read ``data`` with, and a notice when it had to be guessed."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", []
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32", []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", []
    if b"\x00" in data:
        raise Refused("binary")
    head = data[:_SAMPLE]
    controls = sum(1 for byte in head if byte in _CONTROL)
    if controls * 100 > len(head):
        raise Refused("binary")
    valid, invalid = _utf8_balance(data)
    if invalid == 0 or valid >= invalid:
        # UTF-8, perhaps with a few rows pasted from elsewhere: those rows are reported.
        return "utf-8", []
    guessed = charset_normalizer.from_bytes(
        data[: 4 * _SAMPLE], cp_isolation=list(SINGLE_BYTE), explain=False
    ).best()
    encoding = codecs.lookup(guessed.encoding).name if guessed else "cp1252"
    return encoding, [("encoding_guessed", {"encoding": encoding})]


def _utf8_balance(data: bytes) -> tuple[int, int]:
    """(valid non-ASCII characters, invalid bytes) of ``data`` read as UTF-8, in chunks."""
    strict = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(data), _SAMPLE):
            strict.decode(data[start : start + _SAMPLE], final=start + _SAMPLE >= len(data))
    except UnicodeDecodeError:
        pass
    else:
        return 1, 0
    lenient = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
    valid = invalid = 0
    for start in range(0, len(data), _SAMPLE):
        text = lenient.decode(data[start : start + _SAMPLE], final=start + _SAMPLE >= len(data))
        escaped = len(_ESCAPED.findall(text))
        invalid += escaped
        valid += len(_NON_ASCII.findall(text)) - escaped
    return valid, invalid


def _delimiter_of(sample: str) -> str:
    """The delimiter among :data:`DELIMITERS`: csv.Sniffer, checked against the first line."""
    cut = sample.rfind("\n")
    sample = sample[: cut if cut > 0 else len(sample)]
    first = sample.split("\n", 1)[0]
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = ""
    if sniffed and sniffed in first:
        return sniffed
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(data: bytes) -> Sheet:
    encoding, notices = _encoding_of(data)
    errors = (
        "strict"
        if encoding.startswith("utf-16") or encoding.startswith("utf-32")
        else ("surrogateescape")
    )

    def text() -> io.TextIOWrapper:
        return io.TextIOWrapper(io.BytesIO(data), encoding=encoding, errors=errors, newline="")

    try:
        sample = text().read(_SNIFF_SAMPLE)
    except UnicodeDecodeError:
        raise Refused("encoding") from None
    delimiter = _delimiter_of(sample)
    reader = csv.reader(
        _bounded_lines(text()), delimiter=delimiter, quotechar='"', doublequote=True, strict=False
    )
    try:
        first = next(reader, [])
    except (csv.Error, UnicodeDecodeError):
        raise Refused("malformed", row=1) from None
    header = _header([_clean_text(c) for c in first])
    return Sheet(CSV, header, _csv_rows(reader, len(header)), encoding, delimiter, notices)


def _bounded_lines(source: io.TextIOWrapper) -> Iterator[str]:
    """The file's lines for the CSV parser, each read at most :data:`MAX_LINE` characters at a
    time; a longer line is refused (``long_line``, with its line number) before it is split."""
    number = 0
    while True:
        line = source.readline(MAX_LINE + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE:
            raise Refused("long_line", line=number, limit=MAX_LINE)
        yield line


def _clean_text(cell: str) -> str:
    return _ESCAPED.sub("", cell)


def _csv_rows(reader: Any, width: int) -> Iterator[Row]:
    number, rows = 1, 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError:
            raise Refused("encoding") from None
        except csv.Error:
            raise Refused("malformed", row=number + 1) from None
        number += 1
        if not any(c.strip() for c in cells):
            continue
        rows += 1
        if rows > MAX_ROWS:
            raise Refused("rows", limit=MAX_ROWS)
        issues: list[CellIssue] = []
        cells = _fit(cells, width, issues)
        yield Row(number, [_csv_cell(i, c, issues) for i, c in enumerate(cells)], issues)


def _csv_cell(index: int, cell: str, issues: list[CellIssue]) -> str:
    if len(cell) > MAX_CELL:
        issues.append(CellIssue(index, "too_long"))
        return ""
    if _ESCAPED.search(cell):
        issues.append(CellIssue(index, "encoding"))
        return ""
    if looks_like_formula(cell.lstrip()):
        issues.append(CellIssue(index, "formula"))
        return ""
    return _unneutralised(cell)


# --- XLSX -------------------------------------------------------------------------------------


def inspect_zip(data: bytes) -> zipfile.ZipFile:
    """The archive, if it is a workbook within the limits; :class:`Refused` otherwise."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise Refused("binary") from None
    if len(members) > MAX_MEMBERS:
        raise Refused("zip_bomb")
    declared = sum(m.file_size for m in members)
    compressed = sum(m.compress_size for m in members)
    if declared > MAX_UNCOMPRESSED or declared > MAX_RATIO * max(compressed, 1):
        raise Refused("zip_bomb")
    for member in members:
        if member.file_size > MAX_MEMBER or (
            member.file_size > _SMALL_MEMBER
            and member.file_size > MAX_RATIO * max(member.compress_size, 1)
        ):
            raise Refused("zip_bomb")
    if any(m.flag_bits & 0x1 for m in members):
        raise Refused("old_excel")  # encrypted members: a password-protected workbook
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise Refused("not_workbook")
    return archive


def _read_xlsx(data: bytes) -> Sheet:
    inspect_zip(data).close()
    import openpyxl  # here: a CSV import does not load openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # unsupported extensions, styles: not our concern
            workbook = openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=False, keep_links=False
            )
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()  # a wrong <dimension> must not hide rows or columns
            # The header row as wide as it is (one row: bounded by the format's 16,384 columns),
            # so that too many columns are refused with their count.
            first = next(sheet.iter_rows(max_row=1), ())
    except Refused:
        raise
    except Exception:  # openpyxl raises many kinds on a damaged workbook
        raise Refused("unreadable") from None
    issues: list[CellIssue] = []
    header = _header([_xlsx_cell(i, c, issues) for i, c in enumerate(first)])
    # Data rows no wider than the column limit and one more (cells beyond the header are
    # still seen and reported): a cell in the last column would otherwise pad every row to
    # 16,384 cells.
    rows = sheet.iter_rows(min_row=2, max_col=MAX_COLUMNS + 1)
    return Sheet(XLSX, header, _xlsx_rows(workbook, rows, len(header)))


def _xlsx_rows(workbook: Any, rows: Iterator[Any], width: int) -> Iterator[Row]:
    number, count = 1, 0
    try:
        while True:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    cells = next(rows)
            except StopIteration:
                return
            except Exception:
                raise Refused("unreadable") from None
            number = _row_number(cells, number + 1)
            if number > MAX_ROW_NUMBER:
                raise Refused("far_row", limit=MAX_ROW_NUMBER)
            issues: list[CellIssue] = []
            values = [_xlsx_cell(i, c, issues) for i, c in enumerate(cells)]
            if not any(v.strip() for v in values) and not issues:
                continue
            count += 1
            if count > MAX_ROWS:
                raise Refused("rows", limit=MAX_ROWS)
            yield Row(number, _fit(values, width, issues), issues)
    finally:
        workbook.close()


def _row_number(cells: Any, expected: int) -> int:
    """The row's own number (a sheet may skip empty rows in its XML)."""
    for cell in cells:
        row = getattr(cell, "row", None)
        if isinstance(row, int):
            return row
    return expected


def _xlsx_cell(index: int, cell: Any, issues: list[CellIssue]) -> str:
    value = getattr(cell, "value", None)
    kind = getattr(cell, "data_type", None)
    if kind == "f" or (isinstance(value, str) and looks_like_formula(value.lstrip())):
        issues.append(CellIssue(index, "formula"))
        return ""
    if kind == "e":
        issues.append(CellIssue(index, "error_value"))
        return ""
    text = _xlsx_text(value)
    if len(text) > MAX_CELL:
        issues.append(CellIssue(index, "too_long"))
        return ""
    return _unneutralised(text) if isinstance(value, str) else text


def _xlsx_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int | str):
        return str(value)
    return ""  # an array formula or a rich value: nothing typed to take
