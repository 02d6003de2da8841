"""The Excel files every export and report sends (core.excel.xlsx_response)."""

import datetime
import io

from django.utils import timezone
from openpyxl import load_workbook

from core.excel import Sheet, xlsx_response

ROWS = [
    ["王芳", 3, 2.5, datetime.date(2026, 12, 1), True],
    ["=1+1", 0, None, None, False],
    ["https://example.com", -7, 0.0, datetime.date(2026, 1, 31), None],
]
HEADERS = ["Name", "Count", "Share", "Day", "Flag"]


def _cells(response) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return {sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


def _sheets(rows_of):
    return [Sheet(title="First", headers=HEADERS, rows=rows_of(ROWS)), Sheet(title="Second", headers=["A"], rows=[])]


def test_a_report_in_hand_and_an_export_read_a_row_at_a_time_give_the_same_file_contents(db):
    received = timezone.make_aware(datetime.datetime(2026, 12, 3, 9, 30))
    rows = [*ROWS, ["with a time", 1, 1.0, received, True]]
    in_hand = _cells(xlsx_response("report.xlsx", [Sheet("First", HEADERS, rows)], conditions=[("Month", "2026-12")]))
    streamed = _cells(xlsx_response("export.xlsx", [Sheet("First", HEADERS, iter(rows))], conditions=iter([])))

    assert in_hand["First"] == streamed["First"]
    assert in_hand["First"][0] == tuple(HEADERS)
    assert in_hand["First"][1] == ("王芳", 3, 2.5, datetime.datetime(2026, 12, 1), True)
    # Text stays text: never a formula or a link.
    assert in_hand["First"][2][0] == "=1+1" and in_hand["First"][3][0] == "https://example.com"
    assert in_hand["First"][4][3] == datetime.datetime(2026, 12, 3, 9, 30)  # in the local time zone
    assert list(in_hand.values())[-1][1:] == [("Month", "2026-12")]  # the conditions, on the last sheet


def test_every_sheet_of_a_report_is_in_the_file_even_an_empty_one(db):
    cells = _cells(xlsx_response("report.xlsx", _sheets(list)))

    assert list(cells) == ["First", "Second"]
    assert cells["Second"] == [("A",)]
    assert len(cells["First"]) == 1 + len(ROWS)
