"""The permission layer itself: roles, projects, team ownership and masking (R1, L10)."""

import pytest

from core.access import Policy, mask_id_number, mask_phone, may_see_contact, may_see_id_number, team_member_ids
from core.roles import Role
from core.testing import make_staff
from members.models import Customer
from members.tests.factories import CustomerFactory

POLICY = Policy(read=frozenset(Role), write=frozenset({Role.CONSULTANT}), owner_path="consultant")


@pytest.mark.rule("R1")
def test_a_user_without_a_reading_role_sees_nothing(project):
    nobody = make_staff(projects=[project])
    CustomerFactory(project=project)

    assert not POLICY.can_read(nobody)
    assert POLICY.scope(Customer.objects.all(), nobody).count() == 0


@pytest.mark.rule("R1")
def test_rows_of_other_projects_are_hidden(project, other_project, staff):
    mine = CustomerFactory(project=project)
    CustomerFactory(project=other_project)

    visible = POLICY.scope(Customer.objects.all(), staff[Role.CUSTOMER_SERVICE])

    assert list(visible) == [mine]


@pytest.mark.rule("R1")
def test_company_wide_roles_see_every_project(project, other_project, staff):
    CustomerFactory(project=project)
    CustomerFactory(project=other_project)

    assert POLICY.scope(Customer.objects.all(), staff[Role.CR_HEAD]).count() == 2
    assert POLICY.scope(Customer.objects.all(), staff[Role.CALL_CENTER]).count() == 2


@pytest.mark.rule("L10")
def test_sales_staff_see_their_own_team_only(project, staff):
    consultant, leader = staff[Role.CONSULTANT], staff[Role.TEAM_LEADER]
    outsider = make_staff(Role.CONSULTANT, projects=[project])
    own = CustomerFactory(project=project, consultant=consultant)
    other = CustomerFactory(project=project, consultant=outsider)

    assert set(POLICY.scope(Customer.objects.all(), consultant)) == {own}
    assert set(POLICY.scope(Customer.objects.all(), leader)) == {own}
    assert set(POLICY.scope(Customer.objects.all(), staff[Role.SALES_SUPERVISOR])) == {own}
    assert set(POLICY.scope(Customer.objects.all(), staff[Role.SALES_MANAGER])) == {own, other}


def test_team_members_are_found_through_every_level(staff):
    manager = staff[Role.SALES_MANAGER]
    expected = {
        staff[role].pk for role in (Role.SALES_MANAGER, Role.SALES_SUPERVISOR, Role.TEAM_LEADER, Role.CONSULTANT)
    }
    assert team_member_ids(manager) == expected


def test_writes_need_a_writing_role(staff):
    assert POLICY.can_write(staff[Role.CONSULTANT])
    assert not POLICY.can_write(staff[Role.CUSTOMER_SERVICE])


def test_phone_and_id_masks_keep_only_the_ends():
    assert mask_phone("+8613812345678") == "138****5678"
    assert mask_id_number("11010519491231002X") == "1101**********002X"


def test_only_roles_that_need_personal_data_see_it(staff):
    assert may_see_contact(staff[Role.CONSULTANT]) and may_see_contact(staff[Role.CALL_CENTER])
    assert not may_see_contact(staff[Role.ENGINEERING]) and not may_see_contact(staff[Role.PROPERTY])
    assert may_see_id_number(staff[Role.SALES_MANAGER])
    assert not may_see_id_number(staff[Role.CONSULTANT])
