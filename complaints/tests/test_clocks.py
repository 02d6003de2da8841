"""SLA clocks, breaches and escalation, always with a frozen clock (C5–C7, C9, C10, C13)."""

import datetime

import pytest
import time_machine

from core.roles import Role

from .. import services, tasks
from ..services import clocks
from ..calendar import due_after
from ..choices import ClockStatus, ComplaintState, EscalationLevel, Satisfaction, Severity, VisitMethod
from ..models import Complaint, Escalation, Notification, RetentionRecord, SlaClock
from .conftest import SHANGHAI, START, escalated

H = datetime.timedelta(hours=1)
M = datetime.timedelta(minutes=1)


def clock(complaint, kind, cycle=0):
    return SlaClock.objects.get(complaint=complaint, kind=kind, cycle=cycle)


def run_minute_task_at(moment):
    with time_machine.travel(moment, tick=False):
        return tasks.check_clocks()


@pytest.mark.rule("C5")
def test_a_response_within_24_hours_meets_the_clock(receive, staff):
    with time_machine.travel(START, tick=False):
        complaint = receive()
    assert clock(complaint, "response").due_at == START + 24 * H
    with time_machine.travel(START + 23 * H, tick=False):
        assert clock(complaint, "response").time_left() == H
        services.respond_to_customer(complaint=complaint, actor=staff[Role.CUSTOMER_SERVICE], note="已联系客户")

    run_minute_task_at(START + 25 * H)
    assert clock(complaint, "response").status == ClockStatus.MET


@pytest.mark.rule("C5")
def test_a_committed_reply_time_given_within_24_hours_meets_the_clock(receive, staff):
    with time_machine.travel(START, tick=False):
        complaint = receive()
    with time_machine.travel(START + 20 * H, tick=False):
        services.respond_to_customer(
            complaint=complaint,
            actor=staff[Role.CUSTOMER_SERVICE],
            note="方案需工程评估，三天内答复",
            committed_reply_at=START + 72 * H,
        )
    complaint.refresh_from_db()
    assert complaint.committed_reply_at == START + 72 * H
    assert clock(complaint, "response").status == ClockStatus.MET


@pytest.mark.rule("C5")
def test_no_response_in_24_hours_is_a_breach_escalated_level_by_level_each_once(receive, staff, walk, department):
    with time_machine.travel(START, tick=False):
        complaint = walk(receive(), "dispatch")
        services.record_plan(complaint=complaint, actor=staff[Role.ENGINEERING], plan="上门")
    response = clock(complaint, "response")

    assert run_minute_task_at(START + 24 * H - M) == {"breached": 0, "escalated": 0}
    assert run_minute_task_at(START + 24 * H) == {"breached": 1, "escalated": 1}
    response.refresh_from_db()
    assert response.status == ClockStatus.BREACHED and response.time_left() is None
    handler = staff[Role.ENGINEERING]
    assert Notification.objects.filter(recipient=handler, title__startswith=escalated()).count() == 1

    assert run_minute_task_at(START + 24 * H + M)["escalated"] == 0  # a second run adds nothing
    run_minute_task_at(START + 25 * H)  # one hour after the breach: the head of department
    assert Notification.objects.filter(recipient=department.head, title__startswith=escalated()).count() == 1
    run_minute_task_at(START + 28 * H)  # four hours after: the customer-relations head
    run_minute_task_at(START + 28 * H)
    levels = list(Escalation.objects.filter(clock=response).values_list("level", flat=True))
    assert levels == [EscalationLevel.HANDLER, EscalationLevel.DEPARTMENT_HEAD, EscalationLevel.CR_HEAD]
    assert Notification.objects.filter(recipient=staff[Role.CR_HEAD], title__startswith=escalated()).count() == 1


def test_each_escalation_level_exists_once_in_the_database(receive):
    from django.db import IntegrityError, transaction

    with time_machine.travel(START, tick=False):
        complaint = receive()
    run_minute_task_at(START + 25 * H)
    with pytest.raises(IntegrityError), transaction.atomic():
        Escalation.objects.create(clock=clock(complaint, "response"), level=EscalationLevel.HANDLER)


