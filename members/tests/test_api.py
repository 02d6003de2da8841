"""Customers through the tablet API: validation, one phone per company, masking, who sees whom."""

import pytest

from core.roles import Role
from core.testing import ResourceContract, api_client, make_staff
from members.models import Customer

from .factories import CustomerFactory

URL = "/api/v1/customers/"


class TestCustomers(ResourceContract):
    url = URL
    reader, writer = Role.AREA_MANAGER, Role.CONSULTANT

    def make(self, project):
        return CustomerFactory(project=project)

    def create_data(self, project):
        return {
            "project": project.pk,
            "name": "王女士",
            "mobile": "13912345678",
            "gender": "female",
            "source_channel": "referral",
            "consents_to_messages": True,
        }


def test_a_consultant_registering_a_customer_becomes_their_consultant(project, staff):
    response = api_client(staff[Role.CONSULTANT]).post(URL, TestCustomers().create_data(project), format="json")

    customer = Customer.objects.get(pk=response.json()["id"])
    assert customer.consultant == staff[Role.CONSULTANT]
    assert customer.company == project.company
    assert customer.consent_changed_at is not None


@pytest.mark.parametrize("mobile", ["12345", "010-62345678", "not a phone"])
def test_a_bad_mobile_number_is_a_field_error(project, staff, mobile):
    data = {**TestCustomers().create_data(project), "mobile": mobile}

    response = api_client(staff[Role.CONSULTANT]).post(URL, data, format="json")

    assert response.status_code == 400
    assert response.json()["mobile"]
    assert Customer.objects.count() == 0


