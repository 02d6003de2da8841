"""The care schedule (J6–J20): which care tasks fall due today, computed set-based.

`run_daily_scan` asks every duty rule for the tasks whose window contains today, inserts them
with one bulk INSERT that skips rows already there (the unique constraint on duty, subject and
period makes a second run a no-op), queues the messages of message duties, and flags overdue
tasks. Each rule runs a fixed number of queries whatever the number of purchases.

Catching up after downtime: a rule creates a task while today is inside its window, and staff
tasks up to `catch_up_days` after it, so a duty missed yesterday is created today, once.

A second scan of the same day reads only what was written since the last one began (its ScanMark, less
WATERMARK_MARGIN for transactions then still open): the purchases, customers and memberships whose tasks could
now be due. Under the same day and settings, every other row would give what the last scan already wrote. A
change of the care settings, component types or warranty overrides makes the next scan whole again, as does a
new day. Project-level duties and the home pack (which follows buildings' delivery dates) are read whole each
time; they are few.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from core.roles import Role
from estates.choices import ProjectStatus
from estates.models import Building, Company, ComponentType, Project, WarrantyOverride
from members.choices import PurchaseStatus
from members.models import Customer, Membership, Purchase

from .choices import MESSAGE_DUTIES, Duty, OpenDayStatus, SubjectKind, TaskStatus
from .messaging import MissingVariable, outbound_message, queue_messages, render
from .models import (
    CareSettings,
    CareTask,
    CommunityNotice,
    MessageTemplate,
    OutboundMessage,
    ScanMark,
    SiteOpenDay,
    VisitRound,
)

DAY = relativedelta(days=1)
# A row written by a transaction still open when a scan began may carry an earlier time than the scan's start.
WATERMARK_MARGIN = datetime.timedelta(minutes=15)
MONTH_END_SLACK = relativedelta(days=3)
NOTICE_TEMPLATE = "warranty_community_notice"


@dataclass
class ScanResult:
    created: int = 0
    messages: int = 0
    notices: int = 0
    alerts: int = 0
    by_duty: dict = field(default_factory=dict)


class Context:
    """What every rule needs once per scan: today and each project's settings (defaults when none), and for a
    second scan of the day, since when rows are new to it (`since`, `memberships_after`)."""

    def __init__(self, today: datetime.date, since: datetime.datetime | None = None, memberships_after: int = 0):
        self.today = today
        self.settings = {row.project_id: row for row in CareSettings.objects.all()}
        self.default = CareSettings()
        self.since = since
        self.memberships_after = memberships_after

    def for_project(self, project_id) -> CareSettings:
        return self.settings.get(project_id, self.default)

    def new_only(self, rows):
        """Those of `rows` (purchases or customers) written since the day's last scan: all of them at the first."""
        return rows if self.since is None else rows.filter(updated_at__gte=self.since)

    def all_settings(self) -> list[CareSettings]:
        return [self.default, *self.settings.values()]


def run_daily_scan(*, today: datetime.date | None = None) -> ScanResult:
    today = today or timezone.localdate()
    started, fingerprint = timezone.now(), settings_fingerprint()
    last_membership_id = Membership.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    mark = ScanMark.objects.filter(day=today, settings_fingerprint=fingerprint).first()
    if mark is None:
        context = Context(today)
    else:
        context = Context(today, since=mark.started_at - WATERMARK_MARGIN, memberships_after=mark.last_membership_id)
    tasks = [task for rule in RULES for task in rule(context)]
    tasks += three_month_visits(context)
    result = ScanResult()
    with transaction.atomic():
        if tasks:  # (a second scan of the day finds none, and need not count the table twice)
            before = CareTask.objects.count()
            CareTask.objects.bulk_create(tasks, batch_size=500, ignore_conflicts=True)
            result.created = CareTask.objects.count() - before
        result.notices = post_community_notices(context)
        result.messages = queue_due_messages(context)
        result.alerts = raise_overdue_alerts(context)
        # Settings changed while the scan ran: the next one reads everything again.
        unchanged = settings_fingerprint() == fingerprint
        ScanMark.objects.update_or_create(
            day=today,
            defaults={
                "started_at": started,
                "settings_fingerprint": fingerprint if unchanged else "",
                "last_membership_id": last_membership_id,
            },
        )
    for task in tasks:
        result.by_duty[task.duty] = result.by_duty.get(task.duty, 0) + 1
    return result


