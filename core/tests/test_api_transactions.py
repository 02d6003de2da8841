"""The API reads outside a transaction and writes in one (core.api.transactions)."""

import pytest
from django.db import connection
from django.db.models.signals import post_save
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.exceptions import ValidationError

from core.roles import Role
from core.testing import api_client, make_staff
from members.models import Customer
from members.tests.factories import CustomerFactory

NEW_CUSTOMER = {"name": "林女士", "mobile": "13911112222"}


def _in_a_transaction_at_each_statement(answer):
    seen = []

    def note(execute, sql, params, many, context):
        if not sql.startswith("BEGIN"):  # (the statement that opens a transaction runs before it is open)
            seen.append(connection.in_atomic_block)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note):
        response = answer()
    return response, seen


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_list_is_read_outside_a_transaction_and_a_new_record_written_in_one(project):
    CustomerFactory(project=project)
    client = api_client(make_staff(Role.SALES_MANAGER, projects=[project]))

    listed, reads = _in_a_transaction_at_each_statement(lambda: client.get("/api/v1/customers/"))
    created, writes = _in_a_transaction_at_each_statement(
        lambda: client.post("/api/v1/customers/", {**NEW_CUSTOMER, "project": project.pk}, format="json")
    )

    assert listed.status_code == 200 and listed.json()["count"] == 1
    assert reads and not any(reads)
    assert created.status_code == 201, created.content
    assert writes and all(writes)


@pytest.mark.parametrize(
    "failure, status",
    [(RuntimeError("the disk is full"), 500), (ValidationError({"name": ["refused after saving"]}), 400)],
    ids=["server error", "refused"],
)
def test_a_write_that_fails_after_saving_a_row_keeps_nothing(project, failure, status):
    client = api_client(make_staff(Role.CONSULTANT, projects=[project]))
    client.raise_request_exception = False

    def fail(sender, instance, created, **kwargs):
        raise failure

    post_save.connect(fail, sender=Customer)
    try:
        answer = client.post("/api/v1/customers/", {**NEW_CUSTOMER, "project": project.pk}, format="json")
    finally:
        post_save.disconnect(fail, sender=Customer)

    assert answer.status_code == status
    assert not Customer.objects.exists()


def _api_routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _api_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and route.startswith("api/v1/"):
            yield route, pattern.callback


def test_every_api_route_reads_outside_a_transaction_and_writes_in_one():
    routes = dict(_api_routes(get_resolver().url_patterns))

    assert len(routes) > 50
    assert [route for route, view in routes.items() if not getattr(view, "writes_in_a_transaction", False)] == []
    # Sign-in stays outside any transaction, so that a refused attempt is still counted (django-axes).
    sign_in = routes["api/v1/auth/token/"]
    assert "default" in sign_in._non_atomic_requests
