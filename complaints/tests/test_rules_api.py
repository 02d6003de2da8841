"""Rules C1, C4, C8, C9, C12, C13 and D3 as the tablets and the call center meet them: through the REST API,
under a frozen clock where time matters."""

import datetime

import pytest
import time_machine

from core.roles import Role
from core.testing import api_client, make_staff

from .. import services, tasks
from ..choices import ClockStatus, ComplaintState, Severity
from ..models import Complaint, ComplaintCategory, Defect, Notification
from .conftest import START

H = datetime.timedelta(hours=1)
URL = "/api/v1/complaints/"


def _post(user, path, body=None):
    return api_client(user).post(path, body or {}, format="json")


@pytest.mark.rule("C4")
def test_a_return_visit_cannot_skip_verification(receive, walk, staff):
    complaint = walk(receive(), "resolve")

    response = _post(
        staff[Role.CUSTOMER_SERVICE],
        f"{URL}{complaint.pk}/return-visit/",
        {"method": "phone", "satisfaction": "satisfied"},
    )

    assert response.status_code == 409
    assert response.json()["state"] == ComplaintState.RESOLVED
    assert "verify" in response.json()["allowed_actions"]
    assert "return-visit" not in response.json()["allowed_actions"]
    assert Complaint.objects.get(pk=complaint.pk).state == ComplaintState.RESOLVED
    assert not complaint.return_visits.exists()


@pytest.mark.rule("C4")
def test_the_steps_are_taken_in_the_order_of_the_rule(receive, staff, department):
    """receive → analyse → dispatch → plan → handle → verify → visit → summarise → archive; each step
    offered only when the one before it is done."""
    cs, eng = staff[Role.CUSTOMER_SERVICE], staff[Role.ENGINEERING]
    complaint = receive()
    deadline = (START + 48 * H).isoformat()
    order = [
        (cs, "analyse", {"validity": "valid"}),
        (cs, "dispatch", {"department": department.pk, "deadline": deadline, "instruction": "请处理"}),
        (eng, "record-plan", {"plan": "上门"}),
        (eng, "start", {}),
        (eng, "resolve", {"resolution": "修好"}),
        (cs, "verify", {}),
        (cs, "return-visit", {"method": "phone", "satisfaction": "satisfied"}),
        (cs, "close", {"summary": "客户满意"}),
        (cs, "archive", {}),
    ]
    with time_machine.travel(START, tick=False):
        for index, (actor, name, body) in enumerate(order):
            for _later_actor, later, later_body in order[index + 1 :]:
                skipped = _post(cs, f"{URL}{complaint.pk}/{later}/", later_body)
                assert skipped.status_code in (403, 409), (name, later)
            assert _post(actor, f"{URL}{complaint.pk}/{name}/", body).status_code == 200, name

    states = [e.to_state for e in complaint.events.filter(kind="transition").order_by("at", "pk")]
    assert states == [
        "analysed",
        "dispatched",
        "planned",
        "in_progress",
        "resolved",
        "verified",
        "visited",
        "closed",
        "archived",
    ]


@pytest.mark.rule("C9")
def test_a_minor_complaint_is_visited_only_by_the_agent_who_received_it(receive, walk, staff):
    agent = staff[Role.CALL_CENTER]
    complaint = walk(receive(actor=agent), "verify")
    path = f"{URL}{complaint.pk}/return-visit/"

    refused = _post(staff[Role.CUSTOMER_SERVICE], path, {"method": "phone", "satisfaction": "satisfied"})
    assert refused.status_code == 403
    assert agent.username in refused.json()["detail"]
    in_person = _post(agent, path, {"method": "in_person", "satisfaction": "satisfied"})
    assert in_person.status_code == 400 and in_person.json()["method"]

    done = _post(agent, path, {"method": "wechat", "satisfaction": "satisfied", "service_quality": 4})

    assert done.status_code == 200 and done.json()["state"] == ComplaintState.VISITED
    visit = complaint.return_visits.get()
    assert (visit.visitor, visit.method, visit.service_quality) == (agent, "wechat", 4)