def run_purchase_duties(*, purchase_id: int, today: datetime.date | None = None) -> ScanResult:
    """The duties a purchase's event makes due, at the event (J7, J9, J13, J14 …).

    The same rules as the daily scan, limited to one purchase; the scan stays the catch-up, and the
    unique keys of tasks and messages let both run in any order without doing anything twice.
    """
    context = Context(today or timezone.localdate())
    tasks = [task for rule in PURCHASE_DUTIES for task in rule(context, purchase_ids=[purchase_id])]
    result = ScanResult()
    with transaction.atomic():
        before = CareTask.objects.filter(purchase_id=purchase_id).count()
        CareTask.objects.bulk_create(tasks, ignore_conflicts=True)
        result.created = CareTask.objects.filter(purchase_id=purchase_id).count() - before
        result.messages = queue_due_messages(context, purchase_ids=[purchase_id])
    for task in tasks:
        result.by_duty[task.duty] = result.by_duty.get(task.duty, 0) + 1
    return result


def record_historical_purchases(*, purchase_ids, today: datetime.date | None = None) -> int:
    """Purchases imported with their milestones are history, not events: the messages those milestones
    would send now (J7 …) are recorded as cancelled, so neither the scan nor an event sends them; every
    other duty of the care schedule stays due as usual."""
    context = Context(today or timezone.localdate())
    tasks = [
        task
        for rule in PURCHASE_DUTIES
        for task in rule(context, purchase_ids=list(purchase_ids))
        if task.duty in MESSAGE_DUTIES
    ]
    for task in tasks:
        task.status, task.outcome = TaskStatus.CANCELLED, "imported as history"
    CareTask.objects.bulk_create(tasks, ignore_conflicts=True)
    return len(tasks)


# --- purchase-anchored duties ---------------------------------------------------------------


@dataclass(frozen=True)
class PurchaseDuty:
    """A duty towards each purchase, due in a window set off from one of its milestone dates."""

    duty: Duty
    anchor: str
    start: callable  # settings → relativedelta from the anchor to the window's first day
    end: callable  # settings → relativedelta from the anchor to the window's last day
    owner_role: str = ""
    owner_is_consultant: bool = False
    undelivered_only: bool = False

    def __call__(self, context: Context, purchase_ids=None) -> list[CareTask]:
        grace = 0 if self.duty in MESSAGE_DUTIES else max(s.catch_up_days for s in context.all_settings())
        earliest = min(context.today - self.end(s) for s in context.all_settings()) - relativedelta(days=grace)
        latest = max(context.today - self.start(s) for s in context.all_settings())
        purchases = (
            _live_purchases()
            .annotate(anchor_date=self.anchor_expression())
            .filter(anchor_date__range=(earliest, latest))
        )
        if self.anchor == "planned_delivery":
            # The buildings delivering in the window are few: read first, they keep the purchases to their units
            # instead of computing every undelivered purchase's planned date.
            purchases = purchases.filter(unit__building__in=_buildings_delivering(earliest, latest))
        if self.undelivered_only:
            purchases = purchases.filter(delivered_on__isnull=True)
        if self.anchor != "planned_delivery":
            purchases = context.new_only(purchases)
        # Purchases whose task exists are left out in the database: a second scan of the day reads nothing.
        done = CareTask.objects.filter(
            duty=self.duty, subject_kind=SubjectKind.PURCHASE, subject_id=OuterRef("pk"), period=""
        )
        purchases = purchases.exclude(Exists(done))
        if purchase_ids is not None:
            purchases = purchases.filter(pk__in=purchase_ids)
        tasks = []
        for row in purchases.values(
            "pk", "customer_id", "project_id", "unit_id", "consultant_id", "project__company_id", "anchor_date"
        ):
            settings = context.for_project(row["project_id"])
            start, end = row["anchor_date"] + self.start(settings), row["anchor_date"] + self.end(settings)
            if _in_window(context.today, start, end, settings, self.duty):
                tasks.append(
                    CareTask(
                        duty=self.duty,
                        subject_kind=SubjectKind.PURCHASE,
                        subject_id=row["pk"],
                        period="",
                        company_id=row["project__company_id"],
                        project_id=row["project_id"],
                        customer_id=row["customer_id"],
                        purchase_id=row["pk"],
                        unit_id=row["unit_id"],
                        due_start=start,
                        due_end=end,
                        owner_role=self.owner_role,
                        owner_id=row["consultant_id"] if self.owner_is_consultant else None,
                    )
                )
        return tasks

    def anchor_expression(self):
        if self.anchor == "planned_delivery":
            return Coalesce("unit__building__delivery_date", "project__delivery_date")
        return F(self.anchor)


