"""The steps of a complaint (rule C4) and the facts that stop its clocks (C5, C6, C9).

Each step locks the row, asks the workflow table (complaints.workflow) whether this actor may take
it from this state, does its work and writes its event row, all in one transaction.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError

from ..choices import ClockKind, EventKind, Satisfaction, Severity, Validity, VisitMethod
from ..models import Complaint, ReturnVisit
from ..workflow import COMPLAINT_FLOW
from . import clocks
from .common import event, lock, save, settings_for, tell_customer
from .inbox import notify
from .intake import apply_classification


@transaction.atomic
def analyse_complaint(
    *,
    complaint,
    actor,
    validity: str,
    validity_reason: str = "",
    severity: str | None = None,
    severity_reason: str = "",
    note: str = "",
) -> Complaint:
    """Judge the complaint valid or invalid (C2), perhaps its severity (C3)."""
    complaint = lock(complaint)
    source = COMPLAINT_FLOW.take(complaint, "analyse", actor)
    if validity not in Validity.values or validity == Validity.PENDING:
        raise DomainError(_("Judge the complaint valid or invalid."), field="validity")
    apply_classification(complaint, actor, validity, validity_reason, severity, severity_reason)
    return _finish(complaint, actor, source, note)


@transaction.atomic
def dispatch_complaint(
    *, complaint, actor, department, deadline: datetime.datetime, instruction: str, handler=None
) -> Complaint:
    """Dispatch in writing to the responsible department with a deadline; its plan is due in 1 hour."""
    complaint = lock(complaint)
    source = COMPLAINT_FLOW.take(complaint, "dispatch", actor)
    if not instruction.strip():
        raise DomainError(_("A dispatch is made in writing: give the instruction."), field="instruction")
    now = timezone.now()
    if deadline <= now:
        raise DomainError(_("The deadline must be in the future."), field="deadline")
    complaint.department, complaint.deadline, complaint.dispatch_note = department, deadline, instruction.strip()
    complaint.handler, complaint.dispatched_at = handler, now
    config = settings_for(complaint.project.company)
    clocks.start_clock(complaint, ClockKind.PLAN, now, datetime.timedelta(hours=config.plan_hours), config)
    clocks.start_clock(complaint, ClockKind.DEADLINE, now, deadline - now, config)
    notify(
        [department.head, handler],
        _("Complaint dispatched to %(department)s: %(title)s") % {"department": department, "title": complaint.title},
        complaint=complaint,
        body=instruction,
    )
    return _finish(
        complaint, actor, source, instruction, data={"department": department.pk, "deadline": deadline.isoformat()}
    )


@transaction.atomic
def record_plan(*, complaint, actor, plan: str) -> Complaint:
    """The department's handling plan, due within an hour of the dispatch."""
    complaint = lock(complaint)
    source = COMPLAINT_FLOW.take(complaint, "record-plan", actor)
    if not plan.strip():
        raise DomainError(_("Describe the handling plan."), field="plan")
    complaint.plan, complaint.plan_recorded_at = plan.strip(), timezone.now()
    clocks.stop_clocks(complaint=complaint, kinds=[ClockKind.PLAN])
    return _finish(complaint, actor, source, plan)


@transaction.atomic
def start_handling(*, complaint, actor, note: str = "") -> Complaint:
    complaint = lock(complaint)
    source = COMPLAINT_FLOW.take(complaint, "start", actor)
    return _finish(complaint, actor, source, note)


@transaction.atomic
def resolve_complaint(*, complaint, actor, resolution: str) -> Complaint:
    """Resolved: the handling clocks stop and the 24-hour return-visit clock starts (C9)."""
    complaint = lock(complaint)
    source = COMPLAINT_FLOW.take(complaint, "resolve", actor)
    if not resolution.strip():
        raise DomainError(_("Describe how the complaint was resolved."), field="resolution")
    now = timezone.now()
    complaint.resolution, complaint.resolved_at = resolution.strip(), now
    clocks.stop_clocks(complaint=complaint, kinds=clocks.HANDLING_CLOCKS)
    config = settings_for(complaint.project.company)
    clocks.start_clock(
        complaint, ClockKind.RETURN_VISIT, now, datetime.timedelta(hours=config.return_visit_hours), config
    )
    return _finish(complaint, actor, source, resolution)


