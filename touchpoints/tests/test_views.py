"""Dashboard pages: the task queues, completion forms, scorecard, open days and outbox, as users meet them."""

import datetime
import re

import pytest

from core.roles import Role
from core.testing import make_staff

from touchpoints.choices import Duty, OpenDayStatus, TaskStatus
from touchpoints.models import CareTask, SiteOpenDay
from touchpoints.schedule import run_daily_scan

D = datetime.date


@pytest.fixture
def due_today(project, other_project, buy, frozen):
    buy(delivered_on=D(2026, 3, 1), moved_in_on=D(2026, 3, 5))
    buy(project=other_project, delivered_on=D(2026, 3, 1), moved_in_on=D(2026, 3, 5))
    buy(delivered_on=D(2025, 3, 1), moved_in_on=D(2025, 3, 1))
    with frozen(D(2026, 3, 5)):
        run_daily_scan()
    with frozen(D(2026, 3, 6)):
        yield


def test_customer_service_sees_its_due_tasks_and_overdue_ones_apart(project, staff, browser, due_today):
    client = browser(staff[Role.CUSTOMER_SERVICE])

    assert client.get("/touchpoints/tasks/").status_code == 302
    due = client.get("/touchpoints/tasks/", {"queue": "due", "mine": "true"})
    assert due.status_code == 200
    ours = CareTask.objects.get(duty=Duty.MOVE_IN_VISIT, project=project)
    theirs = CareTask.objects.exclude(project=project).get(duty=Duty.MOVE_IN_VISIT)
    assert f"/touchpoints/tasks/{ours.pk}/" in due.text and f"/touchpoints/tasks/{theirs.pk}/" not in due.text
    check = CareTask.objects.get(duty=Duty.ONE_YEAR_CHECK)
    assert f"/touchpoints/tasks/{check.pk}/" not in due.text  # engineering's queue, not this role's


def test_engineering_sees_the_house_checks_in_its_queue(project, staff, browser, due_today):
    page = browser(staff[Role.ENGINEERING]).get("/touchpoints/tasks/", {"queue": "due", "mine": "true"})
    assert f"/touchpoints/tasks/{CareTask.objects.get(duty=Duty.ONE_YEAR_CHECK).pk}/" in page.text


def test_a_role_without_care_access_is_refused_the_queue(project, browser):
    assert browser(make_staff(projects=[project])).get("/touchpoints/tasks/?queue=due").status_code == 403


@pytest.mark.rule("J14")
def test_a_task_is_completed_from_its_page(project, other_project, staff, browser, due_today):
    visit = CareTask.objects.get(duty=Duty.MOVE_IN_VISIT, project=project)
    client = browser(staff[Role.CUSTOMER_SERVICE])

    assert client.post(f"/touchpoints/tasks/{visit.pk}/", {"action": "complete", "outcome": ""}).status_code == 400
    response = client.post(f"/touchpoints/tasks/{visit.pk}/", {"action": "complete", "outcome": "上门贺喜"})

    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == TaskStatus.DONE and visit.completed_by == staff[Role.CUSTOMER_SERVICE]
    elsewhere = CareTask.objects.get(duty=Duty.MOVE_IN_VISIT, project=other_project)
    assert client.get(f"/touchpoints/tasks/{elsewhere.pk}/").status_code == 404


@pytest.mark.rule("J17")
def test_the_house_check_page_shows_the_checklist_and_records_issues(project, staff, browser, due_today):
    check = CareTask.objects.get(duty=Duty.ONE_YEAR_CHECK)
    client = browser(staff[Role.ENGINEERING])
    page = client.get(f"/touchpoints/tasks/{check.pk}/")
    assert "Electrical insulation" in page.text or "电气绝缘" in page.text

    client.post(
        f"/touchpoints/tasks/{check.pk}/",
        {
            "action": "complete",
            "check_hardware": "ok",
            "check_electrical": "ok",
            "check_security": "ok",
            "check_appliances": "ok",
            "check_railings": "issue",
            "issues": "railings: 阳台栏杆松动",
        },
    )

    check.refresh_from_db()
    assert check.status == TaskStatus.DONE and check.issues.get().check_item == "railings"
    done = client.get(f"/touchpoints/tasks/{check.pk}/").text
    assert "铁艺栏杆、百叶: 发现问题" in done and "railings:" not in done


