"""Excel import of units, customers and purchases: checked first, then all rows or none, never twice (R3)."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from openpyxl import load_workbook

from core import progress
from core.roles import Role
from core.testing import api_client, make_staff
from estates.choices import UnitStatus
from estates.models import Building, Unit
from estates.tests.factories import BuildingFactory, ProjectFactory, UnitFactory
from lookup.models import CustomerSearchKey
from members.choices import PurchaseStatus
from members.models import Customer, Purchase
from members.tests.factories import CustomerFactory
from onboarding.choices import BatchStatus, ImportKind
from onboarding.models import ImportBatch
from touchpoints.choices import Duty, TaskStatus
from touchpoints.models import CareTask
from touchpoints.schedule import run_daily_scan

from .conftest import headers, workbook

TODAY = datetime.datetime(2026, 12, 3, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
ID_NUMBER = "11010519491231002X"


def upload(client, kind, file):
    return client.post("/api/v1/imports/", {"kind": kind, "file": file}, format="multipart")


def confirm(client, batch_id):
    return client.post(f"/api/v1/imports/{batch_id}/confirm/")


@pytest.fixture
def admin(db):
    return api_client(make_staff(Role.ADMINISTRATOR))


# --- the dry run -----------------------------------------------------------------------------


@pytest.mark.rule("R3")
def test_the_dry_run_reports_each_refused_row_with_its_column_and_reason_and_saves_nothing(project, admin):
    CustomerFactory(project=project, name="老客户", mobile="+8613900000001")
    rows = [
        [project.name, "张三", "13812345678", ID_NUMBER],  # 2 create
        [project.name, "老客户", "13900000001", ""],  # 3 unchanged
        [project.name, "老客户改名", "13900000001", ""],  # 4 duplicate of row 3
        [project.name, "李四", "1234", ""],  # 5 bad mobile
        [project.name, "王五", "13812345679", "110105194912310021"],  # 6 bad ID number
        ["不存在的项目", "赵六", "13812345670", ""],  # 7 unknown project
    ]

    answer = upload(admin, ImportKind.CUSTOMERS, workbook(rows, headers(ImportKind.CUSTOMERS)))

    assert answer.status_code == 201
    report = answer.json()["report"]
    assert report["counts"] == {"create": 1, "update": 0, "unchanged": 1, "refuse": 4}
    by_row = {item["row"]: item for item in report["refusals"]}
    assert sorted(by_row) == [4, 5, 6, 7]
    assert by_row[4]["reason"] == "与本文件第 3 行重复。"
    assert by_row[5]["column"] == "手机号" and "1234" in by_row[5]["reason"]
    assert by_row[6]["column"] == "身份证号"
    assert by_row[7]["column"] == "项目"
    assert Customer.objects.count() == 1
    assert confirm(admin, answer.json()["id"]).status_code == 409
    assert Customer.objects.count() == 1


@time_machine.travel(TODAY, tick=False)
def test_purchase_rows_are_refused_for_unknown_units_and_broken_date_order(project, admin):
    building = BuildingFactory(project=project, name="1栋")
    UnitFactory(building=building, number="0301")
    UnitFactory(building=building, number="0302")
    CustomerFactory(project=project, mobile="+8613812345678")
    rows = [
        [project.name, "1栋", "0301", "13812345678", "2024-03-01", "2024-02-01", None, None, None, 2300000],
        [project.name, "1栋", "9999", "13812345678", "2024-03-01", None, None, None, None, 2300000],
        [project.name, "1栋", "0302", "13812345678", "2024-03-01", None, None, "2026-06-30", None, 2300000],
        [project.name, "1栋", "0302", "13800000000", "2024-03-01", None, None, None, None, 2300000],
    ]

    report = upload(admin, ImportKind.PURCHASES, workbook(rows, headers(ImportKind.PURCHASES))).json()["report"]

    reasons = {item["row"]: (item["column"], item["reason"]) for item in report["refusals"]}
    assert reasons[2] == ("签约日期", "日期顺序错误：该节点早于前一节点。")
    assert reasons[3][0] == "房号" and "9999" in reasons[3][1]
    assert reasons[4][0] == "交付日期"
    assert reasons[5][0] == "客户手机号"
    assert report["notes"]  # the preview says that historical milestones send nothing


# --- applying: whole, once -----------------------------------------------------------------


def test_units_are_imported_whole_with_english_headers_and_a_reimport_changes_nothing(project, admin):
    rows = [[project.name, "2栋", f"{floor:02d}01", floor, 89.5, "三室两厅", 2000000] for floor in range(1, 6)]
    file = lambda: workbook(rows, headers(ImportKind.UNITS, english=True))  # noqa: E731

    first = upload(admin, ImportKind.UNITS, file()).json()
    done = confirm(admin, first["id"])
    assert (done.status_code, done.json()["status"]) == (200, BatchStatus.DONE)
    assert Unit.objects.filter(project=project, building__name="2栋").count() == 5
    assert Building.objects.get(project=project, name="2栋").floors == 5

    second = upload(admin, ImportKind.UNITS, file()).json()
    assert second["report"]["counts"] == {"create": 0, "update": 0, "unchanged": 5, "refuse": 0}
    confirm(admin, second["id"])
    assert Unit.objects.filter(project=project).count() == 5


def test_a_changed_value_updates_the_record_found_by_its_natural_key(project, admin):
    customer = CustomerFactory(project=project, name="张三", mobile="+8613812345678", id_number="")
    rows = [[project.name, "张三丰", "138 1234 5678", ID_NUMBER.lower()]]

    batch = upload(admin, ImportKind.CUSTOMERS, workbook(rows, headers(ImportKind.CUSTOMERS))).json()
    assert batch["report"]["counts"]["update"] == 1
    confirm(admin, batch["id"])

    customer.refresh_from_db()
    assert (customer.name, customer.id_number) == ("张三丰", ID_NUMBER)
    assert Customer.objects.count() == 1
    assert CustomerSearchKey.objects.get(customer=customer).initials == "zsf"


def test_a_failure_on_the_last_row_leaves_nothing(project, admin, monkeypatch):
    from onboarding import importing

    rows = [[project.name, f"客户{n}", f"1381234{n:04d}", ""] for n in range(5)]
    batch = upload(admin, ImportKind.CUSTOMERS, workbook(rows, headers(ImportKind.CUSTOMERS))).json()
    original, writes = importing.bulk_create_with_history, []

    def write_then_fail_on_the_fifth(objs, model, **kwargs):
        writes.append(objs)
        if len(writes) == 5:
            raise RuntimeError("the database went away")
        return original(objs, model, **kwargs)

    monkeypatch.setattr(importing, "CHUNK", 1)
    monkeypatch.setattr(importing, "bulk_create_with_history", write_then_fail_on_the_fifth)

    answer = confirm(admin, batch["id"])

    assert answer.json()["status"] == BatchStatus.FAILED and len(writes) == 5
    assert Customer.objects.count() == 0 and CustomerSearchKey.objects.count() == 0
    assert ImportBatch.objects.get(pk=batch["id"]).status == BatchStatus.FAILED


def test_a_row_that_became_refusable_since_the_dry_run_stops_the_whole_import(project, staff):
    manager = api_client(staff[Role.SALES_MANAGER])
    rows = [[project.name, f"客户{n}", f"1381234{n:04d}", ""] for n in range(5)]
    batch = upload(manager, ImportKind.CUSTOMERS, workbook(rows, headers(ImportKind.CUSTOMERS))).json()
    # Meanwhile the last row's number is registered in a project this manager does not work on.
    CustomerFactory(project=ProjectFactory(company=project.company), mobile="+8613812340004")

    answer = confirm(manager, batch["id"])

    assert answer.json()["status"] == BatchStatus.FAILED
    assert Customer.objects.count() == 1  # the four good rows were not kept either
    error = ImportBatch.objects.get(pk=batch["id"]).report["error"]
    assert error.startswith("第 6 行被拒绝") and "该手机号属于您不负责的项目的客户" in error


@time_machine.travel(TODAY, tick=False)
def test_imported_purchases_take_their_milestones_and_send_no_care_message(project, admin):
    building = BuildingFactory(project=project, name="1栋")
    recent, old = UnitFactory(building=building, number="0301"), UnitFactory(building=building, number="0302")
    CustomerFactory(project=project, mobile="+8613812345678")
    CustomerFactory(project=project, mobile="+8613812345679")
    rows = [
        [project.name, "1栋", "0301", "13812345678", datetime.date(2026, 12, 2), None, None, None, None, 2300000],
        [
            project.name,
            "1栋",
            "0302",
            "13812345679",
            "2023-01-05",
            "2023-02-01",
            "2023-03-01",
            "2024-06-30",
            "2024-08-01",
            3100000.5,
        ],
    ]
    file = lambda: workbook(rows, headers(ImportKind.PURCHASES))  # noqa: E731

    confirm(admin, upload(admin, ImportKind.PURCHASES, file()).json()["id"])
    again = upload(admin, ImportKind.PURCHASES, file()).json()

    assert again["report"]["counts"]["unchanged"] == 2
    moved_in = Purchase.objects.get(unit=old)
    assert (moved_in.status, moved_in.moved_in_on, moved_in.price) == (
        PurchaseStatus.MOVED_IN,
        datetime.date(2024, 8, 1),
        Decimal("3100000.50"),
    )
    assert Purchase.objects.get(unit=recent).status == PurchaseStatus.SUBSCRIBED
    recent.refresh_from_db()
    old.refresh_from_db()
    assert (recent.status, old.status) == (UnitStatus.SUBSCRIBED, UnitStatus.DELIVERED)
    assert moved_in.history.count() == 1

    run_daily_scan()
    welcome = CareTask.objects.get(duty=Duty.SUBSCRIPTION_MESSAGE, purchase__unit=recent)
    assert welcome.status == TaskStatus.CANCELLED


# --- bad files ---------------------------------------------------------------------------------


def _merged_file(project):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(headers(ImportKind.CUSTOMERS))
    sheet.append([project.name, "张三", "13812345678", ""])
    sheet.append([None, "李四", "13812345679", ""])
    sheet.merge_cells("A2:A3")
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    return _named(data, "customers.xlsx")


def _formula_file(project):
    file = workbook([[project.name, "张三", "=1+1", ""]], headers(ImportKind.CUSTOMERS))
    return file


@pytest.mark.parametrize(
    "make, code",
    [
        (lambda p: _named(io.BytesIO(b"name,mobile\n"), "customers.csv"), "not_xlsx"),
        (lambda p: _named(io.BytesIO(b"PK\x03\x04 not really a workbook"), "customers.xlsx"), "not_xlsx"),
        (lambda p: workbook([], None), "empty_sheet"),
        (lambda p: workbook([], headers(ImportKind.CUSTOMERS)), "empty_sheet"),
        (lambda p: workbook([[p.name, "张三"]], ["项目", "姓名"]), "missing_columns"),
        (_formula_file, "formulas"),
        (_merged_file, "merged_cells"),
    ],
)
def test_a_file_that_cannot_be_imported_is_refused_with_a_reason_and_nothing_is_kept(project, admin, make, code):
    answer = upload(admin, ImportKind.CUSTOMERS, make(project))

    assert answer.status_code == 400
    assert answer.json()["code"] == code and answer.json()["detail"]
    assert not ImportBatch.objects.exists() and not Customer.objects.exists()


def test_a_file_over_the_size_limit_is_refused(project, admin, settings):
    settings.ONBOARDING_MAX_UPLOAD_BYTES = 1024
    rows = [[project.name, f"客户{n}", f"1381234{n:04d}", ""] for n in range(200)]

    answer = upload(admin, ImportKind.CUSTOMERS, workbook(rows, headers(ImportKind.CUSTOMERS)))

    assert (answer.status_code, answer.json()["code"]) == (400, "file_too_large")
    assert not ImportBatch.objects.exists()


def _named(data, name):
    data.name = name
    return data


# --- large files, templates, reports -------------------------------------------------------


def test_a_large_file_is_applied_by_a_worker_with_progress_on_the_batch(
    project, admin, settings, django_capture_on_commit_callbacks
):
    settings.ONBOARDING_ASYNC_ROWS = 2
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from vanke_crm.celery import app

    app.conf.task_always_eager = True
    try:
        rows = [[project.name, f"客户{n}", f"1381234{n:04d}", ""] for n in range(3)]
        with django_capture_on_commit_callbacks(execute=True):  # checked by a worker too
            batch = upload(admin, ImportKind.CUSTOMERS, workbook(rows, headers(ImportKind.CUSTOMERS))).json()
        with django_capture_on_commit_callbacks(execute=True):
            answer = confirm(admin, batch["id"])
            assert ImportBatch.objects.get(pk=batch["id"]).status == BatchStatus.IMPORTING
    finally:
        app.conf.task_always_eager = False

    assert answer.status_code == 202
    stored = ImportBatch.objects.get(pk=batch["id"])
    assert (stored.status, stored.processed_rows) == (BatchStatus.DONE, 3)
    assert Customer.objects.count() == 3
    assert admin.get(f"/api/v1/imports/{batch['id']}/").json()["progress"] == 100


@pytest.mark.rule("R3")
def test_a_large_upload_is_checked_by_a_worker_while_its_page_shows_the_progress(
    project, staff, browser, settings, celery_eager, django_capture_on_commit_callbacks
):
    """The request only reads the size the file declares: 100,000 customers are not checked while the page waits.
    The worker's dry run is the one a small file gets in the request, and the upload is confirmed only after it."""
    settings.ONBOARDING_ASYNC_ROWS = 2
    manager = staff[Role.SALES_MANAGER]
    tablet = api_client(manager)
    rows = [[project.name, f"客户{n}", f"1381234{n:04d}", ""] for n in range(3)] + [[project.name, "", "123", ""]]

    with django_capture_on_commit_callbacks() as after_commit:
        answer = upload(tablet, ImportKind.CUSTOMERS, workbook(rows, headers(ImportKind.CUSTOMERS)))
    assert answer.status_code == 202
    assert (answer.json()["status"], answer.json()["row_count"]) == (BatchStatus.CHECKING, 4)
    batch_id = answer.json()["id"]
    assert confirm(tablet, batch_id).status_code == 409  # nothing to confirm before the report

    progress.tell(f"onboarding:{batch_id}", 2)  # as the worker does after each chunk it checks
    page = browser(manager).get(f"/onboarding/batches/{batch_id}/").text
    assert '<meta http-equiv="refresh" content="3">' in page and "已检查 50 %" in page

    for callback in after_commit:  # the request's end hands the file to the (eager) worker
        callback()

    batch = ImportBatch.objects.get(pk=batch_id)
    assert (batch.status, batch.row_count, batch.report["counts"]) == (
        BatchStatus.CHECKED,
        4,
        {"create": 3, "update": 0, "unchanged": 0, "refuse": 1},
    )
    assert [refusal["row"] for refusal in batch.report["refusals"]] == [5]
    assert not Customer.objects.exists()
    page = browser(manager).get(f"/onboarding/batches/{batch_id}/").text
    assert "http-equiv" not in page and "姓名" in page
    assert confirm(tablet, batch_id).json()["code"] == "rows_refused"

    from onboarding.tasks import check_upload

    check_upload(batch_id)  # the task handed over twice changes nothing
    assert ImportBatch.objects.get(pk=batch_id).report == batch.report


