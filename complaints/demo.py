"""Demo complaints, repair orders, defects, a crisis, a delivery objection and a typical case."""

import datetime

from django.utils import timezone

from core.models import Department

from . import services
from .choices import Satisfaction, VisitMethod
from .models import Complaint

MARK = "【演示】"


def seed(context: dict) -> str:
    """Add what is missing; return a one-line summary for the command's output."""
    if Complaint.objects.filter(title__startswith=MARK).exists():
        return ""
    staff, projects = context["staff"], context["projects"]
    service, engineer, area = staff["demo-service"], staff["demo-engineering"], staff["demo-area-manager"]
    head = staff["demo-head"]
    Department.objects.filter(code="engineering", head__isnull=True).update(head=engineer)
    Department.objects.filter(code="property", head__isnull=True).update(head=staff["demo-property"])
    engineering = Department.objects.get(code="engineering")
    now = timezone.now()
    made = 0
    for index, project in enumerate(projects[:3]):
        units = list(project.units.select_related("building")[:6])
        customers = list(project.customers.all()[:6])
        if len(units) < 4 or len(customers) < 4:
            continue

        def take(n, project=project, units=units, customers=customers, **fields):
            return services.receive_complaint(
                actor=service, project=project, unit=units[n], customer=customers[n], **fields
            )

        # 1. fresh, only received, an hour ago (response clock running)
        take(
            0,
            channel="hotline",
            category="quality",
            title=f"{MARK}厨房天花板渗水",
            content="连续三天渗水，影响使用",
            demand="尽快维修",
            received_at=now - datetime.timedelta(hours=1),
        )
        # 2. dispatched to engineering, plan still due
        second = take(
            1,
            channel="wechat",
            category="property",
            title=f"{MARK}电梯经常停运",
            content="本周电梯停运两次",
            demand="查明原因并整改",
            received_at=now - datetime.timedelta(hours=5),
        )
        services.respond_to_customer(complaint=second, actor=service, note="已致电业主说明处理安排")
        services.analyse_complaint(complaint=second, actor=service, validity="valid")
        services.dispatch_complaint(
            complaint=second,
            actor=service,
            department=engineering,
            handler=engineer,
            instruction="请工程管理部核查电梯维保记录并48小时内给出方案",
            deadline=now + datetime.timedelta(days=2),
        )
        # 3. a major one, resolved and visited, then closed and archived
        third = take(
            2,
            channel="walk_in",
            category="delivery",
            title=f"{MARK}交付面积与合同不符",
            content="实测面积少于合同约定",
            demand="按合同补差",
            severity="major",
            severity_reason="承诺事项多次要求未兑现",
        )
        services.report_to_head(complaint=third, actor=service, department=engineering)
        services.agree_solution(complaint=third, actor=area, solution="按实测面积退还差价")
        services.analyse_complaint(complaint=third, actor=service, validity="valid")
        services.dispatch_complaint(
            complaint=third,
            actor=service,
            department=engineering,
            handler=engineer,
            instruction="核实测绘报告",
            deadline=now + datetime.timedelta(days=1),
        )
        services.record_plan(complaint=third, actor=engineer, plan="复测并出具报告")
        services.start_handling(complaint=third, actor=engineer)
        services.resolve_complaint(complaint=third, actor=engineer, resolution="复测确认差额，已退款")
        services.verify_complaint(complaint=third, actor=service)
        services.record_complaint_visit(
            complaint=third,
            actor=area,
            method=VisitMethod.IN_PERSON,
            satisfaction=Satisfaction.SATISFIED,
            service_quality=5,
            attitude=5,
            fee_checked=True,
            suggestions="交付前做好复测",
        )
        services.close_complaint(complaint=third, actor=service, summary="按合同退差，客户满意")
        if index == 0:  # (one typical case: the library tells each story once)
            services.add_case(
                actor=head,
                complaint=third,
                title="交付面积差异的处理",
                category="delivery",
                situation="业主实测面积小于合同面积",
                handling="第三方复测后按合同退差",
                lesson="交付前完成面积复测并主动告知",
            )
        services.archive_complaint(complaint=third, actor=service)
        # 4. a group complaint: a crisis
        if index == 0:
            crisis = take(
                3,
                channel="media",
                category="quality",
                title=f"{MARK}业主集体反映外墙渗水",
                content="十余户业主在论坛发帖并联系媒体",
                people_count=14,
                media_exposure=True,
            ).crisis
            services.add_crisis_action(crisis=crisis, actor=head, description="成立专项小组，当天约见业主代表")
        # repair order, completed and waiting for its return visit
        order = services.report_repair(
            actor=service, unit=units[4], customer=customers[4], description="卫生间地漏堵塞"
        )
        services.assign_repair(order=order, actor=service, assignee=engineer)
        services.start_repair(order=order, actor=engineer)
        services.complete_repair(order=order, actor=engineer, work_done="疏通地漏并更换存水弯")
        # defects and a delivery objection
        defect = services.raise_defect(
            actor=engineer,
            project=project,
            category="construction",
            source="complaint",
            complaint=second,
            title="外墙窗边打胶不饱满",
            responsible_department=engineering,
            description="雨季窗边渗水",
        )
        services.raise_defect(
            actor=engineer,
            project=project,
            category="design",
            source="repair",
            repair_order=order,
            title="卫生间地漏位置不合理",
            responsible_department=engineering,
        )
        services.raise_defect(
            actor=engineer, project=project, category="materials", source="house_check", title="入户门密封条易老化"
        )
        services.record_objection(
            actor=service, unit=units[5], customer=customers[5], reason="窗边渗水，拒绝签收", defects=[defect]
        )
        made += 4
    services.check_clocks()
    return f"Complaints: {made} demo complaints with repair orders, defects and a crisis."
