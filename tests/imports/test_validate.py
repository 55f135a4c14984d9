"""Checking rows (imports/validate.py, matching.py): each bad value is reported on its row and
column, in the user's language, with the nearest code as a suggestion; never the value."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from protectdesk.imports import matching, validate
from tests.imports.helpers import HEADER, csv_bytes, row

MAPPING = list(HEADER)


def findings(*rows, mode=validate.DESK, header=None):
    header = header or HEADER
    report = validate.dry_run(csv_bytes(list(rows), header), list(header), mode)
    return report, [
        (f.row, header[f.column] if f.column is not None else None) for f in report.findings
    ]


def only_finding(**overrides):
    report, where = findings(row(1), row(2, **overrides), row(3))
    assert report.error_count == 1, report.findings
    assert where[0][0] == 3  # the second data row is the spreadsheet's row 3
    return report.findings[0], where[0][1]


def test_a_valid_sheet_checks_out_with_its_counts():
    report, where = findings(*(row(n) for n in range(10)))
    assert where == [] and report.ok
    assert (report.rows, report.incidents, report.defenders) == (10, 10, 5)


def test_a_date_in_the_future_is_refused():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    finding, column = only_finding(
        year=str(tomorrow.year), month=tomorrow.isoformat()[:7], exact_date=tomorrow.isoformat()
    )
    assert column == "exact_date" and "in the future" in finding.message


def test_a_year_in_the_future_is_refused():
    finding, column = only_finding(year=str(timezone.localdate().year + 1), month="", exact_date="")
    assert column == "year" and "in the future" in finding.message


@pytest.mark.parametrize(
    ("overrides", "column", "words"),
    [
        ({"month": "2025-13", "exact_date": ""}, "month", "There is no month 13"),
        ({"exact_date": "31/02/2025", "month": "2025-02"}, "exact_date", "has no day 31"),
        ({"exact_date": "March the 3rd"}, "exact_date", "YYYY-MM-DD"),
        ({"year": "25"}, "year", "four digits"),
        ({"year": "1900", "month": "", "exact_date": ""}, "year", "too far in the past"),
        ({"month": "2024-03"}, "month", "not in the year"),
        ({"exact_date": "2025-04-02"}, "exact_date", "not in the year (or the month)"),
        ({"severity": "7"}, "severity", "1 (low) to 5"),
        ({"title": ""}, "title", "required"),
        ({"subdivision": "MX-CMX"}, "subdivision", "first-level region"),
        ({"defender_kind": "guild"}, "defender_kind", "codes of this column"),
    ],
)
def test_each_bad_value_is_reported_on_its_row_and_column(overrides, column, words):
    finding, where = only_finding(**overrides)
    assert where == column
    assert words in finding.message, finding.message


def test_an_unknown_code_gets_the_nearest_entry_as_a_suggestion():
    finding, where = only_finding(types="amenaza")
    assert where == "types"
    assert "threat" in finding.suggestion and "amenaza" not in finding.message


def test_labels_in_any_shipped_language_are_taken_as_codes():
    report, where = findings(
        row(
            1,
            types="Vigilancia; Intimidation et harcèlement",
            nature="Digital",
            defender_kind="Organización",
        )
    )
    assert where == [] and report.ok
    typed = next(
        validate.rows_of(
            csv_bytes([row(1, types="vigilancia")]), MAPPING, validate.DESK, validate.Report()
        )
    )
    assert typed.incident.types == ("surveillance",)


def test_a_country_name_is_an_error_with_its_code_suggested():
    for name in ("Guatemala", "México", "Brésil", "GTM"):
        finding, where = only_finding(country=name)
        assert where == "country" and "two-letter ISO code" in finding.message
        assert finding.suggestion.startswith(
            ("Did you mean “GT”", "Did you mean “MX”", "Did you mean “BR”")
        ), finding.suggestion
    assert findings(row(1, country="gt"))[0].ok  # a code in any case


def test_the_date_precision_must_agree_with_the_dates_given():
    header = [*HEADER, "date_precision"]
    report, where = findings(row(1, date_precision="month"), header=header)
    assert where == [(2, "date_precision")]
    assert "more precise date" in report.findings[0].message
    report, where = findings(
        row(1, exact_date="", date_precision="exact"),
        header=[*HEADER, "date_precision"],
    )
    assert where == [(2, "date_precision")]


def test_the_precision_follows_the_most_precise_date_given():
    def when(**overrides):
        rows = validate.rows_of(
            csv_bytes([row(1, **overrides)]), MAPPING, validate.DESK, validate.Report()
        )
        return next(rows).incident.when

    assert when() == validate.When("exact", 2025, "2025-03", "2025-03-02")
    assert when(exact_date="") == validate.When("month", 2025, "2025-03")
    assert when(exact_date="", month="") == validate.When("year", 2025)
    assert when(exact_date="02/03/2025").exact_date == "2025-03-02"


def test_the_same_case_reference_with_another_defender_is_an_error():
    report, where = findings(row(2), row(3, defender_name="Someone Else"))
    assert where == [(3, "case_reference")]
    assert "Row 2 has the same case reference" in report.findings[0].message


def test_rows_without_a_reference_group_by_name_kind_and_country():
    report, _ = findings(
        row(1, case_reference=""),
        row(2, case_reference="", defender_name="defender  number 0"),  # same person, typed again
        row(3, case_reference="", defender_name="Defender Number 0", defender_country="MX"),
    )
    assert report.ok and report.defenders == 2


def test_required_columns_missing_from_the_mapping_are_a_file_error():
    header = [name for name in HEADER if name not in ("title", "defender_name")]
    report = validate.dry_run(csv_bytes([row(1)], header), header, validate.DESK)
    assert [f.row for f in report.findings] == [None, None]
    assert "title" in report.findings[1].message or "title" in report.findings[0].message
    # A case import does not need the defender's columns.
    case_report = validate.dry_run(csv_bytes([row(1)], header), header, validate.CASE)
    assert case_report.error_count == 1


def test_a_case_import_does_not_read_the_defender_columns():
    report, _where = findings(
        row(1, defender_kind="nonsense", defender_name=""), mode=validate.CASE
    )
    assert report.ok and report.defenders == 0


def test_findings_never_quote_the_cell():
    secret = "Maria Secret Name"
    report, _ = findings(
        row(1, types=secret, country=secret, year=secret, severity=secret, subdivision=secret)
    )
    assert report.error_count == 4
    for finding in report.findings:
        assert secret.lower() not in (finding.message + finding.suggestion).lower()


def test_the_report_lists_two_hundred_findings_and_counts_the_rest():
    report, _ = findings(*(row(n, severity="9") for n in range(250)))
    assert report.error_count == 250 and len(report.findings) == 200 and report.unlisted == 50


def test_the_report_is_in_the_users_language():
    with translation.override("es"):
        finding, _ = only_finding(month="2025-13", exact_date="")
    assert "No existe el mes 13" in finding.message


def test_headings_in_four_languages_are_recognised():
    header = [
        "Fecha",
        "País",
        "Tipo",
        "Nombre",
        "Titre",
        "Descrição",
        "Année",
        "year_huridocs",
        "incident_id",
    ]
    assert matching.guess_mapping(header) == [
        "exact_date",
        "country",
        "types",
        "defender_name",
        "title",
        "narrative",
        "year",
        "",
        "",
    ]
    assert matching.guess_mapping(["title", "Title", "country of the defender"]) == [
        "title",
        "",
        "defender_country",
    ]
