"""A request's user is read with their roles and projects in one statement, by token (the tablets) and by session
(the dashboard); a change of either counts from the next request, on both faces."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from core.services import set_roles
from core.testing import api_client, make_staff
from members.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

ACCESS_TABLES = ("core_user_groups", "estates_project_staff")


@pytest.fixture
def manager(project):
    return make_staff(Role.SALES_MANAGER, projects=[project], username="access-manager")


@pytest.fixture
def customers(project, other_project):
    ours = CustomerFactory(project=project, name="本项目客户")
    return ours, CustomerFactory(project=other_project, name="他项目客户")


def _statements_reading_access(queries) -> list[str]:
    return [query["sql"] for query in queries.captured_queries if any(t in query["sql"] for t in ACCESS_TABLES)]


def test_a_tablet_request_reads_roles_and_projects_with_its_token(manager, customers):
    client = api_client(manager)

    with CaptureQueriesContext(connection) as queries:
        answer = client.get("/api/v1/customers/")

    assert [row["name"] for row in answer.json()["results"]] == ["本项目客户"]
    (statement,) = _statements_reading_access(queries)
    assert "knox_authtoken" in statement


def test_a_dashboard_request_reads_roles_and_projects_with_its_user(manager, customers, browser):
    page = browser(manager)

    with CaptureQueriesContext(connection) as queries:
        answer = page.get("/members/customers/")

    assert "本项目客户" in answer.text and "他项目客户" not in answer.text
    (statement,) = _statements_reading_access(queries)
    assert '"core_user"' in statement.split("FROM")[-1]


def test_a_change_of_projects_or_roles_counts_from_the_next_request(
    manager, customers, project, other_project, browser
):
    client, page = api_client(manager), browser(manager)
    assert [row["name"] for row in client.get("/api/v1/customers/").json()["results"]] == ["本项目客户"]

    project.staff.remove(manager)
    other_project.staff.add(manager)

    assert [row["name"] for row in client.get("/api/v1/customers/").json()["results"]] == ["他项目客户"]
    shown = page.get("/members/customers/").text
    assert "他项目客户" in shown and "本项目客户" not in shown

    set_roles(user=manager, roles=set())

    assert client.get("/api/v1/customers/").status_code == 403
    assert page.get("/members/customers/").status_code == 403


def test_a_user_with_no_role_and_no_project_is_read_as_such(db, browser):
    nobody = make_staff(username="no-role")

    assert api_client(nobody).get("/api/v1/customers/").status_code == 403
    assert browser(nobody).get("/members/customers/").status_code == 403


def test_a_deactivated_user_is_signed_out_of_both_faces(manager, browser):
    client, page = api_client(manager), browser(manager)
    manager.is_active = False
    manager.save(update_fields=["is_active"])

    assert client.get("/api/v1/customers/").status_code == 401
    assert page.get("/members/customers/").status_code == 302