@pytest.mark.rule("C6")
def test_a_major_complaint_not_reported_in_10_minutes_is_escalated_at_once(receive, staff, department):
    with time_machine.travel(START, tick=False):
        complaint = receive(severity=Severity.MAJOR)
    assert clock(complaint, "report_head").due_at == START + 10 * M
    assert clock(complaint, "solution").due_at == START + 12 * H

    run_minute_task_at(START + 11 * M)

    levels = set(Escalation.objects.filter(clock=clock(complaint, "report_head")).values_list("level", flat=True))
    assert levels == set(EscalationLevel.values)


@pytest.mark.rule("C6")
def test_a_major_complaint_reported_in_time_and_solved_in_12_hours_meets_both_clocks(receive, staff, department):
    with time_machine.travel(START, tick=False):
        complaint = receive(severity=Severity.MAJOR)
    with time_machine.travel(START + 9 * M, tick=False):
        services.report_to_head(complaint=complaint, actor=staff[Role.CUSTOMER_SERVICE], department=department)
    with time_machine.travel(START + 11 * H, tick=False):
        services.agree_solution(complaint=complaint, actor=staff[Role.AREA_MANAGER], solution="免费更换橱柜")

    run_minute_task_at(START + 13 * H)
    assert clock(complaint, "report_head").status == ClockStatus.MET
    assert clock(complaint, "solution").status == ClockStatus.MET
    assert Notification.objects.filter(recipient=department.head, complaint=complaint).exists()


@pytest.mark.rule("C6")
def test_a_solution_later_than_12_hours_is_a_breach(receive, staff):
    with time_machine.travel(START, tick=False):
        complaint = receive(severity=Severity.MAJOR)
    run_minute_task_at(START + 12 * H + M)
    assert clock(complaint, "solution").status == ClockStatus.BREACHED


@pytest.mark.rule("C4")
def test_the_department_plan_is_due_within_one_hour_of_dispatch(receive, walk, staff):
    with time_machine.travel(START, tick=False):
        complaint = walk(receive(), "dispatch")
    assert clock(complaint, "plan").due_at == START + H
    run_minute_task_at(START + 61 * M)
    assert clock(complaint, "plan").status == ClockStatus.BREACHED
    with time_machine.travel(START + 62 * M, tick=False):
        services.record_plan(complaint=complaint, actor=staff[Role.ENGINEERING], plan="迟到的方案")
    assert clock(complaint, "plan").status == ClockStatus.BREACHED  # late stays late


@pytest.mark.rule("C7")
def test_a_complaint_unresolved_after_10_days_becomes_major_by_itself(receive, department):
    with time_machine.travel(START, tick=False):
        complaint = receive()

    run_minute_task_at(START + datetime.timedelta(days=10) - M)
    assert Complaint.objects.get(pk=complaint.pk).severity == Severity.MINOR
    run_minute_task_at(START + datetime.timedelta(days=10))
    run_minute_task_at(START + datetime.timedelta(days=10))

    complaint.refresh_from_db()
    assert complaint.severity == Severity.MAJOR and "10" in complaint.severity_reason
    assert complaint.events.filter(kind="classified").count() == 1
    assert clock(complaint, "report_head").started_at == START + datetime.timedelta(days=10)


@pytest.mark.rule("C7")
def test_a_complaint_resolved_within_10_days_stays_minor(receive, walk):
    with time_machine.travel(START, tick=False):
        complaint = walk(receive(), "resolve")
    run_minute_task_at(START + datetime.timedelta(days=11))
    complaint.refresh_from_db()
    assert complaint.severity == Severity.MINOR
    assert clock(complaint, "auto_major").status == ClockStatus.MET


