"""Demo customers (about 200, spread over the projects and the sales team) and the sales office's records."""

import datetime
import random
from decimal import Decimal

from .choices import Gender, SourceChannel
from .models import Customer
from .services import register_customer

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = [
    "伟",
    "芳",
    "娜",
    "秀英",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀兰",
    "霞",
    "平",
    "刚",
    "桂英",
    "建华",
    "文",
    "华",
    "红",
    "玉兰",
    "志强",
    "晓东",
    "海燕",
    "子涵",
    "浩然",
    "思远",
]
CUSTOMER_COUNT = 200


def seed(*, projects, staff) -> int:
    """Register the demo customers that are not there yet; returns how many were added."""
    rng = random.Random(20261124)
    consultants = [staff[name] for name in ("demo-consultant", "demo-consultant2", "demo-consultant3")]
    existing = set(Customer.objects.filter(project__in=projects).values_list("mobile", flat=True))
    added = 0
    for index in range(CUSTOMER_COUNT):
        mobile = f"+86139{20260000 + index:08d}"
        project = projects[index % len(projects)]
        consultant = consultants[index % len(consultants)]
        fields = {
            "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
            "gender": rng.choice([Gender.FEMALE, Gender.MALE]),
            "birthday": datetime.date(rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28)),
            "source_channel": rng.choice(list(SourceChannel)),
            "consents_to_messages": rng.random() < 0.8,
        }
        if mobile in existing:
            continue
        register_customer(project=project, mobile=mobile, actor=None, consultant=consultant, **fields)
        added += 1
    seed_sales(projects=projects, staff=staff)
    return added


# Sales office demo: (grade, criteria, follow-ups, days overdue or None); invalid leads are first graded C.
C_CRITERIA = ["has_need", "can_afford", "can_be_guided"]
LEAD_PLAN = [
    ("A", ["unit_chosen", "money_paid", "funds_ready"], 3, None),
    ("A", ["unit_chosen", "money_paid", "funds_ready"], 1, 2),
    (
        "B",
        ["clear_intention", "units_shortlisted", "can_afford", "accepts_location", "accepts_product", "accepts_price"],
        2,
        None,
    ),
    (
        "B",
        ["clear_intention", "units_shortlisted", "can_afford", "accepts_location", "accepts_product", "accepts_price"],
        1,
        3,
    ),
    ("C", C_CRITERIA, 2, None),
    ("C", C_CRITERIA, 0, 1),
    ("C1", [*C_CRITERIA, "price_resistance"], 1, None),
    ("C2", ["has_need", "can_afford", "later_phase_fits"], 1, None),
    ("D", ["no_fit"], 3, None),
    ("invalid", ["invalid_visit"], 0, None),
]
REACTIONS = ["stronger", "unchanged", "weakened", "no_answer"]
METHODS = ["call", "visit", "wechat", "message"]
CONTENTS = [
    "电话回访，介绍新推房源",
    "到访看样板间，对户型满意",
    "微信发送价格表",
    "短信通知开盘时间",
    "客户关注学位和交通",
    "客户考虑付款方式",
]


