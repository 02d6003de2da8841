"""This app's demo data, called by `manage.py seed_demo` after the apps below it.

Purchases are dated relative to today so that a care task of every kind is due when the demo is
opened: the daily scan then creates them exactly as it would in production.
"""

import datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from estates.choices import ProjectStatus, UnitStatus
from estates.models import Unit
from members.choices import PurchaseStatus
from members.models import Customer, Purchase
from members.services import update_customer

from . import services
from .choices import Duty, MeetingKind, TaskStatus
from .models import Action, CareTask, Meeting, ProjectAction, SiteOpenDay
from .schedule import run_daily_scan


def seed(context: dict) -> str:
    """Add what is missing; return a one-line summary for the command's output."""
    staff, projects = context["staff"], context["projects"]
    selling = next((p for p in projects if p.status == ProjectStatus.SELLING), projects[0])
    delivered = next((p for p in projects if p.status == ProjectStatus.DELIVERED), projects[-1])
    today = timezone.localdate()
    for project in projects:
        services.ensure_plan(project=project, actor=staff["demo-service"])
    made = 0
    if not Purchase.objects.filter(project__in=projects, agreement_number__startswith=DEMO_AGREEMENT).exists():
        made = _purchases(selling, delivered, staff, today)
    if not SiteOpenDay.objects.filter(project=selling).exists():
        SiteOpenDay.objects.create(project=selling, sequence=1, planned_on=today + datetime.timedelta(days=7))
    _plan_and_executions(selling, staff, today)
    if not Meeting.objects.filter(project=delivered).exists():
        owner = Customer.objects.filter(purchases__project=delivered).first()
        services.record_meeting(
            project=delivered,
            kind=MeetingKind.OWNERS_FORUM,
            held_on=today - datetime.timedelta(days=20),
            title="秋季业主恳谈会",
            actor=staff["demo-property"],
            attendees=42,
            summary="收集业主意见 12 条",
            feedback=[{"customer": owner, "content": "希望增设电动车充电桩", "response": "已列入年度改造计划"}]
            if owner
            else [],
        )
    result = run_daily_scan(today=today)
    _complete_a_few(staff)
    return (
        f"Touchpoints: {made} demo purchases, {result.created} care tasks due, {result.messages} messages "
        f"queued, {result.notices} community notices."
    )


# The care-schedule demo's own purchases, told apart from the sales demo's by their agreement number.
DEMO_AGREEMENT = "DEMO-CARE-"


def _purchases(selling, delivered, staff, today) -> int:
    consultant = staff["demo-consultant"]
    customers = {
        project.pk: list(Customer.objects.filter(project=project, purchases__isnull=True).order_by("pk"))
        for project in (selling, delivered)
    }
    free = {
        project.pk: list(
            Unit.objects.filter(project=project, purchases__isnull=True).order_by("pk").select_related("building")
        )
        for project in (selling, delivered)
    }
    created = []

    def buy(project, **dates):
        customer, unit = customers[project.pk].pop(0), free[project.pk].pop(0)
        status = (
            PurchaseStatus.MOVED_IN
            if dates.get("moved_in_on")
            else PurchaseStatus.DELIVERED
            if dates.get("delivered_on")
            else PurchaseStatus.SIGNED
            if dates.get("signed_on")
            else PurchaseStatus.SUBSCRIBED
        )
        dates.setdefault(
            "subscribed_on",
            (dates.get("signed_on") or dates.get("delivered_on") or today) - datetime.timedelta(days=10),
        )
        purchase = Purchase.objects.create(
            customer=customer,
            unit=unit,
            consultant=consultant,
            status=status,
            price=unit.list_price or Decimal("3000000"),
            agreement_number=f"{DEMO_AGREEMENT}{len(created) + 1}",
            **dates,
        )
        Unit.objects.filter(pk=unit.pk).update(
            status=UnitStatus.DELIVERED if dates.get("delivered_on") else UnitStatus.SIGNED
        )
        created.append(purchase)
        return purchase

    months = lambda n: today - relativedelta(months=n)  # noqa: E731
    # Selling project: a subscription today (J7), a signing two days ago (J8, J9), buyers waiting (J11).
    buy(selling, subscribed_on=today)
    buy(selling, signed_on=today - datetime.timedelta(days=2))
    for back in range(3):
        buy(selling, signed_on=months(4 + back))
    # A phase delivered soon: its buyers get the home pack (J13).
    soon = buy(selling, signed_on=months(8))
    soon.unit.building.__class__.objects.filter(pk=soon.unit.building_id).update(
        delivery_date=today + datetime.timedelta(days=20)
    )
    # An earlier phase handed over four years ago: the improvement plan is due (J20).
    buy(selling, signed_on=months(60), delivered_on=months(48) - datetime.timedelta(days=3), moved_in_on=months(48))
    # Delivered project: the first handover 35 months ago (J19), a delivery and move-in this week (J8, J14),
    # a dozen households three months in (J15), a house check (J17) and a component warranty ending (J16).
    buy(delivered, signed_on=months(40), delivered_on=months(35) - datetime.timedelta(days=3))
    buy(
        delivered,
        signed_on=months(20),
        delivered_on=today - datetime.timedelta(days=3),
        moved_in_on=today - datetime.timedelta(days=2),
    )
    for index in range(12):
        buy(
            delivered,
            signed_on=months(20),
            delivered_on=months(3) - datetime.timedelta(days=10 + index),
            moved_in_on=months(3) - datetime.timedelta(days=index),
        )
    buy(
        delivered,
        signed_on=months(24),
        delivered_on=months(12) - datetime.timedelta(days=5),
        moved_in_on=months(12) - datetime.timedelta(days=3),
    )
    birthday_owner = buy(delivered, signed_on=months(24), delivered_on=months(12) + datetime.timedelta(days=10))
    update_customer(
        customer=birthday_owner.customer,
        actor=None,
        consents_to_messages=True,
        birthday=today.replace(year=1982) if not (today.month == 2 and today.day == 29) else datetime.date(1980, 2, 29),
    )
    return len(created)


