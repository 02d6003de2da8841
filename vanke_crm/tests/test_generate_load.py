"""The benchmark data generator makes a company every list and report can be run against (issue 15)."""

import io

import pytest
from django.db.models import F
from django.core.management import CommandError, call_command

from complaints.choices import (
    ClockKind,
    ClockStatus,
    ComplaintState,
    DefectCategory,
    DefectSource,
    RepairState,
    Severity,
)
from complaints.models import Complaint, CrisisRecord, Defect, RepairOrder, SlaClock
from core.models import User
from core.testing import api_client
from members.choices import LeadGrade, PurchaseStatus
from members.models import Customer, Lead, Purchase
from surveys.choices import CampaignStatus
from surveys.models import Campaign, Invitation, Reminder, Response
from touchpoints.choices import Duty, IssueStatus, TaskStatus
from touchpoints.models import CareIssue, CareTask, VisitRound

pytestmark = pytest.mark.django_db


def generate(customers=400, seed=7):
    output = io.StringIO()
    call_command(
        "generate_load", "--customers", str(customers), "--seed", str(seed), "--as-of", "2026-12-01", stdout=output
    )
    return output.getvalue()


def test_refuses_without_the_demo_catalogue():
    with pytest.raises(CommandError, match="seed_demo"):
        generate()


def test_a_company_with_every_grade_milestone_and_complaint_state_that_the_api_serves():
    call_command("seed_demo", "--force", stdout=io.StringIO())
    report = generate()

    customers = Customer.objects.filter(company__name="负载测试地产")
    assert customers.count() == 400 and "400 customers" in report
    assert Lead.objects.filter(customer__in=customers).count() == 400
    grades = set(Lead.objects.filter(customer__in=customers).values_list("grade", flat=True))
    assert grades == set(LeadGrade.values)
    milestones = set(Purchase.objects.filter(customer__in=customers).values_list("status", flat=True))
    assert milestones == set(PurchaseStatus.values)
    assert Complaint.objects.filter(customer__in=customers).values("state").distinct().count() >= 5
    assert Response.objects.filter(customer__in=customers).exists()
    orders = RepairOrder.objects.filter(customer__in=customers)
    visited = orders.filter(state__in=[RepairState.VISITED, RepairState.CLOSED])
    waiting = orders.filter(state=RepairState.COMPLETED)
    assert visited.exists() and waiting.exists()
    assert set(visited.values_list("clocks__status", flat=True)) == {ClockStatus.MET}
    assert visited.filter(return_visits__isnull=True).count() == 0
    assert ClockStatus.MET not in set(waiting.values_list("clocks__status", flat=True))
    assert waiting.filter(clocks__isnull=True).count() == 0 and not waiting.filter(return_visits__isnull=False)
    not_done = orders.filter(state__in=[RepairState.REPORTED, RepairState.ASSIGNED, RepairState.IN_PROGRESS])
    assert not not_done.filter(clocks__isnull=False)

    complaints = Complaint.objects.filter(customer__in=customers)
    assert complaints.exclude(clocks__kind=ClockKind.RESPONSE).count() == 0
    assert complaints.exclude(severity=Severity.MINOR).exclude(clocks__kind=ClockKind.REPORT_HEAD).count() == 0
    assert complaints.filter(severity=Severity.MINOR, clocks__kind=ClockKind.SOLUTION).count() == 0
    assert not complaints.filter(dispatched_at__isnull=True, clocks__kind=ClockKind.PLAN)
    open_clocks = SlaClock.objects.filter(complaint__in=complaints, stopped_at__isnull=True)
    assert set(open_clocks.values_list("status", flat=True)) == {ClockStatus.RUNNING, ClockStatus.BREACHED}
    assert not open_clocks.filter(complaint__resolved_at__isnull=False).exclude(kind=ClockKind.RETURN_VISIT)
    visited_complaints = complaints.filter(state__in=[ComplaintState.VISITED, ComplaintState.CLOSED])
    assert visited_complaints.exists() and visited_complaints.filter(return_visits__isnull=True).count() == 0
    return_clocks = SlaClock.objects.filter(complaint__in=visited_complaints, kind=ClockKind.RETURN_VISIT)
    assert set(return_clocks.values_list("status", flat=True)) == {ClockStatus.MET}

    with pytest.raises(CommandError, match="exists already"):
        generate()

    head = User.objects.get(username="demo-head")
    api = api_client(head)
    for resource in (
        "customers",
        "leads",
        "purchases",
        "care-tasks",
        "complaints",
        "repair-orders",
        "messages",
        "survey-campaigns",
        "visit-rounds",
        "crises",
        "defects",
    ):
        answer = api.get(f"/api/v1/{resource}/?page_size=100")
        assert answer.status_code == 200, resource
        assert answer.json()["results"], resource


