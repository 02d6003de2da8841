"""Reports and exports read from the replica when one is configured (issue 15): the monthly complaint report,
the weekly summary and a list export query the replica alias; a form that writes never does."""

import pytest
from django.conf import settings
from django.db import connections
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from core.testing import api_client

pytestmark = [
    pytest.mark.skipif(
        "replica" not in settings.DATABASES,
        reason="no replica configured: set DATABASE_REPLICA_URL (CI points it at a second database)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", "replica"]),
]


@pytest.fixture
def replica(settings):
    settings.READ_REPLICA = "replica"
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        yield on_replica


def test_reports_and_exports_read_from_the_replica(project, staff, browser, replica):
    head, manager = staff[Role.CR_HEAD], staff[Role.SALES_MANAGER]
    assert api_client(head).get("/api/v1/reports/complaints-monthly/").status_code == 200
    after_monthly = len(replica.captured_queries)
    assert after_monthly, "the monthly report read from the replica"
    assert api_client(manager).get("/api/v1/reports/weekly-summary/").status_code == 200
    after_weekly = len(replica.captured_queries)
    assert after_weekly > after_monthly
    export = browser(manager).get("/members/customers/", {"format": "xlsx"})
    assert export.status_code == 200
    assert len(replica.captured_queries) > after_weekly, "the export read from the replica"


def test_a_page_that_writes_reads_the_primary(project, staff, browser, replica):
    response = browser(staff[Role.CONSULTANT]).post(
        "/members/customers/new/", {"project": project.pk, "name": "新客户", "mobile": "13812340000"}
    )
    assert response.status_code in (200, 302)
    assert not replica.captured_queries
