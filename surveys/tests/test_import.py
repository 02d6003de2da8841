"""Year-end results of an independent survey firm, imported from Excel whole or not at all (S5, R3)."""

import datetime
import io

import pytest
from openpyxl import Workbook

from core.roles import Role
from estates.models import Project
from members.tests.factories import CustomerFactory
from surveys import selectors, services
from surveys.choices import SurveyKind
from surveys.models import FollowUp, ImportBatch, Questionnaire, Response

from .factories import standard_questionnaire

HEADERS = [
    "项目",
    "手机号",
    "业主类型",
    "答题日期",
    "总体满意度",
    "置业顾问服务",
    "是否会再次购买万科的房子",
    "是否愿意推荐本项目",
    "您从哪里得知本项目",
    "其他建议",
]


def workbook(rows, headers=HEADERS):
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    return data


@pytest.fixture
def year_end(db):
    return standard_questionnaire(kind=SurveyKind.YEAR_END, step="caring")


def run(file, questionnaire, user, projects):
    return services.import_results(
        file=file, questionnaire=questionnaire, firm="零点调查", file_name="2026.xlsx", actor=user, projects=projects
    )


@pytest.mark.rule("S5")
@pytest.mark.rule("R3")
def test_a_clean_file_is_imported_whole_with_its_segments(project, year_end, staff):
    CustomerFactory(project=project, mobile="+8613900001111")
    rows = [
        [project.name, "13900001111", "稳定期", "2026-12-01", 5, 4, "是", "是", "网络", "很好"],
        [project.name, None, "老业主", "2026-12-02", 3, None, "否", "是", None, None],
        [project.name, None, "Run-in", "2026-12-03", 1, 2, "否", "否", "朋友介绍", "漏水"],
    ]

    report, batch = run(workbook(rows), year_end, staff[Role.CUSTOMER_SERVICE], Project.objects.all())

    assert report.ok and batch.row_count == 3
    responses = Response.objects.order_by("answered_at")
    assert [r.segment for r in responses] == ["stable", "old_owner", "run_in"]
    assert responses[0].customer.mobile == "+8613900001111" and responses[0].source == "import"
    assert selectors.figures(responses)[0]["satisfaction"] == 33.3
    assert FollowUp.objects.count() == 1  # the third row scored 1 and 2 (S6)


@pytest.mark.rule("S5")
@pytest.mark.rule("R3")
def test_one_bad_row_imports_nothing_and_every_error_is_reported_by_row(project, year_end, staff):
    rows = [
        [project.name, None, "稳定期", "2026-12-01", 5, 4, "是", "是", None, None],
        ["别的项目", None, "稳定期", "2026-12-01", 7, 4, "也许", "是", None, None],
        [project.name, "13911112222", "外星人", "昨天", 4, 4, "是", "是", "电视", None],
    ]

    report, batch = run(workbook(rows), year_end, staff[Role.CUSTOMER_SERVICE], Project.objects.filter(pk=project.pk))

    assert batch is None and not Response.objects.exists() and not ImportBatch.objects.exists()
    errors = {(error.row, error.column) for error in report.errors}
    assert {(3, "项目"), (3, "总体满意度"), (4, "手机号"), (4, "业主类型"), (4, "答题日期")} <= errors
    assert all(error.row != 2 for error in report.errors)


@pytest.mark.rule("S5")
def test_a_missing_column_is_reported_before_any_row(project, year_end, staff):
    report, batch = run(
        workbook([[project.name]], headers=HEADERS[:4]), year_end, staff[Role.CUSTOMER_SERVICE], Project.objects.all()
    )

    assert batch is None and {error.column for error in report.errors} >= {"总体满意度", "其他建议"}
    assert all(error.row == 1 for error in report.errors)


@pytest.mark.rule("S5")
def test_a_file_that_is_not_a_workbook_is_refused(year_end, staff, project):
    report, batch = run(io.BytesIO(b"not excel"), year_end, staff[Role.CUSTOMER_SERVICE], Project.objects.all())
    assert batch is None and not report.ok


@pytest.mark.rule("S5")
def test_a_large_file_checks_its_rows_against_the_customers_and_questions_read_once(project, year_end, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def reads_while_importing(count):
        owners = [CustomerFactory(project=project) for _ in range(count)]
        rows = [
            [project.name, str(owner.mobile)[-11:], "稳定期", "2026-12-01", 5, 4, "是", "是", None, None]
            for owner in owners
        ]
        questionnaire = Questionnaire.objects.get(pk=year_end.pk)  # as a request reads it, its questions unread
        with CaptureQueriesContext(connection) as statements:
            report, batch = run(workbook(rows), questionnaire, staff[Role.CUSTOMER_SERVICE], Project.objects.all())
        assert report.ok and batch.row_count == count
        assert {response.customer for response in batch.responses.all()} == set(owners)
        reads = [query["sql"] for query in statements.captured_queries]
        return sum('FROM "members_customer"' in sql or 'FROM "surveys_item"' in sql for sql in reads)

    assert reads_while_importing(6) == reads_while_importing(2)


@pytest.mark.rule("S5")
@pytest.mark.rule("S6")
def test_a_large_file_is_imported_in_the_same_few_statements_as_a_small_one_with_segments_and_follow_ups(
    project, year_end, staff
):
    """A firm's year-end file holds thousands of rows: it is written in a few statements for all of them, as many
    for twelve rows as for three (the database splits larger files into batches), where a few statements a row took
    26 s for 2,000 rows on the generated million; each row still has its owner segment and low scores still raise
    their follow-ups."""
    from core.testing import count_queries
    from members.tests.factories import PurchaseFactory

    def rows(count, first):
        made = []
        for n in range(first, first + count):
            mobile = f"139{n:08d}"
            customer = CustomerFactory(project=project, mobile=f"+86{mobile}")
            if n % 2:  # an owner who moved in a year and a half before answering: stable (M2: 1–2 years)
                PurchaseFactory(customer=customer, project=project, moved_in_on=datetime.date(2025, 6, 1))
            score = 1 if n % 5 == 0 else 5
            made.append([project.name, mobile, None, "2026-12-01", score, 4, "是", "是", None, None])
        return made

    user = staff[Role.CUSTOMER_SERVICE]
    small, large = workbook(rows(3, 0)), workbook(rows(12, 100))
    statements = [
        count_queries(
            lambda file=file: run(file, Questionnaire.objects.get(pk=year_end.pk), user, Project.objects.all())
        )
        for file in (small, large)
    ]

    assert statements[0] == statements[1]
    imported = Response.objects.filter(customer__mobile__startswith="+86139").select_related("customer")
    assert imported.count() == 15
    segments = {str(response.customer.mobile)[-3:]: response.segment for response in imported}
    assert segments["101"] == "stable" and segments["100"] == "visitor"
    assert FollowUp.objects.filter(response__in=imported).count() == 1 + 3  # rows 0, 100, 105 and 110 scored 1
