"""Scheduled duties (L3–L6): right on a frozen clock, and running twice changes nothing."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.roles import Role
from core.testing import make_staff
from members import services, tasks
from members.choices import GradeChangeKind, ReportKind
from members.models import GradeChange, OverdueFlag, SalesReport

from .factories import FollowUpFactory, LeadFactory, PurchaseFactory

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
TODAY = datetime.datetime(2026, 11, 24, 8, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.mark.rule("L3")
def test_an_overdue_follow_up_is_flagged_to_the_consultant_and_the_supervisor_once(customer, consultant, staff):
    overdue = LeadFactory(customer=customer, next_follow_up_on=datetime.date(2026, 11, 23))
    LeadFactory(
        project=customer.project,
        customer__project=customer.project,
        consultant=consultant,
        next_follow_up_on=datetime.date(2026, 11, 24),
    )  # due today: not overdue

    assert tasks.flag_overdue_follow_ups() == 2
    assert tasks.flag_overdue_follow_ups() == 0

    flags = OverdueFlag.objects.all()
    assert {flag.recipient for flag in flags} == {consultant, staff[Role.SALES_SUPERVISOR]}
    assert {flag.lead for flag in flags} == {overdue}


def test_a_second_run_flags_only_whom_the_first_did_not_and_reads_the_same_statements_for_any_backlog(
    project, consultant, staff
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    supervisor = staff[Role.SALES_SUPERVISOR]
    newcomer = make_staff(Role.CONSULTANT, projects=[project], username="newcomer")  # in no team yet
    overdue = datetime.date(2026, 11, 20)
    LeadFactory.create_batch(
        2, project=project, customer__project=project, consultant=consultant, next_follow_up_on=overdue
    )
    LeadFactory(project=project, customer__project=project, consultant=newcomer, next_follow_up_on=overdue)
    with CaptureQueriesContext(connection) as few:
        assert services.flag_overdue_follow_ups() == 5  # each to its consultant, the team's two to their supervisor

    newcomer.reports_to = staff[Role.TEAM_LEADER]
    newcomer.save()
    LeadFactory.create_batch(
        10, project=project, customer__project=project, consultant=consultant, next_follow_up_on=overdue
    )
    with CaptureQueriesContext(connection) as many:
        assert services.flag_overdue_follow_ups() == 21  # the ten new, twice; the newcomer's lead to the supervisor
    assert services.flag_overdue_follow_ups() == 0

    assert OverdueFlag.objects.filter(recipient=supervisor).count() == 13
    assert OverdueFlag.objects.filter(recipient=newcomer).count() == 1
    assert len(many) == len(few)


@pytest.mark.rule("L4")
def test_the_supervisor_receives_the_teams_a_and_b_follow_ups_daily(customer, consultant, staff, project):
    a_lead = LeadFactory(customer=customer, grade="A")
    FollowUpFactory(lead=a_lead, happened_at=TODAY, content="A 客户回访")
    FollowUpFactory(
        lead=LeadFactory(customer__project=project, consultant=consultant, grade="C"),
        happened_at=TODAY,
        content="C 客户回访",
    )
    outsider = make_staff(Role.CONSULTANT, projects=[project])
    FollowUpFactory(
        lead=LeadFactory(customer__project=project, consultant=outsider, grade="B"),
        happened_at=TODAY,
        content="别的团队",
    )

    assert tasks.send_daily_ab_digests() == 1
    with CaptureQueriesContext(connection) as again:
        assert tasks.send_daily_ab_digests() == 0
    assert not [query for query in again if "members_followup" in query["sql"]]  # (the day's are not read again)

    report = SalesReport.objects.get(kind=ReportKind.DAILY_AB)
    assert report.recipient == staff[Role.SALES_SUPERVISOR]
    assert [row["content"] for row in report.payload["follow_ups"]] == ["A 客户回访"]


@pytest.mark.rule("L5")
def test_a_weekly_summary_per_grade_and_consultant_is_built_once(customer, consultant, project):
    LeadFactory(customer=customer, grade="A")
    LeadFactory(customer__project=project, consultant=consultant, grade="B")
    lead = LeadFactory(customer__project=project, consultant=consultant, grade="B")
    FollowUpFactory(lead=lead, happened_at=TODAY - datetime.timedelta(days=3))  # Friday of last week

    assert tasks.build_weekly_summaries() == 1
    assert tasks.build_weekly_summaries() == 0

    report = SalesReport.objects.get(kind=ReportKind.WEEKLY)
    assert (report.period_start, report.period_end) == (datetime.date(2026, 11, 16), datetime.date(2026, 11, 22))
    row = report.payload["rows"][0]
    assert row["consultant_id"] == consultant.pk
    assert row["grades"]["A"] == 1 and row["grades"]["B"] == 2 and row["follow_ups"] == 1


@pytest.mark.rule("L6")
def test_the_monthly_cycle_demotes_an_undecided_a_and_a_weakened_b_once(customer, consultant, project):
    month_ago = timezone.now() - datetime.timedelta(days=30)
    undecided = LeadFactory(customer=customer, grade="A", graded_at=month_ago)
    bought = LeadFactory(customer__project=project, consultant=consultant, grade="A", graded_at=month_ago)
    PurchaseFactory(customer=bought.customer)
    weakened = LeadFactory(customer__project=project, consultant=consultant, grade="B", graded_at=month_ago)
    FollowUpFactory(lead=weakened, reaction="weakened", happened_at=timezone.now() - datetime.timedelta(days=4))
    steady = LeadFactory(customer__project=project, consultant=consultant, grade="B", graded_at=month_ago)
    young = LeadFactory(
        customer__project=project,
        consultant=consultant,
        grade="A",
        graded_at=timezone.now() - datetime.timedelta(days=29),
    )

    assert tasks.run_monthly_cycle() == 2
    assert tasks.run_monthly_cycle() == 0

    grades = {
        lead.pk: lead.__class__.objects.get(pk=lead.pk).grade for lead in (undecided, bought, weakened, steady, young)
    }
    assert grades == {undecided.pk: "B", bought.pk: "A", weakened.pk: "C", steady.pk: "B", young.pk: "A"}
    assert set(GradeChange.objects.values_list("kind", flat=True)) == {GradeChangeKind.CYCLE}


@pytest.mark.rule("L6")
def test_the_database_refuses_a_second_cycle_change_of_the_same_lead(customer):
    from django.db import IntegrityError, transaction

    lead = LeadFactory(customer=customer, grade="A")
    GradeChange.objects.create(
        lead=lead, from_grade="A", to_grade="B", reason="cycle", kind="cycle", cycle=datetime.date(2026, 11, 24)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        GradeChange.objects.create(
            lead=lead, from_grade="B", to_grade="C", reason="cycle", kind="cycle", cycle=datetime.date(2026, 11, 24)
        )


def test_the_duties_are_scheduled():
    from core import schedules

    tasks_scheduled = {duty.task for duty in schedules.registered()}
    assert {
        "members.flag_overdue_follow_ups",
        "members.send_daily_ab_digests",
        "members.build_weekly_summaries",
        "members.run_monthly_cycle",
    } <= tasks_scheduled


def test_services_take_an_explicit_day(customer):
    LeadFactory(customer=customer, next_follow_up_on=datetime.date(2026, 11, 1))
    assert services.flag_overdue_follow_ups(on=datetime.date(2026, 11, 1)) == 0
    assert services.flag_overdue_follow_ups(on=datetime.date(2026, 11, 2)) == 2
