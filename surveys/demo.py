"""Demo questionnaires, a year of answers with their figures, a call-center campaign and follow-ups."""

import datetime
import random

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone

from members.models import Customer

from . import services
from .choices import ItemKind, ItemRole, RespondentSegment, ResponseSource, Step, SurveyKind
from .models import Campaign, Item, Questionnaire, Response

LOYALTY_ITEMS = [
    ("overall", "您对万科的总体满意度", ItemKind.SCALE, ItemRole.OVERALL, ""),
    ("buy_again", "如果再次购房，您是否还会选择万科", ItemKind.YES_NO, ItemRole.BUY_AGAIN, ""),
    ("recommend", "您是否愿意向亲友推荐本项目", ItemKind.YES_NO, ItemRole.RECOMMEND, ""),
]
QUESTIONNAIRES = [
    (
        "demo-sales-card",
        "销售服务满意度卡",
        SurveyKind.SALES_CARD,
        Step.SIGNING,
        [
            ("consultant", "置业顾问的专业与热情", ItemKind.SCALE, ItemRole.NONE, ""),
            ("transparency", "合同条款与风险告知是否清楚", ItemKind.SCALE, ItemRole.NONE, ""),
            ("channel", "您从哪里得知本项目", ItemKind.CHOICE, ItemRole.NONE, "朋友介绍\n户外广告\n网络\n万客会"),
        ],
    ),
    (
        "demo-delivery-visit",
        "交付回访问卷",
        SurveyKind.DELIVERY_VISIT,
        Step.MOVING_IN,
        [
            ("quality", "房屋质量", ItemKind.SCALE, ItemRole.NONE, ""),
            ("handover", "交付流程是否便捷", ItemKind.SCALE, ItemRole.NONE, ""),
            ("comment", "其他意见和建议", ItemKind.TEXT, ItemRole.NONE, ""),
        ],
    ),
    (
        "demo-visitor",
        "项目来访客户问卷",
        SurveyKind.VISITOR,
        Step.VIEWING,
        [
            ("reception", "销售接待是否热情周到", ItemKind.SCALE, ItemRole.NONE, ""),
            ("information", "楼盘信息介绍是否详细", ItemKind.SCALE, ItemRole.NONE, ""),
        ],
    ),
]
OWNER_SEGMENTS = [
    RespondentSegment.PRE_OWNER,
    RespondentSegment.RUN_IN,
    RespondentSegment.STABLE,
    RespondentSegment.OLD_OWNER,
]


def seed(context: dict) -> str:
    """Add what is missing; return a one-line summary for the command's output."""
    questionnaires = [_questionnaire(*spec) for spec in QUESTIONNAIRES]
    projects = context["projects"]
    responses = 0
    if not Response.objects.filter(questionnaire__code__startswith="demo-").exists():
        responses = _answers(questionnaires[:2], projects, context["staff"])
    campaigns = 0
    for project in projects:
        if not Campaign.objects.filter(project=project, name="来访客户电话回访").exists():
            campaign = services.create_campaign(
                name="来访客户电话回访",
                questionnaire=questionnaires[2],
                project=project,
                step=Step.VIEWING,
                by_message=False,
                by_call=True,
                actor=context["staff"]["demo-service"],
            )
            services.send_campaign(
                campaign=campaign, base_url=settings.PUBLIC_BASE_URL, actor=context["staff"]["demo-service"]
            )
            campaigns += 1
    return f"surveys: {len(questionnaires)} questionnaires, {responses} responses, {campaigns} campaigns"


def _questionnaire(code, title, kind, step, items) -> Questionnaire:
    questionnaire = Questionnaire.objects.filter(code=code, is_current=True).first()
    if questionnaire:
        return questionnaire
    questionnaire = Questionnaire.objects.create(code=code, title=title, kind=kind, step=step)
    all_items = LOYALTY_ITEMS[:1] + items + LOYALTY_ITEMS[1:]
    for position, (item_code, text, item_kind, role, options) in enumerate(all_items):
        Item.objects.create(
            questionnaire=questionnaire,
            position=position,
            code=item_code,
            text=text,
            kind=item_kind,
            role=role,
            options=options,
        )
    return questionnaire


def _answers(questionnaires, projects, staff) -> int:
    """About 40 answers a project, spread over the last twelve months; satisfaction improves slowly."""
    rng = random.Random(6)
    today = timezone.localdate()
    clerk = staff.get("demo-callcenter")
    count = 0
    for project in projects:
        customers = list(Customer.objects.filter(project=project).order_by("pk")[:40])
        for index, customer in enumerate(customers):
            months_ago = index % 12
            day = today.replace(day=1) - relativedelta(months=months_ago) + datetime.timedelta(days=rng.randint(0, 26))
            at = timezone.make_aware(datetime.datetime.combine(min(day, today), datetime.time(rng.randint(9, 19))))
            lift = (12 - months_ago) / 24
            scores = {
                code: _score(rng, lift) for code in ("overall", "consultant", "transparency", "quality", "handover")
            }
            questionnaire = questionnaires[index % 2]
            codes = set(questionnaire.items.values_list("code", flat=True))
            answers = {code: value for code, value in scores.items() if code in codes}
            answers["buy_again"] = scores["overall"] >= 4 or rng.random() < 0.3
            answers["recommend"] = scores["overall"] >= 4 and rng.random() < 0.85
            if "channel" in codes:
                answers["channel"] = rng.choice(["朋友介绍", "户外广告", "网络", "万客会"])
            by_call = questionnaire.kind == SurveyKind.DELIVERY_VISIT
            services.record_response(
                questionnaire=questionnaire,
                answers=answers,
                customer=customer,
                source=ResponseSource.CALL_CENTER if by_call else ResponseSource.TABLET,
                segment=rng.choice(OWNER_SEGMENTS),
                answered_at=at,
                actor=clerk if by_call else None,
            )
            count += 1
    return count


def _score(rng, lift) -> int:
    return max(1, min(5, round(rng.gauss(3.6 + lift, 0.9))))
