"""python manage.py generate_load --customers 1000000 — a large, realistic company for benchmarks.

Fills the database with one company ("负载测试地产") of many projects: consultants and managers,
customers with leads of every grade and their follow-ups, purchases at every milestone, memberships,
care tasks, queued and sent messages, complaints and repair orders in every state with the SLA clocks
and return visits their workflow leaves them, survey responses with answers; then, project by project,
a quarter's survey campaign for each of the last six with its invitations and reminders, the home-visit
round of each delivery year with its sampled visits and the issues they found, the crisis record of each
crisis complaint with the actions taken, and the product defects raised from repairs and complaints.
The same --seed and --as-of give the same data. Rows go in by large bulk inserts, a batch of customers
at a time, so memory stays flat and a million customers take minutes.

It needs the demo catalogue (questionnaires, complaint categories, departments): run seed_demo first,
or pass --with-demo. It refuses to run twice on the same database.
"""

import datetime
import random
import time
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils import timezone

from complaints.choices import (
    Channel,
    ClockKind,
    ClockStatus,
    ComplaintState,
    CrisisStatus,
    DefectCategory,
    DefectSource,
    RepairState,
    Satisfaction,
    Severity,
    Validity,
    VisitMethod,
)
from complaints.models import (
    Complaint,
    ComplaintCategory,
    CrisisAction,
    CrisisRecord,
    Defect,
    RepairOrder,
    ReturnVisit,
    SlaClock,
)
from complaints.services.clocks import clock_due
from complaints.services.common import settings_for
from core.models import Department, User
from core.roles import Role
from core.services import set_roles
from estates.choices import ProductKind, ProjectStatus, UnitStatus
from estates.models import Building, Company, ComponentType, Project, Unit
from estates.services import create_project
from members.choices import FollowUpMethod, LeadGrade, LeadStatus, MemberLevel, PurchaseStatus, Reaction, SourceChannel
from members.models import Customer, FollowUp, Lead, Membership, Purchase
from members.segments import owner_segment
from members.signals import customers_written
from surveys.choices import CampaignStatus, ItemKind, ItemRole, RespondentSegment, ResponseSource
from surveys.models import Answer, Campaign, Invitation, Questionnaire, Reminder, Response
from surveys.services import hash_token
from touchpoints.choices import Duty, IssueStatus, MessageStatus, SubjectKind, TaskStatus
from touchpoints.models import CareIssue, CareTask, OutboundMessage, VisitRound
from touchpoints.schedule import sample_target
from touchpoints.services import settings_for as care_settings_for

COMPANY = "负载测试地产"
CUSTOMERS_PER_PROJECT = 5_000
CUSTOMERS_PER_CONSULTANT = 1_000
FLOORS, STACKS = 30, 4
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红娥玲芬燕彬鹏辉斌宇浩凯健俊帆"
# How a lead's grade is spread, and what share of customers bought, complained, answered a survey.
GRADES = [
    (LeadGrade.A, 5),
    (LeadGrade.B, 15),
    (LeadGrade.C, 30),
    (LeadGrade.C1, 10),
    (LeadGrade.C2, 10),
    (LeadGrade.D, 20),
    (LeadGrade.INVALID, 10),
]
PURCHASE_SHARE, COMPLAINT_SHARE, REPAIR_SHARE, RESPONSE_SHARE, MEMBER_SHARE = 0.3, 0.2, 0.1, 0.4, 0.2
MILESTONES = [
    PurchaseStatus.SUBSCRIBED,
    PurchaseStatus.SIGNED,
    PurchaseStatus.LOAN_DISBURSED,
    PurchaseStatus.DELIVERED,
    PurchaseStatus.MOVED_IN,
]
# The timestamp each complaint state has reached, in workflow order.
COMPLAINT_PATH = [
    (ComplaintState.RECEIVED, None),
    (ComplaintState.ANALYSED, None),
    (ComplaintState.DISPATCHED, "dispatched_at"),
    (ComplaintState.PLANNED, "plan_recorded_at"),
    (ComplaintState.IN_PROGRESS, "responded_at"),
    (ComplaintState.RESOLVED, "resolved_at"),
    (ComplaintState.VERIFIED, "verified_at"),
    (ComplaintState.VISITED, None),
    (ComplaintState.CLOSED, "closed_at"),
    (ComplaintState.ARCHIVED, "archived_at"),
]
REPAIR_PATH = [
    RepairState.REPORTED,
    RepairState.ASSIGNED,
    RepairState.IN_PROGRESS,
    RepairState.COMPLETED,
    RepairState.VISITED,
    RepairState.CLOSED,
]
UNIT_STATUS = {
    PurchaseStatus.SUBSCRIBED: UnitStatus.SUBSCRIBED,
    PurchaseStatus.SIGNED: UnitStatus.SIGNED,
    PurchaseStatus.LOAN_DISBURSED: UnitStatus.SIGNED,
    PurchaseStatus.DELIVERED: UnitStatus.DELIVERED,
    PurchaseStatus.MOVED_IN: UnitStatus.DELIVERED,
}
CARE_DUTIES = [Duty.SIGNING_FOLLOW_UP_CALL, Duty.MOVE_IN_VISIT, Duty.THREE_MONTH_VISIT, Duty.ONE_YEAR_CHECK]
# The complaint states past their return visit, and the answers of a visit that does not reopen it (C9).
VISITED_COMPLAINT = (ComplaintState.VISITED, ComplaintState.CLOSED, ComplaintState.ARCHIVED)
SATISFIED = [Satisfaction.VERY_SATISFIED, Satisfaction.SATISFIED, Satisfaction.NEUTRAL]
# A survey campaign a quarter for the last six, each inviting this many of the project's customers.
CAMPAIGNS_PER_PROJECT, INVITED_PER_CAMPAIGN = 6, 2_000
ISSUE_SHARE = 0.25  # of the home visits of a round, those that found an issue
DEFECT_SHARE = 0.3  # of the complaints dispatched, those that raised a product defect
BATCH = 5_000