def _days(name):
    return lambda settings: relativedelta(days=getattr(settings, name))


def _months(name, plus_days: str | None = None):
    def offset(settings):
        return relativedelta(months=getattr(settings, name), days=getattr(settings, plus_days) if plus_days else 0)

    return offset


ZERO = lambda settings: relativedelta()  # noqa: E731

PURCHASE_DUTIES = [
    # J7: the message on subscription, sent the same day (or the next, after downtime).
    PurchaseDuty(Duty.SUBSCRIPTION_MESSAGE, "subscribed_on", ZERO, lambda s: DAY),
    # J8: the call center's satisfaction calls after signing and after delivery.
    PurchaseDuty(Duty.SIGNING_SURVEY_CALL, "signed_on", ZERO, _days("return_call_days"), Role.CALL_CENTER),
    PurchaseDuty(Duty.DELIVERY_SURVEY_CALL, "delivered_on", ZERO, _days("return_call_days"), Role.CALL_CENTER),
    # J9: the consultant calls within 7 days of signing about the next formalities.
    PurchaseDuty(
        Duty.SIGNING_FOLLOW_UP_CALL,
        "signed_on",
        ZERO,
        _days("signing_follow_up_days"),
        Role.CONSULTANT,
        owner_is_consultant=True,
    ),
    # J13: the home pack goes out in the weeks before the planned delivery.
    PurchaseDuty(
        Duty.HOME_PACK,
        "planned_delivery",
        lambda s: -relativedelta(days=s.home_pack_days_before_delivery),
        lambda s: -DAY,
        Role.CUSTOMER_SERVICE,
        undelivered_only=True,
    ),
    # J14: the congratulation visit after move-in.
    PurchaseDuty(Duty.MOVE_IN_VISIT, "moved_in_on", ZERO, _days("move_in_visit_days"), Role.CUSTOMER_SERVICE),
    # J17: the one-year house check.
    PurchaseDuty(
        Duty.ONE_YEAR_CHECK,
        "moved_in_on",
        _months("one_year_check_months"),
        _months("one_year_check_months", "one_year_check_window_days"),
        Role.ENGINEERING,
    ),
]


# --- J15: the three-month visit round -------------------------------------------------------


def three_month_visits(context: Context) -> list[CareTask]:
    """Sample households three to six months after move-in, until each round has its target.

    A round is a project's deliveries of one year; its target is at least the set share of the
    units delivered (10%) and at most the set maximum (60 households).
    """
    today, all_settings = context.today, context.all_settings()
    if context.since is not None and not context.new_only(Purchase.objects.all()).exists():
        # Samples depend on every delivery of a round, not on one purchase: read whole when any purchase changed
        # (a round reopened by hand samples again at the next day's first scan).
        return []
    earliest = min(today - relativedelta(months=s.three_month_deferral_months) for s in all_settings)
    latest = max(today - relativedelta(months=s.three_month_visit_months) for s in all_settings)
    already = CareTask.objects.filter(
        duty=Duty.THREE_MONTH_VISIT, subject_kind=SubjectKind.PURCHASE, subject_id=OuterRef("pk")
    )
    eligible = list(
        _live_purchases()
        .filter(delivered_on__isnull=False, moved_in_on__range=(earliest, latest))
        .exclude(Exists(already))
        .order_by("moved_in_on", "pk")
        .values("pk", "customer_id", "project_id", "unit_id", "project__company_id", "moved_in_on", "delivered_on")
    )
    if not eligible:
        return []
    keys = {(row["project_id"], row["delivered_on"].year) for row in eligible}
    delivered = {(row["project_id"], row["year"]): row["n"] for row in _delivered_counts(keys)}
    rounds = _ensure_rounds(keys, delivered, context)
    sampled = defaultdict(int)
    for row in (
        CareTask.objects.filter(duty=Duty.THREE_MONTH_VISIT, visit_round__in=[r.pk for r in rounds.values()])
        .values("visit_round_id")
        .annotate(n=Count("pk"))
    ):
        sampled[row["visit_round_id"]] = row["n"]
    tasks = []
    for row in eligible:
        settings = context.for_project(row["project_id"])
        visit_round = rounds[(row["project_id"], row["delivered_on"].year)]
        start = row["moved_in_on"] + relativedelta(months=settings.three_month_visit_months)
        end = row["moved_in_on"] + relativedelta(months=settings.three_month_deferral_months)
        if visit_round.closed_at or not start <= today <= end or sampled[visit_round.pk] >= visit_round.target:
            continue
        sampled[visit_round.pk] += 1
        tasks.append(
            CareTask(
                duty=Duty.THREE_MONTH_VISIT,
                subject_kind=SubjectKind.PURCHASE,
                subject_id=row["pk"],
                period="",
                company_id=row["project__company_id"],
                project_id=row["project_id"],
                customer_id=row["customer_id"],
                purchase_id=row["pk"],
                unit_id=row["unit_id"],
                visit_round_id=visit_round.pk,
                due_start=start,
                due_end=end,
                owner_role=Role.CUSTOMER_SERVICE,
            )
        )
    return tasks


