"""Rule D4 on the project page: a new project shows what went wrong before on projects of its kind."""

import pytest

from complaints import services
from complaints.choices import DefectCategory, DefectSource
from core.roles import Role
from estates.choices import ProductKind
from estates.tests.factories import ProjectFactory


@pytest.fixture
def earlier_lesson(company, staff):
    earlier = ProjectFactory(company=company, product_kind=ProductKind.TOWNHOUSE, name="老项目")
    villa = ProjectFactory(company=company, product_kind=ProductKind.VILLA, name="别墅项目")
    services.raise_defect(
        actor=staff[Role.ENGINEERING],
        project=earlier,
        category=DefectCategory.DESIGN,
        title="地下室采光井排水不畅",
        source=DefectSource.HOUSE_CHECK,
    )
    services.raise_defect(
        actor=staff[Role.ENGINEERING],
        project=villa,
        category=DefectCategory.CONSTRUCTION,
        title="别墅屋面渗漏",
        source=DefectSource.HOUSE_CHECK,
    )


@pytest.mark.rule("D4")
def test_a_new_projects_page_shows_earlier_defects_of_the_same_kind(company, staff, client, earlier_lesson):
    new = ProjectFactory(company=company, product_kind=ProductKind.TOWNHOUSE, name="新联排项目")
    new.staff.add(staff[Role.ENGINEERING])
    client.force_login(staff[Role.ENGINEERING])

    page = client.get(f"/estates/projects/{new.pk}/")

    assert "地下室采光井排水不畅" in page.text
    assert "别墅屋面渗漏" not in page.text  # another kind of product


def test_roles_that_do_not_read_defects_do_not_get_the_section(company, staff, client, earlier_lesson):
    new = ProjectFactory(company=company, product_kind=ProductKind.TOWNHOUSE)
    new.staff.add(staff[Role.CONSULTANT])
    client.force_login(staff[Role.CONSULTANT])

    page = client.get(f"/estates/projects/{new.pk}/")

    assert page.status_code == 200 and "地下室采光井排水不畅" not in page.text
