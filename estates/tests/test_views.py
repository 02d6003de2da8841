import pytest

from core.roles import Role
from core.testing import count_queries, make_staff

from .factories import BuildingFactory, ProjectFactory, UnitFactory


@pytest.mark.rule("R1")
def test_projects_list_shows_only_the_users_projects(project, other_project, staff, browser):
    page = browser(staff[Role.CONSULTANT]).get("/estates/projects/")

    assert project.name in page.text and other_project.name not in page.text


def test_the_projects_list_counts_each_projects_units_and_sold_units_in_one_query(company, staff, browser):
    head = make_staff(Role.CR_HEAD, username="head")
    expected = {}
    for units, sold in [(3, 1), (2, 2), (0, 0)]:
        building = BuildingFactory(project=ProjectFactory(company=company))
        for n in range(units):
            UnitFactory(building=building, status="signed" if n < sold else "available")
        expected[building.project.name] = (units, sold)
    client = browser(head)

    page = client.get("/estates/projects/")
    few = count_queries(lambda: client.get("/estates/projects/"))
    ProjectFactory.create_batch(3, company=company)

    counted = {p.name: (p.unit_count, p.sold_count) for p in page.context["object_list"]}
    assert {name: counted[name] for name in expected} == expected
    assert count_queries(lambda: client.get("/estates/projects/")) == few


def test_a_project_page_shows_units_by_status_and_buildings(project, staff, browser):
    building = BuildingFactory(project=project, name="7栋")
    UnitFactory(building=building, status="signed")

    page = browser(staff[Role.CUSTOMER_SERVICE]).get(f"/estates/projects/{project.pk}/")

    assert page.status_code == 200 and "7栋" in page.text


def test_another_projects_pages_are_not_found(other_project, staff, browser):
    unit = UnitFactory(building=BuildingFactory(project=other_project))
    client = browser(staff[Role.CONSULTANT])

    assert client.get(f"/estates/projects/{other_project.pk}/").status_code == 404
    assert client.get(f"/estates/units/{unit.pk}/").status_code == 404


def test_a_user_without_roles_is_refused(project, browser):
    assert browser(make_staff(projects=[project])).get("/estates/units/").status_code == 403


def test_units_list_filters_and_keeps_a_constant_query_count(project, staff, browser):
    client = browser(staff[Role.SALES_MANAGER])
    building = BuildingFactory(project=project)
    UnitFactory(building=building, number="801", status="available")
    few = count_queries(lambda: client.get("/estates/units/", {"project": project.pk}))
    UnitFactory.create_batch(8, building=building, status="signed")

    assert count_queries(lambda: client.get("/estates/units/", {"project": project.pk})) == few
    page = client.get("/estates/units/", {"status": "available"})
    assert "801" in page.text


def test_projects_list_query_count_is_constant(company, staff, browser):
    client = browser(staff[Role.CR_HEAD])
    ProjectFactory(company=company)
    few = count_queries(lambda: client.get("/estates/projects/"))
    ProjectFactory.create_batch(5, company=company)
    assert count_queries(lambda: client.get("/estates/projects/")) == few
