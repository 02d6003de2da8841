"""Catalogue, plans and scorecard (J1–J3), completing care tasks (J6–J21), open days (J10)."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext

from core import timeline
from core.errors import DomainError, TransitionNotAllowed
from core.roles import Role
from estates.choices import ProjectStatus
from estates.tests.factories import CompanyFactory
from members.tests.factories import CustomerFactory
from touchpoints import selectors, services
from touchpoints.choices import ActionKind, Duty, IssueStatus, MeetingKind, OpenDayStatus, SubjectKind, TaskStatus
from touchpoints.models import Action, CareTask, ProjectAction, SiteOpenDay, Step, VisitRound
from touchpoints.schedule import run_daily_scan

D = datetime.date


@pytest.mark.rule("J1")
def test_the_eight_steps_are_loaded_in_order_with_touchpoint_and_core_content(db):
    steps = list(Step.objects.all())

    assert [step.name for step in steps] == [
        "温馨牵手",
        "喜结连理",
        "亲密接触",
        "恭迎乔迁",
        "嘘寒问暖",
        "承担责任",
        "一路同行",
        "四年之约",
    ]
    assert [step.label for step in steps][-2:] == ["+1", "+2"]
    assert steps[0].touchpoint == "看楼、比较" and "阳光购房" in steps[0].core_content
    assert all(step.touchpoint and step.core_content for step in steps)


@pytest.mark.rule("J2")
def test_every_action_of_the_2010_standard_is_in_the_catalogue_with_its_attributes(db):
    fixture = json.loads((Path(settings.BASE_DIR) / "fixtures" / "touchpoints_catalogue.json").read_text())
    named = {row["fields"]["name"] for row in fixture if row["model"] == "touchpoints.action"}

    assert named == set(Action.objects.values_list("name", flat=True))
    for name in [
        "阳光宣言",
        "三天无理由退订",
        "内部神秘客户检查制度",
        "看房服务信息卡",
        "落定发送后续服务短信",
        "工地开放日",
        "楼盘建设进展通报(万科家书)",
        "团购活动",
        "物业见面会",
        "装修(家居布置、风水)讲座",
        "欢迎入住",
        "验房手册",
        "恭贺乔迁",
        "交付满意度回访",
        "验房小贴士",
        "客户入住后三个月回访",
        "保修期届满前的温馨提示",
        "入住一年的房屋体检",
        "客户生日祝福短信",
        "社区文化活动",
        "业主恳谈会",
        "管理层与业主面对面沟通会",
        "客户忠诚基金",
    ]:
        assert name in named
    cancellation = Action.objects.get(name="三天无理由退订")
    assert cancellation.kind == ActionKind.OPTIONAL and cancellation.step.name == "温馨牵手"
    assert cancellation.lead_department == "营销" and cancellation.cooperating_departments == "客服、法务"
    assert "冷静消费" in cancellation.purpose and "认购书条款" in cancellation.requirements
    assert "补充条款指引" in cancellation.references
    assert Action.objects.get(name="阳光宣言").kind == ActionKind.EXECUTION
    assert Action.objects.filter(kind=ActionKind.STANDARD).count() >= 20


@pytest.mark.rule("J2")
def test_loading_the_catalogue_again_changes_nothing_and_keeps_admin_edits(db):
    from importlib import import_module

    from django.apps import apps

    Action.objects.filter(code="group_purchase").update(purpose="edited in the admin")
    count = Action.objects.count()

    import_module("touchpoints.migrations.0004_load_step_catalogue").load_catalogue(apps, None)

    assert Action.objects.count() == count
    assert Action.objects.get(code="group_purchase").purpose == "edited in the admin"


@pytest.mark.rule("J3")
def test_standard_actions_are_mandatory_and_optional_ones_opted_in(project):
    services.ensure_plan(project=project, actor=None)
    standard = Action.objects.filter(kind=ActionKind.STANDARD).first()
    optional = Action.objects.get(code="three_day_cancellation")

    assert ProjectAction.objects.get(project=project, action=standard).is_active
    assert not ProjectAction.objects.get(project=project, action=optional).is_active
    with pytest.raises(DomainError):
        services.plan_action(project=project, action=standard, active=False, actor=None)
    with pytest.raises(DomainError):
        services.record_execution(
            planned_action=ProjectAction.objects.get(project=project, action=optional),
            executed_on=D(2026, 1, 1),
            actor=None,
        )
    assert services.plan_action(project=project, action=optional, active=True, actor=None).is_active


@pytest.mark.rule("J3")
def test_an_execution_keeps_when_who_notes_and_evidence(project, staff, tmp_path, settings, frozen):
    settings.MEDIA_ROOT = tmp_path
    services.ensure_plan(project=project, actor=None)
    planned = ProjectAction.objects.get(project=project, action__code="sunshine_declaration")

    with frozen(D(2026, 3, 2)):
        execution = services.record_execution(
            planned_action=planned,
            executed_on=D(2026, 3, 1),
            actor=staff[Role.CUSTOMER_SERVICE],
            notes="已展示",
            evidence=SimpleUploadedFile("photo.jpg", b"jpeg"),
            files=[SimpleUploadedFile("more.jpg", b"jpeg")],
        )

    assert execution.executed_by == staff[Role.CUSTOMER_SERVICE] and execution.notes == "已展示"
    assert (tmp_path / execution.evidence.name).read_bytes() == b"jpeg"
    assert execution.files.count() == 1


@pytest.mark.rule("J3")
def test_the_scorecard_counts_due_standard_actions_done_on_time_per_step(project, staff, buy, frozen):
    services.ensure_plan(project=project, actor=None)
    for code in ("risks_inside_red_line", "risks_outside_red_line"):
        services.plan_action(
            project=project, action=Action.objects.get(code=code), active=True, due_on=D(2026, 3, 1), actor=None
        )
    on_time = ProjectAction.objects.get(project=project, action__code="risks_inside_red_line")
    late = ProjectAction.objects.get(project=project, action__code="risks_outside_red_line")
    buy(signed_on=D(2026, 3, 1))
    buy(signed_on=D(2026, 3, 1))
    with frozen(D(2026, 3, 2)):
        run_daily_scan()
        services.record_execution(planned_action=on_time, executed_on=D(2026, 3, 1), actor=staff[Role.CR_HEAD])
        services.complete_task(
            task=CareTask.objects.filter(duty=Duty.SIGNING_SURVEY_CALL).first(),
            actor=staff[Role.CALL_CENTER],
            outcome="满意",
        )
    with frozen(D(2026, 3, 20)):
        services.record_execution(planned_action=late, executed_on=D(2026, 3, 20), actor=staff[Role.CR_HEAD])

    scores = {score.step.code: score for score in selectors.scorecard(project=project, on=D(2026, 3, 20))}

    assert (scores["1"].due, scores["1"].on_time, scores["1"].share) == (2, 1, 0.5)
    assert (scores["2"].due, scores["2"].on_time) == (2, 1)  # two signing calls due, one made in time
    assert scores["5"].share is None  # nothing due yet


def test_scorecards_of_many_projects_count_each_projects_own_tasks(project, other_project, staff, buy, frozen):
    buy(signed_on=D(2026, 3, 1))
    buy(signed_on=D(2026, 3, 1))
    buy(project=other_project, signed_on=D(2026, 3, 1))
    with frozen(D(2026, 3, 2)):
        run_daily_scan()
        services.complete_task(
            task=CareTask.objects.filter(duty=Duty.SIGNING_SURVEY_CALL, project=other_project).get(),
            actor=staff[Role.CALL_CENTER],
            outcome="满意",
        )

    cards = selectors.scorecards(projects=[project, other_project], on=D(2026, 3, 20))

    signing = {pk: next(s for s in steps if s.step.code == "2") for pk, steps in cards.items()}
    assert (signing[project.pk].due, signing[project.pk].on_time) == (2, 0)
    assert (signing[other_project.pk].due, signing[other_project.pk].on_time) == (1, 1)


def test_a_company_wide_task_counts_towards_every_project_of_its_company(project, other_project, frozen):
    def task(company, status, completed_at=None, subject_id=1):
        return CareTask.objects.create(
            duty=Duty.SIGNING_SURVEY_CALL,
            subject_kind=SubjectKind.COMPANY,
            subject_id=subject_id,
            company=company,
            project=None,
            due_start=D(2026, 3, 1),
            due_end=D(2026, 3, 5),
            status=status,
            completed_at=completed_at,
        )

    # done on the window's last day, late, cancelled, and another company's
    task(project.company, TaskStatus.DONE, completed_at=timezone.make_aware(datetime.datetime(2026, 3, 5, 23, 30)))
    task(
        project.company,
        TaskStatus.DONE,
        completed_at=timezone.make_aware(datetime.datetime(2026, 3, 6, 0, 30)),
        subject_id=2,
    )
    task(project.company, TaskStatus.CANCELLED, subject_id=3)
    task(
        CompanyFactory(), TaskStatus.DONE, completed_at=timezone.make_aware(datetime.datetime(2026, 3, 2)), subject_id=4
    )

    cards = selectors.scorecards(projects=[project, other_project], on=D(2026, 3, 20))

    for pk in (project.pk, other_project.pk):
        signing = next(score for score in cards[pk] if score.step.code == "2")
        assert (signing.due, signing.on_time) == (2, 1)


@pytest.mark.rule("J8")
def test_return_visit_coverage_per_project(project, other_project, staff, buy, frozen):
    first = buy(signed_on=D(2026, 3, 1))
    buy(signed_on=D(2026, 3, 2))
    buy(project=other_project, signed_on=D(2026, 3, 1))
    with frozen(D(2026, 3, 3)):
        run_daily_scan()
        services.complete_task(
            task=CareTask.objects.get(duty=Duty.SIGNING_SURVEY_CALL, purchase=first),
            actor=staff[Role.CALL_CENTER],
            outcome="非常满意",
        )

    rows = {
        row["project"]: row
        for row in selectors.return_visit_coverage(
            projects=[project, other_project], start=D(2026, 3, 1), end=D(2026, 3, 31)
        )
    }

    assert (rows[project.pk]["signings"], rows[project.pk]["signing_calls"], rows[project.pk]["signing_coverage"]) == (
        2,
        1,
        0.5,
    )
    assert rows[other_project.pk]["signing_coverage"] == 0.0


def test_completing_a_task_records_the_outcome_and_refuses_other_roles(project, staff, buy, frozen):
    buy(delivered_on=D(2026, 3, 1), moved_in_on=D(2026, 3, 5))
    with frozen(D(2026, 3, 5)):
        run_daily_scan()
    visit = CareTask.objects.get(duty=Duty.MOVE_IN_VISIT)

    with pytest.raises(PermissionDenied):
        services.complete_task(task=visit, actor=staff[Role.CONSULTANT], outcome="贺喜")
    with pytest.raises(DomainError):
        services.complete_task(task=visit, actor=staff[Role.CUSTOMER_SERVICE], outcome=" ")
    with frozen(D(2026, 3, 6)):
        services.complete_task(task=visit, actor=staff[Role.CUSTOMER_SERVICE], outcome="上门贺喜,介绍服务热线")

    visit.refresh_from_db()
    assert visit.status == TaskStatus.DONE and visit.completed_by == staff[Role.CUSTOMER_SERVICE]
    assert visit.outcome == "上门贺喜,介绍服务热线" and visit.completed_at.date() == D(2026, 3, 6)
    with pytest.raises(TransitionNotAllowed):
        services.complete_task(task=visit, actor=staff[Role.CUSTOMER_SERVICE], outcome="again")


@pytest.mark.rule("J22")
def test_a_completed_visit_lands_once_on_the_customers_timeline(project, staff, buy, frozen):
    purchase = buy(subscribed_on=D(2026, 3, 5), delivered_on=D(2026, 3, 1), moved_in_on=D(2026, 3, 5))
    with frozen(D(2026, 3, 5)):
        run_daily_scan()
        services.complete_task(
            task=CareTask.objects.get(duty=Duty.MOVE_IN_VISIT), actor=staff[Role.CUSTOMER_SERVICE], outcome="上门贺喜"
        )

    kinds = [event.kind for event in timeline.events_for(purchase.customer_id)]

    assert kinds.count("care_task") == 1  # the visit
    assert kinds.count("message") == 1  # the subscription message, shown once, as its message


@pytest.mark.rule("J15")
def test_a_three_month_visit_defers_up_to_six_months_and_the_round_closes_with_a_summary(project, staff, buy, frozen):
    buy(delivered_on=D(2026, 1, 5), moved_in_on=D(2026, 1, 10))
    with frozen(D(2026, 4, 10)):
        run_daily_scan()
        visit = CareTask.objects.get(duty=Duty.THREE_MONTH_VISIT)
        visit_round = VisitRound.objects.get()
        with pytest.raises(DomainError):
            services.defer_task(task=visit, until=D(2026, 7, 11), actor=staff[Role.CUSTOMER_SERVICE])
        services.defer_task(task=visit, until=D(2026, 6, 1), actor=staff[Role.CUSTOMER_SERVICE])
        with pytest.raises(TransitionNotAllowed):
            services.close_visit_round(visit_round=visit_round, actor=staff[Role.CUSTOMER_SERVICE], summary="总结")
    with frozen(D(2026, 6, 1)):
        run_daily_scan()
        visit.refresh_from_db()
        assert visit.status == TaskStatus.DUE
        services.complete_task(
            task=visit, actor=staff[Role.CUSTOMER_SERVICE], outcome="入户拜访", issues=[{"description": "卫生间渗水"}]
        )
        issue = visit.issues.get()
        services.close_issue(issue=issue, actor=staff[Role.ENGINEERING], resolution="已维修")
        services.close_visit_round(
            visit_round=visit_round, actor=staff[Role.CUSTOMER_SERVICE], summary="共回访1户,问题1项已关闭"
        )

    issue.refresh_from_db()
    visit_round.refresh_from_db()
    assert issue.status == IssueStatus.CLOSED and visit_round.closed_at is not None


@pytest.mark.rule("J17")
def test_the_house_check_needs_every_checklist_item_and_tracks_each_issue(project, staff, buy, frozen):
    buy(delivered_on=D(2025, 3, 1), moved_in_on=D(2025, 3, 15))
    with frozen(D(2026, 3, 15)):
        run_daily_scan()
    check = CareTask.objects.get(duty=Duty.ONE_YEAR_CHECK)
    engineer = staff[Role.ENGINEERING]
    answers = {"hardware": "ok", "electrical": "ok", "security": "ok", "appliances": "issue"}

    with pytest.raises(DomainError) as missing:
        services.complete_task(task=check, actor=engineer, checklist=answers)
    assert missing.value.field == "checklist"
    answers["railings"] = "ok"
    with pytest.raises(DomainError):
        services.complete_task(task=check, actor=engineer, checklist=answers)  # the issue is not described
    services.complete_task(
        task=check,
        actor=engineer,
        checklist=answers,
        issues=[{"check_item": "appliances", "description": "油烟机噪音大"}],
    )

    check.refresh_from_db()
    assert check.status == TaskStatus.DONE and check.checklist["appliances"] == "issue"
    issue = check.issues.get()
    assert issue.status == IssueStatus.OPEN and issue.check_item == "appliances"
    services.close_issue(issue=issue, actor=engineer, resolution="更换电机")
    with pytest.raises(TransitionNotAllowed):
        services.close_issue(issue=issue, actor=engineer, resolution="again")


@pytest.mark.rule("J11")
def test_a_progress_letter_reaches_every_undelivered_buyer(project, staff, buy, frozen):
    project.status = ProjectStatus.UNDER_CONSTRUCTION
    project.save()
    waiting = buy(signed_on=D(2025, 12, 1))
    buy(signed_on=D(2024, 1, 1), delivered_on=D(2025, 12, 1))
    with frozen(D(2026, 3, 5)):
        run_daily_scan()
        letter_task = CareTask.objects.get(duty=Duty.PROGRESS_LETTER)
        with pytest.raises(DomainError):
            services.complete_task(task=letter_task, actor=staff[Role.CUSTOMER_SERVICE])
        services.complete_task(
            task=letter_task,
            actor=staff[Role.CUSTOMER_SERVICE],
            construction_progress="主体结构封顶",
            community_events="业主开放日",
        )

    assert list(letter_task.progress_letter.recipients.all()) == [waiting.customer]
    assert "letter" in [event.kind for event in timeline.events_for(waiting.customer_id)]


@pytest.mark.rule("J6")
def test_a_mystery_shopper_check_is_scored_and_kept(project, staff, frozen):
    with frozen(D(2026, 3, 5)):
        run_daily_scan()
        task = CareTask.objects.get(duty=Duty.MYSTERY_SHOPPER, project=project)
        with pytest.raises(DomainError):
            services.complete_task(task=task, actor=staff[Role.CUSTOMER_SERVICE], shopper="新员工甲", score=120)
        services.complete_task(
            task=task, actor=staff[Role.CUSTOMER_SERVICE], shopper="新员工甲", score=86, findings="样板间讲解不完整"
        )

    assert (task.shopper_check.score, task.shopper_check.checked_on) == (86, D(2026, 3, 5))


@pytest.mark.rule("J20")
def test_the_four_year_plan_records_budget_and_result(project, staff, buy, frozen):
    buy(delivered_on=D(2022, 5, 1))
    with frozen(D(2026, 5, 2)):
        run_daily_scan()
    task = CareTask.objects.get(duty=Duty.FOUR_YEAR_PLAN)

    with pytest.raises(DomainError):
        services.complete_task(task=task, actor=staff[Role.CUSTOMER_SERVICE], plan="翻新儿童游乐场", budget=0)
    services.complete_task(task=task, actor=staff[Role.CUSTOMER_SERVICE], plan="翻新儿童游乐场", budget="150000")
    plan = services.record_plan_result(
        plan=task.improvement_plan, result="已完工,业主满意", actor=staff[Role.CUSTOMER_SERVICE]
    )

    assert plan.budget == Decimal("150000") and plan.result == "已完工,业主满意"
    assert plan.history.first().history_user == staff[Role.CUSTOMER_SERVICE]


@pytest.mark.rule("J10")
def test_an_open_day_is_evaluated_before_it_opens_against_its_gates(project, staff, buy, frozen):
    first = SiteOpenDay.objects.create(project=project, sequence=1, planned_on=D(2026, 5, 20))
    second = SiteOpenDay.objects.create(project=project, sequence=2, planned_on=D(2026, 9, 20))
    invited = buy(signed_on=D(2026, 1, 1))
    buy(signed_on=D(2024, 1, 1), delivered_on=D(2025, 1, 1))
    cr = staff[Role.CUSTOMER_SERVICE]
    with frozen(D(2026, 5, 6)):
        run_daily_scan()
        evaluation = CareTask.objects.get(duty=Duty.SITE_OPEN_DAY, open_day=first)
        assert evaluation.due_start == D(2026, 5, 6)
        with pytest.raises(TransitionNotAllowed):
            services.complete_task(task=evaluation, actor=cr, outcome="ok")

        failed = services.evaluate_open_day(
            open_day=first, actor=cr, on_schedule=True, site_tidy=False, no_structural_defects=True
        )
        assert failed == [gettext("site tidy")]
        first.refresh_from_db()
        assert first.status == OpenDayStatus.PLANNED
        services.postpone_open_day(open_day=first, actor=cr, new_date=D(2026, 5, 30), reason="现场整理")
    with frozen(D(2026, 5, 16)):
        run_daily_scan()
        assert (
            services.evaluate_open_day(
                open_day=first, actor=cr, on_schedule=True, site_tidy=True, no_structural_defects=True
            )
            == []
        )
    first.refresh_from_db()
    assert first.status == OpenDayStatus.APPROVED
    assert CareTask.objects.filter(duty=Duty.SITE_OPEN_DAY, open_day=first).count() == 2
    assert list(selectors.open_day_invitees(first)) == [invited.customer]

    failed = services.evaluate_open_day(
        open_day=second,
        actor=cr,
        simulated_inspection_done=True,
        no_major_defects=True,
        average_detail_defects=Decimal("10.0"),
    )
    assert failed == [gettext("average detail defects per unit below %(limit)s") % {"limit": 10}]
    assert services.evaluate_open_day(open_day=second, actor=cr, average_detail_defects=Decimal("9.5")) == []


@pytest.mark.rule("J10")
def test_a_cancelled_open_day_is_reported_and_loses_that_years_excellence(project, other_project, staff):
    open_day = SiteOpenDay.objects.create(project=project, sequence=1, planned_on=D(2026, 5, 20))
    SiteOpenDay.objects.create(project=other_project, sequence=1, planned_on=D(2026, 5, 20))

    with pytest.raises(DomainError):
        services.cancel_open_day(open_day=open_day, actor=staff[Role.CUSTOMER_SERVICE], reason="")
    services.cancel_open_day(open_day=open_day, actor=staff[Role.CUSTOMER_SERVICE], reason="主体存在质量缺陷")

    open_day.refresh_from_db()
    assert open_day.status == OpenDayStatus.CANCELLED and open_day.reported_to_headquarters_at is not None
    assert list(selectors.excluded_from_excellence(year=2026)) == [project.pk]
    assert list(selectors.excluded_from_excellence(year=2027)) == []
    second = SiteOpenDay.objects.create(project=project, sequence=2, planned_on=D(2026, 9, 1))
    services.cancel_open_day(open_day=second, actor=staff[Role.CUSTOMER_SERVICE], reason="主体存在质量缺陷")
    assert list(selectors.excluded_from_excellence(year=2026)) == [project.pk]  # a project once, however many


@pytest.mark.rule("J21")
def test_forum_feedback_is_recorded_and_lands_on_the_owners_timeline(project, staff):
    owner = CustomerFactory(project=project)

    meeting = services.record_meeting(
        project=project,
        kind=MeetingKind.OWNERS_FORUM,
        held_on=D(2026, 3, 1),
        title="春季业主恳谈会",
        actor=staff[Role.PROPERTY],
        attendees=35,
        feedback=[{"customer": owner, "content": "希望增加充电桩", "response": "已列入计划"}, {"content": "绿化好"}],
    )

    assert meeting.feedback.count() == 2
    event = [e for e in timeline.events_for(owner.pk) if e.kind == "meeting"][0]
    assert event.detail == "希望增加充电桩 → 已列入计划"
    assert event.title == f"{MeetingKind.OWNERS_FORUM.label} · 春季业主恳谈会"
    assert event.url == f"/touchpoints/meetings/{meeting.pk}/" and event.actor == str(staff[Role.PROPERTY])


@pytest.mark.rule("J16")
def test_the_community_notice_is_marked_posted_once(project, staff, buy, frozen):
    from estates.tests.factories import ComponentTypeFactory
    from touchpoints.models import CommunityNotice

    ComponentTypeFactory(name="燃气灶", default_warranty_months=12)
    buy(delivered_on=D(2025, 3, 20))
    with frozen(D(2026, 3, 1)):
        run_daily_scan()
        assert services.mark_notices_posted(notices=CommunityNotice.objects.all(), actor=staff[Role.PROPERTY]) == 1
        assert services.mark_notices_posted(notices=CommunityNotice.objects.all(), actor=None) == 0

    notice = CommunityNotice.objects.get()
    assert notice.posted_at is not None and notice.posted_by == staff[Role.PROPERTY]
