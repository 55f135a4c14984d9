"""What the codes of :mod:`protectdesk.imports.sheets` say, in the user's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from protectdesk.imports import sheets


def refusal_message(code: str, params: dict[str, Any] | None = None) -> str:
    """Why a whole file was refused, and what to do about it."""
    params = params or {}
    messages = {
        "empty": _("The file is empty: it has no header row."),
        "too_large": _(
            "The file is too large: split it into files under %(megabytes)s MB and import "
            "them one after the other."
        ),
        "binary": _("This is not a spreadsheet: import a CSV file or an Excel workbook (.xlsx)."),
        "old_excel": _(
            "This is an old Excel file (.xls) or a workbook protected by a password: save it "
            "as .xlsx without a password, or as CSV, and import that."
        ),
        "not_workbook": _(
            "This zip file is not an Excel workbook (.xlsx). Save the sheet as .xlsx or CSV "
            "and import that."
        ),
        "zip_bomb": _(
            "This workbook would unpack to far more data than a sheet of incidents holds, so it "
            "was not opened. Save the sheet again as .xlsx or CSV and import that."
        ),
        "unreadable": _(
            "This workbook could not be read: it may be damaged. Open it in your spreadsheet "
            "program, save it again as .xlsx or CSV, and import that."
        ),
        "encoding": _(
            "The file's text could not be read in the encoding it declares. Save it as UTF-8 "
            "(“CSV UTF-8”) and import it again."
        ),
        "columns": _(
            "The file has %(count)s columns; an import reads at most %(limit)s. Delete the "
            "columns you do not need and import it again."
        ),
        "rows": _(
            "The file has more than %(limit)s rows: split it into smaller files and import "
            "them one after the other."
        ),
        "long_line": _(
            "Line %(line)s of the file is longer than an import reads (%(limit)s characters): "
            "it is perhaps not a sheet of incidents. Check the file in your spreadsheet "
            "program, save it again as CSV, and import that."
        ),
        "far_row": _(
            "The workbook has something below row %(limit)s, far below any sheet of incidents "
            "(often an empty row that was formatted). Delete the empty rows below your data, "
            "save the workbook, and import it again."
        ),
        "malformed": _(
            "The file stops being readable CSV at row %(row)s (a quote that is never closed, "
            "perhaps). Open it in your spreadsheet program, save it again as CSV, and import "
            "that."
        ),
    }
    return messages.get(code, messages["unreadable"]) % params


def cell_issue_message(code: str, encoding: str) -> str:
    """Why one cell was not read."""
    if code == "encoding":
        if encoding.startswith("utf"):
            return _(
                "This cell is not valid UTF-8 (it was perhaps pasted from a file in another "
                "encoding): retype it, or save the whole file as UTF-8, and import again."
            )
        return _(
            "This cell holds bytes that are not text in %(encoding)s: save the file as UTF-8 "
            "(“CSV UTF-8”) and import it again."
        ) % {"encoding": encoding}
    messages = {
        "formula": _(
            "This cell is a formula. Formulas are not imported: paste its value instead (in "
            "your spreadsheet: copy, then “paste special → values only”)."
        ),
        "error_value": _("This cell holds an error value (like #N/A): type the value instead."),
        "too_long": _("This cell is longer than %(limit)s characters: shorten it.")
        % {"limit": sheets.MAX_CELL},
        "extra_cells": _(
            "This row has cells after the last column of the header row: give them a heading, "
            "or delete them."
        ),
    }
    return messages.get(code, messages["formula"])
