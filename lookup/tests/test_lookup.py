"""The search box and the caller lookup, as the call center and the sales office use them (issue 13)."""

import pytest

from complaints import services as complaint_services
from complaints.choices import Channel
from core.roles import Role
from core.testing import make_staff
from estates.tests.factories import BuildingFactory, ProjectFactory, UnitFactory
from members import services as member_services
from members.tests.factories import CustomerFactory, PurchaseFactory

pytestmark = pytest.mark.django_db


def search(client_for, user, text):
    response = client_for(user).get("/api/v1/lookup/search/", {"q": text})
    assert response.status_code == 200, response.content
    return {group["kind"]: [hit["label"] for hit in group["hits"]] for group in response.json()["groups"]}


@pytest.mark.parametrize("text", ["13912345678", "+86 139 1234 5678", "5678", "张三", "zsf", "ZS"])
def test_a_customer_is_found_by_number_tail_name_or_pinyin_initials(client_for, staff, zhang, text):
    CustomerFactory(project=zhang.project, name="李四", mobile="+8613900001111")
    assert search(client_for, staff[Role.CALL_CENTER], text)["customer"] == ["张三丰"]


def test_a_unit_is_found_by_building_and_number_or_number_alone(client_for, staff, unit):
    UnitFactory(building=BuildingFactory(project=unit.project, name="5栋"), number="1501")
    agent = staff[Role.CALL_CENTER]
    assert search(client_for, agent, "3-1502")["unit"] == ["3栋-1502"]
    assert search(client_for, agent, "3栋-1502")["unit"] == ["3栋-1502"]
    assert search(client_for, agent, "1502")["unit"] == ["3栋-1502"]


def test_a_complaint_and_a_member_are_found_by_their_numbers(client_for, staff, project, zhang, unit):
    complaint = complaint_services.receive_complaint(
        actor=staff[Role.CUSTOMER_SERVICE],
        project=project,
        channel=Channel.HOTLINE,
        title="外墙渗水",
        content="雨后外墙渗水",
        customer=zhang,
        unit=unit,
        category="quality",
    )
    membership = member_services.join_club(customer=zhang, source_project=project, actor=staff[Role.CONSULTANT])
    service = staff[Role.CUSTOMER_SERVICE]
    assert search(client_for, service, f"#{complaint.pk}")["complaint"] == [str(complaint)]
    assert search(client_for, service, membership.member_number)["member"] == [membership.member_number]
    assert search(client_for, service, membership.member_number.lower())["member"] == [membership.member_number]


def test_a_text_many_customers_share_shows_them_by_name(client_for, staff, project, monkeypatch):
    """The hits are in order of name; a text shared by more customers than are put in order (NAMES_SORTED) shows
    those found first, by name."""
    from lookup import selectors

    for name in ("王五", "王二", "王四", "王三", "王一"):
        CustomerFactory(project=project, name=name)
    agent = staff[Role.CALL_CENTER]
    assert search(client_for, agent, "王")["customer"] == ["王一", "王三", "王二", "王五", "王四"]

    monkeypatch.setattr(selectors, "NAMES_SORTED", 3)
    shown = search(client_for, agent, "王")["customer"]
    assert len(shown) == 3 and shown == sorted(shown)


def test_search_shows_only_what_the_role_may_see_and_masks_the_number(client_for, staff, zhang, company):
    elsewhere = ProjectFactory(company=company)
    CustomerFactory(project=elsewhere, name="张三", mobile="+8613912340000")
    property_staff = staff[Role.PROPERTY]  # reads customers of their project, without their numbers
    response = client_for(property_staff).get("/api/v1/lookup/search/", {"q": "张三"})
    (group,) = response.json()["groups"]
    assert [hit["label"] for hit in group["hits"]] == ["张三丰"]
    assert "139****5678" in group["hits"][0]["detail"]
    agent_view = client_for(staff[Role.CALL_CENTER]).get("/api/v1/lookup/search/", {"q": "张三"}).json()
    details = {hit["label"]: hit["detail"] for hit in agent_view["groups"][0]["hits"]}
    assert "13912345678" in details["张三丰"]
    head = make_staff(Role.CR_HEAD)
    assert sorted(search(client_for, head, "张三")["customer"]) == ["张三", "张三丰"]


def test_search_without_text_is_refused_with_the_field(client_for, staff):
    response = client_for(staff[Role.CALL_CENTER]).get("/api/v1/lookup/search/", {"q": " "})
    assert response.status_code == 400
    assert "q" in response.json()


def test_search_and_lookup_need_a_signed_in_user(client_for):
    assert client_for().get("/api/v1/lookup/search/", {"q": "张三"}).status_code == 401
    assert client_for().get("/api/v1/lookup/", {"phone": "13912345678"}).status_code == 401


