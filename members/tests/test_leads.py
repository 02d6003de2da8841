"""Leads: grading by the checklist (L1), same-day and cadence follow-ups (L2, L3), approvals (L6–L8), history (L9)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.errors import DomainError, TransitionNotAllowed
from core.roles import Role
from core.testing import make_staff
from members import services
from members.choices import ApprovalKind, ApprovalStatus, LeadCriterion, LeadGrade, LeadStatus, Reaction
from members.models import GradeChange, LeadApproval

from .factories import B_CRITERIA, CRITERIA, FollowUpFactory, LeadFactory

TODAY = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(TODAY, tick=False):
        yield


def open_lead(customer, consultant, grade, criteria=None):
    return services.open_lead(
        customer=customer,
        project=customer.project,
        grade=grade,
        criteria=CRITERIA[grade] if criteria is None else criteria,
        actor=consultant,
    )


@pytest.mark.rule("L1")
@pytest.mark.parametrize(
    ("grade", "criteria", "missing"),
    [
        ("A", ["unit_chosen", "funds_ready"], LeadCriterion.MONEY_PAID),
        ("B", B_CRITERIA[:-1], LeadCriterion.ACCEPTS_PRICE),
    ],
)
def test_a_or_b_without_the_grades_criteria_is_refused_naming_what_is_missing(
    customer, consultant, grade, criteria, missing
):
    with pytest.raises(DomainError) as refused:
        open_lead(customer, consultant, grade, criteria)

    assert refused.value.field == "criteria" and str(missing.label) in str(refused.value.message)
    assert not customer.leads.exists()


@pytest.mark.rule("L1")
@pytest.mark.parametrize("grade", [grade for grade in LeadGrade if grade != LeadGrade.INVALID])
def test_every_grade_can_be_given_with_its_criteria(customer, consultant, grade):
    criteria = CRITERIA[grade]

    lead = open_lead(customer, consultant, grade, criteria)

    assert lead.grade == grade and lead.criteria == sorted(criteria)


@pytest.mark.rule("L1")
def test_one_lead_per_customer_and_project(customer, consultant):
    open_lead(customer, consultant, "C")
    with pytest.raises(DomainError):
        open_lead(customer, consultant, "C")


@pytest.mark.rule("L2")
@pytest.mark.parametrize("grade", ["A", "B", "C", "C1", "C2"])
def test_a_newly_graded_a_b_or_c_lead_is_due_the_same_day(customer, consultant, grade):
    lead = open_lead(customer, consultant, grade)
    assert lead.next_follow_up_on == TODAY.date()


@pytest.mark.rule("L2")
def test_regrading_upwards_makes_a_return_visit_due_today(customer, consultant):
    lead = LeadFactory(customer=customer, next_follow_up_on=TODAY.date() + datetime.timedelta(days=5))

    services.regrade_lead(lead=lead, grade="B", criteria=B_CRITERIA, reason="选好了户型", actor=consultant)

    lead.refresh_from_db()
    assert lead.grade == "B" and lead.next_follow_up_on == TODAY.date()


@pytest.mark.rule("L3")
@pytest.mark.parametrize(("grade", "days"), [("A", 7), ("B", 5), ("C", 7), ("C1", 7), ("C2", 7)])
def test_the_next_follow_up_falls_due_by_the_grades_cadence(customer, consultant, grade, days):
    lead = LeadFactory(customer=customer, grade=grade)

    services.record_follow_up(lead=lead, method="call", content="回访", actor=consultant)

    lead.refresh_from_db()
    assert lead.next_follow_up_on == TODAY.date() + datetime.timedelta(days=days)


@pytest.mark.rule("L3")
def test_a_b_lead_is_never_left_longer_than_five_days_but_may_be_sooner(customer, consultant):
    lead = LeadFactory(customer=customer, grade="B")

    with pytest.raises(DomainError) as refused:
        services.record_follow_up(
            lead=lead,
            method="call",
            content="回访",
            actor=consultant,
            next_on=TODAY.date() + datetime.timedelta(days=10),
        )
    assert (refused.value.code, refused.value.extra) == ("next_after_cadence", {"latest": "2026-11-29"})
    assert not lead.follow_ups.exists(), "a refused follow-up is not saved"

    services.record_follow_up(lead=lead, method="call", content="回访", actor=consultant)
    assert lead.__class__.objects.get(pk=lead.pk).next_follow_up_on == datetime.date(2026, 11, 29)

    services.record_follow_up(
        lead=lead, method="wechat", content="微信", actor=consultant, next_on=TODAY.date() + datetime.timedelta(days=3)
    )
    assert lead.__class__.objects.get(pk=lead.pk).next_follow_up_on == datetime.date(2026, 11, 27)


@pytest.mark.rule("L3")
def test_an_a_lead_is_followed_within_three_days_after_the_opening(customer, consultant):
    customer.project.opening_date = datetime.date(2026, 11, 26)
    customer.project.save()
    lead = LeadFactory(customer=customer, grade="A")

    services.record_follow_up(lead=lead, method="visit", content="到访", actor=consultant)

    lead.refresh_from_db()
    assert lead.next_follow_up_on == datetime.date(2026, 11, 29)  # opening + 3, sooner than a week


@pytest.mark.rule("L3")
def test_the_cadence_numbers_are_per_project_settings(customer, consultant):
    rules = services.lead_rules_for(customer.project)
    rules.c_interval_days = 4
    rules.save()
    lead = LeadFactory(customer=customer, grade="C")

    services.record_follow_up(lead=lead, method="call", content="回访", actor=consultant)

    lead.refresh_from_db()
    assert lead.next_follow_up_on == datetime.date(2026, 11, 28)


@pytest.mark.rule("L6")
def test_demotion_from_c_to_d_waits_for_the_supervisors_approval_then_goes_to_another_consultant(
    project, customer, consultant, staff
):
    lead = LeadFactory(customer=customer, grade="C")
    FollowUpFactory(lead=lead)

    outcome = services.regrade_lead(
        lead=lead, grade="D", criteria=["no_means"], reason="实力有限，详见记录", actor=consultant
    )

    lead.refresh_from_db()
    assert lead.grade == "C" and outcome.approval.kind == ApprovalKind.DEMOTE_TO_D
    with pytest.raises(PermissionDenied):
        services.decide_approval(approval=outcome.approval, approve=True, actor=staff[Role.TEAM_LEADER])
    colleague = make_staff(Role.CONSULTANT, projects=[project], reports_to=staff[Role.SALES_SUPERVISOR])

    services.decide_approval(
        approval=outcome.approval, approve=True, actor=staff[Role.SALES_SUPERVISOR], reassign_to=colleague
    )

    lead.refresh_from_db()
    assert lead.grade == "D" and lead.consultant == colleague
    assert LeadApproval.objects.get().status == ApprovalStatus.APPROVED


@pytest.mark.rule("L6")
def test_demotion_to_d_needs_the_follow_up_record(customer, consultant):
    lead = LeadFactory(customer=customer, grade="C")
    with pytest.raises(TransitionNotAllowed):
        services.regrade_lead(lead=lead, grade="D", criteria=["no_fit"], reason="无意向", actor=consultant)


@pytest.mark.rule("L7")
def test_a_d_lead_stops_being_tracked_only_after_three_return_visits_and_the_managers_approval(
    customer, consultant, staff
):
    lead = LeadFactory(
        customer=customer, grade="D", criteria=["no_fit"], graded_at=timezone.now() - datetime.timedelta(days=20)
    )
    FollowUpFactory.create_batch(2, lead=lead, happened_at=timezone.now() - datetime.timedelta(days=3))

    with pytest.raises(TransitionNotAllowed) as refused:
        services.request_approval(lead=lead, kind=ApprovalKind.STOP_TRACKING, reason="无意向", actor=consultant)
    assert "3" in str(refused.value.message) and "2" in str(refused.value.message)

    FollowUpFactory(lead=lead, happened_at=timezone.now() - datetime.timedelta(days=1))
    approval = services.request_approval(
        lead=lead, kind=ApprovalKind.STOP_TRACKING, reason="三次回访无意向", actor=consultant
    )
    with pytest.raises(PermissionDenied):
        services.decide_approval(approval=approval, approve=True, actor=staff[Role.SALES_SUPERVISOR])
    services.decide_approval(approval=approval, approve=True, actor=staff[Role.SALES_MANAGER])

    lead.refresh_from_db()
    assert lead.status == LeadStatus.STOPPED and lead.next_follow_up_on is None


@pytest.mark.rule("L7")
def test_the_manager_swaps_a_pooled_d_lead_to_another_consultant(project, customer, consultant, staff):
    lead = LeadFactory(customer=customer, grade="D")
    other = make_staff(Role.CONSULTANT, projects=[project])

    with pytest.raises(PermissionDenied):
        services.reassign_lead(lead=lead, consultant=other, actor=consultant)
    services.reassign_lead(lead=lead, consultant=other, actor=staff[Role.SALES_MANAGER], reason="换人再试")

    lead.refresh_from_db()
    assert lead.consultant == other and lead.next_follow_up_on == TODAY.date()


@pytest.mark.rule("L8")
def test_an_invalid_lead_is_archived_and_a_consultant_may_ask_to_reclaim_it(customer, consultant, staff):
    lead = LeadFactory(customer=customer, grade="C")
    services.regrade_lead(
        lead=lead, grade="invalid", criteria=["invalid_visit"], reason="无效来访", actor=staff[Role.SALES_MANAGER]
    )
    lead.refresh_from_db()
    assert lead.status == LeadStatus.ARCHIVED and lead.next_follow_up_on is None
    with pytest.raises(TransitionNotAllowed):
        services.record_follow_up(lead=lead, method="call", content="再打一次", actor=consultant)

    approval = services.request_approval(
        lead=lead, kind=ApprovalKind.RECLAIM, reason="客户来电有新需求", actor=consultant
    )
    services.decide_approval(approval=approval, approve=True, actor=staff[Role.SALES_MANAGER])

    lead.refresh_from_db()
    assert lead.status == LeadStatus.ACTIVE and lead.grade == "C" and lead.consultant == consultant


@pytest.mark.rule("L9")
def test_every_grade_change_is_kept_with_from_to_who_when_why(customer, consultant):
    lead = open_lead(customer, consultant, "C")
    services.regrade_lead(lead=lead, grade="B", criteria=B_CRITERIA, reason="认可价格", actor=consultant)

    changes = list(GradeChange.objects.filter(lead=lead).order_by("at", "pk"))
    assert [(c.from_grade, c.to_grade) for c in changes] == [("", "C"), ("C", "B")]
    assert changes[1].actor == consultant and changes[1].reason == "认可价格" and changes[1].at == TODAY


@pytest.mark.rule("L9")
def test_a_grade_change_without_a_reason_is_refused(customer, consultant):
    lead = LeadFactory(customer=customer)
    with pytest.raises(DomainError) as refused:
        services.regrade_lead(lead=lead, grade="C1", reason=" ", actor=consultant)
    assert refused.value.field == "reason"


@pytest.mark.rule("R2")
def test_leads_and_follow_ups_keep_an_audit_trail(customer, consultant):
    lead = open_lead(customer, consultant, "C")
    follow_up = services.record_follow_up(
        lead=lead, method="call", content="回访", actor=consultant, reaction=Reaction.WEAKENED
    )
    follow_up.content = "回访，客户犹豫"
    follow_up.save()

    assert lead.history.count() >= 2
    assert [h.content for h in follow_up.history.order_by("history_date")] == ["回访", "回访，客户犹豫"]
