"""The estates resources of the tablet API, each held to the shared contract."""

import pytest

from core.roles import Role
from core.testing import ResourceContract, api_client
from estates.models import Project, ProjectRules

from .factories import BuildingFactory, ComponentTypeFactory, ProjectFactory, UnitFactory


class TestProjects(ResourceContract):
    url = "/api/v1/projects/"
    reader, writer = Role.CONSULTANT, Role.ADMINISTRATOR
    creates_anywhere = "Creating a project is not tied to an existing one."

    def make(self, project):
        return project

    def create_data(self, project):
        return {"company": project.company_id, "name": "新项目", "city": "广州", "status": "planning"}

    @pytest.mark.rule("R1")
    def test_records_of_other_projects_are_invisible(self, project, other_project, staff):
        client = api_client(staff[self.reader])
        assert client.get(f"{self.url}{other_project.pk}/").status_code == 404
        assert other_project.pk not in [row["id"] for row in client.get(self.url).json()["results"]]

    def test_list_query_count_does_not_grow_with_page_size(self, project, staff):
        client = api_client(staff[Role.CR_HEAD])
        from core.testing import count_queries

        few = count_queries(lambda: client.get(self.url))
        ProjectFactory.create_batch(5, company=project.company)
        assert count_queries(lambda: client.get(self.url)) == few

    def test_a_project_code_is_unique_within_its_company(self, project, staff):
        client = api_client(staff[Role.ADMINISTRATOR])

        taken = client.post(self.url, {**self.create_data(project), "code": project.code}, format="json")
        fresh = client.post(self.url, {**self.create_data(project), "code": "GZ-NEW"}, format="json")

        assert taken.status_code == 400 and taken.json()["code"] == ["本公司已有使用此编码的项目。"]
        assert fresh.status_code == 201 and fresh.json()["code"] == "GZ-NEW"
        uncoded = {**self.create_data(project), "name": "另一个新项目"}
        assert client.post(self.url, uncoded, format="json").status_code == 201
        another = {**uncoded, "name": "第三个新项目"}
        assert client.post(self.url, another, format="json").status_code == 201, "many projects have no code"
        same_name = client.post(self.url, {**uncoded, "code": "GZ-X"}, format="json")
        assert same_name.status_code == 400 and same_name.json()["non_field_errors"]

    def test_a_new_project_gets_its_rule_settings(self, project, staff):
        response = api_client(staff[Role.ADMINISTRATOR]).post(self.url, self.create_data(project), format="json")
        assert ProjectRules.objects.filter(project_id=response.json()["id"]).exists()

    def test_filters_by_status_and_orders(self, project, staff):
        ProjectFactory(company=project.company, name="规划中", status="planning").staff.add(staff[Role.CONSULTANT])
        client = api_client(staff[Role.CONSULTANT])

        names = [row["name"] for row in client.get(self.url, {"status": "planning"}).json()["results"]]

        assert names == ["规划中"]
        ordered = [row["name"] for row in client.get(self.url, {"ordering": "-name"}).json()["results"]]
        assert ordered == sorted(ordered, reverse=True)


class TestBuildings(ResourceContract):
    url = "/api/v1/buildings/"
    reader, writer = Role.CUSTOMER_SERVICE, Role.ADMINISTRATOR

    def make(self, project):
        return BuildingFactory(project=project)

    def create_data(self, project):
        return {"project": project.pk, "name": "9栋", "floors": 30}


class TestUnits(ResourceContract):
    url = "/api/v1/units/"
    reader, writer = Role.CONSULTANT, Role.SALES_MANAGER

    def make(self, project):
        return UnitFactory(building=BuildingFactory(project=project))

    def create_data(self, project):
        building = BuildingFactory(project=project)
        return {
            "building": building.pk,
            "number": "2301",
            "floor": 23,
            "area": "120.5",
            "layout": "四室两厅",
            "list_price": "5000000",
        }

    def test_filters_by_status_and_area(self, project, staff):
        building = BuildingFactory(project=project)
        small = UnitFactory(building=building, area=60, status="available")
        UnitFactory(building=building, area=140, status="available")
        UnitFactory(building=building, area=60, status="signed")

        response = api_client(staff[Role.CONSULTANT]).get(self.url, {"status": "available", "max_area": 100})

        assert [row["id"] for row in response.json()["results"]] == [small.pk]

    def test_a_unit_belongs_to_its_buildings_project(self, project, staff):
        response = api_client(staff[Role.SALES_MANAGER]).post(self.url, self.create_data(project), format="json")
        assert response.json()["project"] == project.pk

    def test_bad_area_is_a_field_error(self, project, staff):
        data = {**self.create_data(project), "area": "-3"}
        response = api_client(staff[Role.SALES_MANAGER]).post(self.url, data, format="json")
        assert response.status_code == 400 and "area" in response.json()


class TestComponentTypes(ResourceContract):
    url = "/api/v1/component-types/"
    reader, writer = Role.ENGINEERING, Role.CR_HEAD
    creates_anywhere = "The customer-relations head configures every project."
    project_scoped = False

    def make(self, project):
        return ComponentTypeFactory()

    def create_data(self, project):
        return {"name": "入户门", "category": "门窗五金", "default_warranty_months": 24}


def test_deleting_is_for_administrators_only(project, staff):
    url = f"/api/v1/projects/{project.pk}/"
    assert api_client(staff[Role.SALES_MANAGER]).delete(url).status_code == 403
    assert api_client(staff[Role.ADMINISTRATOR]).delete(url).status_code == 204
    assert not Project.objects.filter(pk=project.pk).exists()


class TestWarrantyOverrides(ResourceContract):
    url = "/api/v1/warranty-overrides/"
    reader, writer = Role.ENGINEERING, Role.CR_HEAD
    creates_anywhere = "The customer-relations head configures every project."

    def make(self, project):
        from estates.models import WarrantyOverride

        return WarrantyOverride.objects.create(
            project=project, component_type=ComponentTypeFactory(), warranty_months=36
        )

    def create_data(self, project):
        return {"project": project.pk, "component_type": ComponentTypeFactory().pk, "warranty_months": 60}
