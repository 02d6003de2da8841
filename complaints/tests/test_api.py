"""The complaints API: resources, workflow actions (409 for illegal moves), duplicates and reports."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from core.roles import Role
from core.testing import ResourceContract, api_client, make_staff
from estates.tests.factories import BuildingFactory, UnitFactory
from members.tests.factories import CustomerFactory

from .. import services
from ..choices import ComplaintState, Satisfaction, VisitMethod
from ..models import Complaint, ComplaintEvent, DeliveryReminder, RepairOrder
from .conftest import START

URL = "/api/v1/complaints/"


def _complaint(project, actor=None, **fields):
    actor = actor or make_staff(Role.CUSTOMER_SERVICE, projects=[project])
    unit = UnitFactory(building=BuildingFactory(project=project))
    return services.receive_complaint(
        actor=actor, project=project, unit=unit, channel="hotline", title="漏水", content="厨房漏水", **fields
    )


class TestComplaints(ResourceContract):
    url = URL
    reader = writer = Role.CUSTOMER_SERVICE

    def make(self, project):
        return _complaint(project)

    def create_data(self, project):
        unit = UnitFactory(building=BuildingFactory(project=project))
        return {
            "project": project.pk,
            "unit": unit.pk,
            "customer": CustomerFactory(project=project).pk,
            "channel": "hotline",
            "category": "quality",
            "title": "厨房漏水",
            "content": "天花板渗水",
            "demand": "维修",
            "people_count": 1,
        }


class TestRepairOrders(ResourceContract):
    url = "/api/v1/repair-orders/"
    reader = writer = Role.CUSTOMER_SERVICE
    refused = Role.CONSULTANT

    def make(self, project):
        return services.report_repair(
            actor=None, unit=UnitFactory(building=BuildingFactory(project=project)), description="地漏堵塞"
        )

    def create_data(self, project):
        return {"unit": UnitFactory(building=BuildingFactory(project=project)).pk, "description": "门锁损坏"}


class TestReturnVisits(ResourceContract):
    url = "/api/v1/return-visits/"
    reader, writer = Role.ENGINEERING, Role.CUSTOMER_SERVICE

    def make(self, project):
        receiver = make_staff(Role.CUSTOMER_SERVICE, projects=[project])
        return services.record_complaint_visit(
            complaint=self._verified(project, actor=receiver), actor=receiver, method="phone", satisfaction="satisfied"
        )

    def create_data(self, project):
        """The writer (customer service) visits a minor complaint they received themselves (rule C9)."""
        from core.models import User

        receiver = User.objects.get(username=self.writer.value)
        return {
            "complaint": self._verified(project, actor=receiver).pk,
            "method": "phone",
            "satisfaction": "satisfied",
            "service_quality": 5,
            "attitude": 5,
            "fee_checked": True,
            "suggestions": "无",
        }

    def _verified(self, project, **fields):
        from core.models import Department

        complaint = _complaint(project, **fields)
        boss = make_staff(Role.CR_HEAD)
        department, _ = Department.objects.get_or_create(code="eng", defaults={"name": "工程"})
        services.analyse_complaint(complaint=complaint, actor=boss, validity="valid")
        services.dispatch_complaint(
            complaint=complaint,
            actor=boss,
            department=department,
            instruction="处理",
            deadline=timezone.now() + datetime.timedelta(days=2),
        )
        services.record_plan(complaint=complaint, actor=boss, plan="上门")
        services.start_handling(complaint=complaint, actor=boss)
        services.resolve_complaint(complaint=complaint, actor=boss, resolution="修好")
        return services.verify_complaint(complaint=complaint, actor=boss)


class TestDefects(ResourceContract):
    url = "/api/v1/defects/"
    reader = writer = Role.ENGINEERING
    refused = Role.CONSULTANT

    def make(self, project):
        return services.raise_defect(
            actor=None, project=project, category="design", source="house_check", title="窗台过低"
        )

    def create_data(self, project):
        return {"project": project.pk, "category": "construction", "source": "house_check", "title": "墙面开裂"}


class TestCases(ResourceContract):
    url = "/api/v1/cases/"
    reader, writer = Role.CONSULTANT, Role.CUSTOMER_SERVICE
    project_scoped = False  # (the library is the company's: its cases are told without project or customer)

    def make(self, project):
        return services.add_case(
            actor=None, title="厨房渗水", category="quality", situation="渗水", handling="返修", lesson="旁站"
        )

    def create_data(self, project):
        return {"title": "外墙空鼓", "category": "quality", "situation": "空鼓", "handling": "返修", "lesson": "验收"}


@pytest.mark.rule("C11")
def test_a_case_written_from_a_complaint_takes_its_category_once_and_the_library_finds_it_by_word_or_category(
    project, other_project, staff
):
    service = staff[Role.CUSTOMER_SERVICE]
    complaint = _complaint(project, actor=service, category="quality")
    client = api_client(service)
    story = {"title": "厨房渗水", "situation": "天花板渗水", "handling": "重做防水层", "lesson": "防水施工要旁站"}

    written = client.post("/api/v1/cases/", {**story, "complaint": complaint.pk}, format="json")
    assert written.status_code == 201, written.json()
    assert (written.json()["category"], written.json()["complaint"]) == ("quality", complaint.pk)
    again = client.post("/api/v1/cases/", {**story, "complaint": complaint.pk}, format="json")
    assert again.status_code == 400 and "complaint" in again.json()
    elsewhere = _complaint(other_project)
    refused = client.post("/api/v1/cases/", {**story, "complaint": elsewhere.pk}, format="json")
    assert refused.status_code == 404  # a complaint the writer may not see is not told as a case
    client.post(
        "/api/v1/cases/",
        {"title": "物业费争议", "category": "service", "situation": "收费", "handling": "解释", "lesson": "公示"},
        format="json",
    )

    reader = api_client(staff[Role.CONSULTANT])

    def titles(**query):
        answer = reader.get("/api/v1/cases/", query)
        assert answer.status_code == 200
        return [row["title"] for row in answer.json()["results"]]

    assert titles() == ["物业费争议", "厨房渗水"]  # latest first
    assert titles(q="旁站") == ["厨房渗水"]  # a word of its lesson
    assert titles(category="service") == ["物业费争议"]
    assert reader.get("/api/v1/cases/", {"category": "no-such"}).status_code == 400


class TestDeliveryObjections(ResourceContract):
    url = "/api/v1/delivery-objections/"
    reader, writer = Role.SALES_MANAGER, Role.CUSTOMER_SERVICE
    refused = Role.CONSULTANT

    def make(self, project):
        return services.record_objection(
            actor=None,
            unit=UnitFactory(building=BuildingFactory(project=project)),
            customer=CustomerFactory(project=project),
            reason="外墙渗水",
        )

    def create_data(self, project):
        return {
            "unit": UnitFactory(building=BuildingFactory(project=project)).pk,
            "customer": CustomerFactory(project=project).pk,
            "reason": "地面不平",
        }


@pytest.mark.rule("C1")
def test_an_open_complaint_of_the_same_customer_and_unit_is_shown_before_saving(project, staff):
    data = TestComplaints().create_data(project)
    client = api_client(staff[Role.CUSTOMER_SERVICE])
    first = client.post(URL, data, format="json")
    assert first.status_code == 201

    asked = client.get(f"{URL}duplicates/", {"customer": data["customer"], "unit": data["unit"]})
    assert [row["id"] for row in asked.json()["results"]] == [first.json()["id"]]
    refused = client.post(URL, data, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "possible_duplicates"
    assert f"#{first.json()['id']}" in refused.json()["confirm_duplicates"][0]
    assert Complaint.objects.count() == 1

    confirmed = client.post(URL, {**data, "confirm_duplicates": True}, format="json")
    assert confirmed.status_code == 201 and Complaint.objects.count() == 2


def test_engineering_cannot_take_in_complaints(project, staff):
    response = api_client(staff[Role.ENGINEERING]).post(URL, TestComplaints().create_data(project), format="json")
    assert response.status_code == 403


@pytest.mark.rule("C3")
def test_a_group_complaint_through_the_api_is_a_crisis(project, staff):
    data = {**TestComplaints().create_data(project), "people_count": 25}
    response = api_client(staff[Role.CALL_CENTER]).post(URL, data, format="json")
    assert response.status_code == 201 and response.json()["severity"] == "crisis"


@pytest.mark.rule("C4")
def test_a_phone_complaint_is_followed_from_intake_to_archive_through_the_api(project, staff, department):
    cs, eng, area = (api_client(staff[role]) for role in (Role.CUSTOMER_SERVICE, Role.ENGINEERING, Role.AREA_MANAGER))
    with time_machine.travel(START, tick=False):
        created = cs.post(URL, TestComplaints().create_data(project), format="json").json()
        base = f"{URL}{created['id']}/"
        steps = [
            (cs, "analyse/", {"validity": "valid"}),
            (cs, "respond/", {"note": "已致电客户，明日上门"}),
            (
                cs,
                "dispatch/",
                {
                    "department": department.pk,
                    "deadline": (START + datetime.timedelta(days=2)).isoformat(),
                    "instruction": "请工程部48小时内处理",
                    "handler": staff[Role.ENGINEERING].pk,
                },
            ),
            (eng, "record-plan/", {"plan": "明早上门检查防水"}),
            (eng, "start/", {}),
            (eng, "resolve/", {"resolution": "已重做防水"}),
            (cs, "verify/", {"note": "现场确认"}),
            (
                cs,
                "return-visit/",
                {
                    "method": "phone",
                    "satisfaction": "satisfied",
                    "service_quality": 5,
                    "attitude": 5,
                    "fee_checked": True,
                },
            ),
            (cs, "close/", {"summary": "客户满意"}),
            (cs, "archive/", {}),
        ]
        for client, path, body in steps:
            response = client.post(base + path, body, format="json")
            assert response.status_code == 200, (path, response.json())

    detail = cs.get(base).json()
    assert detail["state"] == ComplaintState.ARCHIVED
    assert {clock["kind"]: clock["status"] for clock in detail["clocks"]}["response"] == "met"
    assert [event["to_state"] for event in detail["events"] if event["kind"] == "transition"][-1] == "archived"


@pytest.mark.rule("C4")
def test_an_illegal_transition_answers_409_and_changes_nothing(project, staff):
    complaint = _complaint(project)
    events = ComplaintEvent.objects.count()

    response = api_client(staff[Role.CUSTOMER_SERVICE]).post(
        f"{URL}{complaint.pk}/close/", {"summary": "已处理"}, format="json"
    )

    assert response.status_code == 409 and response.json()["code"] == "transition_not_allowed"
    assert response.json()["allowed_actions"] == ["analyse", "classify", "respond"]
    assert Complaint.objects.get(pk=complaint.pk).state == ComplaintState.RECEIVED
    assert ComplaintEvent.objects.count() == events


@pytest.mark.rule("C4")
def test_a_role_not_allowed_to_make_a_move_gets_403(project, staff):
    complaint = _complaint(project)
    response = api_client(staff[Role.CONSULTANT]).post(
        f"{URL}{complaint.pk}/analyse/", {"validity": "valid"}, format="json"
    )
    assert response.status_code in (403, 404)
    response = api_client(staff[Role.SALES_MANAGER]).post(
        f"{URL}{complaint.pk}/analyse/", {"validity": "valid"}, format="json"
    )
    assert response.status_code == 403
    assert Complaint.objects.get(pk=complaint.pk).state == ComplaintState.RECEIVED


def test_bad_action_input_is_a_field_error(project, staff):
    complaint = _complaint(project)
    response = api_client(staff[Role.CUSTOMER_SERVICE]).post(
        f"{URL}{complaint.pk}/analyse/", {"validity": "x"}, format="json"
    )
    assert response.status_code == 400 and response.json()["validity"]


def test_a_consultant_sees_only_the_complaints_they_received(project, staff):
    mine = services.receive_complaint(
        actor=staff[Role.CONSULTANT], project=project, channel="walk_in", title="售楼处投诉", content="等待时间长"
    )
    _complaint(project)
    rows = api_client(staff[Role.CONSULTANT]).get(URL).json()["results"]
    assert [row["id"] for row in rows] == [mine.pk]


def test_a_department_sees_what_is_dispatched_to_it(project, staff, department):
    dispatched = _complaint(project)
    _complaint(project)
    boss = staff[Role.CR_HEAD]
    services.analyse_complaint(complaint=dispatched, actor=boss, validity="valid")
    services.dispatch_complaint(
        complaint=dispatched,
        actor=boss,
        department=department,
        instruction="处理",
        deadline=timezone.now() + datetime.timedelta(days=1),
    )

    engineering = api_client(staff[Role.ENGINEERING]).get(URL).json()["results"]
    property_staff = api_client(staff[Role.PROPERTY]).get(URL).json()["results"]

    assert [row["id"] for row in engineering] == [dispatched.pk]
    assert property_staff == []


def test_customer_mobile_is_not_in_the_complaint(project, staff):
    complaint = _complaint(project, customer=CustomerFactory(project=project, mobile="+8613912345678"))
    body = api_client(staff[Role.ENGINEERING]).get(f"{URL}{complaint.pk}/")
    assert "13912345678" not in body.content.decode()


@pytest.mark.rule("C13")
def test_a_repair_order_goes_through_its_workflow_on_the_api(project, staff):
    cs, eng = api_client(staff[Role.CUSTOMER_SERVICE]), api_client(staff[Role.ENGINEERING])
    order = cs.post("/api/v1/repair-orders/", TestRepairOrders().create_data(project), format="json").json()
    base = f"/api/v1/repair-orders/{order['id']}/"
    assert cs.post(base + "assign/", {"assignee": staff[Role.ENGINEERING].pk}, format="json").status_code == 200
    assert eng.post(base + "start/", {}, format="json").status_code == 200
    assert cs.post(base + "close/", {}, format="json").status_code == 409
    assert eng.post(base + "complete/", {"work_done": "更换门锁"}, format="json").status_code == 200
    visit = cs.post(
        "/api/v1/return-visits/",
        {"repair_order": order["id"], "method": "phone", "satisfaction": "satisfied"},
        format="json",
    )
    assert visit.status_code == 201
    assert cs.get(base).json()["state"] == "visited"


@pytest.mark.rule("C14")
def test_a_reminder_notice_is_refused_while_the_objection_is_open(project, staff):
    objection = TestDeliveryObjections().make(project)
    client = api_client(staff[Role.CUSTOMER_SERVICE])
    base = f"/api/v1/delivery-objections/{objection.pk}/"
    body = {"take_over_by": (timezone.localdate() + datetime.timedelta(days=15)).isoformat(), "text": "请收楼"}

    refused = client.post(base + "reminder/", body, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "objection_open"
    assert not DeliveryReminder.objects.exists()
    settled = client.post(base + "settle/", {"status": "rejected"}, format="json")
    assert settled.json()["status"] == "rejected"
    issued = client.post(base + "reminder/", body, format="json")
    assert issued.status_code == 201 and issued.json()["take_over_by"] == body["take_over_by"]
    notice = DeliveryReminder.objects.get()
    assert (notice.customer, notice.unit, notice.objection) == (objection.customer, objection.unit, objection)


@pytest.mark.rule("D4")
def test_earlier_lessons_for_a_project_through_the_api(project, other_project, staff, company):
    from estates.tests.factories import ProjectFactory

    services.raise_defect(actor=None, project=project, category="design", source="house_check", title="层高不足")
    newer = ProjectFactory(company=company, product_kind=project.product_kind)
    newer.staff.add(staff[Role.ENGINEERING])

    response = api_client(staff[Role.ENGINEERING]).get("/api/v1/defects/earlier-lessons/", {"project": newer.pk})

    assert [row["title"] for row in response.json()["results"]] == ["层高不足"]


@pytest.mark.rule("C12")
def test_the_monthly_report_is_json_and_excel(project, staff):
    with time_machine.travel(START, tick=False):
        _complaint(project)
    client = api_client(staff[Role.CR_HEAD])
    url = "/api/v1/reports/complaints-monthly/"

    report = client.get(url, {"year": 2026, "month": 3}).json()
    excel = client.get(url, {"year": 2026, "month": 3, "format": "xlsx"})

    assert report["total"]["count"] == 1 and report["by_project"][0]["label"] == project.name
    assert excel.status_code == 200 and excel["Content-Type"].startswith("application/vnd.openxmlformats")
    assert api_client(staff[Role.CONSULTANT]).get(url).status_code == 403
    assert client.get(url, {"month": 13}).status_code == 400


def test_the_monthly_report_adds_its_groupings_up_from_the_visits_and_complaints_themselves(
    project, other_project, staff
):
    """Two projects, three complaints, three return visits: each grouping's satisfaction is the mean of its own
    visits, the total the mean of all three (not of the projects' means), and the report asks the same number of
    statements however many projects, categories and channels it groups."""
    from core.testing import count_queries
    from estates.tests.factories import ProjectFactory

    from ..models import ReturnVisit

    client = api_client(staff[Role.CR_HEAD])
    url = "/api/v1/reports/complaints-monthly/"
    month = {"year": 2026, "month": 3}
    with time_machine.travel(START, tick=False):
        ours = [_complaint(project), _complaint(project)]
        theirs = _complaint(other_project, category="service")
        for complaint, satisfaction in zip(
            [*ours, theirs],
            [Satisfaction.VERY_SATISFIED, Satisfaction.NEUTRAL, Satisfaction.DISSATISFIED],
            strict=True,
        ):
            ReturnVisit.objects.create(
                complaint=complaint, project=complaint.project, method=VisitMethod.PHONE, satisfaction=satisfaction
            )
    few = count_queries(lambda: client.get(url, month))

    report = client.get(url, month).json()

    by_project = {row["label"]: row for row in report["by_project"]}
    assert by_project[project.name]["satisfaction"] == 80.0 and by_project[project.name]["return_visits"] == 2
    assert by_project[other_project.name]["satisfaction"] == 0.0 and by_project[other_project.name]["count"] == 1
    assert report["total"]["satisfaction"] == round((100 + 60 + 0) / 3, 1) and report["total"]["count"] == 3
    assert sum(row["count"] for row in report["by_category"]) == 3
    assert [row["count"] for row in report["by_channel"]] == [3]
    with time_machine.travel(START, tick=False):
        for extra in ProjectFactory.create_batch(3, company=project.company):
            _complaint(extra, category="design")
    assert count_queries(lambda: client.get(url, month)) == few


@pytest.mark.rule("D2")
def test_weekly_defect_statistics_endpoint(project, staff):
    services.raise_defect(actor=None, project=project, category="materials", source="house_check", title="x")
    response = api_client(staff[Role.ENGINEERING]).get("/api/v1/reports/defects-weekly/")
    assert response.json()["totals"]["materials"] == 1
    excel = api_client(staff[Role.ENGINEERING]).get("/api/v1/reports/defects-weekly/", {"format": "xlsx"})
    assert excel.status_code == 200


@pytest.mark.rule("D3")
def test_the_quality_handbook_exports_to_excel(project, staff, company):
    with time_machine.travel(START, tick=False):
        services.raise_defect(actor=None, project=project, category="design", source="house_check", title="x")
    client = api_client(staff[Role.CR_HEAD])
    params = {"company": company.pk, "year": 2026, "quarter": 1}
    assert client.get("/api/v1/reports/quality-handbook/", params).json()["defect_count"] == 1
    excel = client.get("/api/v1/reports/quality-handbook/", {**params, "format": "xlsx"})
    assert excel.status_code == 200 and excel["Content-Type"].startswith("application/vnd.openxmlformats")
    assert api_client(staff[Role.CONSULTANT]).get("/api/v1/reports/quality-handbook/").status_code == 403


@pytest.mark.rule("C9")
def test_a_major_complaint_visited_by_phone_is_a_field_error(project, staff):
    complaint = TestReturnVisits()._verified(project, severity="major")
    body = {"complaint": complaint.pk, "method": VisitMethod.PHONE, "satisfaction": Satisfaction.SATISFIED}

    response = api_client(staff[Role.AREA_MANAGER]).post("/api/v1/return-visits/", body, format="json")

    assert response.status_code == 400 and response.json()["method"]
    in_person = api_client(staff[Role.AREA_MANAGER]).post(
        "/api/v1/return-visits/", {**body, "method": VisitMethod.IN_PERSON}, format="json"
    )
    assert in_person.status_code == 201


def test_a_repair_order_shows_its_warranty_from_the_project_override(project, staff, unit, customer):
    from estates.models import WarrantyOverride
    from estates.tests.factories import ComponentTypeFactory
    from members.tests.factories import PurchaseFactory

    windows = ComponentTypeFactory(default_warranty_months=24)
    WarrantyOverride.objects.create(project=project, component_type=windows, warranty_months=60)
    PurchaseFactory(customer=customer, unit=unit, delivered_on=datetime.date(2022, 5, 1))
    client = api_client(staff[Role.CUSTOMER_SERVICE])

    created = client.post(
        "/api/v1/repair-orders/",
        {"unit": unit.pk, "component_type": windows.pk, "description": "窗户渗水"},
        format="json",
    ).json()
    detail = client.get(f"/api/v1/repair-orders/{created['id']}/").json()

    assert detail["in_warranty"] is True
    assert detail["warranty"]["months"] == 60 and detail["warranty"]["ends_on"] == "2027-05-01"


def test_a_repair_order_names_only_a_customer_and_complaint_of_its_own_project(project, staff, unit, customer, receive):
    from estates.tests.factories import ProjectFactory

    stranger = CustomerFactory(project=ProjectFactory())
    elsewhere = _complaint(ProjectFactory(company=project.company))
    client = api_client(staff[Role.CUSTOMER_SERVICE])
    url = "/api/v1/repair-orders/"

    foreign_customer = client.post(
        url, {"unit": unit.pk, "customer": stranger.pk, "description": "门锁"}, format="json"
    )
    other_complaint = client.post(
        url, {"unit": unit.pk, "complaint": elsewhere.pk, "description": "门锁"}, format="json"
    )
    own = client.post(
        url, {"unit": unit.pk, "customer": customer.pk, "complaint": receive().pk, "description": "门锁"}, format="json"
    )

    assert foreign_customer.status_code == 400 and foreign_customer.json()["customer"]
    assert other_complaint.status_code == 400 and other_complaint.json()["complaint"]
    assert own.status_code == 201 and own.json()["customer"] == customer.pk
    assert RepairOrder.objects.filter(unit=unit).count() == 1


@pytest.mark.rule("C4")
def test_a_complaint_is_not_closed_without_its_summary(receive, walk, staff, browser):
    complaint = walk(receive(), "visit")

    blank = api_client(staff[Role.CUSTOMER_SERVICE]).post(
        f"{URL}{complaint.pk}/close/", {"summary": "   "}, format="json"
    )
    page = browser(staff[Role.CUSTOMER_SERVICE]).post(
        f"/complaints/all/{complaint.pk}/act/close/", {"close-summary": " "}
    )

    assert blank.status_code == 400 and blank.json()["summary"]
    assert page.status_code == 200
    assert 'aria-describedby="id_close-summary_error"' in page.text and "投诉总结 *" in page.text
    assert Complaint.objects.get(pk=complaint.pk).state == ComplaintState.VISITED


def test_the_list_names_each_complaints_people_and_places_in_a_constant_number_of_queries(
    staff, receive, walk, department
):
    """The list reads only the names it shows of related records (core.labels.with_names_of): every name is
    there, and more complaints cost no more statements."""
    from core.testing import count_queries

    client = api_client(staff[Role.CUSTOMER_SERVICE])
    walk(receive(), "dispatch")
    few = count_queries(lambda: client.get(URL))
    for _ in range(3):
        walk(receive(), "dispatch")

    many = count_queries(lambda: client.get(URL))
    row = client.get(URL).json()["results"][0]
    complaint = Complaint.objects.get(pk=row["id"])

    assert many == few
    assert row["project_name"] == complaint.project.name and row["customer_name"] == complaint.customer.name
    assert row["unit_label"] == str(complaint.unit) and "-" in row["unit_label"]
    assert row["department_name"] == department.name and row["category"] == "quality"
    assert row["handler_name"] == str(staff[Role.ENGINEERING]) and row["received_by_name"] == str(
        staff[Role.CUSTOMER_SERVICE]
    )
    assert row["category_label"] == str(complaint.category)


def test_each_repair_order_on_the_list_shows_the_return_visit_clock_of_its_own_page(
    staff, project, django_assert_max_num_queries
):
    cs, eng = staff[Role.CUSTOMER_SERVICE], staff[Role.ENGINEERING]
    cs.display_name = "回访专员"
    cs.save(update_fields=["display_name"])

    def completed(description):
        order = services.report_repair(
            actor=cs, unit=UnitFactory(building=BuildingFactory(project=project)), description=description
        )
        services.assign_repair(order=order, actor=cs, assignee=eng)
        services.start_repair(order=order, actor=eng)
        return services.complete_repair(order=order, actor=eng, work_done="已修好")

    with time_machine.travel(START, tick=False):
        reported = services.report_repair(
            actor=cs, unit=UnitFactory(building=BuildingFactory(project=project)), description="门锁"
        )
        waiting = completed("水龙头")
        visited = completed("窗户")
    with time_machine.travel(START + 2 * datetime.timedelta(hours=1), tick=False):
        services.record_repair_visit(
            order=visited, actor=cs, method=VisitMethod.PHONE, satisfaction=Satisfaction.SATISFIED
        )

    client = api_client(cs)
    with django_assert_max_num_queries(6):  # the token, the page, its clocks, its visits; the savepoint
        rows = {row["id"]: row["return_visit_clock"] for row in client.get("/api/v1/repair-orders/").json()["results"]}
    own = {
        order.pk: client.get(f"/api/v1/repair-orders/{order.pk}/").json()["return_visit_clock"]
        for order in (reported, waiting, visited)
    }

    assert rows == own
    assert own[reported.pk] is None
    assert own[waiting.pk]["status"] == "running" and own[waiting.pk]["visited_by"] == ""
    assert own[visited.pk]["visited_by"] == "回访专员" and own[visited.pk]["stopped_at"] is not None
