"""The pickers of the dashboard's forms: find a customer, a unit or a colleague as you type (issue 14 item 1)."""

import pytest

from complaints.models import Complaint
from core.models import Department
from core.roles import Role
from core.testing import make_staff
from estates.tests.factories import ProjectFactory, UnitFactory
from members.tests.factories import CustomerFactory, PurchaseFactory

pytestmark = pytest.mark.django_db


def pick(browser, user, kind, **params):
    response = browser(user).get(f"/lookup/pick/{kind}/", params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.mark.parametrize("text", ["13912345678", "5678", "张三", "zsf", "3-1502"])
def test_a_customer_is_picked_by_phone_last_four_name_initials_or_unit(browser, staff, zhang, unit, text):
    PurchaseFactory(customer=zhang, unit=unit)
    CustomerFactory(project=zhang.project, name="李四", mobile="+8613900001111")
    (match,) = pick(browser, staff[Role.CUSTOMER_SERVICE], "customer", q=text)
    assert (match["id"], match["label"]) == (zhang.pk, "张三丰")
    assert match["detail"].startswith("13912345678"), "customer service sees the number it calls"


def test_a_picked_customer_shows_the_phone_masked_for_roles_that_may_not_call(browser, staff, zhang):
    (match,) = pick(browser, staff[Role.PROPERTY], "customer", q="张三")
    assert match["detail"].startswith("139****5678")


def test_the_picker_offers_only_customers_of_the_users_projects_and_of_the_chosen_project(
    browser, staff, zhang, company
):
    elsewhere = ProjectFactory(company=company)
    stranger = CustomerFactory(project=elsewhere, name="张三", mobile="+8613912340000")
    assert [m["label"] for m in pick(browser, staff[Role.CUSTOMER_SERVICE], "customer", q="张三")] == ["张三丰"]
    head = make_staff(Role.CR_HEAD)
    assert [m["id"] for m in pick(browser, head, "customer", q="张三", project=elsewhere.pk)] == [stranger.pk]


def test_units_are_narrowed_by_the_chosen_customer_and_project(browser, staff, project, zhang, unit):
    other = UnitFactory(building=unit.building, number="1501")
    PurchaseFactory(customer=zhang, unit=unit)
    service = staff[Role.CUSTOMER_SERVICE]
    assert [m["id"] for m in pick(browser, service, "unit", customer=zhang.pk)] == [unit.pk]
    assert [m["id"] for m in pick(browser, service, "unit", q="150", project=project.pk)] == [other.pk, unit.pk]
    assert pick(browser, service, "unit", q="150", project=ProjectFactory(company=project.company).pk) == []


def test_the_buyers_of_the_chosen_unit_are_offered_without_typing(browser, staff, zhang, unit):
    PurchaseFactory(customer=zhang, unit=unit)
    CustomerFactory(project=zhang.project, name="李四", mobile="+8613900001111")
    assert [m["id"] for m in pick(browser, staff[Role.CUSTOMER_SERVICE], "customer", unit=unit.pk)] == [zhang.pk]


def test_staff_are_narrowed_to_the_department_and_the_roles_asked_for(browser, staff):
    engineering = Department.objects.create(name="工程部")
    fixer = make_staff(Role.ENGINEERING, username="fixer", department=engineering)
    head = make_staff(Role.ENGINEERING, username="chief")
    engineering.head = head
    engineering.save()
    service = staff[Role.CUSTOMER_SERVICE]
    assert {m["id"] for m in pick(browser, service, "staff", department=engineering.pk)} == {fixer.pk, head.pk}
    consultants = pick(browser, service, "staff", q="consult", roles=Role.CONSULTANT.value)
    assert [m["id"] for m in consultants] == [staff[Role.CONSULTANT].pk]


def test_an_unknown_kind_is_not_found_and_a_visitor_is_sent_to_sign_in(client, browser, staff):
    assert browser(staff[Role.CUSTOMER_SERVICE]).get("/lookup/pick/password/", {"q": "a"}).status_code == 404
    assert client.logout() is None
    assert client.get("/lookup/pick/customer/", {"q": "5678"}).status_code == 302


def test_the_intake_form_lists_no_customer_or_unit_but_the_chosen_one(browser, staff, project, zhang, unit):
    for number in range(30):
        CustomerFactory(project=project, name=f"客户{number}")
    service = staff[Role.CUSTOMER_SERVICE]
    page = browser(service).get("/complaints/all/new/").content.decode()
    assert "客户1" not in page and "张三丰" not in page
    assert 'data-picker-url="/lookup/pick/customer/"' in page

    response = browser(service).post(
        "/complaints/all/new/",
        {"project": project.pk, "channel": "hotline", "category": "other", "customer": zhang.pk, "unit": unit.pk},
    )
    assert response.status_code == 200, "the form comes back: subject and content are missing"
    page = response.content.decode()
    assert f'<option value="{zhang.pk}" selected>张三丰</option>' in page
    assert "客户1" not in page
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("url", "role"),
    [
        ("/complaints/all/new/", Role.CUSTOMER_SERVICE),
        ("/complaints/defects/new/", Role.CUSTOMER_SERVICE),
        ("/members/customers/new/", Role.SALES_MANAGER),
        ("/members/visits/new/", Role.CONSULTANT),
    ],
)
def test_a_form_of_someone_on_many_projects_finds_the_project_by_typing(browser, company, project, url, role):
    from core.widgets import FewOrPicker

    others = ProjectFactory.create_batch(FewOrPicker.few, company=company)
    page = browser(make_staff(role, projects=[project, *others])).get(url)

    assert page.status_code == 200
    assert 'data-picker-url="/lookup/pick/project/"' in page.text
    assert not any(f'<option value="{other.pk}"' in page.text for other in others), "no list of every project"


