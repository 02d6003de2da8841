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


def customers_upload(project, new: int):
    """As an administrator through the API: a checked upload of `new` customers and the rename of one that exists
    (张三, whose row a worker stops at while another transaction holds it). Returns the API client, the customer
    and the batch as the API answered."""
    from core.roles import Role
    from core.testing import api_client, make_staff
    from members.tests.factories import CustomerFactory
    from onboarding.choices import ImportKind

    known = CustomerFactory(project=project, name="张三", mobile="+8613900000000", id_number="")
    rows = [[project.name, f"新客户{n}", f"1381234{n:04d}", ""] for n in range(new)]
    rows.append([project.name, "张三丰", "139 0000 0000", ""])
    admin = api_client(make_staff(Role.ADMINISTRATOR))
    batch = admin.post(
        "/api/v1/imports/",
        {"kind": ImportKind.CUSTOMERS, "file": workbook(rows, headers(ImportKind.CUSTOMERS))},
        format="multipart",
    ).json()
    return admin, known, batch
