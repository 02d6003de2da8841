"""Customer pages of the dashboard: the same rules as the API, as a person meets them."""

import io

import pytest
from openpyxl import load_workbook

from core.roles import Role
from core.testing import api_client, count_queries, make_staff
from members.models import Customer

from .factories import CustomerFactory


def test_the_list_shows_the_users_customers_with_masked_phones_for_operations(project, staff, browser):
    CustomerFactory(project=project, name="王女士", mobile="+8613812345678")

    page = browser(staff[Role.ENGINEERING]).get("/members/customers/")

    assert page.status_code == 200
    assert "王女士" in page.text and "138****5678" in page.text and "13812345678" not in page.text


def test_the_list_filters_with_the_api_parameters(project, staff, browser):
    CustomerFactory(project=project, name="李雷", source_channel="referral")
    CustomerFactory(project=project, name="韩梅梅", source_channel="walk_in")

    page = browser(staff[Role.SALES_MANAGER]).get("/members/customers/", {"source_channel": "referral"})

    assert "李雷" in page.text and "韩梅梅" not in page.text


@pytest.mark.rule("L10")
def test_a_consultant_cannot_open_a_colleagues_customer(project, staff, browser):
    theirs = CustomerFactory(project=project, consultant=make_staff(Role.CONSULTANT, projects=[project]))
    own = CustomerFactory(project=project, consultant=staff[Role.CONSULTANT])
    client = browser(staff[Role.CONSULTANT])

    assert client.get(f"/members/customers/{theirs.pk}/").status_code == 404
    assert client.get(f"/members/customers/{theirs.pk}/edit/").status_code == 404
    assert client.get(f"/members/customers/{own.pk}/").status_code == 200


def test_pages_need_a_sign_in(db, client):
    response = client.get("/members/customers/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_role_without_customer_access_is_refused(project, browser):
    nobody = make_staff(projects=[project])
    assert browser(nobody).get("/members/customers/").status_code == 403


def test_registering_through_the_form_and_seeing_the_timeline(project, staff, browser):
    client = browser(staff[Role.CONSULTANT])

    response = client.post(
        "/members/customers/new/",
        {
            "project": project.pk,
            "name": "赵先生",
            "mobile": "13712345678",
            "gender": "male",
            "source_channel": "walk_in",
            "consents_to_messages": "on",
            "consultant": staff[Role.CONSULTANT].pk,
        },
    )

    customer = Customer.objects.get(name="赵先生")
    assert response.status_code == 302 and response.url == f"/members/customers/{customer.pk}/"
    detail = client.get(response.url)
    assert "Registered as a customer" in detail.text or "登记为客户" in detail.text


def test_the_form_shows_the_duplicate_phone_error_and_saves_nothing(project, staff, browser):
    CustomerFactory(project=project, mobile="+8613712345678")

    response = browser(staff[Role.CONSULTANT]).post(
        "/members/customers/new/",
        {
            "project": project.pk,
            "name": "重复",
            "mobile": "13712345678",
            "gender": "male",
            "source_channel": "walk_in",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["mobile"]
    assert Customer.objects.count() == 1


@pytest.mark.parametrize("mobile", ["123", "02088886666", "138123456789"])
def test_a_wrong_mobile_number_gets_one_clear_message_in_every_form(project, staff, browser, mobile):
    form = {"project": project.pk, "name": "新客户", "mobile": mobile, "gender": "male", "source_channel": "walk_in"}

    customer = browser(staff[Role.CONSULTANT]).post("/members/customers/new/", form, HTTP_ACCEPT_LANGUAGE="zh-hans")
    visit = api_client(staff[Role.CONSULTANT]).post(
        "/api/v1/visits/", {"project": project.pk, "mobile": mobile, "name": "新客户"}, format="json"
    )

    assert customer.context["form"].errors["mobile"] == ["请输入有效的手机号码，例如 13812345678。"]
    assert visit.status_code == 400 and len(visit.json()["mobile"]) == 1
    assert not Customer.objects.exists()


def test_a_read_only_role_cannot_open_the_form(project, staff, browser):
    assert browser(staff[Role.AREA_MANAGER]).get("/members/customers/new/").status_code == 403


def test_the_list_page_query_count_does_not_grow_with_rows(project, staff, browser):
    client = browser(staff[Role.SALES_MANAGER])
    CustomerFactory(project=project)
    few = count_queries(lambda: client.get("/members/customers/"))
    CustomerFactory.create_batch(10, project=project, consultant=staff[Role.CONSULTANT])
    assert count_queries(lambda: client.get("/members/customers/")) == few


@pytest.mark.rule("R3")
def test_the_filtered_list_exports_to_excel(project, staff, browser):
    CustomerFactory(project=project, name="李雷", source_channel="referral", mobile="+8613811112222")
    CustomerFactory(project=project, name="韩梅梅", source_channel="walk_in")

    response = browser(staff[Role.SALES_MANAGER]).get(
        "/members/customers/", {"source_channel": "referral", "format": "xlsx"}
    )

    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == "李雷" and rows[1][1] == "13811112222"


def test_an_export_says_who_made_it_when_and_with_which_filters_in_the_users_language(project, staff, browser):
    CustomerFactory(project=project, name="李雷", source_channel="referral")
    manager = staff[Role.SALES_MANAGER]

    filtered = browser(manager).get(
        "/members/customers/",
        {"source_channel": "referral", "project": project.pk, "registered_after": "2026-01-01", "format": "xlsx"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    book = load_workbook(io.BytesIO(b"".join(filtered.streaming_content)))
    assert book.sheetnames[-1] == "导出条件"
    conditions = dict(list(book.worksheets[-1].iter_rows(values_only=True))[1:])
    assert conditions["导出人"] == str(manager) and conditions["导出时间"]
    assert conditions["来源渠道"] == "老带新" and conditions["项目"] == project.name
    assert conditions["登记起始日期"] == "2026-01-01"

    everything = browser(manager).get("/members/customers/", {"format": "xlsx"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    book = load_workbook(io.BytesIO(b"".join(everything.streaming_content)))
    conditions = dict(list(book.worksheets[-1].iter_rows(values_only=True))[1:])
    assert conditions.get("筛选条件") == "无：您可查看的全部记录", conditions