@transaction.atomic
def verify_complaint(*, complaint, actor, note: str = "") -> Complaint:
    """The handling is checked before the customer is visited."""
    complaint = lock(complaint)
    source = COMPLAINT_FLOW.take(complaint, "verify", actor)
    complaint.verified_at = timezone.now()
    return _finish(complaint, actor, source, note)


@transaction.atomic
def record_complaint_visit(
    *,
    complaint,
    actor,
    method: str,
    satisfaction: str,
    service_quality: int = 5,
    attitude: int = 5,
    fee_checked: bool = False,
    fee_note: str = "",
    shortcomings: str = "",
    suggestions: str = "",
) -> ReturnVisit:
    """Rule C9: a minor complaint is visited by its receiver by phone or WeChat, a major one by the
    area manager in person; a customer still dissatisfied reopens the complaint."""
    complaint = lock(complaint)
    source = COMPLAINT_FLOW.take(complaint, "return-visit", actor)
    if complaint.severity == Severity.MINOR and method not in (VisitMethod.PHONE, VisitMethod.WECHAT):
        raise DomainError(_("A minor complaint is visited by phone or WeChat."), field="method")
    if complaint.severity != Severity.MINOR and method != VisitMethod.IN_PERSON:
        raise DomainError(_("A major complaint is visited in person."), field="method")
    visit = ReturnVisit.objects.create(
        complaint=complaint,
        project=complaint.project,
        visitor=actor,
        method=method,
        satisfaction=satisfaction,
        service_quality=service_quality,
        attitude=attitude,
        fee_checked=fee_checked,
        fee_note=fee_note,
        shortcomings=shortcomings,
        suggestions=suggestions,
    )
    clocks.stop_clocks(complaint=complaint, kinds=[ClockKind.RETURN_VISIT])
    _finish(complaint, actor, source, f"{visit.get_method_display()} · {visit.get_satisfaction_display()}")
    event(complaint, EventKind.RETURN_VISIT, actor, note=visit.get_satisfaction_display(), data={"visit": visit.pk})
    if satisfaction == Satisfaction.DISSATISFIED:
        _reopen(complaint, actor, _("The customer is still dissatisfied at the return visit."), check_actor=False)
    return visit


@transaction.atomic
def close_complaint(*, complaint, actor, summary: str) -> Complaint:
    """Summarise and close (C4): the summary is required."""
    complaint = lock(complaint)
    source = COMPLAINT_FLOW.take(complaint, "close", actor)
    if not summary.strip():
        raise DomainError(_("Write the summary before closing."), field="summary")
    complaint.summary, complaint.closed_at = summary.strip(), timezone.now()
    return _finish(complaint, actor, source, summary)


@transaction.atomic
def archive_complaint(*, complaint, actor, note: str = "") -> Complaint:
    """Rule C10: a closed complaint is archived as a whole; the retention period starts."""
    complaint = lock(complaint)
    source = COMPLAINT_FLOW.take(complaint, "archive", actor)
    complaint.archived_at = timezone.now()
    return _finish(complaint, actor, source, note)


@transaction.atomic
def reopen_complaint(*, complaint, actor, reason: str) -> Complaint:
    return _reopen(lock(complaint), actor, reason, check_actor=True)