@pytest.mark.rule("J17")
def test_a_house_check_issue_is_filed_under_the_item_named_in_chinese(project, staff, browser, due_today):
    check = CareTask.objects.get(duty=Duty.ONE_YEAR_CHECK)
    client = browser(staff[Role.ENGINEERING])
    assert "appliances:" not in client.get(f"/touchpoints/tasks/{check.pk}/").text  # the hint names items in words
    checklist = {f"check_{item}": "ok" for item in ("hardware", "electrical", "security", "appliances")}

    client.post(
        f"/touchpoints/tasks/{check.pk}/",
        {"action": "complete", **checklist, "check_railings": "issue", "issues": "铁艺栏杆、百叶：阳台栏杆松动"},
    )

    issue = CareTask.objects.get(pk=check.pk).issues.get()
    assert (issue.check_item, issue.description) == ("railings", "阳台栏杆松动")


def test_the_scorecard_page_and_its_refusal(project, staff, browser, due_today):
    page = browser(staff[Role.CUSTOMER_SERVICE]).get("/touchpoints/scorecard/", {"project": project.pk})
    assert page.status_code == 200 and "温馨牵手" in page.text and "四年之约" in page.text
    assert browser(staff[Role.CONSULTANT]).get("/touchpoints/scorecard/").status_code == 403


@pytest.mark.rule("J10")
def test_the_open_day_page_evaluates_with_its_checklist_and_cancels(project, staff, browser):
    open_day = SiteOpenDay.objects.create(project=project, sequence=2, planned_on=D(2026, 9, 1))
    client = browser(staff[Role.CUSTOMER_SERVICE])
    page = client.get(f"/touchpoints/open-days/{open_day.pk}/")
    assert page.status_code == 200 and "average_detail_defects" in page.text and "site_tidy" not in page.text

    client.post(
        f"/touchpoints/open-days/{open_day.pk}/",
        {
            "action": "evaluate",
            "simulated_inspection_done": "on",
            "no_major_defects": "on",
            "average_detail_defects": "12",
        },
    )
    open_day.refresh_from_db()
    assert open_day.status == OpenDayStatus.PLANNED and open_day.evaluated_at
    assert (
        browser(staff[Role.ENGINEERING])
        .post(f"/touchpoints/open-days/{open_day.pk}/", {"action": "cancel", "reason": "x"})
        .status_code
        == 403
    )
    client = browser(staff[Role.CUSTOMER_SERVICE])
    response = client.post(f"/touchpoints/open-days/{open_day.pk}/", {"action": "cancel", "reason": "细部缺陷过多"})
    assert response.status_code == 302, response.text[-3000:]
    open_day.refresh_from_db()
    assert open_day.status == OpenDayStatus.CANCELLED


def test_the_outbox_and_catalogue_pages(project, staff, browser, buy, frozen):
    buy(subscribed_on=D(2026, 3, 1))
    with frozen(D(2026, 3, 1)):
        run_daily_scan()
    client = browser(staff[Role.CUSTOMER_SERVICE])

    assert "恭喜您认购" in client.get("/touchpoints/messages/").text
    assert "三天无理由退订" in client.get("/touchpoints/steps/").text


def test_the_open_day_list(project, staff, browser):
    SiteOpenDay.objects.create(project=project, sequence=1, planned_on=D(2026, 5, 1))
    assert project.name in browser(staff[Role.CUSTOMER_SERVICE]).get("/touchpoints/open-days/").text


@pytest.mark.rule("J22")
def test_the_customer_page_shows_the_completed_visit_on_the_timeline(project, staff, browser, due_today):
    visit = CareTask.objects.get(duty=Duty.MOVE_IN_VISIT, project=project)
    client = browser(staff[Role.CUSTOMER_SERVICE])
    client.post(f"/touchpoints/tasks/{visit.pk}/", {"action": "complete", "outcome": "上门贺喜,赠送乔迁礼"})

    page = client.get(f"/members/customers/{visit.customer_id}/")

    assert "上门贺喜,赠送乔迁礼" in page.text and str(Duty.MOVE_IN_VISIT.label) in page.text


