"""An import in a real Chromium, as a sales manager does it: a refused file shows its rows, a clean one
is previewed, confirmed, and followed by its progress bar until the worker has checked, then written, it (R3)."""

import pytest

from core.roles import Role
from core.testing import make_staff
from members.models import Customer
from onboarding.choices import BatchStatus
from onboarding.models import ImportBatch
from onboarding.services import check_upload, run_import_batch

from .conftest import headers, workbook


def saved(tmp_path, name, rows):
    path = tmp_path / name
    path.write_bytes(workbook(rows, headers("customers")).getvalue())
    return str(path)


def checked_by_the_worker(page):
    """The upload's page shows the worker checking the file, then, refreshing itself, the worker's report."""
    assert page.is_visible("#import-progress") and "检查中" in page.text_content("#batch-status")
    check_upload(batch_id=ImportBatch.objects.order_by("-pk").first().pk)  # what the worker does with the task
    page.wait_for_selector("#import-progress", state="detached", timeout=15_000)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_import_is_previewed_confirmed_and_followed_to_the_end(
    chromium_page, live_server, project, settings, tmp_path
):
    settings.ONBOARDING_ASYNC_ROWS = 2  # a "large" file: checked and written by a worker, not in the request
    make_staff(Role.SALES_MANAGER, projects=[project], username="browser-manager")
    page = chromium_page
    page.goto(f"{live_server.url}/accounts/login/?next=/onboarding/customers/")
    page.fill("input[name=username]", "browser-manager")
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("button.btn-primary")
    page.wait_for_url(f"{live_server.url}/onboarding/customers/")

    rows = [[project.name, f"客户{n}", f"1381234{n:04d}", ""] for n in range(4)]
    page.set_input_files("input[name=file]", saved(tmp_path, "bad.xlsx", [*rows, [project.name, "李四", "123", ""]]))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/onboarding/batches/*/")
    checked_by_the_worker(page)
    assert "123" in page.text_content("main") and page.locator("text=确认导入").count() == 0

    page.goto(f"{live_server.url}/onboarding/customers/")
    page.set_input_files("input[name=file]", saved(tmp_path, "good.xlsx", rows))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/onboarding/batches/*/")
    checked_by_the_worker(page)
    assert page.locator("table.table td").nth(1).text_content() == "4"  # four rows to create
    with page.expect_navigation():
        page.click("text=确认导入")
    batch = ImportBatch.objects.order_by("-pk").first()
    assert batch.status == BatchStatus.IMPORTING and not Customer.objects.exists()
    assert page.is_visible("#import-progress")

    run_import_batch(batch_id=batch.pk)  # what the worker does with the task the confirmation queued

    page.wait_for_selector("#import-progress", state="detached", timeout=15_000)  # the page refreshes itself
    assert "已导入" in page.text_content("#batch-status")
    assert Customer.objects.count() == 4
