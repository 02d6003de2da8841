"""Every report's Excel file ends with what it covers and who made it when (issue 14 item 12)."""

import io

import pytest
from openpyxl import load_workbook

from core.roles import Role
from core.testing import api_client

pytestmark = pytest.mark.django_db


def conditions_of(user, url, params):
    response = api_client(user).get(url, {**params, "format": "xlsx"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200, (url, response.content[:300])
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames[-1] == "导出条件", url
    conditions = dict(list(book.worksheets[-1].iter_rows(values_only=True))[1:])
    assert conditions["导出人"] == str(user) and conditions["导出时间"], url
    return conditions


def test_each_report_export_says_what_it_covers(project, staff):
    head = staff[Role.CR_HEAD]
    manager = staff[Role.SALES_MANAGER]

    weekly = conditions_of(manager, "/api/v1/reports/weekly-summary/", {"week": "2026-11-23"})
    assert weekly["周"] == "2026-11-23 – 2026-11-29"
    monthly = conditions_of(head, "/api/v1/reports/complaints-monthly/", {"year": 2026, "month": 11})
    assert monthly["月份"] == "2026-11"
    defects = conditions_of(head, "/api/v1/reports/defects-weekly/", {"day": "2026-11-25"})
    assert defects["周"] == "2026-11-23 – 2026-11-29"
    scorecard = conditions_of(head, "/api/v1/reports/scorecard/", {"project": project.pk, "on": "2026-11-30"})
    assert (scorecard["项目"], scorecard["截至"]) == (project.name, "2026-11-30")
    coverage = conditions_of(
        head, "/api/v1/reports/return-visit-coverage/", {"start": "2026-01-01", "end": "2026-11-30"}
    )
    assert coverage["期间"] == "2026-01-01 – 2026-11-30"
    handbook = conditions_of(head, "/api/v1/reports/quality-handbook/", {"year": 2026, "quarter": 3})
    assert handbook["季度"] == "2026 Q3" and handbook["公司"] == project.company.name
    satisfaction = conditions_of(head, "/api/v1/reports/satisfaction/", {"by": "project", "project": project.pk})
    assert satisfaction["项目"] == project.name and satisfaction["拆分维度"]