def test_a_worker_writes_its_report_in_the_uploaders_language(
    project, admin, settings, celery_eager, django_capture_on_commit_callbacks
):
    settings.ONBOARDING_ASYNC_ROWS = 2
    admin.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    rows = [
        [project.name, "张三", "13812345678", ""],
        [project.name, "", "13812345679", ""],
        ["别的项目", "李四", "13812345670", ""],
    ]

    with django_capture_on_commit_callbacks(execute=True):
        batch_id = upload(admin, ImportKind.CUSTOMERS, workbook(rows, headers(ImportKind.CUSTOMERS))).json()["id"]

    batch = ImportBatch.objects.get(pk=batch_id)
    assert (batch.status, batch.language) == (BatchStatus.CHECKED, "en")
    in_request = upload(admin, ImportKind.CUSTOMERS, workbook(rows[1:], headers(ImportKind.CUSTOMERS))).json()
    assert in_request["status"] == BatchStatus.CHECKED  # two rows: checked in the request, in English as well
    assert [refusal["reason"] for refusal in batch.report["refusals"]] == [
        refusal["reason"] for refusal in in_request["report"]["refusals"]
    ]
    assert [refusal["reason"] for refusal in batch.report["refusals"]] == [
        "This value is required.",
        "Unknown project, or not one you work on: 别的项目.",
    ]


