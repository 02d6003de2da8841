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
def on_replica(settings):
    """Makes one request and answers it with the number of queries it sent to the replica. Each request is
    captured on its own: a request empties the connection's query log when it starts."""
    settings.READ_REPLICA = "replica"

    def queries_of(request):
        connections["replica"].queries_log.clear()
        with CaptureQueriesContext(connections["replica"]) as captured:
            response = request()
        return response, len(captured)

    return queries_of


def test_reports_and_exports_read_from_the_replica(project, staff, browser, on_replica):
    head, manager = staff[Role.CR_HEAD], staff[Role.SALES_MANAGER]
    monthly, reads = on_replica(lambda: api_client(head).get("/api/v1/reports/complaints-monthly/"))
    assert monthly.status_code == 200
    assert reads, "the monthly report read from the replica"
    weekly, reads = on_replica(lambda: api_client(manager).get("/api/v1/reports/weekly-summary/"))
    assert weekly.status_code == 200
    assert reads, "the weekly summary read from the replica"
    export, reads = on_replica(lambda: browser(manager).get("/members/customers/", {"format": "xlsx"}))
    assert export.status_code == 200
    assert reads, "the export read from the replica"


def test_a_page_that_writes_reads_the_primary(project, staff, browser, on_replica):
    response, reads = on_replica(
        lambda: browser(staff[Role.CONSULTANT]).post(
            "/members/customers/new/", {"project": project.pk, "name": "新客户", "mobile": "13812340000"}
        )
    )
    assert response.status_code in (200, 302)
    assert reads == 0