def test_a_known_mobile_in_the_same_company_is_refused(project, other_project, staff):
    CustomerFactory(project=other_project, mobile="+8613912345678")
    data = TestCustomers().create_data(project)

    response = api_client(staff[Role.CONSULTANT]).post(URL, data, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "duplicate_mobile" and response.json()["mobile"]
    assert Customer.objects.count() == 1


def test_the_same_mobile_may_exist_in_another_company(project, staff):
    from estates.tests.factories import ProjectFactory

    CustomerFactory(project=ProjectFactory(), mobile="+8613912345678")

    response = api_client(staff[Role.CONSULTANT]).post(URL, TestCustomers().create_data(project), format="json")

    assert response.status_code == 201


def test_a_bad_id_number_is_a_field_error(project, staff):
    data = {**TestCustomers().create_data(project), "id_number": "110105194912310021"}

    response = api_client(staff[Role.CONSULTANT]).post(URL, data, format="json")

    assert response.status_code == 400 and response.json()["id_number"]


def test_changing_to_a_taken_mobile_is_refused(project, staff):
    CustomerFactory(project=project, mobile="+8613700000001")
    mine = CustomerFactory(project=project, consultant=staff[Role.CONSULTANT])

    response = api_client(staff[Role.CONSULTANT]).patch(f"{URL}{mine.pk}/", {"mobile": "13700000001"}, format="json")

    assert response.status_code == 400 and response.json()["mobile"]


@pytest.mark.rule("L10")
def test_a_consultant_sees_and_changes_only_their_own_customers(project, staff):
    consultant = staff[Role.CONSULTANT]
    colleague = make_staff(Role.CONSULTANT, projects=[project])
    own = CustomerFactory(project=project, consultant=consultant)
    theirs = CustomerFactory(project=project, consultant=colleague)
    client = api_client(consultant)

    assert [row["id"] for row in client.get(URL).json()["results"]] == [own.pk]
    assert client.get(f"{URL}{theirs.pk}/").status_code == 404
    assert client.patch(f"{URL}{theirs.pk}/", {"name": "改名"}, format="json").status_code == 404
    assert client.patch(f"{URL}{own.pk}/", {"name": "改名"}, format="json").status_code == 200


@pytest.mark.rule("L10")
def test_a_team_leader_sees_the_team_and_a_manager_the_whole_project(project, staff):
    in_team = CustomerFactory(project=project, consultant=staff[Role.CONSULTANT])
    outside = CustomerFactory(project=project, consultant=make_staff(Role.CONSULTANT, projects=[project]))

    leader_sees = {row["id"] for row in api_client(staff[Role.TEAM_LEADER]).get(URL).json()["results"]}
    manager_sees = {row["id"] for row in api_client(staff[Role.SALES_MANAGER]).get(URL).json()["results"]}

    assert leader_sees == {in_team.pk}
    assert manager_sees == {in_team.pk, outside.pk}


def test_phone_and_id_number_are_masked_for_roles_that_do_not_need_them(project, staff):
    customer = CustomerFactory(project=project, mobile="+8613812345678", id_number="11010519491231002X")

    engineer = api_client(staff[Role.ENGINEERING]).get(f"{URL}{customer.pk}/").json()
    service = api_client(staff[Role.CUSTOMER_SERVICE]).get(f"{URL}{customer.pk}/").json()

    assert engineer["mobile"] == "138****5678" and engineer["id_number"] == "1101**********002X"
    assert service["mobile"] == "+8613812345678" and service["id_number"] == "11010519491231002X"


def test_property_staff_may_read_but_not_register_customers(project, staff):
    client = api_client(staff[Role.PROPERTY])

    assert client.get(URL).status_code == 200
    assert client.post(URL, TestCustomers().create_data(project), format="json").status_code == 403


def test_opting_out_of_messages_is_recorded_with_its_time(project, staff):
    customer = CustomerFactory(project=project, consultant=staff[Role.CONSULTANT], consents_to_messages=True)

    response = api_client(staff[Role.CONSULTANT]).patch(
        f"{URL}{customer.pk}/", {"consents_to_messages": False}, format="json"
    )

    customer.refresh_from_db()
    assert response.status_code == 200
    assert customer.consents_to_messages is False and customer.consent_changed_at is not None


def test_customers_are_searched_by_the_start_of_their_name_or_their_mobile_number(project, staff):
    CustomerFactory(project=project, name="李雷", mobile="+8613811112222")
    CustomerFactory(project=project, name="韩梅梅", mobile="+8613833334444")
    CustomerFactory(project=project, name="梅兰", mobile="+8615955556666")
    client = api_client(staff[Role.SALES_MANAGER])

    def found(text):
        return sorted(row["name"] for row in client.get(URL, {"q": text}).json()["results"])

    assert found("李") == ["李雷"] and found("韩梅") == ["韩梅梅"] and found("梅") == ["梅兰"]
    assert found("138 3333 4444") == found("+86 13833334444") == ["韩梅梅"], "the whole number, however written"
    assert found("4444") == ["韩梅梅"], "its last four digits"
    assert found("13811") == ["李雷"], "its first digits"
    assert found("3333") == [], "not a part from its middle: no index finds that among a million"


def test_a_customer_cannot_be_given_to_someone_outside_the_projects_sales_team(project, other_project, staff):
    elsewhere = make_staff(Role.CONSULTANT, projects=[other_project])
    data = {**TestCustomers().create_data(project), "consultant": elsewhere.pk}

    response = api_client(staff[Role.SALES_MANAGER]).post(URL, data, format="json")

    assert response.status_code == 400 and response.json()["code"] == "consultant_not_on_project"
    assert Customer.objects.count() == 0


@pytest.mark.rule("L10")
def test_a_consultant_cannot_hand_a_customer_to_another_team(project, staff):
    other_team = make_staff(Role.CONSULTANT, projects=[project])
    mine = CustomerFactory(project=project, consultant=staff[Role.CONSULTANT])

    refused = api_client(staff[Role.CONSULTANT]).patch(f"{URL}{mine.pk}/", {"consultant": other_team.pk}, format="json")
    allowed = api_client(staff[Role.SALES_MANAGER]).patch(
        f"{URL}{mine.pk}/", {"consultant": other_team.pk}, format="json"
    )

    assert refused.status_code == 400 and refused.json()["code"] == "consultant_not_in_team"
    assert allowed.status_code == 200


def test_a_birthday_in_the_future_is_refused_with_the_field(client_for, staff, project):
    import datetime

    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    response = client_for(staff[Role.CONSULTANT]).post(
        "/api/v1/customers/",
        {"project": project.pk, "name": "未来人", "mobile": "13811112222", "birthday": tomorrow},
        format="json",
    )
    assert response.status_code == 400
    assert "birthday" in response.json()
