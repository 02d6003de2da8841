import pytest

from core.roles import Role
from core.testing import make_staff
from members.policies import CUSTOMERS
from members.tests.factories import CustomerFactory


@pytest.mark.parametrize("role", list(Role))
def test_every_role_gets_a_home_page_with_the_navigation_it_may_use(project, staff, client, role):
    client.force_login(staff[role])

    page = client.get("/")

    assert page.status_code == 200
    links = {item["url"] for item in page.context["nav_items"]}
    assert "/estates/projects/" in links
    assert ("/members/customers/" in links) is CUSTOMERS.can_read(staff[role])


def test_home_counts_only_the_users_customers(project, other_project, staff, client):
    CustomerFactory.create_batch(3, project=project)
    CustomerFactory.create_batch(2, project=other_project)
    client.force_login(staff[Role.CUSTOMER_SERVICE])

    assert client.get("/").context["customer_stats"]["total"] == 3


def test_a_user_without_roles_sees_no_customer_figures(project, client):
    client.force_login(make_staff(projects=[project]))

    page = client.get("/")

    assert "customer_stats" not in page.context
    assert [item["url"] for item in page.context["nav_items"]] == ["/"]


def test_the_dashboard_is_chinese_unless_english_is_chosen(project, staff, client):
    client.force_login(staff[Role.CONSULTANT])

    assert 'lang="zh-hans"' in client.get("/", HTTP_ACCEPT_LANGUAGE="en-US").text
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/").text


def test_the_health_check_reports_database_and_cache(db, client):
    response = client.get("/healthz/")
    assert response.status_code == 200 and response.json() == {"database": True, "cache": True}
