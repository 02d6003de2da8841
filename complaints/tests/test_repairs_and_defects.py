"""Repair orders (C13), delivery objections and reminders (C14), defects and their reports (D1–D4), C12."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from core.errors import DomainError, TransitionNotAllowed
from core.models import Department
from core.roles import Role
from estates.tests.factories import ComponentTypeFactory, ProjectFactory
from members.tests.factories import PurchaseFactory

from .. import selectors, services, tasks
from ..choices import ClockStatus, DefectCategory, RepairState, Satisfaction, VisitMethod
from ..models import Complaint, Escalation, HandbookIssue, Notification, SlaClock
from .conftest import SHANGHAI, START, escalated

H = datetime.timedelta(hours=1)


@pytest.fixture
def repair(staff, unit, customer):
    def make(**fields):
        return services.report_repair(
            actor=staff[Role.CUSTOMER_SERVICE], unit=unit, customer=customer, description="卫生间地漏堵塞", **fields
        )

    return make


def complete(order, staff):
    services.assign_repair(order=order, actor=staff[Role.CUSTOMER_SERVICE], assignee=staff[Role.ENGINEERING])
    services.start_repair(order=order, actor=staff[Role.ENGINEERING])
    return services.complete_repair(order=order, actor=staff[Role.ENGINEERING], work_done="已疏通")


@pytest.mark.rule("C13")
def test_a_completed_repair_gets_a_return_visit_within_24_hours(repair, staff):
    with time_machine.travel(START, tick=False):
        order = complete(repair(), staff)
    visit_clock = SlaClock.objects.get(repair_order=order, kind="return_visit")
    assert visit_clock.due_at == START + 24 * H

    with time_machine.travel(START + 5 * H, tick=False):
        visit = services.record_repair_visit(
            order=order,
            actor=staff[Role.CUSTOMER_SERVICE],
            method=VisitMethod.PHONE,
            satisfaction=Satisfaction.SATISFIED,
            service_quality=5,
            attitude=4,
            fee_checked=True,
        )
    visit_clock.refresh_from_db()
    assert visit_clock.status == ClockStatus.MET
    assert visit.project == order.project and visit.attitude == 4
    services.close_repair(order=order, actor=staff[Role.CUSTOMER_SERVICE])
    order.refresh_from_db()
    assert order.state == RepairState.CLOSED


@pytest.mark.rule("C13")
def test_a_repair_without_return_visit_in_24_hours_is_escalated_once(repair, staff):
    with time_machine.travel(START, tick=False):
        order = complete(repair(), staff)

    for _ in range(2):
        with time_machine.travel(START + 25 * H, tick=False):
            tasks.check_clocks()

    visit_clock = SlaClock.objects.get(repair_order=order)
    assert visit_clock.status == ClockStatus.BREACHED
    assert Escalation.objects.filter(clock=visit_clock).count() == 1
    assert (
        Notification.objects.filter(
            repair_order=order, recipient=staff[Role.ENGINEERING], title__startswith=escalated()
        ).count()
        == 1
    )


def test_repair_order_moves_follow_their_workflow_and_roles(repair, staff):
    order = repair()
    with pytest.raises(TransitionNotAllowed):
        services.complete_repair(order=order, actor=staff[Role.ENGINEERING], work_done="x")
    with pytest.raises(PermissionDenied):
        services.assign_repair(order=order, actor=staff[Role.ENGINEERING], assignee=staff[Role.ENGINEERING])
    assert order.history.count() == 1


def test_the_warranty_status_is_counted_from_the_delivery_of_the_unit(staff, unit, customer):
    component = ComponentTypeFactory(default_warranty_months=24)
    PurchaseFactory(customer=customer, unit=unit, delivered_on=datetime.date(2024, 1, 15))

    with time_machine.travel(datetime.datetime(2025, 12, 1, tzinfo=SHANGHAI), tick=False):
        inside = services.report_repair(
            actor=staff[Role.CUSTOMER_SERVICE], unit=unit, description="窗户漏风", component_type=component
        )
    with time_machine.travel(datetime.datetime(2026, 2, 1, tzinfo=SHANGHAI), tick=False):
        outside = services.report_repair(
            actor=staff[Role.CUSTOMER_SERVICE], unit=unit, description="窗户漏风", component_type=component
        )

    assert inside.in_warranty is True and outside.in_warranty is False
    assert services.warranty_status(outside)["ends_on"] == datetime.date(2026, 1, 15)


@pytest.mark.rule("C14")
def test_a_delivery_objection_is_recorded_with_its_defects_and_blocks_a_reminder(staff, project, unit, customer):
    defect = services.raise_defect(
        actor=staff[Role.ENGINEERING],
        project=project,
        unit=unit,
        category=DefectCategory.CONSTRUCTION,
        source="house_check",
        title="外墙空鼓",
    )
    objection = services.record_objection(
        actor=staff[Role.CUSTOMER_SERVICE], unit=unit, customer=customer, reason="外墙空鼓，拒绝签收", defects=[defect]
    )
    assert list(objection.defects.all()) == [defect]

    with pytest.raises(DomainError) as error:
        services.issue_delivery_reminder(
            actor=staff[Role.CUSTOMER_SERVICE],
            unit=unit,
            customer=customer,
            take_over_by=datetime.date.today() + datetime.timedelta(days=15),
            text="请于15日内办理收楼",
        )
    assert error.value.code == "objection_open"


@pytest.mark.rule("C14")
def test_a_reminder_notice_goes_to_a_buyer_refusing_delivery_without_valid_reason(staff, unit, customer):
    objection = services.record_objection(
        actor=staff[Role.CUSTOMER_SERVICE], unit=unit, customer=customer, reason="不满意小区绿化"
    )
    services.settle_objection(objection=objection, actor=staff[Role.AREA_MANAGER], status="rejected")

    notice = services.issue_delivery_reminder(
        actor=staff[Role.CUSTOMER_SERVICE],
        unit=unit,
        customer=customer,
        objection=objection,
        take_over_by=datetime.date.today() + datetime.timedelta(days=15),
        text="请于15日内办理收楼手续",
    )

    assert notice.project == unit.project and notice.objection == objection


@pytest.mark.rule("D1")
def test_defects_have_a_category_and_are_raised_from_complaints_repairs_and_house_checks(
    staff, project, receive, repair
):
    complaint, order = receive(), repair()
    from_complaint = services.raise_defect(
        actor=staff[Role.ENGINEERING],
        project=project,
        complaint=complaint,
        category=DefectCategory.DESIGN,
        source="complaint",
        title="厨房布局不合理",
    )
    from_repair = services.raise_defect(
        actor=staff[Role.ENGINEERING],
        project=project,
        repair_order=order,
        category=DefectCategory.MATERIALS,
        source="repair",
        title="地漏质量差",
    )
    assert from_complaint.complaint == complaint and from_repair.repair_order == order
    assert {choice.value for choice in DefectCategory} == {"design", "construction", "materials"}
    with pytest.raises(DomainError):
        services.raise_defect(
            actor=staff[Role.ENGINEERING],
            project=project,
            category="design",
            source="complaint",
            title="no complaint named",
        )


@pytest.mark.rule("D2")
def test_weekly_statistics_count_the_weeks_defects_by_category(staff, project):
    from ..models import Defect

    def raise_on(day, category):
        with time_machine.travel(day, tick=False):
            services.raise_defect(
                actor=staff[Role.ENGINEERING], project=project, category=category, source="house_check", title="x"
            )

    raise_on(START, DefectCategory.DESIGN)  # Monday
    raise_on(START + 6 * 24 * H, DefectCategory.DESIGN)  # Sunday, same week
    raise_on(START + 2 * 24 * H, DefectCategory.MATERIALS)
    raise_on(START + 7 * 24 * H, DefectCategory.DESIGN)  # the next Monday

    stats = selectors.weekly_defect_stats(defects=Defect.objects.all(), day=datetime.date(2026, 3, 4))

    assert stats["totals"] == {"design": 2, "construction": 0, "materials": 1}
    assert stats["projects"][0]["project"] == project.name


@pytest.mark.rule("D3")
def test_the_quarterly_handbook_is_sent_to_the_responsible_departments_once(staff, project, company):
    head = staff[Role.ENGINEERING]
    department = Department.objects.create(name="设计部", code="design", head=head)
    with time_machine.travel(datetime.datetime(2026, 2, 10, tzinfo=SHANGHAI), tick=False):
        services.raise_defect(
            actor=head,
            project=project,
            category="design",
            source="house_check",
            title="阳台排水坡度不足",
            responsible_department=department,
        )

    book = selectors.quality_handbook(company=company, year=2026, quarter=1)
    assert book["defect_count"] == 1 and book["categories"][0]["defects"][0].title == "阳台排水坡度不足"

    with time_machine.travel(datetime.datetime(2026, 4, 1, 8, tzinfo=SHANGHAI), tick=False):
        assert tasks.send_quarterly_handbooks() >= 1
        tasks.send_quarterly_handbooks()
    with time_machine.travel(datetime.datetime(2026, 5, 1, 8, tzinfo=SHANGHAI), tick=False):
        tasks.send_quarterly_handbooks()  # the monthly run in the middle of a quarter sends nothing new

    assert HandbookIssue.objects.filter(company=company, year=2026, quarter=1).count() == 1
    assert Notification.objects.filter(recipient=head, title__contains="2026").count() == 1


@pytest.mark.rule("D4")
def test_a_new_project_sees_earlier_defects_of_projects_of_the_same_kind(staff, company):
    old_tower = ProjectFactory(company=company, product_kind="high_rise")
    old_villas = ProjectFactory(company=company, product_kind="villa")
    services.raise_defect(
        actor=staff[Role.ENGINEERING], project=old_tower, category="design", source="house_check", title="电梯厅采光差"
    )
    services.raise_defect(
        actor=staff[Role.ENGINEERING],
        project=old_villas,
        category="design",
        source="house_check",
        title="别墅地下室返潮",
    )
    new_tower = ProjectFactory(company=company, product_kind="high_rise")

    lessons = [defect.title for defect in selectors.earlier_defects_for(new_tower)]

    assert lessons == ["电梯厅采光差"]


@pytest.mark.rule("C12")
def test_the_monthly_report_counts_validity_timeliness_and_satisfaction(receive, walk, staff, project):
    with time_machine.travel(START, tick=False):
        answered = walk(receive(), "visit")  # resolved at once: its response clock is met
        invalid = receive(category="service")
        services.analyse_complaint(
            complaint=invalid, actor=staff[Role.CUSTOMER_SERVICE], validity="invalid", validity_reason="超出合同范围"
        )
    with time_machine.travel(START + 30 * H, tick=False):
        tasks.check_clocks()  # the invalid one was never answered: its response clock breaches
    with time_machine.travel(datetime.datetime(2026, 4, 2, tzinfo=SHANGHAI), tick=False):
        receive()  # another month

    report = selectors.monthly_report(complaints=Complaint.objects.all(), year=2026, month=3)

    total = report["total"]
    assert total["count"] == 2 and total["valid_share"] == 50.0
    assert total["timeliness"]["response"] == 50.0
    assert total["satisfaction"] == 80.0
    assert [row["label"] for row in report["by_project"]] == [project.name]
    assert {row["label"]: row["count"] for row in report["by_category"]} == {
        answered.category.label: 1,
        invalid.category.label: 1,
    }
    assert answered.department.name in [row["label"] for row in report["by_department"]]
    assert [row["label"] for row in report["by_channel"]] == [str(answered.get_channel_display())]