@pytest.mark.rule("J3")
def test_the_plan_page_opts_in_and_records_an_execution_with_evidence(
    project, other_project, staff, browser, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from touchpoints.models import ProjectAction

    settings.MEDIA_ROOT = tmp_path
    client = browser(staff[Role.CUSTOMER_SERVICE])
    assert "三天无理由退订" in client.get("/touchpoints/plan/", {"project": project.pk}).text
    optional = ProjectAction.objects.get(project=project, action__code="viewing_service_card")

    client.post(
        "/touchpoints/plan/",
        {
            "project": project.pk,
            "planned_action": optional.pk,
            "action": "plan",
            "is_active": "on",
            "due_on": "2026-04-01",
        },
    )
    client.post(
        "/touchpoints/plan/",
        {
            "project": project.pk,
            "planned_action": optional.pk,
            "action": "execute",
            "executed_on": "2026-03-01",
            "notes": "已使用",
            "evidence": SimpleUploadedFile("card.jpg", b"jpg"),
        },
    )

    optional.refresh_from_db()
    assert optional.is_active and optional.due_on == D(2026, 4, 1)
    execution = optional.executions.get()
    assert execution.executed_by == staff[Role.CUSTOMER_SERVICE] and (tmp_path / execution.evidence.name).exists()
    assert client.get("/touchpoints/plan/", {"project": other_project.pk}).status_code == 404
    assert browser(staff[Role.CONSULTANT]).get("/touchpoints/plan/").status_code == 403


@pytest.mark.rule("J3")
def test_the_plan_page_shows_each_step_once_with_its_actions_in_the_method_order(project, staff, browser):
    from touchpoints.models import Action, ProjectAction, Step

    client = browser(staff[Role.CUSTOMER_SERVICE])
    client.get("/touchpoints/plan/", {"project": project.pk})  # the project's plan is made on first sight
    # The catalogue is reordered after the plan was made, so the plan's rows were stored in another order.
    actions = Action.objects.filter(step=Step.objects.order_by("position").first()).order_by("position")
    first_action, last_action = actions.first(), actions.last()
    Action.objects.filter(pk=first_action.pk).update(position=last_action.position)
    Action.objects.filter(pk=last_action.pk).update(position=first_action.position)

    page = client.get("/touchpoints/plan/", {"project": project.pk}).text

    steps = re.findall(r'id="step-([^"]+)"', page)
    assert steps == list(Step.objects.order_by("position").values_list("code", flat=True))
    planned = ProjectAction.objects.filter(project=project).order_by("action__step__position", "action__position")
    assert [int(pk) for pk in re.findall(r'id="plan-(\d+)"', page)] == [row.pk for row in planned]
    assert planned.first().action_id == last_action.pk


@pytest.mark.rule("J11")
def test_an_overdue_progress_letter_shows_its_alert_in_the_queue(project, staff, browser, buy, frozen):
    from estates.choices import ProjectStatus

    project.status = ProjectStatus.UNDER_CONSTRUCTION
    project.save()
    buy(signed_on=D(2025, 12, 1))
    with frozen(D(2026, 3, 5)):
        run_daily_scan()
    with frozen(D(2026, 5, 2)):
        run_daily_scan()
        page = browser(staff[Role.CUSTOMER_SERVICE]).get("/touchpoints/tasks/", {"queue": "overdue", "mine": "true"})

    letter = CareTask.objects.get(duty=Duty.PROGRESS_LETTER, period="2026-03")
    assert f"/touchpoints/tasks/{letter.pk}/" in page.text and "badge badge-bad" in page.text


def test_the_outbox_filter_names_no_customer_the_user_may_not_see(project, staff, browser, company):
    from estates.tests.factories import ProjectFactory
    from members.tests.factories import CustomerFactory

    elsewhere = CustomerFactory(project=ProjectFactory(company=company), name="隔壁项目客户")
    mine = CustomerFactory(project=project, name="本项目客户")
    client = browser(staff[Role.CUSTOMER_SERVICE])

    page = client.get("/touchpoints/messages/")
    assert page.status_code == 200
    assert "隔壁项目客户" not in page.text and "本项目客户" not in page.text, "the customer is found by typing"
    assert 'data-picker-url="/lookup/pick/customer/"' in page.text
    assert "本项目客户" in client.get("/touchpoints/messages/", {"customer": mine.pk}).text
    assert "隔壁项目客户" not in client.get("/touchpoints/messages/", {"customer": elsewhere.pk}).text
