"""Tablets page through long lists by cursor and sync only what changed (issue 15): `?cursor=` pages by id and
costs the same deep in the list as at its start; `?updated_since=` returns the rows changed since a moment."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from core.testing import api_client
from members.tests.factories import CustomerFactory, LeadFactory

pytestmark = pytest.mark.django_db
TZ = datetime.timezone(datetime.timedelta(hours=8))


def walk(client, url, params):
    """Every row of a list, following the cursor of each page; the pages' sizes."""
    rows, sizes = [], []
    response = client.get(url, {**params, "cursor": ""})
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        assert "count" not in body
        rows += body["results"]
        sizes.append(len(body["results"]))
        if not body["next"]:
            return rows, sizes
        response = client.get(body["next"])


def test_a_tablet_walks_a_list_by_cursor_and_sees_every_row_once(project, staff):
    customers = CustomerFactory.create_batch(7, project=project)
    rows, sizes = walk(api_client(staff[Role.SALES_MANAGER]), "/api/v1/customers/", {"page_size": 3})
    assert [row["id"] for row in rows] == sorted(c.pk for c in customers)
    assert sizes == [3, 3, 1]


def test_deep_cursor_pages_cost_the_same_queries_as_the_first(project, staff):
    CustomerFactory.create_batch(12, project=project)
    client = api_client(staff[Role.SALES_MANAGER])
    client.get("/api/v1/customers/", {"cursor": "", "page_size": 2})  # sign-in and caches settle
    # Each request empties the connection's query log: a context's queries are read before the next request.
    with CaptureQueriesContext(connection) as first:
        deep = client.get("/api/v1/customers/", {"cursor": "", "page_size": 2}).json()["next"]
    first_count = len(first.captured_queries)
    for _ in range(4):
        deep = client.get(deep).json()["next"]
    with CaptureQueriesContext(connection) as fifth:
        assert client.get(deep).status_code == 200
    assert first_count > 0 and len(fifth.captured_queries) == first_count
    sql = [query["sql"].upper() for query in fifth.captured_queries]
    assert not any("COUNT(" in statement or "OFFSET" in statement for statement in sql), "no count, no offset"


def test_updated_since_returns_only_rows_changed_since_the_last_sync(project, staff):
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, tzinfo=TZ), tick=False):
        old = CustomerFactory(project=project, name="老客户")
        untouched = CustomerFactory(project=project, name="未变")
        LeadFactory(customer=old, project=project)
    with time_machine.travel(datetime.datetime(2026, 12, 2, 9, tzinfo=TZ), tick=False):
        old.notes = "电话改约周六"
        old.save()
        new = CustomerFactory(project=project, name="新客户")
    client = api_client(staff[Role.SALES_MANAGER])

    since = "2026-12-02T00:00:00+08:00"
    rows, _ = walk(client, "/api/v1/customers/", {"updated_since": since})
    assert [row["id"] for row in rows] == [old.pk, new.pk]
    assert untouched.pk not in [row["id"] for row in rows]
    leads, _ = walk(client, "/api/v1/leads/", {"updated_since": since})
    assert leads == [], "the lead did not change"
    assert client.get("/api/v1/leads/", {"updated_since": "2026-12-01T00:00:00+08:00"}).json()["count"] == 1

    bad = client.get("/api/v1/customers/", {"updated_since": "yesterday"})
    assert bad.status_code == 400 and "updated_since" in bad.json()
    odd = client.get("/api/v1/customers/", {"updated_since": "7224-04-17T21:55:02-19:19"})
    assert odd.status_code == 200 and odd.json()["count"] == 0, "any offset is a moment (the contract fuzzer's case)"
    naive = client.get("/api/v1/customers/", {"updated_since": "2026-12-02T00:00:00"})
    assert naive.status_code == 400


def test_the_schema_offers_cursor_and_updated_since(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    parameters = {p["name"] for p in schema["paths"]["/api/v1/customers/"]["get"]["parameters"]}
    assert {"cursor", "updated_since", "page", "page_size"} <= parameters
    complaints = {p["name"] for p in schema["paths"]["/api/v1/complaints/"]["get"]["parameters"]}
    assert "cursor" in complaints and "updated_since" not in complaints


def test_a_cursor_page_sorted_otherwise_than_by_id_is_refused_not_silently_reordered(project, staff):
    CustomerFactory.create_batch(3, project=project)
    client = api_client(staff[Role.SALES_MANAGER])

    by_name = client.get("/api/v1/customers/", {"cursor": "", "ordering": "-name"})
    by_id = client.get("/api/v1/customers/", {"cursor": "", "ordering": "id"})
    numbered = client.get("/api/v1/customers/", {"ordering": "-name"})

    assert by_name.status_code == 400 and by_name.json()["ordering"]
    assert by_id.status_code == 200 and len(by_id.json()["results"]) == 3
    assert numbered.status_code == 200 and numbered.json()["count"] == 3
