import io

import pytest
from openpyxl import Workbook

from onboarding.importing import COLUMNS


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def workbook(rows, headers, name="import.xlsx"):
    book = Workbook()
    sheet = book.active
    if headers is not None:
        sheet.append(headers)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = name
    return data


def headers(kind, english=False):
    return [column.en if english else column.zh for column in COLUMNS[kind]]