@pytest.mark.rule("C9")
def test_the_return_visit_is_due_24_hours_after_resolution(receive, walk):
    with time_machine.travel(START, tick=False):
        complaint = walk(receive(), "resolve")
    assert clock(complaint, "return_visit").due_at == START + 24 * H
    run_minute_task_at(START + 24 * H + M)
    assert clock(complaint, "return_visit").status == ClockStatus.BREACHED
    assert Escalation.objects.filter(clock=clock(complaint, "return_visit")).exists()


@pytest.mark.rule("C9")
def test_a_return_visit_in_time_meets_the_clock(receive, walk):
    with time_machine.travel(START, tick=False):
        complaint = walk(receive(), "verify")
    with time_machine.travel(START + 20 * H, tick=False):
        services.record_complaint_visit(
            complaint=complaint,
            actor=complaint.received_by,
            method=VisitMethod.PHONE,
            satisfaction=Satisfaction.SATISFIED,
        )
    assert clock(complaint, "return_visit").status == ClockStatus.MET


def test_paused_clocks_do_not_breach_and_resume_with_the_pause_added(receive, staff):
    with time_machine.travel(START, tick=False):
        complaint = receive()
    with time_machine.travel(START + 10 * H, tick=False):
        services.pause_clocks(complaint=complaint, actor=staff[Role.AREA_MANAGER], reason="客户出差")
    assert clock(complaint, "response").status == ClockStatus.PAUSED
    run_minute_task_at(START + 30 * H)
    assert clock(complaint, "response").status == ClockStatus.PAUSED
    with time_machine.travel(START + 30 * H, tick=False):
        services.resume_clocks(complaint=complaint, actor=staff[Role.AREA_MANAGER])
    assert clock(complaint, "response").due_at == START + 44 * H


@pytest.mark.rule("C5")
def test_clocks_may_count_business_hours_on_chinese_working_days(project):
    config = services.settings_for(project.company)
    config.calendar = "business"
    config.save()

    eve_of_national_day = datetime.datetime(2026, 9, 30, 17, 30, tzinfo=SHANGHAI)
    friday_evening = datetime.datetime(2026, 10, 9, 17, 30, tzinfo=SHANGHAI)

    # 1–7 October are holidays: an hour from 17:30 on 30 September ends on 8 October at 09:30
    assert due_after(eve_of_national_day, H, config) == datetime.datetime(2026, 10, 8, 9, 30, tzinfo=SHANGHAI)
    # Saturday 10 October 2026 is an adjusted working day
    assert due_after(friday_evening, H, config) == datetime.datetime(2026, 10, 10, 9, 30, tzinfo=SHANGHAI)
    # 24 working hours of 9 h days from Monday 09:00: Wednesday 15:00
    assert due_after(START, 24 * H, config) == START + 2 * 24 * H + 6 * H


@pytest.mark.rule("C5")
def test_business_hour_clocks_are_used_for_complaints(receive, project):
    config = services.settings_for(project.company)
    config.calendar = "business"
    config.save()
    with time_machine.travel(datetime.datetime(2026, 9, 30, 17, 30, tzinfo=SHANGHAI), tick=False):
        complaint = receive()
    # 30 minutes on 30 September, 9 h on 8 and 9 October, then 5.5 h on the adjusted Saturday
    assert clock(complaint, "response").due_at == datetime.datetime(2026, 10, 10, 14, 30, tzinfo=SHANGHAI)


def test_the_report_to_head_and_the_ten_days_run_in_calendar_time_whatever_the_clock_hours(receive, project):
    config = services.settings_for(project.company)
    config.calendar = "business"
    config.save()
    received = datetime.datetime(2026, 9, 30, 17, 55, tzinfo=SHANGHAI)  # 5 minutes before the working day ends
    with time_machine.travel(received, tick=False):
        complaint = receive(severity="major")

    assert clock(complaint, "report_head").due_at == received + datetime.timedelta(minutes=10)
    assert clock(complaint, "auto_major").due_at == received + datetime.timedelta(days=10)
    assert clock(complaint, "response").due_at == datetime.datetime(2026, 10, 10, 14, 55, tzinfo=SHANGHAI)


