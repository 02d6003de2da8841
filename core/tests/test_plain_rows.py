"""core.db.plain_rows: a report's grouped ids, texts and counts as the driver returns them are the rows the ORM
gives, value for value and type for type, and a queryset that can have no rows gives none."""

import pytest
from django.db.models import Count, Q

from core.db import plain_rows
from members.models import Customer
from members.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_grouped_ids_texts_and_counts_come_back_as_the_orm_gives_them(project, other_project):
    for owner, name in [(project, "王芳"), (project, "王芳"), (project, "李雷"), (other_project, "王芳")]:
        CustomerFactory(project=owner, name=name)
    grouped = (
        Customer.objects.values("project_id", "name")
        .annotate(customers=Count("pk"), reachable=Count("pk", filter=Q(consents_to_messages=True)))
        .order_by("project_id", "name")
        .values_list("project_id", "name", "customers", "reachable")
    )

    rows = plain_rows(grouped)

    assert rows == list(grouped) and len(rows) == 3
    assert [tuple(map(type, row)) for row in rows] == [(int, str, int, int)] * 3


def test_a_queryset_that_can_have_no_rows_gives_none(project):
    CustomerFactory(project=project)

    assert plain_rows(Customer.objects.filter(project__in=[]).values_list("pk")) == []
