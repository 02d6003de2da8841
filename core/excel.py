"""Excel export (openpyxl write-only, streamed) and the row-checked import used by every app (R3)."""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django import forms
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]


def xlsx_response(
    filename: str, sheets: Sequence[Sheet], *, conditions: Sequence[tuple[str, str]] = ()
) -> FileResponse:
    """Write rows as they come (write-only mode keeps memory flat) and stream the file back.

    `conditions` (see export_conditions) go on a last sheet: who exported what, when, filtered how.
    """
    workbook = Workbook(write_only=True)
    if conditions:
        sheets = [*sheets, Sheet(title=_("Export conditions"), headers=[_("Condition"), _("Value")], rows=conditions)]
    for sheet in sheets:
        worksheet = workbook.create_sheet(title=str(sheet.title)[:31])
        worksheet.append([str(header) for header in sheet.headers])
        for row in sheet.rows:
            worksheet.append([_cell(value) for value in row])
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


class SheetFile:
    """An Excel file written a row at a time (write-only mode keeps memory flat whatever its length); `saved()`
    answers it as a temporary file to store or send. Used as a context manager, a file left unsaved (the work
    that wrote it failed) is closed cleanly."""

    def __init__(self, title: str, headers: Sequence[str]):
        self._workbook = Workbook(write_only=True)
        self._sheet = self._workbook.create_sheet(title=str(title)[:31])
        self._sheet.append([str(header) for header in headers])
        self._saved = False

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if not self._saved:
            self._sheet.close()

    def append(self, row: Sequence) -> None:
        self._sheet.append([_cell(value) for value in row])

    def saved(self):
        self._saved = True
        file = tempfile.TemporaryFile()
        self._workbook.save(file)
        file.seek(0)
        return file


def export_conditions(*, user, filterset=None, parameters=()) -> list[tuple[str, str]]:
    """What an export was made with: when, by whom, what a report covers (`parameters`: its period, project …)
    and each filter the user set, in the page's words."""
    rows = [
        (_("Exported at"), f"{timezone.localtime():%Y-%m-%d %H:%M}"),
        (_("Exported by"), str(user)),
        *((str(label), str(value)) for label, value in parameters),
    ]
    chosen = []
    if filterset is not None and filterset.is_bound and filterset.form.is_valid():
        for name, value in filterset.form.cleaned_data.items():
            if value in (None, "", [], ()) or (hasattr(value, "exists") and not value.exists()):
                continue
            field = filterset.form.fields[name]
            chosen.append((str(field.label or name), _condition_value(field, value)))
    if parameters and not chosen:
        return rows
    return rows + (chosen or [(_("Filtered by"), _("None: every row you may see"))])


def _condition_value(field, value) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        labels = {str(key): str(label) for key, label in field.choices}
        values = value if isinstance(value, (list, tuple)) else [value]
        return ", ".join(labels.get(str(item), str(item)) for item in values)
    if isinstance(value, (list, tuple)) or hasattr(value, "exists"):
        return ", ".join(str(item) for item in value)
    if isinstance(value, slice):
        return f"{value.start or ''} – {value.stop or ''}"
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def _cell(value):
    """Excel has no time zones: aware datetimes become local naive ones; lazy strings become text."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    if value is None or isinstance(value, (int, float, datetime.date, datetime.datetime)):
        return value
    return str(value)


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    """The outcome of reading a workbook: every row's errors, or the clean rows ready to apply."""

    rows: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_rows(file, columns: dict[str, str]) -> ImportReport:
    """Read the first sheet, mapping header labels to keys ({"手机号": "mobile", …}).

    Missing columns are reported as errors on row 1. Rows are returned as dicts of raw values;
    the caller validates each and applies all of them only when the report is clean.
    """
    report = ImportReport()
    try:
        worksheet = load_workbook(file, read_only=True, data_only=True).worksheets[0]
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        report.errors.append(RowError(row=0, column="", message=f"not a readable .xlsx file: {exc.__class__.__name__}"))
        return report
    rows = worksheet.iter_rows(values_only=True)
    headers = [str(cell).strip() if cell is not None else "" for cell in next(rows, ())]
    positions = {}
    for label, key in columns.items():
        if label in headers:
            positions[key] = headers.index(label)
        else:
            report.errors.append(RowError(row=1, column=label, message="column missing"))
    if report.errors:
        return report
    for number, values in enumerate(rows, start=2):
        if values is None or all(value in (None, "") for value in values):
            continue
        report.rows.append(
            {
                "_row": number,
                **{key: values[index] if index < len(values) else None for key, index in positions.items()},
            }
        )
    return report