@pytest.mark.rule("C9")
def test_a_major_complaint_is_visited_in_person_by_the_area_manager_only(receive, walk, staff):
    complaint = walk(receive(severity=Severity.MAJOR), "verify")
    path = f"{URL}{complaint.pk}/return-visit/"

    assert (
        _post(staff[Role.CUSTOMER_SERVICE], path, {"method": "in_person", "satisfaction": "satisfied"}).status_code
        == 403
    )
    assert _post(staff[Role.AREA_MANAGER], path, {"method": "phone", "satisfaction": "satisfied"}).status_code == 400
    done = _post(staff[Role.AREA_MANAGER], path, {"method": "in_person", "satisfaction": "satisfied"})
    assert done.status_code == 200
    assert complaint.return_visits.get().visitor == staff[Role.AREA_MANAGER]


@pytest.mark.rule("C9")
def test_a_dissatisfied_customer_reopens_a_major_complaint_with_all_its_clocks_restarted(receive, walk, staff):
    with time_machine.travel(START, tick=False):
        complaint = walk(receive(severity=Severity.MAJOR), "verify")
    visit_at = START + 5 * H
    with time_machine.travel(visit_at, tick=False):
        response = _post(
            staff[Role.AREA_MANAGER],
            f"{URL}{complaint.pk}/return-visit/",
            {"method": "in_person", "satisfaction": "dissatisfied", "shortcomings": "仍渗水"},
        )

    body = response.json()
    assert response.status_code == 200 and body["state"] == ComplaintState.REOPENED and body["reopen_count"] == 1
    clocks = {clock["kind"]: clock for clock in body["clocks"]}
    config = services.settings_for(complaint.project.company)
    assert clocks["response"]["due_at"] == (visit_at + config.response_hours * H).isoformat()
    assert (
        clocks["report_head"]["due_at"]
        == (visit_at + datetime.timedelta(minutes=config.report_head_minutes)).isoformat()
    )
    assert clocks["solution"]["due_at"] == (visit_at + config.solution_hours * H).isoformat()
    assert clocks["auto_major"]["due_at"] == (visit_at + datetime.timedelta(days=config.auto_major_days)).isoformat()
    assert {clock["status"] for clock in clocks.values()} == {ClockStatus.RUNNING}
    assert {clock["cycle"] for clock in clocks.values()} == {1}
    reopened = [event for event in body["events"] if event["to_state"] == ComplaintState.REOPENED]
    assert reopened and reopened[0]["note"] and reopened[0]["data"] == {"cycle": 1}
    assert complaint.history.filter(state=ComplaintState.REOPENED).exists()


@pytest.mark.rule("C8")
def test_a_crisis_is_followed_in_the_api_until_closed(receive, staff, project, other_project):
    head, area = staff[Role.CR_HEAD], staff[Role.AREA_MANAGER]
    with time_machine.travel(START, tick=False):
        complaint = receive(people_count=25, title="业主集体投诉")
    crisis = complaint.crisis

    listed = api_client(head).get("/api/v1/crises/").json()["results"]
    assert [(row["id"], row["status"], row["complaint"]) for row in listed] == [(crisis.pk, "open", complaint.pk)]
    detail = api_client(area).get(f"/api/v1/crises/{crisis.pk}/").json()
    assert detail["available_actions"] == ["record-action", "close"]
    alert = detail["timeline"][0]
    assert alert["kind"] == "crisis" and head.username in alert["detail"] and area.username in alert["detail"]

    with time_machine.travel(START + H, tick=False):
        acted = _post(area, f"/api/v1/crises/{crisis.pk}/record-action/", {"description": "成立专项小组，现场沟通"})
    with time_machine.travel(START + 30 * H, tick=False):
        closed = _post(head, f"/api/v1/crises/{crisis.pk}/close/", {"conclusion": "业主认可整改方案"})

    assert acted.status_code == 200 and closed.status_code == 200
    body = closed.json()
    assert body["status"] == "closed" and body["conclusion"] == "业主认可整改方案"
    assert body["closed_at"] == (START + 30 * H).isoformat()
    assert [entry["detail"] for entry in body["timeline"]][1] == "成立专项小组，现场沟通"
    assert body["timeline"][-1]["actor"] == head.username
    late = _post(area, f"/api/v1/crises/{crisis.pk}/record-action/", {"description": "再次沟通"})
    assert late.status_code == 409 and crisis.actions.count() == 1
    assert (
        _post(staff[Role.CUSTOMER_SERVICE], f"/api/v1/crises/{crisis.pk}/close/", {"conclusion": "x"}).status_code
        == 403
    )
    assert api_client(staff[Role.CONSULTANT]).get("/api/v1/crises/").status_code == 403
    outsider = make_staff(Role.AREA_MANAGER, projects=[other_project])
    assert api_client(outsider).get(f"/api/v1/crises/{crisis.pk}/").status_code == 404


