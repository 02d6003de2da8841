"""Excel export (XlsxWriter, constant memory) and the row-checked import (openpyxl, read-only) of every app (R3)."""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import io
import logging
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django import forms
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
import xlsxwriter
from openpyxl import load_workbook

logger = logging.getLogger(__name__)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A long export's progress (core.exports): told the rows written so far, every PROGRESS_EVERY rows (a quarter of
# a second of writing; each report is a write to the database).
PROGRESS_EVERY = 5000
_rows_written = contextvars.ContextVar("rows_written", default=None)


@contextlib.contextmanager
def reporting_rows(report):
    """Within the block, every sheet written calls `report(rows)` as its rows go out."""
    token = _rows_written.set(report)
    try:
        yield
    finally:
        _rows_written.reset(token)


@dataclass
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]


def xlsx_response(
    filename: str, sheets: Sequence[Sheet], *, conditions: Sequence[tuple[str, str]] = ()
) -> FileResponse:
    """Write rows as they come (constant memory) and send the file back.

    `conditions` (see export_conditions) go on a last sheet: who exported what, when, filtered how.
    Sheets whose rows are all in hand already (lists: a report's few) are written in memory, not a row at a time.
    """
    if conditions:
        sheets = [*sheets, Sheet(title=_("Export conditions"), headers=[_("Condition"), _("Value")], rows=conditions)]
    book = _Workbook(in_memory=all(isinstance(sheet.rows, (list, tuple)) for sheet in sheets))
    for sheet in sheets:
        add_row = book.add_sheet(sheet.title, sheet.headers)
        for row in sheet.rows:
            add_row(row)
    return FileResponse(book.saved(), as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


class Labels:
    """The display labels of a model's choice fields, translated once per export rather than once a row:
    `label(record, "status")` answers what `record.get_status_display()` would."""

    def __init__(self, model):
        self._model, self._labels = model, {}

    def __call__(self, record, name: str) -> str:
        return self.of(name, getattr(record, name))

    def of(self, name: str, value) -> str:
        """The label of `value` in the choice field `name` (for rows read as values, not records)."""
        labels = self._labels.get(name)
        if labels is None:
            choices = self._model._meta.get_field(name).flatchoices
            labels = self._labels[name] = {choice: str(label) for choice, label in choices}
        return labels.get(value, value)


class SheetFile:
    """An Excel file of one sheet written a row at a time (constant memory whatever its length); `saved()`
    answers it as a temporary file to store or send. Used as a context manager, a file left unsaved (the work
    that wrote it failed) is closed cleanly."""

    def __init__(self, title: str, headers: Sequence[str]):
        self._book = _Workbook()
        self.append = self._book.add_sheet(title, headers)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self._book.discard()

    def saved(self):
        return self._book.saved()


class _Workbook:
    """XlsxWriter in constant-memory mode: each row goes to disk as it is added, so an export of a million
    rows needs no more memory than one of ten. Text is written as text (never read as a formula or a link);
    dates and times get a readable format.

    `in_memory`, for rows already held in memory: the sheets are kept there and zipped at the end. Constant-memory
    mode writes each sheet to a temporary file of its own first, which costs more than a report's dozen rows."""

    def __init__(self, *, in_memory: bool = False):
        self._file = io.BytesIO() if in_memory else tempfile.TemporaryFile()
        mode = {"in_memory": True} if in_memory else {"constant_memory": True}
        self._book = xlsxwriter.Workbook(self._file, {**mode, "strings_to_formulas": False, "strings_to_urls": False})
        self._formats = {
            datetime.datetime: self._book.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
            datetime.date: self._book.add_format({"num_format": "yyyy-mm-dd"}),
        }
        self._closed = False

    def add_sheet(self, title, headers: Sequence[str]):
        """A new sheet with its header row; answers the function that adds a row to it."""
        sheet = self._book.add_worksheet(str(title)[:31])
        sheet.write_row(0, 0, [str(header) for header in headers])
        formats, number = self._formats, 1
        # Each cell written by its own type's method: `write` would sniff every value's type again.
        writers = {str: sheet.write_string, int: sheet.write_number, float: sheet.write_number}
        writers[bool] = sheet.write_boolean
        zone = timezone.get_current_timezone()

        # The most frequent cells go straight to XlsxWriter's own writers: the public ones first pass their
        # arguments through a decorator that also takes "A1" notation: 8% of a large export's time.
        write_string, write_datetime = sheet._write_string, sheet._write_datetime
        moment, day = formats[datetime.datetime], formats[datetime.date]

        def add_row(row: Sequence) -> None:
            nonlocal number
            for column, value in enumerate(row):
                kind = type(value)
                if kind is str:  # most cells: written without a look at their type's conversions
                    if value:
                        write_string(number, column, value)
                    continue
                if kind is datetime.date:
                    write_datetime(number, column, value, day)
                    continue
                if kind is datetime.datetime and value.tzinfo is not None:
                    write_datetime(number, column, value.astimezone(zone).replace(tzinfo=None), moment)
                    continue
                value = _cell(value, zone)
                if value is None or value == "":
                    continue
                style = formats.get(type(value))
                if style is not None:
                    sheet.write_datetime(number, column, value, style)
                else:
                    writers.get(type(value), sheet.write)(number, column, value)
            if number % PROGRESS_EVERY == 0 and (report := _rows_written.get()) is not None:
                report(number)
            number += 1

        return add_row

    def saved(self):
        self._closed = True
        self._book.close()
        self._file.seek(0)
        return self._file

    def discard(self) -> None:
        if not self._closed:
            self.saved().close()


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


def _cell(value, zone):
    """Excel has no time zones: aware datetimes become naive ones in `zone`; lazy strings become text."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return value.astimezone(zone).replace(tzinfo=None)
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


def declared_rows(file) -> int | None:
    """The first sheet's rows below its header as the file declares them, without reading them (a file written
    without its dimensions, or not a workbook: None). The file is left at its start."""
    try:
        worksheet = load_workbook(file, read_only=True).worksheets[0]
        return max(worksheet.max_row - 1, 0) if worksheet.max_row else None
    except Exception:  # openpyxl raises many types for a file that is not a workbook: read_rows reports it
        return None
    finally:
        file.seek(0)


def read_rows(file, columns: dict[str, str]) -> ImportReport:
    """Read the first sheet, mapping header labels to keys ({"手机号": "mobile", …}).

    Missing columns are reported as errors on row 1. Rows are returned as dicts of raw values;
    the caller validates each and applies all of them only when the report is clean.
    """
    report = ImportReport()
    try:
        worksheet = load_workbook(file, read_only=True, data_only=True).worksheets[0]
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        logger.info("an uploaded file is not a workbook: %s", exc.__class__.__name__)
        report.errors.append(RowError(row=0, column="", message=_("not a readable .xlsx file")))
        return report
    rows = worksheet.iter_rows(values_only=True)
    headers = [str(cell).strip() if cell is not None else "" for cell in next(rows, ())]
    positions = {}
    for label, key in columns.items():
        if label in headers:
            positions[key] = headers.index(label)
        else:
            report.errors.append(RowError(row=1, column=label, message=_("column missing")))
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
