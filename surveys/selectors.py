"""Reads of the surveys app, above all the satisfaction and loyalty figures (rules S1, S2, S3).

Every figure is counted by the database: one aggregate query per table of figures, grouped by the
dimension asked for. A rate is the share of respondents, in per cent with one decimal, or None
when nobody answered (never 0% for "no data").

- satisfaction (S1): respondents answering 4 or 5 ÷ respondents answering the item. "Overall" is the
  questionnaire's overall-satisfaction item; a respondent who skipped an item is not counted for it.
- loyalty (S2): respondents satisfied overall AND would buy again AND would recommend ÷ respondents
  who answered those three questions.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from dateutil.relativedelta import relativedelta
from django.db.models import Case, Count, DateField, F, Max, Min, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, TruncMonth, TruncYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import calls
from core.db import rows_by_id
from core.labels import with_names_of
from estates.models import Project
from members.choices import PurchaseStatus
from members.models import Customer, Purchase
from members.segments import annotate_segment

from . import policies
from .choices import CampaignStatus, ItemKind, RespondentSegment, Step, SurveyKind
from .models import Answer, Campaign, FollowUp, ImportBatch, Invitation, Response, ResponseTally

SATISFIED = 4  # rule S1: 4 or 5 on the 5-point scale

DIMENSIONS = {
    "segment": _("Owner segment when answering"),
    "current_segment": _("Owner segment today"),
    "project": _("Project"),
    "step": _("6+2 step"),
    "kind": _("Survey kind"),
    "month": _("Month"),
    "year": _("Year"),
}


# ---------------------------------------------------------------- figures


def responses_for(user) -> QuerySet:
    """The responses whose figures this user may see: those of their projects."""
    return policies.FIGURES.scope(Response.objects.all(), user)


def _counts() -> dict:
    """The counts every satisfaction and loyalty figure is made of (rules S1–S3). The responses' tally
    (ResponseTally) keeps the same counts by triggers: a change here needs a migration changing them too."""
    return {
        "responses": Count("pk"),
        "respondents": Count("pk", filter=Q(overall_score__isnull=False)),
        "satisfied": Count("pk", filter=Q(overall_score__gte=SATISFIED)),
        "loyalty_base": Count(
            "pk", filter=Q(overall_score__isnull=False, would_buy_again__isnull=False, would_recommend__isnull=False)
        ),
        "loyal": Count("pk", filter=Q(overall_score__gte=SATISFIED, would_buy_again=True, would_recommend=True)),
    }


def _summed(rows) -> dict:
    """The counts of `rows` added up: the figures of their union."""
    rows = list(rows)
    return {name: sum(row[name] for row in rows) for name in _counts()}


def figures(responses: QuerySet, *, by: str | None = None, today: datetime.date | None = None) -> list[dict]:
    """Satisfaction and loyalty of `responses`, overall (one row) or one row per value of `by`."""
    if by is None:
        return [_rates({"key": None, "label": str(_("All")), **responses.aggregate(**_counts())})]
    grouped = _grouped(responses, by, today).values("dimension").annotate(**_counts()).order_by("dimension")
    rows = [_rates({"key": row.pop("dimension"), **row}) for row in grouped]
    return _labelled(rows, by)


def item_figures(responses: QuerySet, *, by: str | None = None, today: datetime.date | None = None) -> list[dict]:
    """Satisfaction per scale item (S1), optionally split by a dimension; items are matched by code."""
    answers = Answer.objects.filter(item__kind=ItemKind.SCALE, score__isnull=False)
    if responses.query.where:
        # (responses narrowed by nothing are every response: their answers are every answer, read without matching
        # each to one of 400,000 responses first, which took half the time of the head's report on the million)
        answers = answers.filter(response__in=responses.values("pk"))
    keys = ["item__questionnaire__code", "item__code"]
    if by is not None:
        answers = answers.annotate(dimension=_expression(by, today, prefix="response__"))
        keys.append("dimension")
    grouped = (
        answers.values(*keys)
        .annotate(
            question=Max("item__text"),
            title=Max("item__questionnaire__title"),
            position=Min("item__position"),
            respondents=Count("pk"),
            satisfied=Count("pk", filter=Q(score__gte=SATISFIED)),
            low=Count("pk", filter=Q(score__lte=2)),
        )
        .order_by("item__questionnaire__code", "position", "item__code", *keys[2:])
    )
    rows = [
        _rates(
            {
                "questionnaire": row["item__questionnaire__code"],
                "questionnaire_title": row["title"],
                "item": row["item__code"],
                "key": row.get("dimension"),
                **{k: row[k] for k in ("question", "respondents", "satisfied", "low")},
            }
        )
        for row in grouped
    ]
    return _labelled(rows, by) if by else rows


def trend(responses: QuerySet, *, months: int = 12, today: datetime.date | None = None) -> list[dict]:
    """Satisfaction and loyalty month by month for the last `months` months, months without answers included."""
    first = _first_month(months, today)
    by_month = (
        responses.filter(answered_at__gte=_start_of(first))
        .annotate(dimension=_month_among(first, months))
        .values("dimension")
        .annotate(**_counts())
        .order_by()
    )
    found = {row.pop("dimension"): row for row in by_month}
    return _every_month({month: _rates(_month_row(month, counts)) for month, counts in found.items()}, first, months)


def _first_month(months: int, today: datetime.date | None) -> datetime.date:
    return (today or timezone.localdate()).replace(day=1) - relativedelta(months=months - 1)


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _month_among(first: datetime.date, months: int) -> Case:
    """The month (its first day) of `months` from `first` an answer falls in, by comparing its time with the months'
    starts: PostgreSQL does that twice as fast as truncating every answer's time in the local zone (TruncMonth)."""
    starts = [first + relativedelta(months=offset) for offset in range(months)]
    return Case(
        *[When(answered_at__gte=_start_of(month), then=Value(month)) for month in reversed(starts)],
        output_field=DateField(),
    )


