"""Rows of a sheet checked against the interchange format (``incidents/columns.py``).

:class:`Checker` turns each :class:`~protectdesk.imports.sheets.Row` into an
:class:`ImportRow` (a :class:`~protectdesk.cases.actions.DefenderProfile` and an
:class:`~protectdesk.incidents.actions.IncidentData`, ready for the actions) or into
:class:`Finding` s: the row as the person sees it in their spreadsheet (header = row 1), the
file column, a message in the active language and, for an unknown code, the nearest entry as a
suggestion. A finding never quotes the cell: the report is rendered from memory, but the row
and column are enough to find the value, and the value may identify someone.

Rows are grouped into defenders (a desk import opens one case per defender): by
``case_reference`` when the row has one, else by the defender's name, kind and country; the
group key is a keyed hash (a random key per run), so no name is kept beyond its row.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from protectdesk import vocabularies
from protectdesk.cases.actions import DefenderProfile
from protectdesk.imports import matching, sheets
from protectdesk.imports.messages import cell_issue_message, refusal_message
from protectdesk.incidents import columns
from protectdesk.incidents.actions import IncidentData, When
from protectdesk.incidents.columns import BY_NAME, Column
from protectdesk.lib.forms import check_day, check_past_day, parse_day

DESK = "desk"  # rows become new cases (one per defender) and their incidents
CASE = "case"  # every row becomes an incident of one case; defender columns are not read

#: How many findings a report lists (the rest are counted).
MAX_LISTED = 200

#: Longest text per column (the incident and defender forms' limits).
TEXT_LIMITS = {"title": 300, "defender_name": 300, "place": 2000, "case_reference": 60}
_LONG_TEXT = 20000

_YEAR = re.compile(r"(\d{4})(?:\.0+)?")
_MONTH_ISO = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")
_MONTH_MY = re.compile(r"(\d{1,2})/(\d{4})")
_NUMBER = re.compile(r"(\d+)(?:\.0+)?")


@dataclass(frozen=True)
class Finding:
    """One problem: ``row`` None is the whole file; ``column`` a file column index or None."""

    row: int | None
    column: int | None
    message: str
    suggestion: str = ""


@dataclass(frozen=True)
class ImportRow:
    """A valid row, typed: what the actions are given."""

    number: int
    group: bytes
    profile: DefenderProfile | None
    incident: IncidentData


@dataclass
class Report:
    """What a dry run found: counts, the first :data:`MAX_LISTED` findings, notices."""

    rows: int = 0
    defenders: int = 0
    incidents: int = 0
    error_count: int = 0
    findings: list[Finding] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def unlisted(self) -> int:
        return self.error_count - len(self.findings)

    def add(self, finding: Finding) -> None:
        self.error_count += 1
        if len(self.findings) < MAX_LISTED:
            self.findings.append(finding)


def required_columns(mode: str) -> list[Column]:
    wanted = columns.INCIDENT_COLUMNS if mode == CASE else columns.COLUMNS
    return [column for column in wanted if column.required]


def missing_columns(mapping: list[str], mode: str) -> list[Column]:
    """Required columns no file column is mapped to."""
    return [column for column in required_columns(mode) if column.name not in mapping]


class _Bad(Exception):
    def __init__(self, message: str, suggestion: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.suggestion = suggestion


def _did_you_mean(code: str | None, label: str) -> str:
    if not code:
        return ""
    return _("Did you mean “%(code)s” (%(label)s)?") % {"code": code, "label": label}


class Checker:
    """Checks the rows of one sheet for one mode; keeps the counts and findings of a run."""

    def __init__(
        self, sheet: sheets.Sheet, mapping: list[str], mode: str, report: Report | None = None
    ) -> None:
        self.sheet = sheet
        self.mode = mode
        self.report = report if report is not None else Report()
        self.index = {name: i for i, name in enumerate(mapping) if name in BY_NAME}
        self.today = timezone.localdate()
        self._key = secrets.token_bytes(32)
        #: group → (first row number, digest of its defender's name, kind and country)
        self._groups: dict[bytes, tuple[int, bytes]] = {}
        for code, params in sheet.notices:
            if code == "encoding_guessed":
                self.report.notices.append(
                    _(
                        "The file is not in UTF-8; it was read as %(encoding)s. Check that "
                        "accented letters look right in the report below, or save the file as "
                        "UTF-8 (“CSV UTF-8”) and upload it again."
                    )
                    % params
                )

    # --- a row ----------------------------------------------------------------------------

    def check(self, row: sheets.Row) -> ImportRow | None:
        """The typed row, or None after adding its findings to the report."""
        self.report.rows += 1
        before = self.report.error_count
        unreadable = set()
        for issue in row.issues:
            unreadable.add(issue.column)
            self.report.add(
                Finding(
                    row.number, issue.column, cell_issue_message(issue.code, self.sheet.encoding)
                )
            )
        values: dict[str, Any] = {}
        for name, index in self.index.items():
            if self.mode == CASE and name in _DEFENDER_NAMES:
                continue
            if index in unreadable:
                values[name] = _UNREAD
                continue
            try:
                values[name] = self._parse(BY_NAME[name], row.cells[index].strip())
            except _Bad as bad:
                values[name] = _UNREAD
                self.report.add(Finding(row.number, index, bad.message, bad.suggestion))
        when = self._when(row.number, values)
        self._subdivision(row, values)
        if self.report.error_count > before or when is None:
            return None
        group = self._group(row.number, values) if self.mode == DESK else b""
        if self.report.error_count > before:
            return None
        self.report.incidents += 1
        return ImportRow(row.number, group, self._profile(values), self._incident(values, when))

    def _add(self, number: int, name: str, message: str, suggestion: str = "") -> None:
        self.report.add(Finding(number, self.index.get(name), message, suggestion))

    def _parse(self, column: Column, text: str) -> Any:
        if column.required and not text:
            raise _Bad(_("This column is required: fill in every row."))
        if not text:
            return [] if column.multiple else ""
        if column.name in _PARSERS:
            return _PARSERS[column.name](text)
        found = matching.for_column(column)
        if found is None:  # free text (identifying, or a reference)
            limit = TEXT_LIMITS.get(column.name, _LONG_TEXT)
            if len(text) > limit:
                raise _Bad(
                    _("This is %(length)s characters; the limit is %(limit)s.")
                    % {"length": len(text), "limit": limit}
                )
            return text
        if not column.multiple:
            return _code(found, text)
        codes = [_code(found, part) for part in text.split(columns.SEPARATOR) if part.strip()]
        return sorted(set(codes))

    # --- dates ------------------------------------------------------------------------------

    def _when(self, number: int, values: dict[str, Any]) -> When | None:
        """When it happened, if the year, month, exact date and precision agree."""
        year, month, day = values.get("year"), values.get("month", ""), values.get("exact_date")
        precision = values.get("date_precision", "")
        if _UNREAD in (year, month, day, precision) or not isinstance(year, int):
            return None
        has_day = isinstance(day, datetime.date)
        iso = day.isoformat() if isinstance(day, datetime.date) else ""
        if month and int(month[:4]) != year:
            self._add(number, "month", _("This month is not in the year of the “year” column."))
            return None
        if has_day and (int(iso[:4]) != year or (month and iso[:7] != month)):
            self._add(
                number,
                "exact_date",
                _("This date is not in the year (or the month) the other date columns give."),
            )
            return None
        wanted = precision or ("exact" if has_day else "month" if month else "year")
        if wanted == "exact":
            if not has_day:
                self._add(
                    number,
                    "date_precision",
                    _("The precision is “exact” but the exact date is empty."),
                )
                return None
            return When("exact", year, iso[:7], iso)
        if has_day or (wanted == "year" and month):
            self._add(
                number,
                "date_precision",
                _(
                    "The precision is “%(precision)s” but a more precise date is given: clear "
                    "one of them."
                )
                % {"precision": wanted},
            )
            return None
        if wanted == "month":
            if not month:
                self._add(
                    number, "date_precision", _("The precision is “month” but the month is empty.")
                )
                return None
            return When("month", year, month)
        return When("year", year)

    def _subdivision(self, row: sheets.Row, values: dict[str, Any]) -> None:
        code, country = values.get("subdivision", ""), values.get("country", "")
        if not code or code is _UNREAD or country is _UNREAD:
            return
        if not vocabularies.is_subdivision_of(code, country):
            values["subdivision"] = _UNREAD
            suggestion = matching.suggest_subdivision(code, country)
            self._add(
                row.number,
                "subdivision",
                _("This is not a first-level region (ISO 3166-2 code, like GT-16) of the country."),
                _did_you_mean(suggestion, vocabularies.subdivision_name(suggestion or "")),
            )

    # --- defenders --------------------------------------------------------------------------

    def _group(self, number: int, values: dict[str, Any]) -> bytes:
        who = [
            str(values.get(n, "")) for n in ("defender_name", "defender_kind", "defender_country")
        ]
        identity = self._digest("who", matching.normalise(who[0]), *who[1:])
        reference = str(values.get("case_reference") or "")
        group = self._digest("ref", matching.normalise(reference)) if reference else identity
        first = self._groups.get(group)
        if first is None:
            self._groups[group] = (number, identity)
            self.report.defenders += 1
        elif reference and first[1] != identity:
            self._add(
                number,
                "case_reference",
                _(
                    "Row %(row)s has the same case reference but another defender (name, kind "
                    "or country): give each defender their own reference."
                )
                % {"row": first[0]},
            )
        return group

    def _digest(self, *parts: str) -> bytes:
        joined = "\x1f".join(parts).encode("utf-8", "surrogatepass")
        return hashlib.blake2b(joined, key=self._key, digest_size=16).digest()

    def _profile(self, values: dict[str, Any]) -> DefenderProfile | None:
        if self.mode != DESK:
            return None
        return DefenderProfile(
            kind=values["defender_kind"],
            country=values["defender_country"],
            sectors=tuple(values.get("defender_sectors") or ()),
            gender=values.get("defender_gender", ""),
            age_band=values.get("defender_age_band", ""),
            name=values["defender_name"],
        )

    @staticmethod
    def _incident(values: dict[str, Any], when: When) -> IncidentData:
        return IncidentData(
            when=when,
            country=values["country"],
            subdivision=values.get("subdivision", ""),
            title=values["title"],
            narrative=values["narrative"],
            types=tuple(values["types"]),
            nature=values["nature"],
            place=values.get("place", ""),
            consequences=values.get("consequences", ""),
            affected=tuple(values.get("affected") or ()),
            authority_response=values.get("authority_response") or "not_reported",
            authority_details=values.get("authority_details", ""),
            reaction=values.get("reaction", ""),
            severity=values.get("severity") or None,
        )


#: A value that could not be read (its finding is reported already).
_UNREAD: Any = object()

_DEFENDER_NAMES = frozenset(column.name for column in columns.DEFENDER_COLUMNS)


def _code(found: matching.Choices, text: str) -> str:
    code = found.match(text)
    if code is not None:
        return code
    suggestion = found.suggest(text)
    raise _Bad(
        _("This is not one of the codes of this column’s list."),
        _did_you_mean(suggestion, found.label(suggestion or "")),
    )


def _year(text: str) -> int:
    match = _YEAR.fullmatch(text)
    if not match:
        raise _Bad(_("Write the year in four digits, for example 2024."))
    year = int(match[1])
    _exists(year, 1)
    return year


def _month(text: str) -> str:
    iso, month_year = _MONTH_ISO.fullmatch(text), _MONTH_MY.fullmatch(text)
    if iso:
        year, month = int(iso[1]), int(iso[2])
    elif month_year:
        year, month = int(month_year[2]), int(month_year[1])
    else:
        raise _Bad(_("Write the month as YYYY-MM, for example 2024-03."))
    _exists(year, month)
    return f"{year:04d}-{month:02d}"


def _exists(year: int, month: int) -> None:
    """The month exists, has begun, and is not before the earliest year the desk records."""
    try:
        check_past_day(check_day(year, month, 1))
    except ValidationError as error:
        raise _Bad(" ".join(error.messages)) from None


def _day(text: str) -> datetime.date:
    try:
        day = parse_day(text)
        if day is None:
            raise _Bad(_("Write the date as YYYY-MM-DD (or DD/MM/YYYY), for example 2024-03-14."))
        check_past_day(day)
    except ValidationError as error:
        raise _Bad(" ".join(error.messages)) from None
    return day


def _severity(text: str) -> int:
    match = _NUMBER.fullmatch(text)
    if not match or not 1 <= int(match[1]) <= 5:
        raise _Bad(_("Severity is a whole number from 1 (low) to 5 (critical)."))
    return int(match[1])


def _country(text: str) -> str:
    code = matching.country(text)
    if code is not None:
        return code
    suggestion = matching.suggest_country(text)
    raise _Bad(
        _("Write the country as its two-letter ISO code, for example GT, MX or CO."),
        _did_you_mean(suggestion, vocabularies.country_name(suggestion or "")),
    )


def _subdivision_code(text: str) -> str:
    return text.upper()  # checked against the country once both are read


_PARSERS: dict[str, Callable[[str], Any]] = {
    "year": _year,
    "month": _month,
    "exact_date": _day,
    "severity": _severity,
    "country": _country,
    "defender_country": _country,
    "subdivision": _subdivision_code,
}


# --- a whole sheet ---------------------------------------------------------------------------

#: rows checked so far → None: called every 500 rows.
Progress = Callable[[int], None]


def read_sheet(data: bytes, report: Report) -> sheets.Sheet | None:
    """The sheet, or None with the file-level finding in ``report``."""
    try:
        return sheets.read(data)
    except sheets.Refused as refused:
        report.add(Finding(None, None, refusal_message(refused.code, refused.params)))
        return None


def rows_of(
    data: bytes, mapping: list[str], mode: str, report: Report, progress: Progress | None = None
) -> Iterator[ImportRow]:
    """Every valid row of the file, as it is checked; findings go to ``report``.

    A refusal met halfway (too many rows, a CSV the parser cannot follow) ends the rows and is
    reported as a finding of the whole file.
    """
    sheet = read_sheet(data, report)
    if sheet is None:
        return
    for column in missing_columns(mapping, mode):
        report.add(
            Finding(
                None,
                None,
                _("No column of the file is chosen for “%(column)s”, which is required.")
                % {"column": column.label},
            )
        )
    if not report.ok:
        return
    checker = Checker(sheet, mapping, mode, report)
    try:
        for row in sheet.rows:
            typed = checker.check(row)
            if progress is not None and report.rows % 500 == 0:
                progress(report.rows)
            if typed is not None:
                yield typed
    except sheets.Refused as refused:
        report.add(Finding(None, None, refusal_message(refused.code, refused.params)))


def dry_run(data: bytes, mapping: list[str], mode: str, progress: Progress | None = None) -> Report:
    """Check every row of the file; nothing is written."""
    report = Report()
    for _row in rows_of(data, mapping, mode, report, progress):
        pass
    if report.rows == 0 and report.ok:
        report.add(Finding(None, None, _("The file has a header row but no rows under it.")))
    return report
