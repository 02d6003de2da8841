"""A large year-end file (S5) is written by a worker while its page shows the progress, whole or not at all (R3)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core import progress
from core.roles import Role
from members.tests.factories import CustomerFactory
from surveys import services, tasks
from surveys.choices import ImportStatus
from surveys.models import FollowUp, ImportBatch, Response

from .factories import standard_questionnaire
from .test_import import HEADERS, workbook


@pytest.fixture
def large(settings):
    settings.SURVEY_IMPORT_ASYNC_ROWS = 2  # a "large" file: three rows go to a worker


@pytest.fixture
def year_end(db):
    return standard_questionnaire(kind="year_end", step="caring")


def rows_of(project, customers):
    return [
        [project.name, customer.mobile.as_e164[-11:], "稳定期", "2026-12-01", score, 4, "是", "是", None, None]
        for customer, score in zip(customers, (5, 4, 1), strict=True)
    ]


def post_file(client, questionnaire, rows):
    upload = SimpleUploadedFile("year-end-2026.xlsx", workbook(rows, HEADERS).read())
    return client.post("/surveys/import/", {"questionnaire": questionnaire.pk, "firm": "零点调查", "file": upload})


@pytest.mark.rule("S5")
@pytest.mark.rule("R3")
def test_a_large_file_is_written_by_a_worker_while_its_page_shows_the_progress(
    project, staff, browser, year_end, large, celery_eager, django_capture_on_commit_callbacks
):
    customers = CustomerFactory.create_batch(3, project=project)
    service = browser(staff[Role.CUSTOMER_SERVICE])

    with django_capture_on_commit_callbacks() as after_commit:
        answer = post_file(service, year_end, rows_of(project, customers))
    batch = ImportBatch.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/surveys/import/{batch.pk}/"
    assert (batch.status, batch.row_count) == (ImportStatus.IMPORTING, 3) and not Response.objects.exists()

    progress.tell(f"surveys-import:{batch.pk}", 2)  # as the worker does after each chunk it writes
    page = service.get(answer["Location"])
    assert 'http-equiv="refresh"' in page.text and 'id="import-progress"' in page.text
    assert page.context["progress"] == 66

    for callback in after_commit:  # the request's end hands the task to the (eager) worker
        callback()

    batch.refresh_from_db()
    assert (batch.status, batch.finished_at is not None) == (ImportStatus.DONE, True)
    page = service.get(answer["Location"])
    assert 'http-equiv="refresh"' not in page.text and f"?import_batch={batch.pk}" in page.text
    listed = service.get(f"/surveys/responses/?import_batch={batch.pk}")
    assert len(listed.context["object_list"]) == 3
    assert {r.customer for r in Response.objects.filter(import_batch=batch, source="import")} == set(customers)
    assert FollowUp.objects.count() == 1  # the third row scored 1 (S6)
    assert "latest-imports" in service.get("/surveys/import/").text

    tasks.import_results(batch.pk)  # the task handed over twice writes nothing more
    assert Response.objects.count() == 3 and FollowUp.objects.count() == 1


@pytest.mark.rule("R3")
def test_the_worker_checks_the_file_again_and_writes_nothing_when_a_row_has_gone_wrong_since(
    project, staff, browser, year_end, large, celery_eager, django_capture_on_commit_callbacks
):
    customers = CustomerFactory.create_batch(3, project=project)
    service = browser(staff[Role.CUSTOMER_SERVICE])
    with django_capture_on_commit_callbacks() as after_commit:
        answer = post_file(service, year_end, rows_of(project, customers))
    customers[1].delete()  # between the upload and the worker's turn

    for callback in after_commit:
        callback()

    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.FAILED and not Response.objects.exists()
    assert [(error["row"], error["column"]) for error in batch.errors] == [(3, "手机号")]
    page = service.get(answer["Location"])
    assert "import-errors" in page.text and "手机号" in page.text


def test_a_worker_imports_nothing_for_someone_who_may_no_longer_import(
    project, staff, year_end, large, celery_eager, django_capture_on_commit_callbacks
):
    customers = CustomerFactory.create_batch(3, project=project)
    organiser = staff[Role.CUSTOMER_SERVICE]
    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        _, batch = services.import_results(
            file=workbook(rows_of(project, customers), HEADERS),
            questionnaire=year_end,
            firm="零点调查",
            file_name="2026.xlsx",
            actor=organiser,
            projects=[project],
        )
    organiser.is_active = False
    organiser.save()

    for callback in after_commit:
        callback()

    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED and not Response.objects.exists()
    assert batch.errors[0]["row"] is None


def test_an_import_page_is_for_the_survey_organisers(project, staff, browser, year_end):
    batch = ImportBatch.objects.create(questionnaire=year_end, firm="零点调查", file_name="2026.xlsx", row_count=0)

    assert browser(staff[Role.CR_HEAD]).get(f"/surveys/import/{batch.pk}/").status_code == 200
    assert browser(staff[Role.CONSULTANT]).get(f"/surveys/import/{batch.pk}/").status_code == 403
    assert browser(staff[Role.SALES_MANAGER]).get(f"/surveys/import/{batch.pk}/").status_code == 403


@pytest.mark.rule("S5")
@pytest.mark.rule("R3")
def test_a_large_files_rows_are_checked_by_the_worker_and_their_errors_shown_on_its_page(
    project, staff, browser, year_end, large, celery_eager, django_capture_on_commit_callbacks
):
    """The request only reads the size the file declares: a year-end file of 100,000 rows is not checked while the
    page waits. The worker checks it, and a bad row means nothing is written, each error listed by row."""
    customers = CustomerFactory.create_batch(3, project=project)
    rows = rows_of(project, customers)
    rows[1][4] = 9  # out of the 1-5 scale
    rows[2][0] = "别的项目"
    service = browser(staff[Role.CUSTOMER_SERVICE])

    with django_capture_on_commit_callbacks(execute=True):
        answer = post_file(service, year_end, rows)

    batch = ImportBatch.objects.get()
    assert answer["Location"] == f"/surveys/import/{batch.pk}/"
    assert batch.status == ImportStatus.FAILED and not Response.objects.exists()
    assert [(error["row"], error["column"]) for error in batch.errors] == [(3, "总体满意度"), (4, "项目")]
    page = service.get(answer["Location"])
    assert "import-errors" in page.text and "别的项目" not in page.text and "总体满意度" in page.text


def test_a_file_that_does_not_declare_its_size_is_checked_in_the_request_then_written_by_a_worker(
    project, staff, year_end, large, celery_eager, django_capture_on_commit_callbacks
):
    from openpyxl import Workbook

    customers = CustomerFactory.create_batch(3, project=project)
    book = Workbook(write_only=True)  # as some exporters write: no dimensions in the sheet
    sheet = book.create_sheet()
    for row in [HEADERS, *rows_of(project, customers)]:
        sheet.append(row)
    file = io.BytesIO()
    book.save(file)
    file.seek(0)

    with django_capture_on_commit_callbacks(execute=True):
        report, batch = services.import_results(
            file=file,
            questionnaire=year_end,
            firm="零点调查",
            file_name="2026.xlsx",
            actor=staff[Role.CUSTOMER_SERVICE],
            projects=[project],
        )

    assert report.ok and len(report.rows) == 3  # checked here first
    batch.refresh_from_db()
    assert (batch.status, batch.row_count, Response.objects.count()) == (ImportStatus.DONE, 3, 3)


def test_the_worker_writes_the_errors_in_the_importers_language_and_counts_those_it_does_not_list(
    project, staff, browser, year_end, large, celery_eager, django_capture_on_commit_callbacks, settings, monkeypatch
):
    """An importer who reads the dashboard in English reads the worker's errors in English too (the worker has no
    request to take the language from), and a file with more errors than the page keeps says how many more."""
    monkeypatch.setattr(services, "IMPORT_ERRORS_KEPT", 1)
    customers = CustomerFactory.create_batch(3, project=project)
    rows = rows_of(project, customers)
    rows[0][3] = rows[1][3] = rows[2][3] = "last spring"  # not a date, three times
    service = browser(staff[Role.CUSTOMER_SERVICE])
    service.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    with django_capture_on_commit_callbacks(execute=True):
        answer = post_file(service, year_end, rows)

    batch = ImportBatch.objects.get()
    assert (batch.status, batch.error_count, batch.language) == (ImportStatus.FAILED, 3, "en")
    assert batch.errors == [{"row": 2, "column": "答题日期", "message": "not a date (YYYY-MM-DD)"}]
    page = service.get(answer["Location"]).text
    assert "3 errors: nothing was imported." in page and "2 more errors are not listed here." in page

    service.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "另有 2 处错误未在此列出。" in service.get(answer["Location"]).text