def sample_target(*, delivered_units: int, settings: CareSettings) -> int:
    """At least the set share of the delivered units, at most the set number of households."""
    return min(settings.three_month_sample_max, math.ceil(delivered_units * settings.three_month_sample_percent / 100))


def _delivered_counts(rounds):
    """The deliveries of each (project, year) round, counted on the (project, delivered on) index."""
    years = Q()
    for project_id, year in rounds:
        years |= Q(project_id=project_id, delivered_on__range=(datetime.date(year, 1, 1), datetime.date(year, 12, 31)))
    return (
        _live_purchases()
        .filter(years)
        .annotate(year=ExtractYear("delivered_on"))
        .values("project_id", "year")
        .annotate(n=Count("pk"))
    )


def _ensure_rounds(keys, delivered, context) -> dict:
    wanted = []
    for project_id, year in keys:
        units = delivered.get((project_id, year), 0)
        wanted.append(
            VisitRound(
                project_id=project_id,
                year=year,
                delivered_units=units,
                target=sample_target(delivered_units=units, settings=context.for_project(project_id)),
            )
        )
    VisitRound.objects.bulk_create(wanted, ignore_conflicts=True)
    projects = {project_id for project_id, _ in keys}
    rounds = {(r.project_id, r.year): r for r in VisitRound.objects.filter(project_id__in=projects)}
    fresh = {(w.project_id, w.year): w for w in wanted}
    changed = []
    for key, visit_round in rounds.items():
        if (
            key in fresh
            and not visit_round.closed_at
            and ((visit_round.delivered_units, visit_round.target) != (fresh[key].delivered_units, fresh[key].target))
        ):
            visit_round.delivered_units, visit_round.target = fresh[key].delivered_units, fresh[key].target
            changed.append(visit_round)
    if changed:
        VisitRound.objects.bulk_update(changed, ["delivered_units", "target"])
    return {key: visit_round for key, visit_round in rounds.items() if key in keys}


# --- J16: warranty-expiry notices -----------------------------------------------------------


def warranty_notices(context: Context) -> list[CareTask]:
    """One month before each component's warranty ends, a message to the owner of each delivered unit.

    The deliveries in their notice period are read once per warranty length in use (a handful: 12, 24, 60
    months), the units already told once for every component; each component's notices are picked from those
    rows, whatever the number of components and deliveries."""
    today = context.today
    components = list(ComponentType.objects.all())
    if not components:
        return []
    overrides: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    for override in WarrantyOverride.objects.all():
        overrides[override.component_type_id][override.warranty_months].add(override.project_id)
    lengths_in_use = {c.default_warranty_months for c in components} | {m for o in overrides.values() for m in o}
    noticed = {months: _in_notice_period(context, months) for months in lengths_in_use}
    if not any(noticed.values()):
        return []
    told = defaultdict(set)
    for component_id, unit_id in CareTask.objects.filter(
        duty=Duty.WARRANTY_NOTICE, subject_kind=SubjectKind.UNIT, due_end__gte=today
    ).values_list("component_type_id", "subject_id"):
        told[component_id].add(unit_id)
    tasks = []
    for component in components:
        overridden = {project for projects in overrides[component.pk].values() for project in projects}
        # (months, projects, whether the length is those projects' own or every other project's)
        lengths = [(component.default_warranty_months, overridden, False)]
        lengths += [(months, projects, True) for months, projects in overrides[component.pk].items()]
        for months, projects, own in lengths:
            for row, starts, ends in noticed[months]:
                if row["unit_id"] in told[component.pk] or (row["project_id"] in projects) != own:
                    continue
                tasks.append(
                    CareTask(
                        duty=Duty.WARRANTY_NOTICE,
                        subject_kind=SubjectKind.UNIT,
                        subject_id=row["unit_id"],
                        period=f"{component.pk}:{ends.isoformat()}",
                        company_id=row["project__company_id"],
                        project_id=row["project_id"],
                        customer_id=row["customer_id"],
                        unit_id=row["unit_id"],
                        component_type_id=component.pk,
                        due_start=starts,
                        due_end=ends,
                    )
                )
    return tasks


