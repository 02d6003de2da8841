"""A list too long to export while the page waits is written on a worker: the user follows its progress and
downloads it; no one else sees it; the worker checks the user's rights again (issue 15)."""

import datetime
import io

import pytest
from celery.contrib.testing.worker import start_worker
from django.http import QueryDict
from django.test import Client
from openpyxl import load_workbook

from core import exports
from core.models import Export, ExportStatus
from core.roles import Role
from core.services import set_roles
from core.testing import make_staff, wait_until
from members.tests.factories import CustomerFactory
from vanke_crm.celery import app


def rows_of(response) -> list[tuple]:
    content = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(content), read_only=True).worksheets[0].values)[1:]


@pytest.fixture
def three_customers(project):
    return [CustomerFactory(project=project, name=f"导出客户{n}") for n in range(3)]


@pytest.fixture
def manager(project):
    return make_staff(Role.SALES_MANAGER, projects=[project], username="export-manager")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_list_under_the_limit_is_sent_while_the_page_waits(manager, three_customers, settings):
    settings.EXPORT_INLINE_ROWS = 3

    answer = signed_in(manager).get("/members/customers/?format=xlsx")

    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/vnd.openxml")
    assert len(rows_of(answer)) == 3
    assert not Export.objects.exists()


def test_a_longer_list_is_written_on_a_worker_with_the_page_filters_and_downloaded_by_whoever_asked(
    manager, three_customers, settings, celery_eager, on_commit, project
):
    settings.EXPORT_INLINE_ROWS = 1
    client = signed_in(manager)

    with on_commit():
        answer = client.get("/members/customers/?format=xlsx&q=导出客户&page=3")

    export = Export.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/exports/{export.pk}/"
    assert (export.status, export.total_rows) == (ExportStatus.DONE, 3)
    assert QueryDict(export.query).dict() == {"format": "xlsx", "q": "导出客户"}, "the filters, not the page"
    page = client.get(f"/exports/{export.pk}/").text
    assert f'href="/exports/{export.pk}/file.xlsx"' in page and "http-equiv" not in page
    names = sorted(row[0] for row in rows_of(client.get(f"/exports/{export.pk}/file.xlsx")))
    assert names == ["导出客户0", "导出客户1", "导出客户2"]
    assert f"/exports/{export.pk}/" in client.get("/exports/").text

    colleague = signed_in(make_staff(Role.SALES_MANAGER, projects=[project], username="colleague"))
    assert colleague.get(f"/exports/{export.pk}/").status_code == 404
    assert colleague.get(f"/exports/{export.pk}/file.xlsx").status_code == 404
    assert f"/exports/{export.pk}/" not in colleague.get("/exports/").text


def test_the_worker_writes_as_the_user_now_is(manager, three_customers, settings, on_commit):
    settings.EXPORT_INLINE_ROWS = 1
    signed_in(manager).get("/members/customers/?format=xlsx")
    export = Export.objects.get()
    set_roles(user=manager, roles=set())  # no longer works in customer relations

    exports.run_export(export_id=export.pk)

    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and export.error and not export.file


def test_the_worker_writes_nothing_for_a_user_who_was_deactivated(manager, three_customers, settings):
    settings.EXPORT_INLINE_ROWS = 1
    signed_in(manager).get("/members/customers/?format=xlsx")
    manager.is_active = False
    manager.save()

    export = exports.run_export(export_id=Export.objects.get().pk)

    assert export.status == ExportStatus.FAILED and not export.file


def test_a_task_run_again_after_success_writes_nothing_again(manager, three_customers, settings):
    settings.EXPORT_INLINE_ROWS = 1
    signed_in(manager).get("/members/customers/?format=xlsx")
    first = exports.run_export(export_id=Export.objects.get().pk)

    again = exports.run_export(export_id=first.pk)

    assert again.status == ExportStatus.DONE and again.file.name == first.file.name


def test_a_running_export_shows_its_progress_and_refreshes_itself(manager):
    export = Export.objects.create(
        requested_by=manager, title="客户", path="/members/customers/", language="zh-hans", total_rows=40_000
    )
    Export.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, rows_written=10_000)

    page = signed_in(manager).get(f"/exports/{export.pk}/").text

    assert 'http-equiv="refresh"' in page and 'value="25"' in page and "file.xlsx" not in page


def test_the_writer_reports_rows_as_they_go_out(manager, three_customers, monkeypatch):
    from core import excel

    monkeypatch.setattr(excel, "PROGRESS_EVERY", 1)
    reported = []

    with excel.reporting_rows(reported.append):
        signed_in(manager).get("/members/customers/?format=xlsx")

    assert reported[:3] == [1, 2, 3]


def test_old_exports_are_removed_with_their_files(manager, three_customers, settings, celery_eager, on_commit):
    settings.EXPORT_INLINE_ROWS = 1
    with on_commit():
        signed_in(manager).get("/members/customers/?format=xlsx")
    export = Export.objects.get()
    storage, name = export.file.storage, export.file.name

    assert exports.purge_old_exports(now=export.created_at + datetime.timedelta(days=6)) == {"exports": 0}
    assert exports.purge_old_exports(now=export.created_at + datetime.timedelta(days=8)) == {"exports": 1}
    assert not Export.objects.exists() and not storage.exists(name)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_writes_the_file(project, settings):
    settings.EXPORT_INLINE_ROWS = 1
    manager = make_staff(Role.SALES_MANAGER, projects=[project], username="worker-export-manager")
    for n in range(3):
        CustomerFactory(project=project, name=f"导出客户{n}")
    answer = signed_in(manager).get("/members/customers/?format=xlsx")
    export = Export.objects.get()
    assert answer.status_code == 302

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        wait_until(lambda: Export.objects.get(pk=export.pk).status == ExportStatus.DONE, what="the export")

    assert len(rows_of(signed_in(manager).get(f"/exports/{export.pk}/file.xlsx"))) == 3