def seed_sales(*, projects, staff) -> dict:
    """Visits, leads of every grade with follow-ups, an approval, members and purchases at every stage.

    Runs once: a second call finds the demo leads and adds nothing.
    """
    from django.db.models import Q
    from django.utils import timezone

    from estates.choices import UnitStatus
    from estates.models import Unit

    from .choices import ApprovalKind
    from .models import Lead, Membership, Purchase
    from .services import (
        advance_purchase,
        join_club,
        open_lead,
        record_follow_up,
        register_visit,
        request_approval,
        subscribe,
    )

    project = projects[0]
    if Lead.objects.filter(project=project).exists():
        return {"leads": 0}
    rng = random.Random(20261125)
    consultants = [staff[name] for name in ("demo-consultant", "demo-consultant2", "demo-consultant3")]
    customers = list(Customer.objects.filter(project=project).exclude(leads__isnull=False).order_by("pk")[:60])
    today = timezone.localdate()
    now = timezone.now()
    leads = []
    for index, customer in enumerate(customers[:40]):
        consultant = customer.consultant or consultants[index % len(consultants)]
        invited = index % 5 != 0
        register_visit(
            project=project,
            mobile=customer.mobile,
            actor=consultant,
            consultant=consultant,
            channel=customer.source_channel,
            visited_at=now - datetime.timedelta(days=40 - index),
            invited_to_club=invited,
            invitation_outcome=rng.choice(["joined", "considering", "declined"]) if invited else "",
        )
        grade, criteria, follow_ups, overdue = LEAD_PLAN[index % len(LEAD_PLAN)]
        lead = open_lead(
            customer=customer,
            project=project,
            grade=grade if grade != "invalid" else "C",
            criteria=criteria if grade != "invalid" else C_CRITERIA,
            actor=consultant,
            consultant=consultant,
            reason="首次到访评级",
        )
        for number in range(follow_ups):
            record_follow_up(
                lead=lead,
                method=rng.choice(METHODS),
                content=rng.choice(CONTENTS),
                actor=consultant,
                reaction=rng.choice(REACTIONS),
                happened_at=now - datetime.timedelta(days=(follow_ups - number) * 2),
            )
        if grade == "invalid":
            from .services import regrade_lead

            regrade_lead(
                lead=lead,
                grade="invalid",
                criteria=criteria,
                reason="无效来访，经销售经理确认",
                actor=staff["demo-manager"],
            )
        if overdue:
            Lead.objects.filter(pk=lead.pk).update(next_follow_up_on=today - datetime.timedelta(days=overdue))
        leads.append(lead)
    # A C lead whose consultant asks to demote it to D: waits in the supervisor's inbox.
    c_lead = next(lead for lead in leads if lead.grade == "C" and lead.follow_ups.exists())
    request_approval(
        lead=c_lead,
        kind=ApprovalKind.DEMOTE_TO_D,
        reason="多次回访，客户明确暂无购房计划",
        criteria=["no_means"],
        actor=c_lead.consultant,
    )
    for customer in customers[40:50]:
        if not Membership.objects.filter(customer=customer).exists():
            join_club(customer=customer, source_project=project, actor=None, level=rng.choice(["regular", "silver"]))
    # Purchases at every stage, on units still for sale.
    units = list(Unit.objects.filter(project=project, status=UnitStatus.AVAILABLE).order_by("pk")[:12])
    stages = [
        [],
        ["sign"],
        ["sign", "disburse_loan"],
        ["sign", "disburse_loan", "deliver"],
        ["sign", "disburse_loan", "deliver", "move_in"],
        ["sign", "deliver"],
    ]
    buyers = [lead.customer for lead in leads if lead.grade == "A"] + customers[50:60]
    purchases = 0
    # As many purchases as there are both units and buyers: the two lists may differ in length.
    for index, (unit, customer) in enumerate(zip(units, buyers, strict=False)):
        if Purchase.objects.filter(Q(unit=unit) | Q(customer=customer)).exists():
            continue
        consultant = customer.consultant or consultants[0]
        day = today - datetime.timedelta(days=200 - index * 10)
        purchase = subscribe(
            customer=customer,
            unit=unit,
            price=unit.list_price,
            actor=consultant,
            consultant=consultant,
            subscribed_on=day,
            deposit=Decimal("50000"),
            agreement_number=f"RG-{project.pk}-{index + 1:04d}",
        )
        for offset, step in enumerate(stages[index % len(stages)], start=1):
            advance_purchase(
                purchase=purchase, step=step, actor=consultant, on=day + datetime.timedelta(days=offset * 20)
            )
        purchases += 1
    return {"leads": len(leads), "purchases": purchases}
