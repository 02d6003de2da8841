"""What the planner is told about the data, so that a report's plan fits a large company (issue 15)."""

import json

import pytest
from django.db import connection

from core.roles import Role
from core.testing import make_staff
from estates.tests.factories import ProjectFactory
from members.models import Lead

from .factories import CustomerFactory, LeadFactory


def pairs_the_planner_knows() -> dict:
    """The counts of distinct value pairs the planner keeps for the leads' columns, after ANALYZE."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE members_lead")
        cursor.execute("SELECT attnames, n_distinct FROM pg_stats_ext WHERE tablename = 'members_lead'")
        return {frozenset(columns): _counts(kept) for columns, kept in cursor.fetchall()}


def _counts(kept) -> list:
    return list((json.loads(kept) if isinstance(kept, str) else dict(kept or {})).values())


@pytest.mark.django_db
def test_the_planner_expects_as_many_lead_groups_by_project_and_consultant_as_there_are():
    """The weekly summary groups the leads by project and consultant. Each consultant works in one project, so
    there are as many groups as consultants, not projects times consultants: planned as the product, the
    generated million's leads were sorted on disk instead of hashed."""
    if connection.vendor != "postgresql":
        pytest.skip("extended statistics are PostgreSQL's; SQLite plans no such choice")
    for _ in range(4):
        project = ProjectFactory()
        for _ in range(3):
            consultant = make_staff(Role.CONSULTANT, projects=[project])
            for _ in range(5):
                LeadFactory(customer=CustomerFactory(project=project, consultant=consultant))
    groups = Lead.objects.values_list("project_id", "consultant_id").distinct().count()

    assert groups == 12
    assert pairs_the_planner_knows() == {frozenset({"project_id", "consultant_id"}): [groups]}