def _month_row(month: datetime.date, counts: dict) -> dict:
    return {"key": month, "label": f"{month:%Y-%m}", **counts}


def _every_month(found: dict, first: datetime.date, months: int) -> list[dict]:
    result = []
    for offset in range(months):
        month = first + relativedelta(months=offset)
        result.append(found.get(month) or _rates(_month_row(month, dict.fromkeys(_counts(), 0))))
    return result


def home_figures(user, *, today: datetime.date | None = None, months: int = 12) -> dict | None:
    """What the dashboard home shows of surveys: the last 12 months overall and month by month.

    None when the user may not read figures. `overall` is one row of figures(), `trend` a list of them.
    """
    if not policies.FIGURES.can_read(user):
        return None
    first = _first_month(months, today)
    # The counts of the months' responses by month and segment, from their tally, added up three ways.
    tallies = policies.FIGURES.scope(ResponseTally.objects.all(), user).filter(
        month__gte=first, month__lte=first + relativedelta(months=months - 1), responses__gt=0
    )
    cells = list(
        tallies.values("month", dimension=F("segment")).annotate(**{name: Sum(name) for name in _counts()}).order_by()
    )
    months_found = {cell["month"] for cell in cells}
    segments = {cell["dimension"] for cell in cells}
    by_month = {
        month: _rates(_month_row(month, _summed(c for c in cells if c["month"] == month))) for month in months_found
    }
    by_segment = [
        _rates({"key": segment, **_summed(c for c in cells if c["dimension"] == segment)}) for segment in segments
    ]
    return {
        "overall": _rates({"key": None, "label": str(_("All")), **_summed(cells)}),
        "by_segment": _labelled(by_segment, "segment"),
        "trend": _every_month(by_month, first, months),
        "open_follow_ups": policies.FOLLOW_UPS.scope(FollowUp.objects.all(), user).exclude(status="closed").count()
        if policies.FOLLOW_UPS.can_read(user)
        else None,
    }


