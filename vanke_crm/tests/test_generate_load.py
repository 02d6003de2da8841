"""The benchmark data generator makes a company every list and report can be run against (issue 15)."""

import io

import pytest
from django.core.management import CommandError, call_command

from complaints.choices import ClockKind, ClockStatus, ComplaintState, RepairState, Severity
from complaints.models import Complaint, RepairOrder, SlaClock
from core.models import User
from core.testing import api_client
from members.choices import LeadGrade, PurchaseStatus
from members.models import Customer, Lead, Purchase
from surveys.models import Response

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
    for resource in ("customers", "leads", "purchases", "care-tasks", "complaints", "repair-orders", "messages"):
        answer = api.get(f"/api/v1/{resource}/?page_size=100")
        assert answer.status_code == 200, resource
        assert answer.json()["results"], resource