def _in_notice_period(context: Context, months: int) -> list[tuple[dict, datetime.date, datetime.date]]:
    """The deliveries whose warranty of `months` months ends within its notice period from today, with the
    period's first and last day."""
    today = context.today
    longest_notice = max(s.warranty_notice_months for s in context.all_settings())
    # Month arithmetic is off by a few days at month ends: the window is widened, each row checked.
    earliest = today - relativedelta(months=months) - MONTH_END_SLACK
    latest = today - relativedelta(months=months) + relativedelta(months=longest_notice) + MONTH_END_SLACK
    purchases = context.new_only(_live_purchases().filter(delivered_on__range=(earliest, latest)))
    rows = []
    for row in purchases.order_by().values(
        "customer_id", "project_id", "unit_id", "project__company_id", "delivered_on"
    ):
        ends = _months_after(row["delivered_on"], months)
        starts = _months_after(ends, -context.for_project(row["project_id"]).warranty_notice_months)
        if starts <= today <= ends:
            rows.append((row, starts, ends))
    return rows


@functools.lru_cache(maxsize=4096)
def _months_after(day: datetime.date, months: int) -> datetime.date:
    """The day `months` months later (earlier when negative); a scan asks it of thousands of rows on a few days."""
    return day + relativedelta(months=months)


# --- J18: birthday greetings ----------------------------------------------------------------


def birthday_greetings(context: Context) -> list[CareTask]:
    """Owners and club members who consented get a greeting on their birthday (late by at most the set days)."""
    today = context.today
    reach = max(s.birthday_catch_up_days for s in context.all_settings())
    days = [today - relativedelta(days=back) for back in range(reach + 1)]
    on_day = Q()
    for day in days:
        on_day |= Q(birthday__month=day.month, birthday__day=day.day)
        if day.month == 2 and day.day == 28 and not _is_leap(day.year):
            on_day |= Q(birthday__month=2, birthday__day=29)
    # Whether each customer born on the day owns a home, is a member or was greeted is asked of that customer
    # alone (a probe of an index each): asked as conditions on every customer, they were planned from statistics
    # that do not yet count the day's greetings, and found by reading every purchase.
    greeted = CareTask.objects.filter(
        duty=Duty.BIRTHDAY_GREETING,
        subject_kind=SubjectKind.CUSTOMER,
        subject_id=OuterRef("pk"),
        due_start__gte=days[-1],
    )
    customers = Customer.objects.filter(on_day, consents_to_messages=True)
    if context.since is not None:
        customers = customers.filter(pk__in=_changed_customers(context))
    born = (
        customers.annotate(
            owner=Subquery(_live_purchases().filter(customer=OuterRef("pk")).values("pk")[:1]),
            member=Subquery(Membership.objects.filter(customer=OuterRef("pk")).values("pk")[:1]),
            greeted=Subquery(greeted.values("pk")[:1]),
        )
        .order_by()
        .values("pk", "project_id", "company_id", "birthday", "owner", "member", "greeted")
    )
    tasks = []
    for row in (row for row in born if (row["owner"] or row["member"]) and row["greeted"] is None):
        settings = context.for_project(row["project_id"])
        occurrence = _birthday_in(row["birthday"], today.year)
        if occurrence > today:
            occurrence = _birthday_in(row["birthday"], today.year - 1)
        ends = occurrence + relativedelta(days=settings.birthday_catch_up_days)
        if occurrence <= today <= ends:
            tasks.append(
                CareTask(
                    duty=Duty.BIRTHDAY_GREETING,
                    subject_kind=SubjectKind.CUSTOMER,
                    subject_id=row["pk"],
                    period=str(occurrence.year),
                    company_id=row["company_id"],
                    project_id=row["project_id"],
                    customer_id=row["pk"],
                    due_start=occurrence,
                    due_end=ends,
                )
            )
    return tasks