def hours(count: int) -> datetime.timedelta:
    return datetime.timedelta(hours=count)


def days(count: int) -> datetime.timedelta:
    return datetime.timedelta(days=count)


class Command(BaseCommand):
    help = "Generate a large company for benchmarks (deterministic by --seed)."

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--as-of", type=datetime.date.fromisoformat, default=None, help="Today of the data.")
        parser.add_argument("--with-demo", action="store_true", help="Run seed_demo first (the catalogue).")
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off (never in production).")

    def handle(self, *args, customers, seed, as_of, with_demo, force, **options):
        if not (settings.SEED_DEMO_ALLOWED or force):
            raise CommandError("Refusing to generate load data with DEBUG off; pass --force if you are sure.")
        if with_demo:
            call_command("seed_demo", "--force", stdout=self.stdout)
        if Company.objects.filter(name=COMPANY).exists():
            raise CommandError(f"{COMPANY} exists already: generate into a fresh database.")
        if not Questionnaire.objects.filter(is_current=True).exists() or not ComplaintCategory.objects.exists():
            raise CommandError("The demo catalogue is missing: run seed_demo first or pass --with-demo.")
        generator = LoadGenerator(rng=random.Random(seed), today=as_of or timezone.localdate())
        started = time.monotonic()
        with transaction.atomic():
            generator.company_and_projects(customers)
        for first in range(0, customers, BATCH):
            with transaction.atomic():
                generator.customers(first, min(BATCH, customers - first))
            self.stdout.write(f"  {first + min(BATCH, customers - first):,} customers", ending="\r")
            self.stdout.flush()
        self.stdout.write("")
        with transaction.atomic():
            generator.survey_campaigns()
            generator.visit_rounds()
            generator.crises()
            generator.defects()
        # The tables as a day of autovacuum would leave them. Without the planner's statistics, a project's page
        # of customers is planned for 20 rows instead of 20,000 and sorted whole (55 ms instead of 19); without
        # PostgreSQL's map of pages all visible, a count read from an index reads every row's page as well (the
        # survey campaigns' page of 100, counting 2,000 invitations each: 40 ms instead of 19). PostgreSQL vacuums
        # outside a transaction only (a test's runs inside one).
        vacuums = connection.vendor == "postgresql" and not connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if vacuums else "ANALYZE")
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{count:,} {name}" for name, count in generator.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Generated in {elapsed:.0f} s: {summary}."))