def _plan_and_executions(project, staff, today):
    optional = Action.objects.filter(code="three_day_cancellation").first()
    if optional:
        services.plan_action(
            project=project,
            action=optional,
            active=True,
            due_on=today - datetime.timedelta(days=30),
            actor=staff["demo-service"],
        )
    for code, done in (("sunshine_declaration", True), ("risks_inside_red_line", True), ("parking_information", False)):
        planned = ProjectAction.objects.filter(project=project, action__code=code).first()
        if planned is None or planned.executions.exists():
            continue
        planned.due_on = today - datetime.timedelta(days=14)
        planned.save(update_fields=["due_on"])
        if done:
            services.record_execution(
                planned_action=planned,
                executed_on=today - datetime.timedelta(days=15),
                actor=staff["demo-service"],
                notes="已在销售大厅入口处公示",
            )


def _complete_a_few(staff):
    """The call center has already made one call, so the scorecard and the timeline show it."""
    call = CareTask.objects.filter(duty=Duty.SIGNING_SURVEY_CALL, status=TaskStatus.DUE).first()
    if call and not CareTask.objects.filter(duty=Duty.SIGNING_SURVEY_CALL, status=TaskStatus.DONE).exists():
        services.complete_task(task=call, actor=staff["demo-callcenter"], outcome="客户对签约服务满意,9 分")
    _visit_a_few_households(staff)


def _visit_a_few_households(staff):
    """Two households of the three-month round were visited (J15): one issue fixed, one still open; the owner
    with the open issue raised it again at a management meeting (J21), so both show on the timeline."""
    if CareTask.objects.filter(duty=Duty.THREE_MONTH_VISIT, status=TaskStatus.DONE).exists():
        return
    visits = list(CareTask.objects.filter(duty=Duty.THREE_MONTH_VISIT, status=TaskStatus.DUE).order_by("pk")[:2])
    if len(visits) < 2:
        return
    service, engineer = staff["demo-service"], staff["demo-engineering"]
    services.complete_task(
        task=visits[0],
        actor=service,
        outcome="入户拜访,业主对交付质量基本满意",
        issues=[{"description": "卫生间地漏返味"}],
    )
    services.close_issue(issue=visits[0].issues.get(), actor=engineer, resolution="已加装防臭地漏芯")
    services.complete_task(
        task=visits[1],
        actor=service,
        outcome="入户拜访,业主反映门窗问题",
        issues=[{"description": "阳台推拉门密封条老化漏风"}],
    )
    owner = visits[1].customer
    services.record_meeting(
        project=visits[1].project,
        kind=MeetingKind.MANAGEMENT_MEETING,
        held_on=timezone.localdate() - datetime.timedelta(days=3),
        title="总经理接待日",
        actor=service,
        attendees=8,
        summary="新交付业主座谈",
        feedback=[{"customer": owner, "content": "阳台推拉门漏风,希望尽快处理", "response": "工程部本周上门维修"}],
    )