def _changed_customers(context: Context):
    """The customers new to this scan: changed themselves, or become an owner or a member since. One set of ids
    read from the three tables' own indexes, so that a second scan reads only those customers, not every
    customer born on the day to ask each whether one of the three applies."""
    return (
        context.new_only(Customer.objects.all())
        .order_by()
        .values("pk")
        .union(
            context.new_only(Purchase.objects.all()).order_by().values("customer_id"),
            Membership.objects.filter(pk__gt=context.memberships_after).order_by().values("customer_id"),
        )
    )


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _birthday_in(birthday: datetime.date, year: int) -> datetime.date:
    if birthday.month == 2 and birthday.day == 29 and not _is_leap(year):
        return datetime.date(year, 2, 28)
    return birthday.replace(year=year)


# --- project- and company-level duties ------------------------------------------------------


def unwritten(rule):
    """A rule of a few project-, company- or open-day tasks, less those already written: asked by their keys,
    so that a second scan of the day has nothing to write."""

    @functools.wraps(rule)
    def tasks_to_write(context: Context) -> list[CareTask]:
        tasks = rule(context)
        if not tasks:
            return []
        keys = Q()
        for task in tasks:
            keys |= Q(duty=task.duty, subject_kind=task.subject_kind, subject_id=task.subject_id, period=task.period)
        written = set(CareTask.objects.filter(keys).values_list("duty", "subject_kind", "subject_id", "period"))
        return [task for task in tasks if (task.duty, task.subject_kind, task.subject_id, task.period) not in written]

    return tasks_to_write


@unwritten
def quality_checks_and_four_year_plans(context: Context) -> list[CareTask]:
    """J19 quality checks at 3, 11, 23 and 35 months, J20 the plan at four years, after a project's first delivery."""
    today, tasks = context.today, []
    # Each project's first delivery, read from the front of its (project, delivered on) index.
    first = (
        _live_purchases()
        .filter(project=OuterRef("pk"), delivered_on__isnull=False)
        .order_by("delivered_on")
        .values("delivered_on")[:1]
    )
    first_deliveries = (
        Project.objects.annotate(first=Subquery(first))
        .filter(first__isnull=False)
        .values("first", project_id=F("pk"), project__company_id=F("company_id"))
    )
    for row in first_deliveries:
        settings = context.for_project(row["project_id"])
        grace = relativedelta(days=settings.catch_up_days)
        occasions = [
            (Duty.QUALITY_CHECK, f"m{months}", months, settings.quality_check_window_days, Role.ENGINEERING)
            for months in settings.quality_months()
        ]
        occasions.append(
            (
                Duty.FOUR_YEAR_PLAN,
                f"m{settings.four_year_plan_months}",
                settings.four_year_plan_months,
                settings.four_year_plan_window_days,
                Role.CUSTOMER_SERVICE,
            )
        )
        for duty, period, months, window, role in occasions:
            start = row["first"] + relativedelta(months=months)
            end = start + relativedelta(days=window)
            if start <= today <= end + grace:
                tasks.append(
                    _project_task(duty, row["project_id"], row["project__company_id"], period, start, end, role)
                )
    return tasks


@unwritten
def progress_letters(context: Context) -> list[CareTask]:
    """J11: every project under construction owes its undelivered buyers a letter each period (2 months).

    A project still selling off-plan is being built too: it counts as soon as it has buyers waiting.
    """
    undelivered = _live_purchases().filter(project=OuterRef("pk"), delivered_on__isnull=True)
    projects = Project.objects.filter(
        Exists(undelivered), status__in=[ProjectStatus.SELLING, ProjectStatus.UNDER_CONSTRUCTION]
    )
    tasks = []
    for row in projects.values("pk", "company_id"):
        months = context.for_project(row["pk"]).progress_letter_interval_months
        start, end = _period(context.today, months)
        tasks.append(
            _project_task(
                Duty.PROGRESS_LETTER, row["pk"], row["company_id"], f"{start:%Y-%m}", start, end, Role.CUSTOMER_SERVICE
            )
        )
    return tasks


