"""A list of a million rows is not counted to its end on every page (issue 15): the dashboard's pages and home
figures count up to a cap and say "more than" past it."""

import pytest

from core import paging
from core.roles import Role
from members.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_a_list_longer_than_the_cap_says_more_than_and_still_pages(project, staff, browser, monkeypatch):
    monkeypatch.setattr(paging, "COUNT_CAP", 5)
    CustomerFactory.create_batch(8, project=project)
    client = browser(staff[Role.SALES_MANAGER])

    page = client.get("/members/customers/")
    assert page.context["paginator"].capped
    assert "超过 5 条" in page.content.decode()
    assert len(page.context["object_list"]) == 8, "the first page shows its rows, whatever the count"

    home = client.get("/").content.decode()
    assert 'data-figure="6"' in home and "&gt;5" in home, "the home card says more than the cap too"


def test_a_short_list_is_counted_exactly(project, staff, browser):
    CustomerFactory.create_batch(3, project=project)
    page = browser(staff[Role.SALES_MANAGER]).get("/members/customers/")
    assert not page.context["paginator"].capped
    assert page.context["paginator"].count == 3


def test_an_api_list_longer_than_the_cap_says_so_and_counts_exactly_when_asked(project, staff, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.testing import api_client

    monkeypatch.setattr(paging, "COUNT_CAP", 5)
    CustomerFactory.create_batch(8, project=project)
    client = api_client(staff[Role.SALES_MANAGER])

    with CaptureQueriesContext(connection) as queries:
        capped = client.get("/api/v1/customers/", {"page_size": 3}).json()
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]  # before the next request
    exact = client.get("/api/v1/customers/", {"page_size": 3, "count": "exact"}).json()

    assert (capped["count"], capped["count_capped"], len(capped["results"])) == (5, True, 3)
    assert counts and all("LIMIT 6" in sql for sql in counts), "the count stops after the cap"
    assert (exact["count"], exact["count_capped"]) == (8, False)
    assert client.get("/api/v1/customers/", {"page_size": 3, "page": 2}).status_code == 200
    assert client.get("/api/v1/customers/", {"page_size": 3, "page": 3}).status_code == 404, "past the cap: cursor"
    assert client.get("/api/v1/customers/", {"page_size": 3, "page": 3, "count": "exact"}).status_code == 200


def test_an_api_list_within_the_cap_is_counted_exactly(project, staff):
    from core.testing import api_client

    CustomerFactory.create_batch(3, project=project)
    body = api_client(staff[Role.SALES_MANAGER]).get("/api/v1/customers/").json()
    assert (body["count"], body["count_capped"]) == (3, False)


@pytest.mark.parametrize(("page", "rows", "counted"), [(1, 3, True), (2, 2, False), (3, 0, True)])
def test_a_page_that_is_not_full_gives_the_count_without_counting(project, staff, page, rows, counted):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.testing import api_client

    CustomerFactory.create_batch(5, project=project)
    client = api_client(staff[Role.SALES_MANAGER])

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/customers/", {"page_size": 3, "page": page})

    sqls = [q["sql"] for q in queries.captured_queries]
    assert any("COUNT(" in sql.upper() for sql in sqls) == counted
    assert len([sql for sql in sqls if sql.startswith('SELECT "members_customer"."id"')]) == 1, "rows read once"
    if rows:
        body = response.json()
        assert (body["count"], body["count_capped"], len(body["results"])) == (5, False, rows)
    else:
        assert response.status_code == 404, "an empty page past the end is not found, as before"


def test_a_short_dashboard_list_is_not_counted(project, staff, browser):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    CustomerFactory.create_batch(3, project=project)
    client = browser(staff[Role.SALES_MANAGER])
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/members/customers/")
    assert page.context["paginator"].count == 3
    assert not any("members_customer" in q["sql"] and "COUNT(" in q["sql"].upper() for q in queries.captured_queries)


def set_statistics(model, rows: int) -> None:
    """What ANALYZE would leave for `model`'s table: the planner's count of its rows (undone with the test)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("UPDATE pg_class SET reltuples = %s WHERE oid = %s::regclass", [rows, model._meta.db_table])


def test_a_whole_table_the_statistics_put_far_past_the_cap_is_not_counted(project, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.testing import api_client
    from members.models import Customer

    if connection.vendor != "postgresql":
        pytest.skip("the planner's statistics are PostgreSQL's (core.db.postgresql)")
    CustomerFactory.create_batch(4, project=project)
    head, manager = api_client(staff[Role.CR_HEAD]), api_client(staff[Role.SALES_MANAGER])

    set_statistics(Customer, 1_000_000)
    with CaptureQueriesContext(connection) as queries:
        whole = head.get("/api/v1/customers/", {"page_size": 2}).json()
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]  # before the next request
    scoped = manager.get("/api/v1/customers/", {"page_size": 2}).json()
    filtered = head.get("/api/v1/customers/", {"page_size": 2, "q": Customer.objects.first().name}).json()
    exact = head.get("/api/v1/customers/", {"page_size": 2, "count": "exact"}).json()
    set_statistics(Customer, 10 * paging.COUNT_CAP - 1)
    nearer = head.get("/api/v1/customers/", {"page_size": 2}).json()

    # Four rows, said to be more than the cap: the statistics answered, not a count.
    assert (whole["count"], whole["count_capped"], len(whole["results"])) == (paging.COUNT_CAP, True, 2)
    assert len(counts) == 1, "the statistics are read in the count's own statement"
    assert (scoped["count"], scoped["count_capped"]) == (4, False), "a project's list is counted"
    assert filtered["count_capped"] is False and filtered["count"] >= 1, "a filtered list is counted"
    assert (exact["count"], exact["count_capped"]) == (4, False), "?count=exact counts"
    assert (nearer["count"], nearer["count_capped"]) == (4, False), "statistics under ten times the cap: counted"


def test_a_list_filtered_on_a_count_of_its_children_is_counted_with_that_filter(project):
    from core.db import count_of
    from members.models import Customer, Lead
    from members.tests.factories import LeadFactory

    with_leads = CustomerFactory.create_batch(2, project=project)
    CustomerFactory.create_batch(3, project=project)
    for customer in with_leads:
        LeadFactory(customer=customer, project=project)
    customers = Customer.objects.annotate(leads_held=count_of(Lead.objects.all(), "customer"))

    assert paging.capped_count(customers) == 5
    assert paging.capped_count(customers.filter(leads_held__gt=0)) == 2
    assert sorted(customers.values_list("leads_held", flat=True)) == [0, 0, 0, 1, 1]