@pytest.mark.rule("C10")
def test_archived_complaints_are_anonymised_after_two_years_once(receive, walk):
    with time_machine.travel(START, tick=False):
        complaint = walk(receive(), "archive")
    customer_id = complaint.customer_id

    with time_machine.travel(START + datetime.timedelta(days=729), tick=False):
        assert tasks.apply_retention() == 0
    with time_machine.travel(START + datetime.timedelta(days=731), tick=False):
        assert tasks.apply_retention() == 1
        assert tasks.apply_retention() == 0

    complaint.refresh_from_db()
    assert complaint.customer_id is None and customer_id is not None
    assert "渗水" not in complaint.content and complaint.anonymised_at is not None
    assert not complaint.history.filter(content__contains="渗水").exists()
    assert RetentionRecord.objects.count() == 1


@pytest.mark.rule("C10")
def test_the_retention_period_and_purging_are_company_settings(receive, walk, project):
    config = services.settings_for(project.company)
    config.retention_days, config.retention_action = 365, "purge"
    config.save()
    with time_machine.travel(START, tick=False):
        complaint = walk(receive(), "archive")
        closed = walk(receive(), "close")

    with time_machine.travel(START + datetime.timedelta(days=366), tick=False):
        assert tasks.apply_retention() == 1

    assert not Complaint.objects.filter(pk=complaint.pk).exists()
    assert Complaint.objects.filter(pk=closed.pk, state=ComplaintState.CLOSED).exists()  # only archived ones


def test_the_clock_task_is_scheduled_every_minute(db):
    from django_celery_beat.models import PeriodicTask

    from core import schedules

    schedules.sync()  # what `migrate` does after it has run

    duty = PeriodicTask.objects.get(task="complaints.check_clocks")
    assert (duty.crontab.minute, duty.crontab.hour) == ("*", "*")
    assert PeriodicTask.objects.filter(task="complaints.apply_retention").exists()


@pytest.mark.rule("C10")
def test_each_company_keeps_archived_complaints_for_its_own_period(receive, walk, staff, project):
    from estates.tests.factories import ProjectFactory

    elsewhere = ProjectFactory()
    elsewhere.staff.add(*staff.values())
    config = services.settings_for(elsewhere.company)
    config.retention_days = 30
    config.save()
    with time_machine.travel(START, tick=False):
        ours = walk(receive(), "archive")
        theirs = walk(receive(project=elsewhere, unit=None, customer=None), "archive")

    with time_machine.travel(START + datetime.timedelta(days=31), tick=False):
        assert tasks.apply_retention() == 1

    assert Complaint.objects.get(pk=theirs.pk).anonymised_at is not None
    assert Complaint.objects.get(pk=ours.pk).anonymised_at is None


def test_a_clock_breached_behind_a_batch_of_clocks_waiting_for_their_next_level_is_escalated_the_minute_it_breaches(
    receive, staff, department, monkeypatch
):
    """The minute task reads the breached clocks a batch at a time: those waiting for their head of department
    (an hour after their breach) must not use a batch up, or a complaint breached after them waits for its
    handler to be told until they are done."""
    monkeypatch.setattr(clocks, "ESCALATION_BATCH", 2)
    with time_machine.travel(START, tick=False):
        waiting = [receive() for _ in range(3)]
    with time_machine.travel(START + 30 * M, tick=False):
        later = [receive() for _ in range(2)]

    first = run_minute_task_at(START + 24 * H)  # the first three breach: their handlers are told
    second = run_minute_task_at(START + 24 * H + 30 * M)  # the later two breach; the first three wait until 25 h

    assert (first, second) == ({"breached": 3, "escalated": 3}, {"breached": 2, "escalated": 2})
    told = Escalation.objects.filter(level=EscalationLevel.HANDLER).values_list("clock__complaint", flat=True)
    assert set(told) == {complaint.pk for complaint in waiting + later}
    assert not Escalation.objects.filter(level=EscalationLevel.DEPARTMENT_HEAD).exists()
