"""A dashboard list read with a filter it cannot understand says so over no rows; it never shows, nor exports,
the unfiltered list as if it were the filtered one."""

import pytest

from core.roles import Role
from members.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_a_filter_the_page_cannot_read_shows_its_error_and_no_rows(project, staff, browser):
    CustomerFactory(project=project, name="张三", source_channel="walk_in")
    page = browser(staff[Role.SALES_MANAGER])

    bad = page.get("/members/customers/", {"source_channel": "carrier_pigeon"})
    good = page.get("/members/customers/", {"source_channel": "walk_in"})

    assert bad.status_code == 200
    assert 'class="field-error" role="alert"' in bad.text and "张三" not in bad.text
    assert "张三" in good.text and "field-error" not in good.text


def test_an_export_asked_with_an_unreadable_filter_gets_the_page_and_its_error(project, staff, browser):
    CustomerFactory(project=project, name="张三")
    page = browser(staff[Role.SALES_MANAGER])

    bad = page.get("/members/customers/", {"registered_after": "last spring", "format": "xlsx"})
    good = page.get("/members/customers/", {"registered_after": "2020-01-01", "format": "xlsx"})

    assert bad["Content-Type"].startswith("text/html") and 'class="field-error"' in bad.text
    assert good["Content-Type"].startswith("application/vnd.openxmlformats")