@pytest.mark.rule("C8")
def test_the_crisis_list_in_the_api_is_filtered_like_the_dashboards_with_the_actions_counted(receive, staff):
    head, area = staff[Role.CR_HEAD], staff[Role.AREA_MANAGER]
    with time_machine.travel(START, tick=False):
        settled = receive(people_count=25, title="业主集体投诉")
        _post(area, f"/api/v1/crises/{settled.crisis.pk}/record-action/", {"description": "现场沟通"})
        _post(head, f"/api/v1/crises/{settled.crisis.pk}/close/", {"conclusion": "业主认可整改方案"})
    with time_machine.travel(START + 72 * H, tick=False):
        running = receive(people_count=30, title="业主聚集")
    client = api_client(head)

    def listed(query=""):
        response = client.get(f"/api/v1/crises/{query}")
        assert response.status_code == 200
        return [(row["complaint_title"], row["status"], row["action_count"]) for row in response.json()["results"]]

    assert listed() == [("业主聚集", "open", 0), ("业主集体投诉", "closed", 1)]
    assert listed("?status=closed") == [("业主集体投诉", "closed", 1)]
    assert listed(f"?opened_after={(START + 24 * H).date().isoformat()}") == [("业主聚集", "open", 0)]
    assert listed(f"?project={running.project_id}&ordering=opened_at") == [
        ("业主集体投诉", "closed", 1),
        ("业主聚集", "open", 0),
    ]
    refused = client.get("/api/v1/crises/?status=abandoned")
    assert refused.status_code == 400 and "status" in refused.json()


@pytest.mark.rule("C13")
def test_a_completed_repair_order_carries_its_return_visit_clock_in_the_api(staff, project, unit):
    cs, eng = staff[Role.CUSTOMER_SERVICE], staff[Role.ENGINEERING]
    with time_machine.travel(START, tick=False):
        order = services.report_repair(actor=cs, unit=unit, description="门锁损坏")
        services.assign_repair(order=order, actor=cs, assignee=eng)
        services.start_repair(order=order, actor=eng)
        done = _post(eng, f"/api/v1/repair-orders/{order.pk}/complete/", {"work_done": "更换锁芯"}).json()

    assert done["return_visit_clock"] == {
        "due_at": (START + 24 * H).isoformat(),
        "status": "running",
        "stopped_at": None,
        "breached_at": None,
        "visited_by": "",
    }
    queue = api_client(cs).get("/api/v1/return-visits/due/").json()["results"]
    assert [(row["subject"], row["subject_id"]) for row in queue] == [("repair_order", order.pk)]
    listed = api_client(cs).get("/api/v1/repair-orders/").json()["results"][0]
    assert listed["return_visit_clock"]["due_at"] == (START + 24 * H).isoformat()

    with time_machine.travel(START + 25 * H, tick=False):
        tasks.check_clocks()
    late = api_client(cs).get(f"/api/v1/repair-orders/{order.pk}/").json()["return_visit_clock"]
    assert late["status"] == "breached" and late["breached_at"] == (START + 25 * H).isoformat()
    assert Notification.objects.filter(repair_order=order, recipient=eng).exists()

    with time_machine.travel(START + 26 * H, tick=False):
        _post(cs, f"/api/v1/repair-orders/{order.pk}/return-visit/", {"method": "phone", "satisfaction": "satisfied"})
    visited = api_client(cs).get(f"/api/v1/repair-orders/{order.pk}/").json()
    assert visited["state"] == "visited"
    assert visited["return_visit_clock"]["visited_by"] == cs.username
    assert visited["return_visit_clock"]["stopped_at"] == (START + 26 * H).isoformat()
    assert api_client(cs).get("/api/v1/return-visits/due/").json()["results"] == []


@pytest.mark.rule("C9")
def test_the_return_visit_queue_lists_resolved_complaints_soonest_due_first(receive, walk, staff):
    with time_machine.travel(START, tick=False):
        first = walk(receive(), "resolve")
    with time_machine.travel(START + 2 * H, tick=False):
        second = walk(receive(), "resolve")

    rows = api_client(staff[Role.CUSTOMER_SERVICE]).get("/api/v1/return-visits/due/").json()["results"]

    assert [(row["subject_id"], row["due_at"]) for row in rows] == [
        (first.pk, (START + 24 * H).isoformat()),
        (second.pk, (START + 26 * H).isoformat()),
    ]
    assert api_client(staff[Role.CONSULTANT]).get("/api/v1/return-visits/due/").json()["results"] == []