def _grouped(responses: QuerySet, by: str, today) -> QuerySet:
    return responses.annotate(dimension=_expression(by, today))


def _expression(by: str, today, prefix: str = ""):
    if by not in DIMENSIONS:
        raise ValueError(by)
    if by == "month":
        return TruncMonth(f"{prefix}answered_at", output_field=DateField())
    if by == "year":
        return TruncYear(f"{prefix}answered_at", output_field=DateField())
    if by == "current_segment":
        # The respondent's segment today (M2), from their latest live purchase, computed in SQL.
        latest = (
            Purchase.objects.filter(customer=OuterRef(f"{prefix}customer"))
            .exclude(status=PurchaseStatus.CANCELLED)
            .order_by("-subscribed_on", "-pk")
        )
        segment = annotate_segment(latest, on=today or timezone.localdate()).values("segment")[:1]
        return Coalesce(Subquery(segment), Value(RespondentSegment.VISITOR.value))
    return F(f"{prefix}{by}")


def _rates(row: dict) -> dict:
    row["satisfaction"] = _share(row.get("satisfied", 0), row.get("respondents", 0))
    if "loyalty_base" in row:
        row["loyalty"] = _share(row["loyal"], row["loyalty_base"])
    return row


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _labelled(rows: list[dict], by: str) -> list[dict]:
    if by in ("segment", "current_segment"):
        labels = dict(RespondentSegment.choices)
    elif by == "step":
        labels = dict(Step.choices)
    elif by == "kind":
        labels = dict(SurveyKind.choices)
    elif by == "project":
        labels = dict(Project.objects.filter(pk__in={row["key"] for row in rows}).values_list("pk", "name"))
    else:
        labels = {}
    for row in rows:
        key = row["key"]
        if by == "month":
            row["label"] = f"{key:%Y-%m}"
        elif by == "year":
            row["label"] = f"{key:%Y}"
        else:
            row["label"] = str(labels.get(key, key))
    if by in ("segment", "current_segment", "step"):
        order = list(RespondentSegment.values if by != "step" else Step.values)
        rows.sort(key=lambda row: order.index(row["key"]) if row["key"] in order else len(order))
    return rows


# ---------------------------------------------------------------- campaigns and invitations


def latest_imports(batches: QuerySet[ImportBatch], *, count: int = 10) -> list[ImportBatch]:
    """The latest year-end files imported (S5), with their questionnaires and who imported them."""
    return list(batches.select_related("questionnaire", "imported_by").order_by("-imported_at", "-pk")[:count])


def campaign_list() -> QuerySet:
    """Campaigns with their questionnaires and projects; each counts its invitations and answers (the response
    rate) as they are written."""
    return Campaign.objects.select_related("questionnaire", "project")


def response_rate(campaign) -> float | None:
    return _share(campaign.answered, campaign.invited)


STEP_MILESTONE = {
    Step.SIGNING: "signed_on",
    Step.WAITING: "signed_on",
    Step.MOVING_IN: "delivered_on",
    Step.CARING: "moved_in_on",
    Step.RESPONSIBILITY: "moved_in_on",
    Step.FOUR_YEARS: "delivered_on",
}


# What an invitation and its message read of the customer: a campaign's targets are read with only these (thousands
# of owners, each row's other columns read and converted for nothing).
INVITED_CUSTOMER = ("id", "name", "project")