def test_a_check_that_fails_part_way_says_so_instead_of_checking_for_ever(
    project, admin, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from django.db import DatabaseError

    from onboarding import importing
    from onboarding.services import check_upload

    settings.ONBOARDING_ASYNC_ROWS = 2
    rows = [[project.name, f"客户{n}", f"1381234{n:04d}", ""] for n in range(3)]
    with django_capture_on_commit_callbacks():
        batch_id = upload(admin, ImportKind.CUSTOMERS, workbook(rows, headers(ImportKind.CUSTOMERS))).json()["id"]

    def the_database_goes_away(*args, **kwargs):
        raise DatabaseError("server closed the connection unexpectedly")

    monkeypatch.setattr(importing, "check_rows", the_database_goes_away)
    batch = check_upload(batch_id=batch_id)

    assert batch.status == BatchStatus.FAILED
    assert batch.report["error"] == "无法检查此文件，未保存任何数据。请重新上传。"
    assert admin.get(f"/api/v1/imports/{batch_id}/").json()["report"]["error"] == batch.report["error"]


def test_a_large_file_that_cannot_be_imported_is_refused_in_the_request_and_nothing_is_kept(
    project, admin, settings, celery_eager
):
    settings.ONBOARDING_ASYNC_ROWS = 2
    rows = [[project.name, f"客户{n}", f"1381234{n:04d}"] for n in range(3)]

    answer = upload(admin, ImportKind.CUSTOMERS, workbook(rows, ["项目", "姓名", "电话"]))

    assert answer.status_code == 400 and "手机号" in str(answer.json())
    assert not ImportBatch.objects.exists()


def test_a_worker_does_not_check_the_upload_of_someone_who_may_no_longer_import(
    project, staff, settings, django_capture_on_commit_callbacks
):
    from onboarding.services import check_upload

    settings.ONBOARDING_ASYNC_ROWS = 2
    manager = staff[Role.SALES_MANAGER]
    rows = [[project.name, f"客户{n}", f"1381234{n:04d}", ""] for n in range(3)]
    with django_capture_on_commit_callbacks():  # the task is not handed over here
        batch_id = upload(
            api_client(manager), ImportKind.CUSTOMERS, workbook(rows, headers(ImportKind.CUSTOMERS))
        ).json()["id"]
    manager.groups.clear()

    batch = check_upload(batch_id=batch_id)

    assert batch.status == BatchStatus.FAILED and batch.report["error"] == "上传此文件的人已无导入权限。"


def test_the_template_has_the_chinese_headers_and_the_result_report_lists_every_row(project, admin):
    template = admin.get("/api/v1/imports/templates/customers/")
    sheet = load_workbook(io.BytesIO(b"".join(template.streaming_content)), read_only=True).worksheets[0]
    assert next(sheet.iter_rows(values_only=True)) == ("项目", "姓名", "手机号", "身份证号")

    rows = [[project.name, "张三", "13812345678", ""], [project.name, "李四", "12", ""]]
    batch = upload(admin, ImportKind.CUSTOMERS, workbook(rows, headers(ImportKind.CUSTOMERS))).json()
    result = admin.get(f"/api/v1/imports/{batch['id']}/result/")
    lines = list(
        load_workbook(io.BytesIO(b"".join(result.streaming_content)), read_only=True)
        .worksheets[0]
        .iter_rows(values_only=True)
    )
    assert [line[0] for line in lines[1:]] == [2, 3]
    assert lines[2][3] == "手机号"


# --- who may import --------------------------------------------------------------------------


def test_administrators_the_cr_head_and_sales_managers_may_import_and_others_may_not(project, staff):
    file = lambda: workbook([[project.name, "张三", "13812345678", ""]], headers(ImportKind.CUSTOMERS))  # noqa

    allowed = [
        upload(api_client(staff[role]), ImportKind.CUSTOMERS, file()).status_code
        for role in (Role.ADMINISTRATOR, Role.CR_HEAD, Role.SALES_MANAGER)
    ]
    refused = [
        upload(api_client(staff[role]), ImportKind.CUSTOMERS, file()).status_code
        for role in (Role.CONSULTANT, Role.SALES_SUPERVISOR, Role.CUSTOMER_SERVICE, Role.CALL_CENTER)
    ]

    assert allowed == [201, 201, 201]
    assert refused == [403, 403, 403, 403]
    assert ImportBatch.objects.count() == 3


def test_a_sales_manager_imports_only_into_their_projects_and_sees_only_their_uploads(project, other_project, staff):
    manager = api_client(staff[Role.SALES_MANAGER])
    head_batch = upload(
        api_client(staff[Role.CR_HEAD]),
        ImportKind.CUSTOMERS,
        workbook([[other_project.name, "李四", "13812345670", ""]], headers(ImportKind.CUSTOMERS)),
    ).json()

    report = upload(
        manager,
        ImportKind.CUSTOMERS,
        workbook([[other_project.name, "张三", "13812345678", ""]], headers(ImportKind.CUSTOMERS)),
    ).json()["report"]

    assert report["counts"]["refuse"] == 1 and report["refusals"][0]["column"] == "项目"
    assert manager.get(f"/api/v1/imports/{head_batch['id']}/").status_code == 404
    assert confirm(manager, head_batch["id"]).status_code == 404


def test_the_dashboard_pages_upload_preview_and_confirm(project, staff, browser):
    client = browser(staff[Role.SALES_MANAGER])
    assert client.get("/onboarding/").status_code == 200
    assert client.get("/onboarding/customers/template.xlsx").status_code == 200

    file = workbook(
        [[project.name, "张三", "13812345678", ""], [project.name, "李四", "123", ""]], headers(ImportKind.CUSTOMERS)
    )
    answer = client.post("/onboarding/customers/", {"file": file})
    batch = ImportBatch.objects.get()
    assert answer.status_code == 302
    page = client.get(f"/onboarding/batches/{batch.pk}/").content.decode()
    assert "123" in page and "Confirm" not in page and "确认导入" not in page

    good = workbook([[project.name, "张三", "13812345678", ""]], headers(ImportKind.CUSTOMERS))
    client.post("/onboarding/customers/", {"file": good})
    latest = ImportBatch.objects.order_by("-pk").first()
    client.post(f"/onboarding/batches/{latest.pk}/")
    latest.refresh_from_db()
    assert latest.status == BatchStatus.DONE and Customer.objects.count() == 1

    bad = client.post("/onboarding/customers/", {"file": _named(io.BytesIO(b"x"), "a.csv")})
    assert bad.status_code == 400
    for role in (Role.CONSULTANT, Role.CUSTOMER_SERVICE):
        assert browser(staff[role]).get("/onboarding/customers/").status_code == 403


def test_a_file_read_in_chunks_lists_the_first_refusals_and_reports_every_row_in_the_result(
    project, staff, browser, monkeypatch
):
    from onboarding import importing

    monkeypatch.setattr(importing, "CHUNK", 2)
    monkeypatch.setattr(importing, "REFUSALS_LISTED", 2)
    client = browser(staff[Role.SALES_MANAGER])
    rows = [[project.name, f"客户{n}", "123" if n % 2 else f"1381234{n:04d}", ""] for n in range(9)]

    client.post("/onboarding/customers/", {"file": workbook(rows, headers(ImportKind.CUSTOMERS))})

    batch = ImportBatch.objects.get()
    assert batch.report["counts"] == {"create": 5, "update": 0, "unchanged": 0, "refuse": 4}
    assert [item["row"] for item in batch.report["refusals"]] == [3, 5]
    page = client.get(f"/onboarding/batches/{batch.pk}/").content.decode()
    assert "另有 2 行被拒绝" in page
    result = client.get(f"/onboarding/batches/{batch.pk}/result.xlsx")
    lines = list(load_workbook(io.BytesIO(b"".join(result.streaming_content)), read_only=True).worksheets[0].values)
    assert [line[0] for line in lines[1:]] == list(range(2, 11))
    assert [line[0] for line in lines[1:] if line[4]] == [3, 5, 7, 9]


def test_the_batch_page_shows_the_progress_of_a_running_import_and_refreshes_itself(project, staff, browser):
    manager = staff[Role.SALES_MANAGER]
    rows = [[project.name, f"客户{n}", f"1381234{n:04d}", ""] for n in range(4)]
    file = workbook(rows, headers(ImportKind.CUSTOMERS))
    batch_id = upload(api_client(manager), ImportKind.CUSTOMERS, file).json()["id"]
    ImportBatch.objects.filter(pk=batch_id).update(status=BatchStatus.IMPORTING)
    progress.tell(f"onboarding:{batch_id}", 1)  # as the worker does while it writes

    page = browser(manager).get(f"/onboarding/batches/{batch_id}/").content.decode()

    assert '<meta http-equiv="refresh" content="3">' in page
    assert "已写入 25 %" in page


def test_the_list_of_uploads_takes_the_same_queries_however_many_there_are(
    project, admin, django_assert_max_num_queries
):
    for n in range(6):
        upload(
            admin,
            ImportKind.CUSTOMERS,
            workbook([[project.name, f"客户{n}", f"1381234{n:04d}", ""]], headers(ImportKind.CUSTOMERS)),
        )

    with django_assert_max_num_queries(6):
        answer = admin.get("/api/v1/imports/")

    assert [batch["row_count"] for batch in answer.json()] == [1] * 6


def test_a_worker_does_not_apply_the_upload_of_someone_who_may_no_longer_import(project, staff):
    from onboarding.services import run_import_batch

    manager = staff[Role.SALES_MANAGER]
    file = workbook([[project.name, "张三", "13812345678", ""]], headers(ImportKind.CUSTOMERS))
    batch_id = upload(api_client(manager), ImportKind.CUSTOMERS, file).json()["id"]
    ImportBatch.objects.filter(pk=batch_id).update(status=BatchStatus.IMPORTING)
    manager.groups.clear()

    batch = run_import_batch(batch_id=batch_id)

    assert batch.status == BatchStatus.FAILED and not Customer.objects.exists()
    assert batch.report["error"] == "上传此文件的人已无导入权限。"


# --- projects: a new company from empty ----------------------------------------------------------


@pytest.mark.rule("R3")
def test_projects_are_checked_imported_and_reimported_without_change_then_take_their_units(project, admin):
    from estates.choices import ProductKind, ProjectStatus
    from estates.models import Project, ProjectRules

    company = project.company.name
    blank = ["", "", "", "", ""]
    rows = [
        [company, "SZ-FCGY", "翡翠公园", "深圳", "在售", "高层住宅", "2024-03-01", "2027-06-30", "深圳市龙岗区"],  # 2
        [company, project.code, project.name, "广州", *blank],  # 3 update: the city
        ["不存在的公司", "X-1", "某项目", "深圳", *blank],  # 4 unknown company
        [company, "SZ-XHW", "星河湾", "深圳", "热卖", "", "", "", ""],  # 5 not a status
        [company, "SZ-FCGY", "翡翠公园", "深圳", *blank],  # 6 duplicate of row 2
        [company, "SZ-OTHER", project.name, "深圳", *blank],  # 7 the name of a project with another code
    ]
    answer = upload(admin, ImportKind.PROJECTS, workbook(rows, headers(ImportKind.PROJECTS)))
    report = answer.json()["report"]
    assert report["counts"] == {"create": 1, "update": 1, "unchanged": 0, "refuse": 4}
    by_row = {item["row"]: item["column"] for item in report["refusals"]}
    assert by_row == {4: "公司", 5: "项目状态", 6: "", 7: "项目名称"}
    assert not Project.objects.filter(name="翡翠公园").exists()

    good = workbook(rows[:2], headers(ImportKind.PROJECTS))
    batch = upload(admin, ImportKind.PROJECTS, good).json()
    assert confirm(admin, batch["id"]).status_code == 200
    created = Project.objects.get(name="翡翠公园")
    assert (created.code, created.status, created.product_kind, created.delivery_date) == (
        "SZ-FCGY",
        ProjectStatus.SELLING,
        ProductKind.HIGH_RISE,
        datetime.date(2027, 6, 30),
    )
    assert ProjectRules.objects.filter(project=created).exists(), "an imported project gets its rules"
    project.refresh_from_db()
    assert project.city == "广州"
    again = upload(admin, ImportKind.PROJECTS, workbook(rows[:2], headers(ImportKind.PROJECTS))).json()
    assert again["report"]["counts"] == {"create": 0, "update": 0, "unchanged": 2, "refuse": 0}

    by_code = [["SZ-FCGY", "1栋", "0301", 3, 89.5]]
    units = upload(admin, ImportKind.UNITS, workbook(by_code, headers(ImportKind.UNITS)))
    assert confirm(admin, units.json()["id"]).status_code == 200
    assert Unit.objects.get(building__project=created).number == "0301"


def test_a_project_is_found_by_its_code_when_renamed_and_one_made_before_codes_by_its_name(project, admin):
    from estates.models import Project

    uncoded = ProjectFactory(company=project.company, code="", name="老项目")
    company = project.company.name
    rows = [[company, project.code, "更名后的项目", project.city], [company, "SZ-LXM", "老项目", uncoded.city]]

    batch = upload(admin, ImportKind.PROJECTS, workbook(rows, headers(ImportKind.PROJECTS)[:4])).json()
    assert batch["report"]["counts"] == {"create": 0, "update": 2, "unchanged": 0, "refuse": 0}
    confirm(admin, batch["id"])

    assert Project.objects.get(pk=project.pk).name == "更名后的项目"
    assert Project.objects.get(pk=uncoded.pk).code == "SZ-LXM"
    assert Project.objects.count() == 2


def test_only_the_company_wide_roles_import_projects(project, staff):
    file = workbook([[project.company.name, "P-NEW", "新项目", "深圳"]], headers(ImportKind.PROJECTS)[:4])

    refused = upload(api_client(staff[Role.SALES_MANAGER]), ImportKind.PROJECTS, file)

    assert refused.status_code == 403
    assert not ImportBatch.objects.exists()