def test_each_projects_consultants_report_to_its_supervisor_who_is_told_of_their_overdue_follow_ups():
    import datetime

    from members.models import OverdueFlag
    from members.services import flag_overdue_follow_ups

    call_command("seed_demo", "--force", stdout=io.StringIO())
    generate(customers=200)
    leads = Lead.objects.filter(customer__company__name="负载测试地产", consultant__isnull=False)

    flagged = flag_overdue_follow_ups(on=datetime.date(2026, 12, 1))

    overdue = leads.filter(status="active", next_follow_up_on__lt=datetime.date(2026, 12, 1))
    assert overdue.exists() and flagged == 2 * overdue.count()
    told = OverdueFlag.objects.filter(lead__in=overdue).exclude(recipient=F("lead__consultant"))
    assert {flag.recipient.username for flag in told.select_related("recipient")} == {"load-0-supervisor"}
    assert User.objects.get(username="load-0-supervisor").reports_to.username == "load-0-manager"


def test_each_project_has_its_campaigns_visit_rounds_crises_and_defects_as_the_workflows_leave_them():
    call_command("seed_demo", "--force", stdout=io.StringIO())
    report = generate(customers=3_000, seed=3)

    project = Customer.objects.get(mobile="+8613700000000").project
    campaigns = Campaign.objects.filter(project=project)
    assert campaigns.count() == 6 and "6 survey campaigns" in report
    assert set(campaigns.values_list("status", flat=True)) == {CampaignStatus.SENT, CampaignStatus.CLOSED}
    invitations = Invitation.objects.filter(campaign__project=project)
    answered = invitations.filter(answered_at__isnull=False)
    assert answered.exists() and invitations.filter(answered_at__isnull=True).exists()
    # an answered invitation is the one its customer's response came through, answered at the same moment
    linked = Response.objects.filter(invitation__in=answered)
    assert linked.count() == answered.count()
    assert not linked.exclude(customer=F("invitation__customer")).exclude(answered_at=F("invitation__answered_at"))
    assert not linked.exclude(questionnaire=F("invitation__campaign__questionnaire"))
    reminded = Reminder.objects.filter(invitation__campaign__project=project)
    assert reminded.exists() and not reminded.filter(invitation__answered_at__isnull=False)

    rounds = VisitRound.objects.filter(project__company__name="负载测试地产")
    assert rounds.filter(closed_at__isnull=True).exists() and rounds.filter(closed_at__isnull=False).exists()
    for visit_round in rounds:
        sampled = CareTask.objects.filter(visit_round=visit_round)
        assert 0 < sampled.count() <= visit_round.target
        assert set(sampled.values_list("duty", flat=True)) == {Duty.THREE_MONTH_VISIT}
        assert not sampled.exclude(purchase__delivered_on__year=visit_round.year)
        if visit_round.closed_at:
            assert set(sampled.values_list("status", flat=True)) == {TaskStatus.DONE}
            assert not CareIssue.objects.filter(task__visit_round=visit_round, status=IssueStatus.OPEN)
    assert CareIssue.objects.filter(task__visit_round__in=rounds, status=IssueStatus.OPEN).exists()

    crisis_complaints = Complaint.objects.filter(
        project__company__name="负载测试地产", severity=Severity.CRISIS, reported_to_head_at__isnull=False
    )
    assert crisis_complaints.exists()
    crises = CrisisRecord.objects.filter(complaint__in=crisis_complaints)
    assert crises.count() == crisis_complaints.count()
    assert not crises.filter(actions__isnull=True)

    defects = Defect.objects.filter(project__company__name="负载测试地产")
    orders = RepairOrder.objects.filter(project__company__name="负载测试地产")
    assert defects.filter(source=DefectSource.REPAIR).count() == orders.count()
    assert set(defects.values_list("category", flat=True)) == set(DefectCategory.values)
    raised_from_complaints = defects.filter(source=DefectSource.COMPLAINT)
    assert raised_from_complaints.exists()
    assert not raised_from_complaints.filter(complaint__dispatched_at__isnull=True)