@unwritten
def mystery_shopper_checks(context: Context) -> list[CareTask]:
    """J6: each selling project's sales office is checked every two months or every quarter."""
    tasks = []
    for row in Project.objects.filter(status=ProjectStatus.SELLING).values("pk", "company_id"):
        start, end = _period(context.today, context.for_project(row["pk"]).mystery_shopper_interval)
        tasks.append(
            _project_task(
                Duty.MYSTERY_SHOPPER, row["pk"], row["company_id"], f"{start:%Y-%m}", start, end, Role.CUSTOMER_SERVICE
            )
        )
    return tasks


@unwritten
def group_purchase_events(context: Context) -> list[CareTask]:
    """J12: every company holds at least one group-purchase event a year."""
    year = context.today.year
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return [
        CareTask(
            duty=Duty.GROUP_PURCHASE,
            subject_kind=SubjectKind.COMPANY,
            subject_id=company_id,
            period=str(year),
            company_id=company_id,
            due_start=start,
            due_end=end,
            owner_role=Role.CR_HEAD,
        )
        for company_id in Company.objects.values_list("pk", flat=True)
    ]


@unwritten
def open_day_evaluations(context: Context) -> list[CareTask]:
    """J10: customer relations evaluates each planned site open day in the days before it."""
    reach = max(s.open_day_evaluation_days for s in context.all_settings())
    open_days = SiteOpenDay.objects.filter(
        status__in=[OpenDayStatus.PLANNED, OpenDayStatus.POSTPONED],
        planned_on__range=(context.today, context.today + relativedelta(days=reach)),
    )
    tasks = []
    for row in open_days.values("pk", "project_id", "project__company_id", "planned_on"):
        start = row["planned_on"] - relativedelta(days=context.for_project(row["project_id"]).open_day_evaluation_days)
        if start <= context.today:
            tasks.append(
                CareTask(
                    duty=Duty.SITE_OPEN_DAY,
                    subject_kind=SubjectKind.OPEN_DAY,
                    subject_id=row["pk"],
                    period=row["planned_on"].isoformat(),
                    company_id=row["project__company_id"],
                    project_id=row["project_id"],
                    open_day_id=row["pk"],
                    due_start=start,
                    due_end=row["planned_on"] - DAY,
                    owner_role=Role.CUSTOMER_SERVICE,
                )
            )
    return tasks


RULES = [
    *PURCHASE_DUTIES,
    warranty_notices,
    birthday_greetings,
    quality_checks_and_four_year_plans,
    progress_letters,
    mystery_shopper_checks,
    group_purchase_events,
    open_day_evaluations,
]


# --- what the scan does with the tasks ------------------------------------------------------


def queue_due_messages(context: Context, purchase_ids=None) -> int:
    """Message duties: queue the message of every due task (once: the outbox key is the task) and close it; the
    messages go out once the scan or the purchase's event commits (`queue_messages`)."""
    now = timezone.now()
    due = CareTask.objects.filter(duty__in=MESSAGE_DUTIES, status=TaskStatus.DUE, due_start__lte=context.today)
    if purchase_ids is not None:
        due = due.filter(purchase_id__in=purchase_ids)
    due = list(due.select_related("customer", "project__company", "unit", "component_type"))
    if not due:
        return 0
    templates = {
        t.code: t for t in MessageTemplate.objects.filter(code__in=MESSAGE_DUTY_TEMPLATES.values(), is_active=True)
    }
    messages, done = [], []
    for task in due:
        template = templates.get(MESSAGE_DUTY_TEMPLATES[task.duty])
        if template is None or task.customer is None:
            continue
        try:
            body = render(template.body, _message_context(task))
        except MissingVariable:
            continue
        messages.append(
            outbound_message(
                customer=task.customer,
                project=task.project,
                template=template,
                purpose=task.duty,
                dedupe_key=OutboundMessage.care_key(task.pk),
                body=body,
                send_after=now,
            )
        )
        done.append(task.pk)
    queue_messages(messages)
    CareTask.objects.filter(pk__in=done, status=TaskStatus.DUE).update(
        status=TaskStatus.DONE, completed_at=now, outcome="message queued"
    )
    return len(messages)


