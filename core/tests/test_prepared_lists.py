"""On PostgreSQL an API list's statements are prepared once its connection has run them a few times
(core.db.postgresql): planned once, answering as before, whatever the filter's values."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from core.db.postgresql.base import PREPARE_THRESHOLD
from core.roles import Role
from core.testing import api_client
from members.choices import LeadGrade
from members.tests.factories import CustomerFactory, LeadFactory

pytestmark = pytest.mark.django_db


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


def test_a_list_asked_again_and_again_answers_alike_from_prepared_statements(project, staff):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's (core.db.postgresql)")
    today = timezone.localdate()
    for number, grade in enumerate([LeadGrade.A, LeadGrade.A, LeadGrade.B, LeadGrade.A]):
        customer = CustomerFactory(project=project, name=f"王{number}")
        LeadFactory(customer=customer, grade=grade, next_follow_up_on=today - datetime.timedelta(days=number))
    LeadFactory(customer=CustomerFactory(project=project, name="李"), grade=LeadGrade.A)
    client = api_client(staff[Role.SALES_MANAGER])
    url = f"/api/v1/leads/?page_size=2&grade=A&q=王&due={today.isoformat()}&ordering=next_follow_up_on"

    answers = [client.get(url).json() for _ in range(PREPARE_THRESHOLD + 2)]

    first = answers[0]
    assert first["count"] == 3 and [row["customer_name"] for row in first["results"]] == ["王3", "王1"]
    assert all(answer == first for answer in answers)
    statements = prepared_statements()
    assert any('FROM "members_lead"' in s and "LIMIT 2" in s for s in statements)
    assert any(s.startswith("SELECT COUNT(*)") and '"members_lead"' in s for s in statements)


def test_a_prepared_list_is_planned_for_each_users_values(project, staff):
    """Rows are skewed by project: the one plan PostgreSQL settles on for every value after five runs suits a
    large project and walks a whole index for a small one. A list asked again and again is planned for the
    values of each request, never generically."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's (core.db.postgresql)")
    for number in range(3):
        CustomerFactory(project=project, name=f"王{number}")
    client = api_client(staff[Role.SALES_MANAGER])

    for _ in range(3 * PREPARE_THRESHOLD):
        assert client.get("/api/v1/customers/?page_size=2").json()["count"] == 3

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%FROM "members_customer"%LIMIT 2%'],
        )
        plans = cursor.fetchall()
    assert plans, "the customers page was prepared"
    assert all(generic == 0 and custom >= 2 * PREPARE_THRESHOLD for generic, custom in plans)


def test_the_token_check_keeps_one_plan_and_the_list_after_it_is_still_planned_for_its_values(project, staff):
    """The lookups by key every request runs first (core.db.fetch_with_kept_plan) are planned once: their
    best plan is the same for every key. That one plan is theirs alone: the list asked next, in the same
    request, is still planned for its values (here inside the test's transaction, where the request's own
    setting would otherwise last to its end)."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's (core.db.postgresql)")
    CustomerFactory(project=project, name="王")
    client = api_client(staff[Role.SALES_MANAGER])

    for _ in range(3 * PREPARE_THRESHOLD):
        assert client.get("/api/v1/customers/?page_size=2").json()["count"] == 1
        with connection.cursor() as cursor:
            cursor.execute("SHOW plan_cache_mode")
            assert cursor.fetchone() == ("force_custom_plan",)

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements")
        plans = {statement: (generic, custom) for statement, generic, custom in cursor.fetchall()}
    token_check = [plan for statement, plan in plans.items() if 'FROM "knox_authtoken"' in statement]
    page = [
        plan for statement, plan in plans.items() if 'FROM "members_customer"' in statement and "LIMIT 2" in statement
    ]
    assert token_check == [(3 * PREPARE_THRESHOLD, 0)]
    assert page and all(generic == 0 and custom >= 2 * PREPARE_THRESHOLD for generic, custom in page)