def _reopen(complaint, actor, reason, *, check_actor):
    """A new cycle: the old cycle's clocks stop, and every clock of the complaint starts again (C5–C7)."""
    source = COMPLAINT_FLOW.take(complaint, "reopen", actor, check_actor=check_actor)
    if not reason.strip():
        raise DomainError(_("Say why the complaint is reopened."), field="reason")
    clocks.stop_clocks(complaint=complaint)
    complaint.reopen_count += 1
    complaint.resolved_at = complaint.verified_at = complaint.closed_at = None
    complaint.responded_at = complaint.committed_reply_at = None
    complaint.reported_to_head_at = complaint.solution_agreed_at = None
    clocks.start_cycle(complaint, timezone.now(), settings_for(complaint.project.company))
    notify(
        [complaint.handler, complaint.department.head if complaint.department else None],
        _("Complaint reopened: %(title)s") % {"title": complaint.title},
        complaint=complaint,
        body=reason,
    )
    return _finish(complaint, actor, source, reason, data={"cycle": complaint.reopen_count})


# ---------------------------------------------------------------- facts that stop clocks (C5, C6)


@transaction.atomic
def respond_to_customer(
    *, complaint, actor, note: str, committed_reply_at: datetime.datetime | None = None
) -> Complaint:
    """Rule C5: an answer within 24 hours, or, if not ready, a committed reply time given within them."""
    complaint = lock(complaint)
    COMPLAINT_FLOW.take(complaint, "respond", actor)
    if not note.strip():
        raise DomainError(_("Record what the customer was told."), field="note")
    now = timezone.now()
    if committed_reply_at is not None and committed_reply_at <= now:
        raise DomainError(_("A committed reply time lies in the future."), field="committed_reply_at")
    complaint.responded_at, complaint.committed_reply_at = now, committed_reply_at
    clocks.stop_clocks(complaint=complaint, kinds=[ClockKind.RESPONSE])
    save(complaint, actor)
    event(
        complaint,
        EventKind.RESPONDED,
        actor,
        note=note,
        data={"committed_reply_at": committed_reply_at.isoformat() if committed_reply_at else None},
    )
    if committed_reply_at is not None:
        tell_customer(
            complaint,
            "complaint_reply_committed",
            occasion=f"reply-committed:{complaint.reopen_count}",
            reply_at=timezone.localtime(committed_reply_at).strftime("%m月%d日%H:%M"),
        )
    return complaint


@transaction.atomic
def report_to_head(*, complaint, actor, department=None) -> Complaint:
    """Rule C6: a major complaint is reported to the head of department within 10 minutes."""
    complaint = lock(complaint)
    COMPLAINT_FLOW.take(complaint, "report-to-head", actor)
    department = department or complaint.department
    if department is None or department.head is None:
        raise DomainError(_("Choose a department that has a head."), field="department")
    complaint.reported_to_head_at = timezone.now()
    clocks.stop_clocks(complaint=complaint, kinds=[ClockKind.REPORT_HEAD])
    notify(
        [department.head],
        _("Major complaint reported to you: %(title)s") % {"title": complaint.title},
        complaint=complaint,
        body=complaint.content,
    )
    save(complaint, actor)
    event(complaint, EventKind.REPORTED, actor, note=str(department.head), data={"department": department.pk})
    return complaint


@transaction.atomic
def agree_solution(*, complaint, actor, solution: str) -> Complaint:
    """Rule C6: the solution agreed with the customer (due 12 hours after a complaint becomes major)."""
    complaint = lock(complaint)
    COMPLAINT_FLOW.take(complaint, "agree-solution", actor)
    if not solution.strip():
        raise DomainError(_("Describe the solution agreed with the customer."), field="solution")
    complaint.solution, complaint.solution_agreed_at = solution.strip(), timezone.now()
    clocks.stop_clocks(complaint=complaint, kinds=[ClockKind.SOLUTION])
    save(complaint, actor)
    event(complaint, EventKind.SOLUTION, actor, note=solution)
    return complaint


def _finish(complaint, actor, from_state, note="", data=None) -> Complaint:
    save(complaint, actor)
    event(
        complaint,
        EventKind.TRANSITION,
        actor,
        from_state=from_state,
        to_state=complaint.state,
        note=note,
        data=data or {},
    )
    return complaint
