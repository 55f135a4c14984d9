"""Hypothesis-generated CSV and XLSX files never crash the importer: any bytes end in a
report, and the only exception the reader raises is its own refusal."""

from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protectdesk.imports import matching, sheets, validate
from protectdesk.incidents import columns

NAMES = [column.name for column in columns.COLUMNS]

cells = st.one_of(
    st.text(max_size=24),
    st.sampled_from(
        [
            "", '"', '""', "\n", "\r\n", "\r", ";", ",", "\t", "|", "'=x", "=1+1", "@SUM(A1)",
            "2025", "2025-13", "2025-02-30", "31/02/2025", "GT", "gt", "XX", "GT-16", "surveillance",
            "amenaza;;vigilancia", "individual", "physical", "3", "9", "3.0", "\x00", "\ufeff",
            "é", "x" * 300,
        ]
    ),
)  # fmt: skip
headers = st.lists(st.one_of(st.sampled_from(NAMES), st.text(max_size=12)), min_size=1, max_size=12)
bodies = st.lists(st.lists(cells, max_size=14), max_size=12)
encodings = st.sampled_from(
    ["utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1252", "latin-1", "cp850"]
)
quoting = st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONE])


@st.composite
def csv_files(draw) -> bytes:
    header, body = draw(headers), draw(bodies)
    delimiter = draw(st.sampled_from(",;\t|"))
    out = io.StringIO()
    writer = csv.writer(
        out,
        delimiter=delimiter,
        quoting=draw(quoting),
        escapechar="\\",
        lineterminator=draw(st.sampled_from(["\r\n", "\n", "\r"])),
    )
    try:
        writer.writerows([header, *body])
    except csv.Error:
        out = io.StringIO(delimiter.join(header) + "\n")  # QUOTE_NONE with nothing to escape
    data = out.getvalue().encode(draw(encodings), errors="replace")
    # Damage: bytes of another encoding pasted in, a cut, or noise.
    damage = draw(st.sampled_from(["none", "latin1", "cut", "noise"]))
    if damage == "latin1":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + "Jos\xe9 Mar\xeda\n".encode("latin-1") + data[at:]
    elif damage == "cut":
        data = data[: draw(st.integers(0, len(data)))]
    elif damage == "noise":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=16)) + data[at:]
    return data


def _read_everything(data: bytes) -> list[str]:
    """The reader's contract: rows, or :class:`sheets.Refused` — nothing else."""
    try:
        sheet = sheets.read(data)
        for row in sheet.rows:
            assert row.number >= 2
            assert len(row.cells) == len(sheet.header)
            assert all(len(cell) <= sheets.MAX_CELL for cell in row.cells)
        return sheet.header
    except sheets.Refused:
        return []


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=csv_files(), mode=st.sampled_from([validate.DESK, validate.CASE]))
def test_generated_csv_files_never_crash_the_importer(data, mode):
    header = _read_everything(data)
    for mapping in (matching.guess_mapping(header), list(NAMES[: len(header)])):
        report = validate.dry_run(data, mapping, mode)
        assert report.error_count >= len(report.findings)
        assert report.ok or report.findings
        for finding in report.findings:
            assert finding.message


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_never_crash_the_importer(data):
    _read_everything(data)
    report = validate.dry_run(data, list(NAMES[:6]), validate.DESK)
    assert report.ok or report.findings


@settings(max_examples=150, deadline=None)
@given(
    mapping=st.lists(st.sampled_from(["", *NAMES]), max_size=20),
    body=bodies,
)
def test_any_mapping_of_any_rows_gives_a_report(mapping, body):
    out = io.StringIO()
    csv.writer(out).writerows([[f"h{n}" for n in range(max(len(mapping), 1))], *body])
    report = validate.dry_run(out.getvalue().encode(), mapping, validate.DESK)
    assert report.ok or report.findings


@st.composite
def xlsx_files(draw) -> bytes:
    """A workbook of generated cells (text, numbers, dates, formulas), sometimes cut short."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook()
    sheet = book.active
    values = st.one_of(
        cells,
        st.integers(-(10**12), 10**12),
        st.floats(allow_nan=False, allow_infinity=False),
        st.dates(),
    )
    for row in [draw(headers), *draw(st.lists(st.lists(values, max_size=10), max_size=8))]:
        # Control characters cannot be stored in a workbook at all (openpyxl refuses them).
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return data


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=xlsx_files(), mode=st.sampled_from([validate.DESK, validate.CASE]))
def test_generated_xlsx_files_never_crash_the_importer(data, mode):
    header = _read_everything(data)
    report = validate.dry_run(data, matching.guess_mapping(header), mode)
    assert report.ok or report.findings