def test_a_renamed_customer_is_found_by_the_new_name(client_for, staff, zhang):
    member_services.update_customer(customer=zhang, actor=staff[Role.CONSULTANT], name="王五")
    agent = staff[Role.CALL_CENTER]
    assert search(client_for, agent, "ww")["customer"] == ["王五"]
    assert "customer" not in search(client_for, agent, "zsf")


def test_the_caller_card_holds_what_the_agent_needs(client_for, staff, project, zhang, unit):
    PurchaseFactory(customer=zhang, unit=unit, consultant=staff[Role.CONSULTANT])
    member_services.join_club(customer=zhang, source_project=project, actor=staff[Role.CONSULTANT])
    complaint = complaint_services.receive_complaint(
        actor=staff[Role.CUSTOMER_SERVICE],
        project=project,
        channel=Channel.HOTLINE,
        title="外墙渗水",
        content="雨后外墙渗水",
        customer=zhang,
        unit=unit,
        category="quality",
    )

    response = client_for(staff[Role.CALL_CENTER]).get("/api/v1/lookup/", {"phone": "139-1234-5678"})

    assert response.status_code == 200
    (card,) = response.json()
    assert card["customer"]["name"] == "张三丰"
    assert card["customer"]["consultant_name"] == str(staff[Role.CONSULTANT])
    assert card["mobile"] == "13912345678"
    assert [u["unit_label"] for u in card["units"]] == ["3栋-1502"]
    assert card["member"]["level"] == "regular"
    (open_case,) = card["open_complaints"]
    assert open_case["id"] == complaint.pk
    assert {clock["kind"] for clock in open_case["clocks"]} >= {"response"}
    assert card["last_contacts"], "the complaint's receipt is a contact"


def test_the_caller_card_of_a_customer_without_consultant_or_membership_is_empty_not_broken(client_for, staff, project):
    CustomerFactory(project=project, name="赵六", mobile="+8613700001234", consultant=None)
    (card,) = client_for(staff[Role.CALL_CENTER]).get("/api/v1/lookup/", {"phone": "13700001234"}).json()
    assert card["customer"]["consultant_name"] == ""
    assert card["member"] is None
    assert card["units"] == [] and card["open_complaints"] == []


def test_a_number_of_another_project_gives_no_card(client_for, staff, company):
    CustomerFactory(project=ProjectFactory(company=company), mobile="+8613912345678")
    manager = staff[Role.SALES_MANAGER]  # works on `project` only
    response = client_for(manager).get("/api/v1/lookup/", {"phone": "13912345678"})
    assert response.status_code == 200
    assert response.json() == []
    assert len(client_for(staff[Role.CALL_CENTER]).get("/api/v1/lookup/", {"phone": "13912345678"}).json()) == 1


def test_an_incomplete_number_is_refused_with_the_field(client_for, staff):
    response = client_for(staff[Role.CALL_CENTER]).get("/api/v1/lookup/", {"phone": "5678"})
    assert response.status_code == 400
    assert "phone" in response.json()


def test_the_caller_card_costs_the_same_queries_however_much_the_caller_has(
    client_for, staff, project, zhang, django_assert_max_num_queries
):
    client = client_for(staff[Role.CALL_CENTER])

    def receive(n):
        for _ in range(n):
            unit = UnitFactory(building=BuildingFactory(project=project))
            PurchaseFactory(customer=zhang, unit=unit)
            complaint_services.receive_complaint(
                actor=staff[Role.CUSTOMER_SERVICE],
                project=project,
                channel=Channel.HOTLINE,
                title="渗水",
                content="渗水",
                customer=zhang,
                unit=unit,
                category="quality",
            )

    receive(1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/lookup/", {"phone": "13912345678"})
    receive(4)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get("/api/v1/lookup/", {"phone": "13912345678"})
    assert len(response.json()[0]["open_complaints"]) == 5


def test_the_dashboard_search_page_groups_results_and_the_header_has_the_box(browser, staff, zhang, unit):
    page = browser(staff[Role.CALL_CENTER]).get("/lookup/", {"q": "5678"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "张三丰" in html and 'action="/lookup/"' in html


def test_the_caller_page_shows_the_card_and_the_customer_page_starts_with_it(browser, staff, zhang):
    client = browser(staff[Role.CALL_CENTER])
    caller = client.get("/lookup/caller/", {"phone": "13912345678"})
    assert caller.status_code == 200 and "张三丰" in caller.content.decode()
    customer_page = client.get(f"/members/customers/{zhang.pk}/").content.decode()
    assert customer_page.index("lookup-card") < customer_page.index("timeline")