def campaign_targets(campaign: Campaign, *, on: datetime.date) -> list[tuple[Customer, Purchase | None]]:
    """The customers a campaign asks: of its project, in its owner segment, whose step falls in its period.

    Visitors (the viewing step or the "not an owner" segment) are customers without a live purchase,
    registered in the period; owners are counted once, by their latest purchase.
    """
    start, end = campaign.period_start, campaign.period_end
    if campaign.step == Step.VIEWING or campaign.segment == RespondentSegment.VISITOR:
        customers = Customer.objects.filter(project=campaign.project).exclude(
            purchases__status__in=[s for s in PurchaseStatus.values if s != PurchaseStatus.CANCELLED]
        )
        if start:
            customers = customers.filter(created_at__date__gte=start)
        if end:
            customers = customers.filter(created_at__date__lte=end)
        return [(customer, None) for customer in customers.only(*INVITED_CUSTOMER).order_by("pk")]
    purchases = annotate_segment(
        Purchase.objects.filter(project=campaign.project).exclude(status=PurchaseStatus.CANCELLED), on=on
    )
    if campaign.segment:
        purchases = purchases.filter(segment=campaign.segment)
    milestone = STEP_MILESTONE.get(campaign.step)
    if milestone:
        purchases = purchases.filter(**{f"{milestone}__isnull": False})
        if start:
            purchases = purchases.filter(**{f"{milestone}__gte": start})
        if end:
            purchases = purchases.filter(**{f"{milestone}__lte": end})
    chosen = {}
    purchases = purchases.select_related("customer").only(
        "pk", "customer_id", "subscribed_on", *(f"customer__{name}" for name in INVITED_CUSTOMER)
    )
    for purchase in purchases.order_by("customer_id", "-subscribed_on", "-pk"):
        chosen.setdefault(purchase.customer_id, (purchase.customer, purchase))
    return list(chosen.values())


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link token opens: the first message's link or a reminder's."""
    from .services import hash_token

    if not token or len(token) > 100:
        return None
    token_hash = hash_token(token)
    return (
        Invitation.objects.select_related("campaign__questionnaire", "campaign__project", "customer")
        .filter(Q(token_hash=token_hash) | Q(reminders__token_hash=token_hash))
        .first()
    )


# Invitations read at a time by the reminder duty, which reads them all.
REMINDER_BATCH = 500


def reminders_due(*, now: datetime.datetime) -> Iterator[list[tuple[Invitation, int]]]:
    """Unanswered, unexpired invitations whose next reminder is due, as (invitation, reminder number), in batches
    of those read REMINDER_BATCH at a time by id. Every pending invitation is read: those still waiting for their
    next reminder are skipped, not counted against a batch, so thousands due behind them are all reminded the
    same day. (Pending invitations are those of campaigns whose links are still open: weeks of invitations.) Each is
    read first as the few values that say whether it is due; only those due are read whole."""
    pending = (
        Invitation.objects.filter(
            answered_at__isnull=True,
            expires_at__gt=now,
            campaign__status=CampaignStatus.SENT,
            campaign__by_message=True,
        )
        .annotate(reminded=Count("reminders"))
        .filter(reminded__lt=F("campaign__max_reminders"))
    )
    for batch in rows_by_id(pending, "created_at", "reminded", "campaign__reminder_after_days", size=REMINDER_BATCH):
        numbers = {
            pk: reminded + 1
            for pk, created_at, reminded, after_days in batch
            if created_at + datetime.timedelta(days=after_days * (reminded + 1)) <= now
        }
        if numbers:
            due = Invitation.objects.filter(pk__in=numbers).select_related(
                "campaign__project", "campaign__questionnaire", "customer"
            )
            yield [(invitation, numbers[invitation.pk]) for invitation in due.order_by("pk")]


def call_queue(invitations: QuerySet | None = None) -> QuerySet:
    """Invitations the call center should call: by-call campaigns, not answered, not expired, and not ended by
    a call (a wrong number, a refusal)."""
    return (
        (Invitation.objects.all() if invitations is None else invitations)
        .filter(
            campaign__by_call=True,
            campaign__status=CampaignStatus.SENT,
            answered_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .exclude(last_call_outcome__in=calls.FINAL_OUTCOMES)
        .select_related("campaign__questionnaire", "campaign__project", "customer")
    )


def follow_up_list() -> QuerySet:
    return FollowUp.objects.select_related("project", "customer", "assignee", "response__questionnaire")


def follow_up_rows() -> QuerySet:
    """Follow-ups as a list shows them: each with its customer's name and its questionnaire's title."""
    return with_names_of(FollowUp.objects.all(), "customer", also=("response__questionnaire__title",))
