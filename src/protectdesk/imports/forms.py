"""The upload form and the column-mapping form (one list per column of the file)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from protectdesk.attachments.uploads import EncryptedUploadedFile
from protectdesk.imports import actions, sheets, validate
from protectdesk.incidents import columns
from protectdesk.lib.forms import Form, count


class SheetField(forms.FileField):
    """The encrypted upload as the handler made it; its refusals are worded by the importer."""

    def to_python(self, data: Any) -> Any:
        if data in self.empty_values:
            return None
        if not isinstance(data, EncryptedUploadedFile):
            raise ValidationError(self.error_messages["required"], code="required")
        return data


class UploadForm(Form):
    sheet = SheetField(
        label=_("Spreadsheet to import"),
        error_messages={"required": _("Choose a CSV or XLSX file to import.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sheet"].help_text = gettext(
            "A CSV file or an Excel workbook (.xlsx) of up to %(megabytes)s MB, %(rows)s rows "
            "and %(columns)s columns, with a header row. It is encrypted as it arrives and "
            "deleted once imported, or after a day."
        ) % {
            "megabytes": sheets.MAX_BYTES // (1024 * 1024),
            "rows": count(sheets.MAX_ROWS),
            "columns": sheets.MAX_COLUMNS,
        }

    def clean_sheet(self) -> EncryptedUploadedFile:
        uploaded = self.cleaned_data["sheet"]
        if uploaded.upload.error:
            raise ValidationError(actions.upload_refusal(uploaded.upload), code="refused")
        return uploaded  # type: ignore[no-any-return]


def column_letter(index: int) -> str:
    """A, B, … Z, AA, AB …: the column as a spreadsheet names it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def column_label(index: int | None, header: list[str]) -> str:
    """How a report names a file column: its letter and heading."""
    if index is None:
        return ""
    heading = header[index] if index < len(header) else ""
    letter = column_letter(index)
    return f"{letter} · {heading}" if heading else letter


class MappingForm(Form):
    """For each column of the file, which column of the format it holds (or none)."""

    def __init__(
        self, *args: Any, header: list[str], mode: str, mapping: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.header = header
        self.mode = mode
        offered = columns.INCIDENT_COLUMNS if mode == validate.CASE else columns.COLUMNS
        choices = [("", _("— not imported —"))] + [
            (column.name, f"{column.label} ({column.name})") for column in offered
        ]
        known = {column.name for column in offered}
        for index in range(len(header)):
            name = f"column_{index}"
            initial = mapping[index] if index < len(mapping) else ""
            self.fields[name] = forms.ChoiceField(
                label=gettext("Column %(column)s") % {"column": column_label(index, header)},
                choices=choices,
                required=False,
                initial=initial if initial in known else "",
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first: dict[str, int] = {}
        for index in range(len(self.header)):
            name = data.get(f"column_{index}") or ""
            if not name:
                continue
            if name in first:
                self.add_error(
                    f"column_{index}",
                    gettext(
                        "“%(column)s” is chosen for column %(other)s already: choose it for one "
                        "column only."
                    )
                    % {
                        "column": columns.BY_NAME[name].label,
                        "other": column_letter(first[name]),
                    },
                )
            else:
                first[name] = index
        for missing in validate.missing_columns(self.mapping(), self.mode):
            self.add_error(
                None,
                gettext("Choose the column of the file that holds “%(column)s”: it is required.")
                % {"column": missing.label},
            )
        return data

    def mapping(self) -> list[str]:
        """One column name (or "") per file column, from what was chosen."""
        data = getattr(self, "cleaned_data", {})
        return [str(data.get(f"column_{index}") or "") for index in range(len(self.header))]
