"""The API of the catalogue, plans, care tasks, open days, meetings and the scorecard report."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from core.roles import Role
from core.testing import api_client, count_queries, make_staff
from members.tests.factories import CustomerFactory
from touchpoints import services
from touchpoints.choices import Duty, TaskStatus
from touchpoints.models import Action, CareSettings, CareTask, ProjectAction, SiteOpenDay
from touchpoints.schedule import run_daily_scan

D = datetime.date


@pytest.fixture
def visits(project, other_project, buy, frozen):
    """Move-in visits due on 2026-03-10 in both projects."""
    for where in (project, project, other_project):
        buy(project=where, delivered_on=D(2026, 3, 1), moved_in_on=D(2026, 3, 5))
    with frozen(D(2026, 3, 10)):
        run_daily_scan()
    return CareTask.objects.filter(duty=Duty.MOVE_IN_VISIT)


@pytest.mark.rule("J1", "J2")
def test_steps_come_in_order_with_their_actions(db, staff):
    response = api_client(staff[Role.CONSULTANT]).get("/api/v1/steps/")

    assert response.status_code == 200
    steps = response.json()
    assert [step["name"] for step in steps][:2] == ["温馨牵手", "喜结连理"] and len(steps) == 8
    assert "三天无理由退订" in [action["name"] for action in steps[0]["actions"]]
    kinds = api_client(staff[Role.CONSULTANT]).get("/api/v1/actions/", {"kind": "optional"}).json()
    assert kinds["count"] == Action.objects.filter(kind="optional").count()


def test_customer_service_lists_the_due_tasks_of_its_projects_only(project, staff, visits, frozen):
    client = api_client(staff[Role.CUSTOMER_SERVICE])
    with frozen(D(2026, 3, 10)):
        listed = client.get("/api/v1/care-tasks/", {"queue": "due", "duty": Duty.MOVE_IN_VISIT})

    assert listed.status_code == 200
    assert {row["project"] for row in listed.json()["results"]} == {project.pk}
    assert listed.json()["count"] == 2
    elsewhere = visits.exclude(project=project).get()
    assert client.get(f"/api/v1/care-tasks/{elsewhere.pk}/").status_code == 404


def test_a_role_without_care_access_is_refused(project, visits):
    nobody = make_staff(projects=[project])
    assert api_client(nobody).get("/api/v1/care-tasks/").status_code == 403


def test_the_task_list_runs_a_constant_number_of_queries(project, staff, buy, frozen):
    client = api_client(staff[Role.CUSTOMER_SERVICE])
    buy(delivered_on=D(2026, 3, 1), moved_in_on=D(2026, 3, 5))
    with frozen(D(2026, 3, 10)):
        run_daily_scan()
    few = count_queries(lambda: client.get("/api/v1/care-tasks/"))
    for _ in range(6):
        buy(delivered_on=D(2026, 3, 1), moved_in_on=D(2026, 3, 5))
    with frozen(D(2026, 3, 10)):
        run_daily_scan()
    many = count_queries(lambda: client.get("/api/v1/care-tasks/"))
    assert many == few


@pytest.mark.rule("J14")
def test_completing_a_task_through_the_api(project, staff, visits):
    task = visits.filter(project=project).first()
    url = f"/api/v1/care-tasks/{task.pk}/complete/"

    assert api_client(staff[Role.CUSTOMER_SERVICE]).post(url, {"outcome": ""}, format="json").status_code == 400
    assert api_client(staff[Role.ENGINEERING]).post(url, {"outcome": "x"}, format="json").status_code == 403
    done = api_client(staff[Role.CUSTOMER_SERVICE]).post(url, {"outcome": "上门贺喜"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == TaskStatus.DONE
    again = api_client(staff[Role.CUSTOMER_SERVICE]).post(url, {"outcome": "again"}, format="json")
    assert again.status_code == 409
    task.refresh_from_db()
    assert task.outcome == "上门贺喜"


@pytest.mark.rule("J17")
def test_the_house_check_is_completed_with_its_checklist_through_the_api(project, staff, buy, frozen):
    buy(delivered_on=D(2025, 3, 1), moved_in_on=D(2025, 3, 15))
    with frozen(D(2026, 3, 15)):
        run_daily_scan()
    task = CareTask.objects.get(duty=Duty.ONE_YEAR_CHECK)
    client = api_client(staff[Role.ENGINEERING])
    checklist = {"hardware": "ok", "electrical": "ok", "security": "issue", "appliances": "ok", "railings": "ok"}

    response = client.post(
        f"/api/v1/care-tasks/{task.pk}/complete/",
        {"checklist": checklist, "issues": [{"check_item": "security", "description": "门禁对讲失灵"}]},
        format="json",
    )

    assert response.status_code == 200, response.json()
    issue = task.issues.get()
    closed = client.post(f"/api/v1/care-issues/{issue.pk}/close/", {"resolution": "更换对讲主机"}, format="json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


def test_a_consultant_sees_only_the_calls_given_to_them(project, staff, buy, frozen):
    mine = buy(signed_on=D(2026, 3, 1))
    mine.consultant = staff[Role.CONSULTANT]
    mine.save()
    theirs = buy(signed_on=D(2026, 3, 1))
    theirs.consultant = make_staff(Role.CONSULTANT, projects=[project])
    theirs.save()
    with frozen(D(2026, 3, 2)):
        run_daily_scan()

    rows = api_client(staff[Role.CONSULTANT]).get("/api/v1/care-tasks/").json()["results"]

    assert [(row["duty"], row["purchase"]) for row in rows] == [(Duty.SIGNING_FOLLOW_UP_CALL, mine.pk)]


@pytest.mark.rule("J3")
def test_a_standard_action_cannot_be_opted_out_through_the_api(project, staff):
    services.ensure_plan(project=project, actor=None)
    standard = ProjectAction.objects.get(project=project, action__code="mystery_shopper")
    optional = ProjectAction.objects.get(project=project, action__code="viewing_service_card")
    client = api_client(staff[Role.CUSTOMER_SERVICE])

    assert (
        client.patch(f"/api/v1/planned-actions/{standard.pk}/", {"is_active": False}, format="json").status_code == 400
    )
    opted = client.patch(
        f"/api/v1/planned-actions/{optional.pk}/", {"is_active": True, "due_on": "2026-04-01"}, format="json"
    )
    assert opted.status_code == 200 and opted.json()["is_active"] is True
    assert api_client(staff[Role.CONSULTANT]).get("/api/v1/planned-actions/").status_code == 403


@pytest.mark.rule("J3")
def test_an_execution_is_recorded_with_evidence_files(project, other_project, staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    services.ensure_plan(project=project, actor=None)
    services.ensure_plan(project=other_project, actor=None)
    planned = ProjectAction.objects.get(project=project, action__code="sunshine_declaration")
    client = api_client(staff[Role.CUSTOMER_SERVICE])

    response = client.post(
        "/api/v1/executions/",
        {
            "planned_action": planned.pk,
            "executed_on": "2026-01-05",
            "notes": "宣言已展示",
            "evidence": SimpleUploadedFile("a.jpg", b"img"),
            "files": [SimpleUploadedFile("b.jpg", b"img")],
        },
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["executed_by"] == staff[Role.CUSTOMER_SERVICE].pk and len(response.json()["file_urls"]) == 1
    elsewhere = ProjectAction.objects.get(project=other_project, action__code="sunshine_declaration")
    refused = client.post("/api/v1/executions/", {"planned_action": elsewhere.pk, "executed_on": "2026-01-05"})
    assert refused.status_code == 400  # another project's plan is not even visible
    assert api_client(staff[Role.ENGINEERING]).post("/api/v1/executions/", {}).status_code == 403


@pytest.mark.rule("J3", "J8")
def test_the_scorecard_report_in_json_and_excel(project, other_project, staff, buy, frozen):
    buy(signed_on=D(2026, 3, 1))
    with frozen(D(2026, 3, 2)):
        run_daily_scan()
        services.complete_task(
            task=CareTask.objects.get(duty=Duty.SIGNING_SURVEY_CALL), actor=staff[Role.CALL_CENTER], outcome="满意"
        )
    client = api_client(staff[Role.CUSTOMER_SERVICE])

    with frozen(D(2026, 3, 20)):
        report = client.get("/api/v1/reports/scorecard/", {"project": project.pk})
        excel = client.get("/api/v1/reports/scorecard/", {"project": project.pk, "format": "xlsx"})

    assert report.status_code == 200
    body = report.json()
    second = body["steps"][1]
    assert (second["name"], second["due"], second["on_time"], second["share"]) == ("喜结连理", 1, 1, 1.0)
    assert body["return_visit_coverage"]["signing_coverage"] == 1.0
    workbook = load_workbook(io.BytesIO(b"".join(excel.streaming_content)))
    assert workbook.worksheets[0]["B3"].value == "喜结连理"
    assert client.get("/api/v1/reports/scorecard/", {"project": other_project.pk}).status_code == 404
    assert client.get("/api/v1/reports/scorecard/").status_code == 400
    assert (
        api_client(staff[Role.CONSULTANT]).get("/api/v1/reports/scorecard/", {"project": project.pk}).status_code == 403
    )


@pytest.mark.rule("J10")
def test_open_days_are_evaluated_and_cancelled_through_the_api(project, staff):
    client = api_client(staff[Role.CUSTOMER_SERVICE])
    created = client.post(
        "/api/v1/open-days/", {"project": project.pk, "sequence": 1, "planned_on": "2026-05-20"}, format="json"
    )
    assert created.status_code == 201
    url = f"/api/v1/open-days/{created.json()['id']}/"

    evaluated = client.post(
        f"{url}evaluate/", {"on_schedule": True, "site_tidy": True, "no_structural_defects": False}, format="json"
    )
    assert evaluated.status_code == 200
    assert evaluated.json()["failed_gates"] == [gettext("no obvious structural defects")]
    assert api_client(staff[Role.CONSULTANT]).post(f"{url}cancel/", {"reason": "x"}).status_code == 403
    cancelled = client.post(f"{url}cancel/", {"reason": "主体质量缺陷"}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["reported_to_headquarters_at"]
    assert client.post(f"{url}evaluate/", {}, format="json").status_code == 409
    assert SiteOpenDay.objects.get().status == "cancelled"


@pytest.mark.rule("J21")
def test_a_forum_is_recorded_with_feedback_through_the_api(project, other_project, staff):
    owner = CustomerFactory(project=project)
    client = api_client(staff[Role.PROPERTY])

    created = client.post(
        "/api/v1/meetings/",
        {
            "project": project.pk,
            "kind": "owners_forum",
            "held_on": "2026-03-01",
            "title": "业主恳谈会",
            "attendees": 20,
            "feedback": [{"customer": owner.pk, "content": "增加停车位"}],
        },
        format="json",
    )

    assert created.status_code == 201, created.json()
    assert created.json()["feedback"][0]["content"] == "增加停车位"
    refused = client.post(
        "/api/v1/meetings/",
        {"project": other_project.pk, "kind": "owners_forum", "held_on": "2026-03-01", "title": "x"},
        format="json",
    )
    assert refused.status_code == 403


@pytest.mark.rule("J15")
def test_a_visit_round_closes_with_its_summary_through_the_api(project, staff, buy, frozen):
    buy(delivered_on=D(2026, 1, 5), moved_in_on=D(2026, 1, 10))
    with frozen(D(2026, 4, 10)):
        run_daily_scan()
    visit_round = api_client(staff[Role.CUSTOMER_SERVICE]).get("/api/v1/visit-rounds/").json()["results"][0]
    assert (visit_round["target"], visit_round["sampled"], visit_round["open_visits"]) == (1, 1, 1)
    url = f"/api/v1/visit-rounds/{visit_round['id']}/close/"
    client = api_client(staff[Role.CUSTOMER_SERVICE])

    assert client.post(url, {"summary": "总结"}, format="json").status_code == 409
    services.complete_task(
        task=CareTask.objects.get(duty=Duty.THREE_MONTH_VISIT), actor=staff[Role.CUSTOMER_SERVICE], outcome="入户拜访"
    )
    assert client.post(url, {"summary": ""}, format="json").status_code == 400
    assert api_client(staff[Role.ENGINEERING]).post(url, {"summary": "x"}, format="json").status_code == 403
    closed = client.post(url, {"summary": "本轮回访1户,无遗留问题"}, format="json")
    assert closed.status_code == 200 and closed.json()["closed_at"]


@pytest.mark.rule("J15")
def test_a_visit_round_counts_each_household_and_issue_once(project, staff, buy, frozen):
    CareSettings.objects.create(project=project, three_month_sample_percent=100)
    for _ in range(3):
        buy(delivered_on=D(2026, 1, 5), moved_in_on=D(2026, 1, 10))
    with frozen(D(2026, 4, 10)):
        run_daily_scan()
    service = staff[Role.CUSTOMER_SERVICE]
    first, second, _third = CareTask.objects.filter(duty=Duty.THREE_MONTH_VISIT).order_by("pk")
    two = [{"description": "卫生间渗水"}, {"description": "墙面开裂"}]
    services.complete_task(task=first, actor=service, outcome="入户拜访", issues=two)
    services.complete_task(task=second, actor=service, outcome="入户拜访", issues=[{"description": "门锁松动"}])
    services.close_issue(issue=first.issues.order_by("pk").first(), actor=service, resolution="已维修")

    client = api_client(service)
    listed = client.get("/api/v1/visit-rounds/").json()["results"]
    shown = client.get(f"/api/v1/visit-rounds/{listed[0]['id']}/").json()

    for visit_round in (listed[0], shown):
        counts = [visit_round[name] for name in ("target", "sampled", "visited", "open_visits", "open_issues")]
        assert counts == [3, 3, 2, 1, 2]


@pytest.mark.rule("J15")
def test_a_visit_round_with_an_open_issue_cannot_close_through_the_api(project, staff, buy, frozen):
    buy(delivered_on=D(2026, 1, 5), moved_in_on=D(2026, 1, 10))
    with frozen(D(2026, 4, 10)):
        run_daily_scan()
    services.complete_task(
        task=CareTask.objects.get(duty=Duty.THREE_MONTH_VISIT),
        actor=staff[Role.CUSTOMER_SERVICE],
        outcome="入户拜访",
        issues=[{"description": "卫生间渗水"}],
    )
    client = api_client(staff[Role.CUSTOMER_SERVICE])
    visit_round = client.get("/api/v1/visit-rounds/").json()["results"][0]
    url = f"/api/v1/visit-rounds/{visit_round['id']}/close/"
    assert (visit_round["open_visits"], visit_round["open_issues"]) == (0, 1)

    refused = client.post(url, {"summary": "本轮回访1户"}, format="json")

    assert refused.status_code == 409 and refused.json()["code"] == "open_issues"
    with translation.override("zh-hans"):
        assert refused.json()["detail"] == gettext(
            "%(count)s issue(s) found on this round's visits are still open: close them before the round."
        ) % {"count": 1}
    assert client.get(f"/api/v1/visit-rounds/{visit_round['id']}/").json()["closed_at"] is None
    issue = client.get("/api/v1/care-issues/").json()["results"][0]
    assert (
        api_client(staff[Role.ENGINEERING])
        .post(f"/api/v1/care-issues/{issue['id']}/close/", {"resolution": "已更换防水层"}, format="json")
        .status_code
        == 200
    )
    assert api_client(staff[Role.ENGINEERING]).post(url, {"summary": "x"}, format="json").status_code == 403
    closed = client.post(url, {"summary": "本轮回访1户,无遗留问题"}, format="json")
    assert closed.status_code == 200 and closed.json()["closed_at"]


@pytest.mark.rule("J8")
def test_the_coverage_report_lists_each_visible_project(project, other_project, staff, buy, frozen):
    buy(signed_on=D(2026, 3, 1))
    buy(signed_on=D(2026, 3, 1), delivered_on=D(2026, 3, 2))
    with frozen(D(2026, 3, 3)):
        run_daily_scan()
        services.complete_task(
            task=CareTask.objects.filter(duty=Duty.DELIVERY_SURVEY_CALL).get(),
            actor=staff[Role.CALL_CENTER],
            outcome="满意",
        )
        report = api_client(staff[Role.CUSTOMER_SERVICE]).get("/api/v1/reports/return-visit-coverage/")
        excel = api_client(staff[Role.CR_HEAD]).get("/api/v1/reports/return-visit-coverage/", {"format": "xlsx"})

    rows = report.json()["results"]
    assert [row["project"] for row in rows] == [project.pk]  # the other project is not theirs
    assert (rows[0]["signings"], rows[0]["signing_coverage"], rows[0]["delivery_coverage"]) == (2, 0.0, 1.0)
    sheet = load_workbook(io.BytesIO(b"".join(excel.streaming_content))).worksheets[0]
    assert sheet.max_row == 3  # headers and both projects, for the company-wide head