class LoadGenerator:
    def __init__(self, *, rng: random.Random, today: datetime.date):
        self.rng = rng
        self.today = today
        self.now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(10)))
        self.counts: dict[str, int] = {}
        self.questionnaires = list(Questionnaire.objects.filter(is_current=True).prefetch_related("items"))
        self.categories = list(ComplaintCategory.objects.all())
        self.component_types = list(ComponentType.objects.all())
        self.departments = list(Department.objects.all())

    def _count(self, name: str, rows: list) -> list:
        self.counts[name] = self.counts.get(name, 0) + len(rows)
        return rows

    def _moment(self, days_back: int) -> datetime.datetime:
        return self.now - datetime.timedelta(days=self.rng.randrange(days_back), minutes=self.rng.randrange(600))

    # The company: projects with buildings and units, and the staff who work them.

    def company_and_projects(self, customers: int) -> None:
        self.company = Company.objects.create(name=COMPANY, city="深圳", service_hotline="400-800-0000")
        self.clock_settings = settings_for(self.company)
        password = make_password(None)
        self.projects, self.units, self.consultants, self.managers, self.service = [], {}, {}, {}, {}
        for number in range(max(1, -(-customers // CUSTOMERS_PER_PROJECT))):
            delivered = number % 2 == 1
            project = create_project(
                company=self.company,
                name=f"负载花园{number + 1:03d}期",
                city="深圳",
                status=ProjectStatus.DELIVERED if delivered else ProjectStatus.SELLING,
                product_kind=ProductKind.HIGH_RISE,
                opening_date=self.today - datetime.timedelta(days=900 if delivered else 200),
                delivery_date=self.today - datetime.timedelta(days=300) if delivered else self.today.replace(year=2028),
            )
            self.projects.append(project)
            self.units[project.pk] = self._units(project)
            manager = self._staff(f"load-{number}-manager", Role.SALES_MANAGER, project, password)
            self.managers[project.pk] = manager
            # (the consultants' supervisor is told of their overdue follow-ups and their A and B leads: L3, L4)
            supervisor = self._staff(
                f"load-{number}-supervisor", Role.SALES_SUPERVISOR, project, password, reports_to=manager
            )
            self.consultants[project.pk] = [
                self._staff(
                    f"load-{number}-consultant-{index}", Role.CONSULTANT, project, password, reports_to=supervisor
                )
                for index in range(CUSTOMERS_PER_PROJECT // CUSTOMERS_PER_CONSULTANT)
            ]
            self.service[project.pk] = self._staff(f"load-{number}-service", Role.CUSTOMER_SERVICE, project, password)
        self.counts["projects"] = len(self.projects)

    def _units(self, project: Project) -> list[Unit]:
        needed = int(CUSTOMERS_PER_PROJECT * PURCHASE_SHARE) + 1
        buildings = Building.objects.bulk_create(
            Building(project=project, name=f"{index + 1}栋", floors=FLOORS, delivery_date=project.delivery_date)
            for index in range(-(-needed // (FLOORS * STACKS)))
        )
        units = [
            Unit(
                building=building,
                project=project,
                number=f"{index + 1}-{floor:02d}{stack:02d}",
                floor=floor,
                area=Decimal(self.rng.choice(["78.20", "98.50", "105.30", "128.00"])),
                layout="三室两厅",
                list_price=Decimal(self.rng.randrange(2_000_000, 9_000_000)),
                status=UnitStatus.AVAILABLE,
            )
            for index, building in enumerate(buildings)
            for floor in range(1, FLOORS + 1)
            for stack in range(1, STACKS + 1)
        ]
        return self._count("units", Unit.objects.bulk_create(units, batch_size=BATCH))

    def _staff(self, username: str, role: Role, project: Project, password: str, reports_to=None) -> User:
        user = User.objects.create(username=username, password=password, display_name=username, reports_to=reports_to)
        set_roles(user=user, roles={role})
        project.staff.add(user)
        self.counts["staff"] = self.counts.get("staff", 0) + 1
        return user

    # Customers and everything that hangs off them, one batch at a time.

    def customers(self, first: int, size: int) -> None:
        rows = []
        for index in range(first, first + size):
            project = self.projects[index // CUSTOMERS_PER_PROJECT]
            consultants = self.consultants[project.pk]
            rows.append(
                Customer(
                    company=self.company,
                    project=project,
                    name=self.rng.choice(SURNAMES) + "".join(self.rng.choices(GIVEN, k=self.rng.choice((1, 2)))),
                    mobile=f"+86137{index:08d}",
                    birthday=datetime.date(self.rng.randrange(1950, 2000), self.rng.randrange(1, 13), 1)
                    + datetime.timedelta(days=self.rng.randrange(28)),
                    source_channel=self.rng.choice(SourceChannel.values),
                    consents_to_messages=self.rng.random() < 0.8,
                    consultant=consultants[index % len(consultants)],
                )
            )
        customers = self._count("customers", Customer.objects.bulk_create(rows))
        customers_written.send(sender=Customer, customer_ids=[customer.pk for customer in customers])
        self._leads(customers)
        purchases = self._purchases([c for c in customers if self.rng.random() < PURCHASE_SHARE])
        self._memberships([c for c in customers if self.rng.random() < MEMBER_SHARE])
        self._care_tasks(purchases)
        self._messages(customers)
        self._complaints([c for c in customers if self.rng.random() < COMPLAINT_SHARE])
        self._repair_orders([p for p in purchases if self.rng.random() < REPAIR_SHARE / PURCHASE_SHARE])
        self._responses([c for c in customers if self.rng.random() < RESPONSE_SHARE], purchases)

    def _leads(self, customers: list[Customer]) -> None:
        grades, weights = zip(*GRADES, strict=True)
        leads = []
        for customer in customers:
            grade = self.rng.choices(grades, weights)[0]
            invalid = grade == LeadGrade.INVALID
            graded_at = self._moment(400)
            leads.append(
                Lead(
                    customer=customer,
                    project_id=customer.project_id,
                    consultant_id=customer.consultant_id,
                    grade=grade,
                    status=LeadStatus.ARCHIVED if invalid else LeadStatus.ACTIVE,
                    graded_at=graded_at,
                    # about a third are overdue, as a busy sales office's are
                    next_follow_up_on=None if invalid else self.today + datetime.timedelta(self.rng.randint(-20, 30)),
                    last_follow_up_at=graded_at,
                    archived_at=graded_at if invalid else None,
                )
            )
        leads = self._count("leads", Lead.objects.bulk_create(leads))
        follow_ups = [
            FollowUp(
                lead=lead,
                project_id=lead.project_id,
                consultant_id=lead.consultant_id,
                method=self.rng.choice(FollowUpMethod.values),
                content="电话沟通，介绍新推房源",
                reaction=self.rng.choice(Reaction.values),
                happened_at=self._moment(300),
                grade=lead.grade,
                next_on=lead.next_follow_up_on,
            )
            for lead in leads
            for _ in range(self.rng.randrange(4))
        ]
        self._count("follow-ups", FollowUp.objects.bulk_create(follow_ups, batch_size=BATCH))

    def _purchases(self, customers: list[Customer]) -> list[Purchase]:
        purchases = []
        for customer in customers:
            units = self.units[customer.project_id]
            if not units:
                continue
            unit = units.pop()
            reached = self.rng.randrange(len(MILESTONES) + 1)  # the last value: cancelled
            subscribed = self.today - datetime.timedelta(days=self.rng.randrange(60, 1500))
            dates = [subscribed + datetime.timedelta(days=30 * step) for step in range(len(MILESTONES))]
            dates = [d if d <= self.today else None for d in dates]
            cancelled = reached == len(MILESTONES)
            status = PurchaseStatus.CANCELLED if cancelled else MILESTONES[reached]
            if not cancelled and dates[reached] is None:
                status, reached = PurchaseStatus.SUBSCRIBED, 0
            steps = 0 if cancelled else reached
            purchases.append(
                Purchase(
                    customer=customer,
                    project_id=customer.project_id,
                    unit=unit,
                    consultant_id=customer.consultant_id,
                    status=status,
                    price=unit.list_price,
                    subscribed_on=subscribed,
                    signed_on=dates[1] if steps >= 1 else None,
                    loan_disbursed_on=dates[2] if steps >= 2 else None,
                    delivered_on=dates[3] if steps >= 3 else None,
                    moved_in_on=dates[4] if steps >= 4 else None,
                    cancelled_on=subscribed + datetime.timedelta(days=2) if cancelled else None,
                    cancellation_reason="客户资金原因" if cancelled else "",
                )
            )
        purchases = self._count("purchases", Purchase.objects.bulk_create(purchases))
        for status, unit_status in UNIT_STATUS.items():
            Unit.objects.filter(pk__in=[p.unit_id for p in purchases if p.status == status]).update(status=unit_status)
        return purchases

    def _memberships(self, customers: list[Customer]) -> None:
        rows = [
            Membership(
                customer=customer,
                member_number=f"LOAD{customer.pk:010d}",
                joined_on=self.today - datetime.timedelta(days=self.rng.randrange(1000)),
                source_project_id=customer.project_id,
                level=self.rng.choice(MemberLevel.values),
            )
            for customer in customers
        ]
        self._count("memberships", Membership.objects.bulk_create(rows))

    def _care_tasks(self, purchases: list[Purchase]) -> None:
        tasks = []
        for purchase in purchases:
            if purchase.status == PurchaseStatus.CANCELLED:
                continue
            duty = self.rng.choice(CARE_DUTIES)
            due = self.today + datetime.timedelta(days=self.rng.randint(-60, 30))
            status = self.rng.choice([TaskStatus.DUE, TaskStatus.DUE, TaskStatus.DONE, TaskStatus.DEFERRED])
            tasks.append(
                CareTask(
                    duty=duty,
                    subject_kind=SubjectKind.PURCHASE,
                    subject_id=purchase.pk,
                    period="",
                    company=self.company,
                    project_id=purchase.project_id,
                    customer_id=purchase.customer_id,
                    purchase=purchase,
                    unit_id=purchase.unit_id,
                    due_start=due - datetime.timedelta(days=7),
                    due_end=due,
                    owner_role=Role.CUSTOMER_SERVICE,
                    owner=self.service[purchase.project_id],
                    status=status,
                    deferred_until=due + datetime.timedelta(days=30) if status == TaskStatus.DEFERRED else None,
                    outcome="已电话回访" if status == TaskStatus.DONE else "",
                    completed_by=self.service[purchase.project_id] if status == TaskStatus.DONE else None,
                    completed_at=self.now if status == TaskStatus.DONE else None,
                    # A company whose daily scan has run: a task past its window has raised its alert.
                    alerted_at=self.now if status == TaskStatus.DUE and due < self.today else None,
                )
            )
        self._count("care tasks", CareTask.objects.bulk_create(tasks, batch_size=BATCH))

    def _messages(self, customers: list[Customer]) -> None:
        statuses = [MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.QUEUED, MessageStatus.FAILED]
        messages = []
        for customer in customers[::2]:
            status = self.rng.choice(statuses)
            sent = status in (MessageStatus.SENT, MessageStatus.DELIVERED)
            at = self._moment(200)
            messages.append(
                OutboundMessage(
                    customer=customer,
                    project_id=customer.project_id,
                    purpose="birthday_greeting",
                    dedupe_key=f"load:birthday:{customer.pk}",
                    body=f"尊敬的{customer.name}，祝您生日快乐！",
                    status=status,
                    send_after=at,
                    attempts=1 if sent or status == MessageStatus.FAILED else 0,
                    sent_at=at if sent else None,
                    delivered_at=at if status == MessageStatus.DELIVERED else None,
                    last_error="gateway answered 500" if status == MessageStatus.FAILED else "",
                )
            )
        self._count("messages", OutboundMessage.objects.bulk_create(messages, batch_size=BATCH))

    def _complaints(self, customers: list[Customer]) -> None:
        complaints = []
        for customer in customers:
            reached = self.rng.randrange(len(COMPLAINT_PATH))
            # A complaint still being handled came in within the last month; a handled one in the last two years.
            received = self._moment(30 if reached < 5 else 700)
            complaint = Complaint(
                company=self.company,
                project_id=customer.project_id,
                customer=customer,
                channel=self.rng.choice(Channel.values),
                category=self.rng.choice(self.categories),
                title="卫生间渗水",
                content="业主反映卫生间天花板渗水，影响使用。",
                validity=Validity.VALID if reached >= 1 else Validity.PENDING,
                severity=self.rng.choices([Severity.MINOR, Severity.MAJOR, Severity.CRISIS], [90, 9, 1])[0],
                state=COMPLAINT_PATH[reached][0],
                received_by=self.service[customer.project_id],
                received_at=received,
                department=self.rng.choice(self.departments) if reached >= 2 and self.departments else None,
                handler=self.service[customer.project_id] if reached >= 2 else None,
                deadline=received + datetime.timedelta(days=7) if reached >= 2 else None,
            )
            for step, (_state, field) in enumerate(COMPLAINT_PATH[1 : reached + 1], start=1):
                if field:
                    setattr(complaint, field, received + datetime.timedelta(hours=6 * step))
            complaint.plan = "安排维修班组上门" if reached >= 3 else ""
            complaint.resolution = "已修复" if reached >= 5 else ""
            complaint.summary = "业主满意" if reached >= 8 else ""
            if complaint.severity != Severity.MINOR and reached >= 1:
                complaint.reported_to_head_at = received + datetime.timedelta(minutes=self.rng.randrange(2, 20))
            if complaint.severity != Severity.MINOR and reached >= 3:
                complaint.solution_agreed_at = received + datetime.timedelta(hours=self.rng.randrange(4, 20))
            complaints.append(complaint)
        self._complaint_clocks(self._count("complaints", Complaint.objects.bulk_create(complaints, batch_size=BATCH)))

    def _complaint_clocks(self, complaints: list[Complaint]) -> None:
        """The clocks the workflow (complaints.services.clocks) leaves a complaint at its state, and a visited
        one's return visit by the project's customer service."""
        config = self.clock_settings
        clocks, visits = [], []
        for complaint in complaints:
            visit = self._complaint_visit(complaint)
            visits += [visit] if visit else []
            for kind, start, within, stopped in self._complaint_clock_spans(complaint, visit):
                due = clock_due(kind, start, within, config)
                clocks.append(self._clock(complaint=complaint, kind=kind, start=start, due=due, stopped=stopped))
        self._count("complaint clocks", SlaClock.objects.bulk_create(clocks, batch_size=BATCH))
        self._count("complaint visits", ReturnVisit.objects.bulk_create(visits, batch_size=BATCH))

    def _complaint_visit(self, complaint: Complaint) -> ReturnVisit | None:
        if complaint.state not in VISITED_COMPLAINT:
            return None
        methods = [VisitMethod.PHONE, VisitMethod.WECHAT]
        return ReturnVisit(
            complaint=complaint,
            project_id=complaint.project_id,
            visitor=self.service[complaint.project_id],
            method=self.rng.choice(methods) if complaint.severity == Severity.MINOR else VisitMethod.IN_PERSON,
            visited_at=complaint.verified_at + hours(self.rng.randrange(1, 12)),
            satisfaction=self.rng.choices(SATISFIED, [45, 45, 10])[0],
        )

    def _complaint_clock_spans(self, complaint: Complaint, visit: ReturnVisit | None):
        """(kind, started, within, stopped) of each clock: the response and auto-major clocks from the receipt
        (C5, C7), a major complaint's report and solution (C6), the plan and deadline from the dispatch (C4),
        all stopped by the resolution; then the return visit's (C9)."""
        config, received, resolved = self.clock_settings, complaint.received_at, complaint.resolved_at
        yield ClockKind.RESPONSE, received, hours(config.response_hours), complaint.responded_at or resolved
        yield ClockKind.AUTO_MAJOR, received, days(config.auto_major_days), resolved
        if complaint.severity != Severity.MINOR:
            report_within = datetime.timedelta(minutes=config.report_head_minutes)
            yield ClockKind.REPORT_HEAD, received, report_within, complaint.reported_to_head_at or resolved
            yield ClockKind.SOLUTION, received, hours(config.solution_hours), complaint.solution_agreed_at or resolved
        dispatched = complaint.dispatched_at
        if dispatched is not None:
            yield ClockKind.PLAN, dispatched, hours(config.plan_hours), complaint.plan_recorded_at or resolved
            yield ClockKind.DEADLINE, dispatched, complaint.deadline - dispatched, resolved
        if resolved is not None:
            yield ClockKind.RETURN_VISIT, resolved, hours(config.return_visit_hours), visit and visit.visited_at

    def _clock(self, *, start, due, stopped, **owner) -> SlaClock:
        """A clock as clocks.stop_clocks and the minute task leave it: met or breached when stopped, running
        until it is due, then breached."""
        clock = SlaClock(started_at=start, due_at=due, stopped_at=stopped, **owner)
        if (stopped or self.now) > due:
            clock.status, clock.breached_at = ClockStatus.BREACHED, due
        elif stopped is not None:
            clock.status = ClockStatus.MET
        return clock

    def _repair_orders(self, purchases: list[Purchase]) -> None:
        orders = []
        for purchase in purchases:
            if purchase.status not in (PurchaseStatus.DELIVERED, PurchaseStatus.MOVED_IN):
                continue
            state = self.rng.choice(REPAIR_PATH)
            reported = self._moment(400)
            done = REPAIR_PATH.index(state) >= REPAIR_PATH.index(RepairState.COMPLETED)
            orders.append(
                RepairOrder(
                    company=self.company,
                    project_id=purchase.project_id,
                    unit_id=purchase.unit_id,
                    customer_id=purchase.customer_id,
                    component_type=self.rng.choice(self.component_types) if self.component_types else None,
                    description="门窗关闭不严",
                    state=state,
                    reported_by=self.service[purchase.project_id],
                    reported_at=reported,
                    assignee=self.service[purchase.project_id] if state != RepairState.REPORTED else None,
                    completed_at=reported + datetime.timedelta(days=2) if done else None,
                    work_done="更换密封条" if done else "",
                    closed_at=reported + datetime.timedelta(days=5) if state == RepairState.CLOSED else None,
                )
            )
        self._return_visits(self._count("repair orders", RepairOrder.objects.bulk_create(orders, batch_size=BATCH)))

    def _return_visits(self, orders: list[RepairOrder]) -> None:
        """Rule C13 as the product leaves a completed order: its return-visit clock, running or past due;
        a visited or closed one's met by a visit of the project's customer service."""
        config = self.clock_settings
        clocks, visits = [], []
        for order in orders:
            if order.completed_at is None:
                continue
            visited = None
            if order.state in (RepairState.VISITED, RepairState.CLOSED):
                visited = order.completed_at + hours(self.rng.randrange(1, 24))
                visits.append(
                    ReturnVisit(
                        repair_order=order,
                        project_id=order.project_id,
                        visitor=self.service[order.project_id],
                        method=self.rng.choice(VisitMethod.values),
                        visited_at=visited,
                        satisfaction=self.rng.choices(Satisfaction.values, [40, 45, 10, 5])[0],
                    )
                )
            due = clock_due(ClockKind.RETURN_VISIT, order.completed_at, hours(config.return_visit_hours), config)
            clocks.append(
                self._clock(
                    repair_order=order, kind=ClockKind.RETURN_VISIT, start=order.completed_at, due=due, stopped=visited
                )
            )
        self._count("repair clocks", SlaClock.objects.bulk_create(clocks, batch_size=BATCH))
        self._count("return visits", ReturnVisit.objects.bulk_create(visits, batch_size=BATCH))

    def _responses(self, customers: list[Customer], purchases: list[Purchase]) -> None:
        bought = {purchase.customer_id: purchase for purchase in purchases}
        responses, answers = [], []
        for customer in customers:
            questionnaire = self.rng.choice(self.questionnaires)
            purchase = bought.get(customer.pk)
            scores = {
                item.pk: self.rng.choices([1, 2, 3, 4, 5], [3, 5, 15, 40, 37])[0] for item in questionnaire.items.all()
            }
            yes = {item.pk: self.rng.random() < 0.8 for item in questionnaire.items.all()}
            overall = next((scores[i.pk] for i in questionnaire.items.all() if i.role == ItemRole.OVERALL), None)
            response = Response(
                questionnaire=questionnaire,
                project_id=customer.project_id,
                customer=customer,
                purchase=purchase,
                source=self.rng.choice([ResponseSource.TABLET, ResponseSource.CALL_CENTER, ResponseSource.WEB]),
                kind=questionnaire.kind,
                step=questionnaire.step,
                segment=owner_segment(
                    moved_in_on=purchase.moved_in_on, on=self.today, variant=self.company.segment_variant
                ).value
                if purchase
                else RespondentSegment.VISITOR,
                overall_score=overall,
                would_buy_again=next(
                    (yes[i.pk] for i in questionnaire.items.all() if i.role == ItemRole.BUY_AGAIN), None
                ),
                would_recommend=next(
                    (yes[i.pk] for i in questionnaire.items.all() if i.role == ItemRole.RECOMMEND), None
                ),
                answered_at=self._moment(700),
            )
            responses.append(response)
            for item in questionnaire.items.all():
                if item.kind == ItemKind.SCALE:
                    answers.append(Answer(response=response, item=item, score=scores[item.pk]))
                elif item.kind == ItemKind.YES_NO:
                    answers.append(Answer(response=response, item=item, yes=yes[item.pk]))
        self._count("survey responses", Response.objects.bulk_create(responses, batch_size=BATCH))
        for answer in answers:
            answer.response_id = answer.response.pk
        self._count("answers", Answer.objects.bulk_create(answers, batch_size=BATCH))

    # Project by project, once every customer is in.

    def survey_campaigns(self) -> None:
        """A campaign a quarter for the last six, the latest still sent, the others closed. Each invites some of the
        project's customers, among them those whose survey response was to its questionnaire, who answered through
        their invitation; the others were reminded once, three days after it was sent."""
        for project in self.projects:
            customers = list(Customer.objects.filter(project=project).order_by("pk").values_list("pk", flat=True))
            responses = list(Response.objects.filter(project=project).order_by("pk"))
            responders = {response.customer_id for response in responses}
            others = [pk for pk in customers if pk not in responders]
            per_campaign = min(INVITED_PER_CAMPAIGN, len(customers) // CAMPAIGNS_PER_PROJECT)
            campaigns = Campaign.objects.bulk_create(
                Campaign(
                    name=f"业主满意度调查（{quarter + 1}季度前）",
                    questionnaire=self.questionnaires[quarter % len(self.questionnaires)],
                    project=project,
                    status=CampaignStatus.SENT if quarter == 0 else CampaignStatus.CLOSED,
                    public_base_url="https://crm.example.com",
                    sent_at=self.now - days(91 * quarter + self.rng.randrange(10)),
                    created_by=self.service[project.pk],
                )
                for quarter in range(CAMPAIGNS_PER_PROJECT)
            )
            self._count("survey campaigns", campaigns)
            answering = self._answering(campaigns, responses)
            invitations = []
            for campaign in campaigns:
                answered = {response.customer_id: response for response in answering[campaign.pk]}
                invited = list(answered)
                invited += self.rng.sample(others, max(0, min(len(others), per_campaign - len(invited))))
                hours_open = max(1, min(days(campaign.link_valid_days), self.now - campaign.sent_at) // hours(1))
                for customer_id in invited:
                    response = answered.get(customer_id)
                    if response is not None:
                        response.answered_at = campaign.sent_at + hours(self.rng.randrange(hours_open))
                    invitations.append(
                        Invitation(
                            campaign=campaign,
                            customer_id=customer_id,
                            token_hash=self._token_hash(),
                            expires_at=campaign.sent_at + days(campaign.link_valid_days),
                            answered_at=response.answered_at if response else None,
                        )
                    )
            invitations = self._count("invitations", Invitation.objects.bulk_create(invitations, batch_size=BATCH))
            answered_by = {
                (campaign_pk, response.customer_id): response
                for campaign_pk, answered in answering.items()
                for response in answered
            }
            linked = []
            for invitation in invitations:
                response = answered_by.get((invitation.campaign_id, invitation.customer_id))
                if response is not None:
                    response.invitation = invitation
                    linked.append(response)
            Response.objects.bulk_update(linked, ["invitation", "answered_at"], batch_size=1_000)
            reminders = [
                Reminder(invitation=invitation, number=1, token_hash=self._token_hash())
                for invitation in invitations
                if invitation.answered_at is None and invitation.campaign.sent_at + days(3) <= self.now
            ]
            self._count("survey reminders", Reminder.objects.bulk_create(reminders, batch_size=BATCH))

    def _answering(self, campaigns: list[Campaign], responses: list[Response]) -> dict[int, list[Response]]:
        """The responses each campaign was answered by: those to its questionnaire, shared between the campaigns
        that asked it."""
        answering = {campaign.pk: [] for campaign in campaigns}
        for questionnaire in self.questionnaires:
            asking = [campaign for campaign in campaigns if campaign.questionnaire_id == questionnaire.pk]
            answers = [response for response in responses if response.questionnaire_id == questionnaire.pk]
            for index, response in enumerate(answers if asking else []):
                answering[asking[index % len(asking)].pk].append(response)
        return answering

    def _token_hash(self) -> str:
        return hash_token(f"{self.rng.getrandbits(128):032x}")

    def visit_rounds(self) -> None:
        """J15 as a year of daily scans leaves it: a round for each project and year of deliveries, its sample of
        three-month visits, a quarter of which found an issue. The rounds of past years are closed, every visit done
        and every issue resolved; this year's is under way."""
        delivered = (
            Purchase.objects.filter(project__in=self.projects, delivered_on__isnull=False)
            .exclude(status=PurchaseStatus.CANCELLED)
            .annotate(year=ExtractYear("delivered_on"))
            .values_list("project_id", "year")
            .annotate(n=Count("pk"))
            .order_by("project_id", "year")
        )
        projects, rounds = {project.pk: project for project in self.projects}, []
        for project_id, year, units in delivered:
            care = care_settings_for(projects[project_id])
            past = year < self.today.year
            rounds.append(
                VisitRound(
                    project_id=project_id,
                    year=year,
                    delivered_units=units,
                    target=sample_target(delivered_units=units, settings=care),
                    summary="本年度回访完成，问题均已闭环。" if past else "",
                    closed_by=self.service[project_id] if past else None,
                    closed_at=min(self.now, self.now.replace(year=year + 1, month=3, day=31)) if past else None,
                )
            )
        for visit_round in self._count("visit rounds", VisitRound.objects.bulk_create(rounds)):
            self._sample(visit_round)

    def _sample(self, visit_round: VisitRound) -> None:
        visits = (
            CareTask.objects.filter(
                project_id=visit_round.project_id,
                duty=Duty.THREE_MONTH_VISIT,
                purchase__delivered_on__year=visit_round.year,
            )
            .exclude(purchase__status=PurchaseStatus.CANCELLED)
            .order_by("pk")
        )
        sampled = list(visits.values_list("pk", flat=True)[: visit_round.target])
        tasks = CareTask.objects.filter(pk__in=sampled)
        tasks.update(visit_round=visit_round)
        if visit_round.closed_at:
            tasks.update(
                status=TaskStatus.DONE,
                outcome="已上门回访",
                deferred_until=None,
                alerted_at=None,
                completed_by=visit_round.closed_by,
                completed_at=visit_round.closed_at,
            )
        self._count("round visits", sampled)
        found = [pk for pk in sampled if self.rng.random() < ISSUE_SHARE]
        still_open = visit_round.closed_at is None
        issues = [
            CareIssue(
                task_id=pk,
                description="厨房墙面有裂缝",
                status=IssueStatus.OPEN if still_open and self.rng.random() < 0.5 else IssueStatus.CLOSED,
            )
            for pk in found
        ]
        for issue in issues:
            if issue.status == IssueStatus.CLOSED:
                issue.resolution, issue.closed_at = "已修补", visit_round.closed_at or self.now
                issue.closed_by_id = self.service[visit_round.project_id].pk
        self._count("visit issues", CareIssue.objects.bulk_create(issues, batch_size=BATCH))

    def crises(self) -> None:
        """C8: a crisis complaint reported to the head opened its crisis record, where two to four actions were
        written; a closed complaint's crisis is closed with its conclusion."""
        complaints = Complaint.objects.filter(
            project__in=self.projects, severity=Severity.CRISIS, reported_to_head_at__isnull=False
        ).order_by("pk")
        records, actions = [], []
        for complaint in complaints:
            closed = complaint.state in (ComplaintState.CLOSED, ComplaintState.ARCHIVED)
            record = CrisisRecord(
                complaint=complaint,
                status=CrisisStatus.CLOSED if closed else CrisisStatus.OPEN,
                opened_at=complaint.reported_to_head_at,
                closed_at=complaint.closed_at if closed else None,
                conclusion="已与业主达成一致，舆情平息。" if closed else "",
            )
            records.append(record)
            actions += [
                CrisisAction(
                    crisis=record,
                    at=complaint.reported_to_head_at + hours(2 * number + 1),
                    actor=self.service[complaint.project_id],
                    description="联系业主当面沟通，安排工程人员现场查看",
                )
                for number in range(self.rng.randint(2, 4))
            ]
        self._count("crises", CrisisRecord.objects.bulk_create(records))
        for action in actions:
            action.crisis_id = action.crisis.pk
        self._count("crisis actions", CrisisAction.objects.bulk_create(actions, batch_size=BATCH))

    def defects(self) -> None:
        """D1: a product defect raised from each repair order, and from some of the complaints dispatched, a day
        after the report or the dispatch, in each of the three categories."""
        orders = (
            RepairOrder.objects.filter(project__in=self.projects)
            .order_by("pk")
            .values_list("pk", "project_id", "unit_id", "component_type_id", "reported_at")
        )
        complaints = (
            Complaint.objects.filter(project__in=self.projects, dispatched_at__isnull=False)
            .order_by("pk")
            .values_list("pk", "project_id", "department_id", "dispatched_at")
        )
        defects = [
            Defect(
                project_id=project_id,
                category=self.rng.choice(DefectCategory.values),
                source=DefectSource.REPAIR,
                repair_order_id=pk,
                unit_id=unit_id,
                component_type_id=component_type_id,
                title="门窗密封条老化",
                raised_by=self.service[project_id],
                raised_at=reported_at + days(1),
            )
            for pk, project_id, unit_id, component_type_id, reported_at in orders
        ]
        defects += [
            Defect(
                project_id=project_id,
                category=self.rng.choice(DefectCategory.values),
                source=DefectSource.COMPLAINT,
                complaint_id=pk,
                title="卫生间防水层施工不到位",
                responsible_department_id=department_id,
                raised_by=self.service[project_id],
                raised_at=dispatched_at + days(1),
            )
            for pk, project_id, department_id, dispatched_at in complaints
            if self.rng.random() < DEFECT_SHARE
        ]
        self._count("defects", Defect.objects.bulk_create(defects, batch_size=BATCH))
