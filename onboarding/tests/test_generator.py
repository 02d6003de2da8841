"""The unit generator: floors the company does not number are skipped, and a second run creates nothing."""

from decimal import Decimal

import pytest

from core.errors import DomainError
from core.roles import Role
from core.testing import api_client, make_staff
from estates.models import Unit
from estates.tests.factories import BuildingFactory, ProjectFactory, UnitFactory
from onboarding.generator import Stack, generate_units, plan_units

STACKS = [
    Stack(number=1, area=Decimal("89.50"), layout="三室两厅"),
    Stack(number=2, area=Decimal("120"), layout="四室"),
]


def test_floors_the_company_skips_get_no_units(project):
    building = BuildingFactory(project=project, floors=15)

    created, _planned = generate_units(building=building, actor=None, stacks=STACKS, skip_floors=[4, 13, 14])

    floors = set(Unit.objects.filter(building=building).values_list("floor", flat=True))
    assert floors == set(range(1, 16)) - {4, 13, 14}
    assert created == 12 * 2
    unit = Unit.objects.get(building=building, number="0302")
    assert (unit.floor, unit.area, unit.layout, unit.project_id) == (3, Decimal("120.00"), "四室", project.pk)


def test_a_second_run_creates_nothing_and_the_preview_marks_what_exists(project):
    building = BuildingFactory(project=project, floors=6)
    UnitFactory(building=building, number="0101", floor=1)

    first, _ = generate_units(building=building, actor=None, stacks=STACKS)
    second, planned = generate_units(building=building, actor=None, stacks=STACKS)

    assert (first, second) == (11, 0)
    assert Unit.objects.filter(building=building).count() == 12
    assert all(unit.exists for unit in planned)


def test_a_pattern_with_building_and_entrance(project):
    building = BuildingFactory(project=project, name="5", floors=3)

    planned = plan_units(
        building=building, stacks=STACKS[:1], pattern="{building}-{entrance}-{floor:02d}{stack:02d}", entrance="2"
    )

    assert [unit.number for unit in planned] == ["5-2-0101", "5-2-0201", "5-2-0301"]


@pytest.mark.parametrize("pattern", ["{stack:02d}", "{floor}{unknown}", "{floor:02d"])
def test_a_pattern_that_cannot_number_every_unit_is_refused(project, pattern):
    building = BuildingFactory(project=project, floors=3)

    with pytest.raises(DomainError):
        plan_units(building=building, stacks=STACKS, pattern=pattern)
    assert not Unit.objects.filter(building=building).exists()


def test_the_api_previews_then_creates_for_a_sales_manager_of_the_project(project, staff):
    building = BuildingFactory(project=project, floors=5)
    body = {"building": building.pk, "stacks": [{"number": 1, "area": "89.5", "layout": "三室"}], "skip_floors": [4]}
    client = api_client(staff[Role.SALES_MANAGER])

    preview = client.post("/api/v1/unit-generator/preview/", body, format="json")
    assert preview.status_code == 200
    assert [unit["number"] for unit in preview.json()["units"]] == ["0101", "0201", "0301", "0501"]
    assert not Unit.objects.filter(building=building).exists()

    created = client.post("/api/v1/unit-generator/", body, format="json")
    again = client.post("/api/v1/unit-generator/", body, format="json")
    assert (created.status_code, created.json()["created"]) == (201, 4)
    assert (again.status_code, again.json()["created"]) == (200, 0)


def test_the_api_refuses_other_roles_and_other_projects(project, staff):
    building = BuildingFactory(project=project, floors=2)
    elsewhere = BuildingFactory(project=ProjectFactory(company=project.company), floors=2)
    body = {"stacks": [{"number": 1, "area": "89.5"}]}

    consultant = api_client(staff[Role.CONSULTANT]).post(
        "/api/v1/unit-generator/", {**body, "building": building.pk}, format="json"
    )
    manager = api_client(staff[Role.SALES_MANAGER]).post(
        "/api/v1/unit-generator/", {**body, "building": elsewhere.pk}, format="json"
    )
    head = api_client(make_staff(Role.CR_HEAD)).post(
        "/api/v1/unit-generator/", {**body, "building": elsewhere.pk}, format="json"
    )

    assert (consultant.status_code, manager.status_code, head.status_code) == (403, 403, 201)
    assert not Unit.objects.filter(building=building).exists()
    assert Unit.objects.filter(building=elsewhere).count() == 2


def test_the_dashboard_page_previews_and_creates(project, staff, browser):
    building = BuildingFactory(project=project, floors=3)
    client = browser(staff[Role.SALES_MANAGER])
    form = {
        "building": building.pk,
        "first_floor": 1,
        "last_floor": 3,
        "skip_floors": "2",
        "stacks": "1, 89.5, 三室两厅, 2000000",
        "pattern": "{floor:02d}{stack:02d}",
    }

    preview = client.post("/onboarding/units/generate/", {**form, "preview": "1"})
    assert preview.status_code == 200 and "0301" in preview.content.decode()
    assert not Unit.objects.filter(building=building).exists()

    client.post("/onboarding/units/generate/", {**form, "create": "1"})
    assert sorted(Unit.objects.filter(building=building).values_list("number", flat=True)) == ["0101", "0301"]
    assert browser(staff[Role.CONSULTANT]).get("/onboarding/units/generate/").status_code == 403
