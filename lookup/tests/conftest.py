import pytest

from core.roles import Role
from estates.tests.factories import BuildingFactory, UnitFactory
from members.tests.factories import CustomerFactory


@pytest.fixture
def zhang(project, staff):
    return CustomerFactory(project=project, name="张三丰", mobile="+8613912345678", consultant=staff[Role.CONSULTANT])


@pytest.fixture
def unit(project):
    return UnitFactory(building=BuildingFactory(project=project, name="3栋"), number="1502")
