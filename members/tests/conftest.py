import pytest

from core.roles import Role
from members.tests.factories import CustomerFactory


@pytest.fixture
def consultant(staff):
    return staff[Role.CONSULTANT]


@pytest.fixture
def customer(project, consultant):
    return CustomerFactory(project=project, consultant=consultant)