def test_the_dispatch_form_offers_the_departments_staff_by_picker_only(staff):
    from complaints.inputs import DispatchForm

    engineering = Department.objects.create(name="工程部")
    fixer = make_staff(Role.ENGINEERING, username="fixer", department=engineering)
    html = str(DispatchForm(data={"handler": fixer.pk, "department": engineering.pk})["handler"])
    assert 'data-picker-url="/lookup/pick/staff/"' in html and 'data-narrowed-by="department"' in html
    assert str(fixer) in html, "the chosen handler stays chosen"
    assert str(staff[Role.SALES_MANAGER]) not in html, "no list of every colleague"


def test_buildings_are_picked_within_the_users_projects_and_the_chosen_project(browser, staff, project, unit):
    from estates.tests.factories import BuildingFactory

    service = staff[Role.CUSTOMER_SERVICE]
    second = BuildingFactory(project=project, name="9栋")
    BuildingFactory(project=ProjectFactory(company=project.company), name="9栋")  # not the user's project

    assert [m["id"] for m in pick(browser, service, "building", q="9栋")] == [second.pk]
    assert {m["id"] for m in pick(browser, service, "building", project=project.pk)} == {unit.building_id, second.pk}
    assert pick(browser, service, "building") == [], "nothing is listed before a name or a project is given"


def test_the_unit_list_renders_only_the_chosen_building(browser, staff, project, unit):
    from estates.tests.factories import BuildingFactory

    BuildingFactory(project=project, name="不应列出的楼栋")
    page = browser(staff[Role.CUSTOMER_SERVICE]).get("/estates/units/", {"building": unit.building_id})

    assert page.status_code == 200 and unit.building.name in page.text
    assert "不应列出的楼栋" not in page.text
    assert [u.pk for u in page.context["object_list"]] == [unit.pk]


def test_projects_are_picked_by_name_city_or_code_among_the_users_own(browser, staff, project, company):
    mine = ProjectFactory(company=company, name="翡翠滨江", city="杭州", code="HZ-FC")
    staff[Role.CUSTOMER_SERVICE].projects.add(mine)
    ProjectFactory(company=company, name="翡翠公园", city="杭州", code="HZ-FP")  # not the user's project
    service, head = staff[Role.CUSTOMER_SERVICE], make_staff(Role.CR_HEAD)

    for text in ("翡翠", "杭州", "hz-f"):
        assert [m["id"] for m in pick(browser, service, "project", q=text)] == [mine.pk]
    assert len(pick(browser, head, "project", q="翡翠")) == 2, "a company-wide role finds every project"
    assert pick(browser, service, "project") == [], "nothing is listed before something is typed"


def test_a_list_offers_few_projects_in_a_drop_down_and_many_by_picker(browser, staff, project, company, settings):
    from core.widgets import FewOrPicker

    head = make_staff(Role.CR_HEAD)
    ProjectFactory.create_batch(FewOrPicker.few - 1, company=company)
    few = browser(head).get("/complaints/all/").text
    assert 'name="project"' in few and "/lookup/pick/project/" not in few
    assert few.count(f'<option value="{project.pk}"') == 1

    many = ProjectFactory(company=company, name="第三十一个项目")
    chosen = browser(head).get("/complaints/all/", {"project": project.pk})
    assert "/lookup/pick/project/" in chosen.text, "past a few dozen projects, the filter searches as you type"
    assert f'<option value="{project.pk}" selected' in chosen.text, "the chosen project stays chosen"
    assert many.name not in chosen.text, "and no other project is listed"
    assert [c.pk for c in chosen.context["object_list"]] == []