MESSAGE_DUTY_TEMPLATES = {
    Duty.SUBSCRIPTION_MESSAGE: "subscription_welcome",
    Duty.WARRANTY_NOTICE: "warranty_expiry",
    Duty.BIRTHDAY_GREETING: "birthday_greeting",
}


def post_community_notices(context: Context) -> int:
    """J16: with the messages, one notice per project, component and expiry month is posted."""
    rows = (
        CareTask.objects.filter(duty=Duty.WARRANTY_NOTICE, status=TaskStatus.DUE, due_start__lte=context.today)
        .order_by()  # (the model's order, selected too, made every task a row of its own)
        .values(
            "project_id", "project__company__service_hotline", "component_type_id", "component_type__name", "due_end"
        )
        .distinct()
    )
    template = MessageTemplate.objects.filter(code=NOTICE_TEMPLATE, is_active=True).first()
    notices = {}
    for row in rows:
        month = f"{row['due_end']:%Y-%m}"
        key = (row["project_id"], row["component_type_id"], month)
        if key in notices:
            continue
        values = {
            "component": row["component_type__name"],
            "month": f"{row['due_end'].year}年{row['due_end'].month}月",
            "hotline": row["project__company__service_hotline"] or "",
        }
        body = render(template.body, values) if template else ""
        notices[key] = CommunityNotice(project_id=key[0], component_type_id=key[1], expires_in=month, body=body)
    if not notices:
        return 0
    before = CommunityNotice.objects.count()
    CommunityNotice.objects.bulk_create(notices.values(), ignore_conflicts=True)
    return CommunityNotice.objects.count() - before


def raise_overdue_alerts(context: Context) -> int:
    """Deferred tasks whose date came are due again; a due task past its window raises its alert once."""
    CareTask.objects.filter(status=TaskStatus.DEFERRED, deferred_until__lte=context.today).update(status=TaskStatus.DUE)
    return CareTask.objects.filter(status=TaskStatus.DUE, due_end__lt=context.today, alerted_at=None).update(
        alerted_at=timezone.now()
    )


def _message_context(task: CareTask) -> dict:
    values = {
        "name": task.customer.name,
        "project": task.project.name if task.project else "",
        "unit": str(task.unit.number) if task.unit else "",
        "hotline": task.project.company.service_hotline if task.project else "",
    }
    if task.component_type:
        values.update(component=task.component_type.name, date=f"{task.due_end.month}月{task.due_end.day}日")
    return values


# --- helpers --------------------------------------------------------------------------------


def settings_fingerprint() -> str:
    """What the care rules read besides the rows they schedule: the projects' care settings, the component types
    and the warranty overrides (a few hundred rows at most), as one digest."""
    rows = (
        list(CareSettings.objects.order_by("pk").values_list())
        + list(ComponentType.objects.order_by("pk").values_list("pk", "default_warranty_months"))
        + list(
            WarrantyOverride.objects.order_by("pk").values_list("project_id", "component_type_id", "warranty_months")
        )
    )
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _live_purchases():
    return Purchase.objects.exclude(status=PurchaseStatus.CANCELLED)


def _buildings_delivering(earliest: datetime.date, latest: datetime.date) -> list[int]:
    """The buildings whose planned delivery (the building's date, else its project's) falls in the range."""
    return list(
        Building.objects.annotate(planned=Coalesce("delivery_date", "project__delivery_date"))
        .filter(planned__range=(earliest, latest))
        .values_list("pk", flat=True)
    )


def _in_window(today, start, end, settings, duty) -> bool:
    grace = 0 if duty in MESSAGE_DUTIES else settings.catch_up_days
    return start <= today <= end + relativedelta(days=grace)


def _period(today: datetime.date, months: int) -> tuple[datetime.date, datetime.date]:
    """The period of `months` months (counted from January) that contains today."""
    index = (today.month - 1) // months
    start = datetime.date(today.year, index * months + 1, 1)
    return start, start + relativedelta(months=months) - DAY


def _project_task(duty, project_id, company_id, period, start, end, role) -> CareTask:
    return CareTask(
        duty=duty,
        subject_kind=SubjectKind.PROJECT,
        subject_id=project_id,
        period=period,
        company_id=company_id,
        project_id=project_id,
        due_start=start,
        due_end=end,
        owner_role=role,
    )