@pytest.mark.rule("C1")
def test_the_duplicate_warning_names_only_complaints_the_caller_may_see(receive, staff, project, customer, unit):
    hidden = receive()  # received by customer service: a consultant may not see it
    body = {
        "project": project.pk,
        "customer": customer.pk,
        "unit": unit.pk,
        "channel": "walk_in",
        "title": "售楼处再次反映",
        "content": "渗水仍未处理",
    }

    by_consultant = _post(staff[Role.CONSULTANT], URL, body)
    assert by_consultant.status_code == 201
    by_service = _post(staff[Role.CUSTOMER_SERVICE], URL, body)
    assert by_service.status_code == 400 and by_service.json()["code"] == "possible_duplicates"
    assert by_service.json()["duplicates"] == [by_consultant.json()["id"], hidden.pk]


@pytest.mark.rule("C1")
def test_intake_in_the_admin_warns_of_open_duplicates_first(client, receive, staff, project, customer, unit):
    existing = receive()
    client.force_login(staff[Role.CR_HEAD])
    form = {
        "project": project.pk,
        "unit": unit.pk,
        "customer": customer.pk,
        "channel": "letter",
        "category": ComplaintCategory.objects.get(code="quality").pk,
        "title": "来信",
        "content": "渗水",
        "people_count": 1,
        "severity": "minor",
        "clocks-TOTAL_FORMS": 0,
        "clocks-INITIAL_FORMS": 0,
        "events-TOTAL_FORMS": 0,
        "events-INITIAL_FORMS": 0,
    }

    warned = client.post("/admin/complaints/complaint/add/", form)
    assert warned.status_code == 200 and f"#{existing.pk}" in warned.text
    assert Complaint.objects.count() == 1
    saved = client.post("/admin/complaints/complaint/add/", {**form, "confirm_duplicates": "on"})
    assert saved.status_code == 302 and Complaint.objects.count() == 2


@pytest.mark.rule("C12")
def test_a_category_added_in_the_admin_is_taken_in_and_maps_its_defects(staff, project, unit):
    ComplaintCategory.objects.create(code="parking", name="车位", name_en="Parking", defect_category="design")
    response = _post(
        staff[Role.CUSTOMER_SERVICE],
        URL,
        {
            "project": project.pk,
            "unit": unit.pk,
            "channel": "hotline",
            "category": "parking",
            "title": "车位太窄",
            "content": "车位宽度不足",
        },
    )
    assert response.status_code == 201 and response.json()["category_label"] == "车位"

    defect = _post(
        staff[Role.CUSTOMER_SERVICE],
        "/api/v1/defects/",
        {"project": project.pk, "source": "complaint", "complaint": response.json()["id"], "title": "车位尺寸"},
    )

    assert defect.status_code == 201 and Defect.objects.get().category == "design"
    unknown = _post(staff[Role.CUSTOMER_SERVICE], URL, {**response.json(), "category": "nope"})
    assert unknown.status_code == 400 and unknown.json()["category"]


@pytest.mark.rule("D3")
def test_the_quality_handbook_is_only_of_the_readers_own_companies(staff, project):
    from estates.tests.factories import CompanyFactory, ProjectFactory

    elsewhere = ProjectFactory(company=CompanyFactory())
    engineer = staff[Role.ENGINEERING]
    url = "/api/v1/reports/quality-handbook/"

    own = api_client(engineer).get(url, {"company": project.company_id, "year": 2026, "quarter": 1})
    other = api_client(engineer).get(url, {"company": elsewhere.company_id, "year": 2026, "quarter": 1})

    assert own.status_code == 200 and own.json()["company"] == project.company.name
    assert other.status_code == 400 and other.json()["code"] == "unknown_company"


@pytest.mark.rule("C7")
def test_the_auto_major_audit_text_uses_the_configured_days(receive, project):
    config = services.settings_for(project.company)
    config.auto_major_days = 7
    config.save()
    with time_machine.travel(START, tick=False):
        complaint = receive()
    with time_machine.travel(START + datetime.timedelta(days=7, minutes=1), tick=False):
        tasks.check_clocks()

    complaint.refresh_from_db()
    assert complaint.severity == Severity.MAJOR and "7" in complaint.severity_reason
