"""Every write of the complaints app that carries a rule (C1–C14, D1–D4)."""
from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm

from core.errors import DomainError, TransitionNotAllowed
from core.models import User
from core.roles import Role
from touchpoints import messaging

from .calendar import due_after
from .choices import (
    Channel, ClockKind, ClockStatus, ComplaintState, CrisisStatus, DefectSource, EscalationLevel, EventKind,
    ObjectionStatus, RetentionAction, Satisfaction, Severity, Validity, VisitMethod,
)
from .models import (
    CaseEntry, Complaint, ComplaintEvent, ComplaintSettings, CrisisAction, CrisisRecord, Defect,
    DeliveryObjection, DeliveryReminder, Escalation, HandbookIssue, Notification, RepairOrder, RetentionRecord,
    ReturnVisit, SlaClock,
)

S = ComplaintState
SEVERITY_RANK = {Severity.MINOR: 0, Severity.MAJOR: 1, Severity.CRISIS: 2}


def settings_for(company) -> ComplaintSettings:
    config, _created = ComplaintSettings.objects.get_or_create(company=company)
    return config


# ---------------------------------------------------------------- intake and classification (C1–C3)

def severity_by_rules(*, people_count: int, media_exposure: bool, channel: str, config) -> Severity:
    """Rule C3: a group of N or more people, a protest or media exposure is a crisis."""
    if people_count >= config.crisis_people or media_exposure or channel == Channel.MEDIA:
        return Severity.CRISIS
    return Severity.MINOR


@transaction.atomic
def receive_complaint(*, actor, project, channel: str, title: str, content: str, customer=None, unit=None,
                      category: str = "other", demand: str = "", people_count: int = 1,
                      media_exposure: bool = False, severity: str | None = None, severity_reason: str = "",
                      received_at: datetime.datetime | None = None) -> Complaint:
    """Record a complaint from any channel (C1), classify it (C3) and start its clocks (C5–C7)."""
    if unit is not None and unit.project_id != project.pk:
        raise DomainError(_("This unit is not in the complaint's project."), field="unit")
    if customer is not None and customer.company_id != project.company_id:
        raise DomainError(_("This customer belongs to another company."), field="customer")
    if people_count < 1:
        raise DomainError(_("At least one person is involved."), field="people_count")
    config = settings_for(project.company)
    by_rules = severity_by_rules(people_count=people_count, media_exposure=media_exposure, channel=channel,
                                 config=config)
    chosen = severity if severity else Severity.MINOR
    if SEVERITY_RANK[Severity(by_rules)] > SEVERITY_RANK[Severity(chosen)]:
        chosen, severity_reason = by_rules, _("Raised by rule: 10 or more people, a protest or media exposure.")
    now = received_at or timezone.now()
    complaint = Complaint(project=project, unit=unit, customer=customer, channel=channel, category=category,
                          title=title, content=content, demand=demand, people_count=people_count,
                          media_exposure=media_exposure, severity=chosen, severity_reason=severity_reason,
                          received_by=actor, received_at=now)
    _save(complaint, actor)
    _event(complaint, EventKind.RECEIVED, actor, to_state=S.RECEIVED,
           note=f"{complaint.get_channel_display()} · {complaint.get_severity_display()}")
    _start_clock(complaint, ClockKind.RESPONSE, now, datetime.timedelta(hours=config.response_hours), config)
    _start_clock(complaint, ClockKind.AUTO_MAJOR, now, datetime.timedelta(days=config.auto_major_days), None)
    if chosen != Severity.MINOR:
        _start_major_clocks(complaint, now, config)
    if chosen == Severity.CRISIS:
        open_crisis(complaint=complaint, actor=actor)
    _tell_customer(complaint, "complaint_received", occasion="received")
    return complaint


@transaction.atomic
def classify_complaint(*, complaint: Complaint, actor, validity: str | None = None, validity_reason: str = "",
                       severity: str | None = None, severity_reason: str = "") -> Complaint:
    """Validity with its reason (C2) and severity by hand (C3)."""
    complaint = _lock(complaint)
    _require(complaint.is_open, _("Only an open complaint can be classified."))
    if not actor.has_role(Role.CUSTOMER_SERVICE, Role.AREA_MANAGER, Role.CALL_CENTER, Role.CR_HEAD,
                          Role.ADMINISTRATOR):
        raise PermissionDenied
    _apply_classification(complaint, actor, validity, validity_reason, severity, severity_reason)
    _save(complaint, actor)
    return complaint


def _apply_classification(complaint, actor, validity, validity_reason, severity, severity_reason):
    if validity:
        if validity == Validity.INVALID and not validity_reason.strip():
            raise DomainError(_("An invalid complaint needs the explanation given to the customer."),
                              field="validity_reason")
        complaint.validity, complaint.validity_reason = validity, validity_reason.strip()
    changed = []
    if validity:
        changed.append(str(Validity(validity).label))
    if severity and severity != complaint.severity:
        _raise_severity(complaint, severity, severity_reason or _("Set by hand."), actor, allow_lower=True)
        changed.append(str(Severity(severity).label))
    if changed:
        _event(complaint, EventKind.CLASSIFIED, actor, note=" · ".join(changed),
               data={"validity": complaint.validity, "severity": complaint.severity})


def _raise_severity(complaint, severity, reason, actor, *, allow_lower=False):
    old = complaint.severity
    if not allow_lower and SEVERITY_RANK[Severity(severity)] <= SEVERITY_RANK[Severity(old)]:
        return False
    complaint.severity, complaint.severity_reason = severity, reason
    config = settings_for(complaint.project.company)
    if severity != Severity.MINOR and old == Severity.MINOR:
        _start_major_clocks(complaint, timezone.now(), config)
    if severity == Severity.MINOR and old != Severity.MINOR:
        # Lowered by hand: the major-complaint clocks no longer apply; breached ones stay on record.
        SlaClock.objects.filter(complaint=complaint, kind__in=[ClockKind.REPORT_HEAD, ClockKind.SOLUTION],
                                status__in=[ClockStatus.RUNNING, ClockStatus.PAUSED]).delete()
    if severity == Severity.CRISIS:
        open_crisis(complaint=complaint, actor=actor)
    return True


def _start_major_clocks(complaint, start, config):
    """Rule C6: report to the head of department within 10 minutes, a solution within 12 hours."""
    _start_clock(complaint, ClockKind.REPORT_HEAD, start,
                 datetime.timedelta(minutes=config.report_head_minutes), None)
    _start_clock(complaint, ClockKind.SOLUTION, start, datetime.timedelta(hours=config.solution_hours), config)


# ---------------------------------------------------------------- the workflow (C4)

@transaction.atomic
def analyse_complaint(*, complaint, actor, validity: str, validity_reason: str = "", severity: str | None = None,
                      severity_reason: str = "", note: str = "") -> Complaint:
    complaint = _transition(complaint, "analyse", actor)
    if validity not in Validity.values or validity == Validity.PENDING:
        raise DomainError(_("Judge the complaint valid or invalid."), field="validity")
    _apply_classification(complaint, actor, validity, validity_reason, severity, severity_reason)
    return _finish(complaint, actor, S.RECEIVED, note)


@transaction.atomic
def dispatch_complaint(*, complaint, actor, department, deadline: datetime.datetime, instruction: str,
                       handler=None) -> Complaint:
    """Dispatch in writing to the responsible department with a deadline; its plan is due in 1 hour."""
    if not instruction.strip():
        raise DomainError(_("A dispatch is made in writing: give the instruction."), field="instruction")
    now = timezone.now()
    if deadline <= now:
        raise DomainError(_("The deadline must be in the future."), field="deadline")
    source = _state(complaint)
    complaint = _transition(complaint, "dispatch", actor)
    complaint.department, complaint.deadline, complaint.dispatch_note = department, deadline, instruction.strip()
    complaint.handler, complaint.dispatched_at = handler, now
    config = settings_for(complaint.project.company)
    _start_clock(complaint, ClockKind.PLAN, now, datetime.timedelta(hours=config.plan_hours), config)
    _start_clock(complaint, ClockKind.DEADLINE, now, deadline - now, None)
    _notify([department.head, handler], _("Complaint dispatched to %(department)s: %(title)s")
            % {"department": department, "title": complaint.title}, complaint=complaint, body=instruction)
    return _finish(complaint, actor, source, instruction, data={"department": department.pk,
                                                               "deadline": deadline.isoformat()})


@transaction.atomic
def record_plan(*, complaint, actor, plan: str) -> Complaint:
    if not plan.strip():
        raise DomainError(_("Describe the handling plan."), field="plan")
    complaint = _transition(complaint, "record_plan", actor)
    complaint.plan, complaint.plan_recorded_at = plan.strip(), timezone.now()
    _stop_clock(complaint, ClockKind.PLAN)
    return _finish(complaint, actor, S.DISPATCHED, plan)


@transaction.atomic
def start_handling(*, complaint, actor, note: str = "") -> Complaint:
    complaint = _transition(complaint, "start", actor)
    return _finish(complaint, actor, S.PLANNED, note)


@transaction.atomic
def resolve_complaint(*, complaint, actor, resolution: str) -> Complaint:
    """Resolved: the handling clocks stop and the 24-hour return-visit clock starts (C9)."""
    if not resolution.strip():
        raise DomainError(_("Describe how the complaint was resolved."), field="resolution")
    complaint = _transition(complaint, "resolve", actor)
    now = timezone.now()
    complaint.resolution, complaint.resolved_at = resolution.strip(), now
    for kind in (ClockKind.DEADLINE, ClockKind.AUTO_MAJOR, ClockKind.RESPONSE, ClockKind.SOLUTION,
                 ClockKind.REPORT_HEAD):
        _stop_clock(complaint, kind)
    config = settings_for(complaint.project.company)
    _start_clock(complaint, ClockKind.RETURN_VISIT, now, datetime.timedelta(hours=config.return_visit_hours), config)
    return _finish(complaint, actor, S.IN_PROGRESS, resolution)


@transaction.atomic
def verify_complaint(*, complaint, actor, note: str = "") -> Complaint:
    complaint = _transition(complaint, "verify", actor)
    complaint.verified_at = timezone.now()
    return _finish(complaint, actor, S.RESOLVED, note)


@transaction.atomic
def record_complaint_visit(*, complaint, actor, method: str, satisfaction: str, service_quality: int = 5,
                           attitude: int = 5, fee_checked: bool = False, fee_note: str = "",
                           shortcomings: str = "", suggestions: str = "") -> ReturnVisit:
    """Rule C9: a minor complaint is visited by its receiver by phone or WeChat, a major one by the
    area manager in person; a customer still dissatisfied reopens the complaint."""
    source = _state(complaint)
    complaint = _transition(complaint, "return_visit", actor)
    check_visitor(complaint=complaint, actor=actor, method=method)
    visit = ReturnVisit.objects.create(
        complaint=complaint, project=complaint.project, visitor=actor, method=method, satisfaction=satisfaction,
        service_quality=service_quality, attitude=attitude, fee_checked=fee_checked, fee_note=fee_note,
        shortcomings=shortcomings, suggestions=suggestions)
    _stop_clock(complaint, ClockKind.RETURN_VISIT)
    _finish(complaint, actor, source, f"{visit.get_method_display()} · {visit.get_satisfaction_display()}")
    _event(complaint, EventKind.RETURN_VISIT, actor, note=visit.get_satisfaction_display(),
           data={"visit": visit.pk})
    if satisfaction == Satisfaction.DISSATISFIED:
        _reopen(complaint, actor, _("The customer is still dissatisfied at the return visit."))
    return visit


def check_visitor(*, complaint, actor, method) -> None:
    if method not in VisitMethod.values:
        raise DomainError(_("Choose how the visit was made."), field="method")
    if complaint.severity == Severity.MINOR:
        if actor.pk != complaint.received_by_id and not actor.has_role(
                Role.CUSTOMER_SERVICE, Role.AREA_MANAGER, Role.CR_HEAD, Role.ADMINISTRATOR):
            raise PermissionDenied
        return
    if method != VisitMethod.IN_PERSON:
        raise DomainError(_("A major complaint is visited in person."), field="method")
    if not actor.has_role(Role.AREA_MANAGER, Role.CR_HEAD, Role.ADMINISTRATOR):
        raise PermissionDenied


@transaction.atomic
def close_complaint(*, complaint, actor, summary: str = "") -> Complaint:
    complaint = _transition(complaint, "close", actor)
    complaint.summary, complaint.closed_at = summary.strip(), timezone.now()
    return _finish(complaint, actor, S.VISITED, summary)


@transaction.atomic
def archive_complaint(*, complaint, actor, note: str = "") -> Complaint:
    """Rule C10: a closed complaint is archived as a whole; the retention period starts."""
    complaint = _transition(complaint, "archive", actor)
    complaint.archived_at = timezone.now()
    return _finish(complaint, actor, S.CLOSED, note)


@transaction.atomic
def reopen_complaint(*, complaint, actor, reason: str) -> Complaint:
    if not reason.strip():
        raise DomainError(_("Say why the complaint is reopened."), field="reason")
    complaint = _lock(complaint)
    _check(complaint, "reopen", actor)
    return _reopen(complaint, actor, reason)


def _reopen(complaint, actor, reason):
    source = _state(complaint)
    complaint.reopen()
    complaint.reopen_count += 1
    complaint.resolved_at = complaint.verified_at = complaint.closed_at = None
    config = settings_for(complaint.project.company)
    now = timezone.now()
    # A new cycle of the handling clocks; the unique (complaint, kind, cycle) keeps cycles apart.
    _start_clock(complaint, ClockKind.RESPONSE, now, datetime.timedelta(hours=config.response_hours), config)
    _start_clock(complaint, ClockKind.AUTO_MAJOR, now, datetime.timedelta(days=config.auto_major_days), None)
    _notify([complaint.handler, complaint.department.head if complaint.department else None],
            _("Complaint reopened: %(title)s") % {"title": complaint.title}, complaint=complaint, body=reason)
    return _finish(complaint, actor, source, reason)


# ---------------------------------------------------------------- the clocks' own facts (C5, C6)

@transaction.atomic
def respond_to_customer(*, complaint, actor, note: str,
                        committed_reply_at: datetime.datetime | None = None) -> Complaint:
    """Rule C5: an answer within 24 hours, or, if not ready, a committed reply time given within them."""
    complaint = _lock(complaint)
    _require(complaint.is_open, _("Only an open complaint can be answered."))
    _require_role(actor, Role.CUSTOMER_SERVICE, Role.CALL_CENTER, Role.AREA_MANAGER, Role.CR_HEAD,
                  Role.ADMINISTRATOR, Role.PROPERTY, Role.ENGINEERING)
    if not note.strip():
        raise DomainError(_("Record what the customer was told."), field="note")
    now = timezone.now()
    if committed_reply_at is not None and committed_reply_at <= now:
        raise DomainError(_("A committed reply time lies in the future."), field="committed_reply_at")
    complaint.responded_at, complaint.committed_reply_at = now, committed_reply_at
    _stop_clock(complaint, ClockKind.RESPONSE)
    _save(complaint, actor)
    _event(complaint, EventKind.RESPONDED, actor, note=note,
           data={"committed_reply_at": committed_reply_at.isoformat() if committed_reply_at else None})
    if committed_reply_at is not None:
        _tell_customer(complaint, "complaint_reply_committed", occasion=f"reply-committed:{complaint.reopen_count}",
                       reply_at=timezone.localtime(committed_reply_at).strftime("%m月%d日%H:%M"))
    return complaint


@transaction.atomic
def report_to_head(*, complaint, actor, department=None) -> Complaint:
    """Rule C6: a major complaint is reported to the head of department within 10 minutes."""
    complaint = _lock(complaint)
    _require(complaint.severity != Severity.MINOR, _("Only major complaints are reported to the head."))
    _require(complaint.reported_to_head_at is None, _("Already reported to the head of department."))
    _require_role(actor, Role.CUSTOMER_SERVICE, Role.CALL_CENTER, Role.AREA_MANAGER, Role.CR_HEAD,
                  Role.ADMINISTRATOR)
    department = department or complaint.department
    if department is None or department.head is None:
        raise DomainError(_("Choose a department that has a head."), field="department")
    complaint.reported_to_head_at = timezone.now()
    _stop_clock(complaint, ClockKind.REPORT_HEAD)
    _notify([department.head], _("Major complaint reported to you: %(title)s") % {"title": complaint.title},
            complaint=complaint, body=complaint.content)
    _save(complaint, actor)
    _event(complaint, EventKind.REPORTED, actor, note=str(department.head), data={"department": department.pk})
    return complaint


@transaction.atomic
def agree_solution(*, complaint, actor, solution: str) -> Complaint:
    """Rule C6: the solution agreed with the customer (due 12 hours after a complaint becomes major)."""
    complaint = _lock(complaint)
    _require(complaint.is_open, _("Only an open complaint can get a solution."))
    _require_role(actor, Role.CUSTOMER_SERVICE, Role.AREA_MANAGER, Role.CR_HEAD, Role.ADMINISTRATOR,
                  Role.PROPERTY, Role.ENGINEERING)
    if not solution.strip():
        raise DomainError(_("Describe the solution agreed with the customer."), field="solution")
    complaint.solution, complaint.solution_agreed_at = solution.strip(), timezone.now()
    _stop_clock(complaint, ClockKind.SOLUTION)
    _save(complaint, actor)
    _event(complaint, EventKind.SOLUTION, actor, note=solution)
    return complaint


@transaction.atomic
def pause_clocks(*, complaint, actor, reason: str) -> int:
    """Stop the running clocks while the company waits on the customer; resuming adds the pause."""
    complaint = _lock(complaint)
    _require_role(actor, Role.AREA_MANAGER, Role.CR_HEAD, Role.ADMINISTRATOR)
    now = timezone.now()
    paused = SlaClock.objects.filter(complaint=complaint, status=ClockStatus.RUNNING).update(
        status=ClockStatus.PAUSED, paused_at=now)
    _event(complaint, EventKind.CLOCKS, actor, note=reason, data={"paused": paused})
    return paused


@transaction.atomic
def resume_clocks(*, complaint, actor) -> int:
    complaint = _lock(complaint)
    _require_role(actor, Role.AREA_MANAGER, Role.CR_HEAD, Role.ADMINISTRATOR)
    now = timezone.now()
    clocks = list(SlaClock.objects.select_for_update().filter(complaint=complaint, status=ClockStatus.PAUSED))
    for clock in clocks:
        clock.due_at += now - clock.paused_at
        clock.status, clock.paused_at = ClockStatus.RUNNING, None
        clock.save(update_fields=["due_at", "status", "paused_at"])
    _event(complaint, EventKind.CLOCKS, actor, note=_("Clocks resumed"), data={"resumed": len(clocks)})
    return len(clocks)


# ---------------------------------------------------------------- the minute task: breaches and escalation

def check_clocks(*, now: datetime.datetime | None = None, batch: int = 500) -> dict:
    """Mark overdue clocks breached and escalate each breached clock level by level, each level once.

    Selecting by state and the unique (clock, level) constraint make a second run do nothing.
    """
    now = now or timezone.now()
    breached = 0
    for clock_id in SlaClock.objects.filter(status=ClockStatus.RUNNING, due_at__lte=now).values_list(
            "pk", flat=True)[:batch]:
        breached += _breach(clock_id, now)
    escalated = 0
    # Breached clocks still running that have not reached every level yet.
    candidates = (SlaClock.objects.filter(status=ClockStatus.BREACHED, stopped_at__isnull=True)
                  .annotate(levels=Count("escalations")).filter(levels__lt=len(EscalationLevel))
                  .order_by("breached_at", "pk")
                  .select_related("complaint__department__head", "complaint__project__company",
                                  "repair_order__project__company", "repair_order__assignee__department__head")
                  .prefetch_related("escalations")[:batch])
    for clock in candidates:
        escalated += _escalate(clock, now)
    return {"breached": breached, "escalated": escalated}


@transaction.atomic
def _breach(clock_id, now) -> int:
    clock = SlaClock.objects.select_for_update().filter(pk=clock_id, status=ClockStatus.RUNNING).first()
    if clock is None:
        return 0
    clock.status, clock.breached_at = ClockStatus.BREACHED, now
    clock.save(update_fields=["status", "breached_at"])
    complaint = clock.complaint
    if complaint is not None:
        complaint = _lock(complaint)
        _event(complaint, EventKind.BREACH, None, note=clock.get_kind_display(), data={"clock": clock.pk})
        if clock.kind == ClockKind.AUTO_MAJOR:
            # Rule C7: unresolved after 10 days, the complaint becomes major by itself.
            if _raise_severity(complaint, Severity.MAJOR, _("Unresolved after 10 days."), None):
                _event(complaint, EventKind.CLASSIFIED, None, note=_("Raised to major: unresolved after 10 days."),
                       data={"severity": Severity.MAJOR})
                _save(complaint, None)
    return 1


def _escalate(clock, now) -> int:
    complaint, repair = clock.complaint, clock.repair_order
    company = (complaint or repair).project.company
    config = settings_for(company)
    urgent = complaint is not None and complaint.severity != Severity.MINOR  # C6: escalated at once
    delays = {
        EscalationLevel.HANDLER: datetime.timedelta(0),
        EscalationLevel.DEPARTMENT_HEAD: datetime.timedelta(
            minutes=0 if urgent else config.escalate_head_after_minutes),
        EscalationLevel.CR_HEAD: datetime.timedelta(minutes=0 if urgent else config.escalate_cr_head_after_minutes),
    }
    done = {escalation.level for escalation in clock.escalations.all()}
    created = 0
    for level, delay in delays.items():
        if level in done or now < clock.breached_at + delay:
            continue
        recipients = [user for user in _escalation_recipients(clock, level) if user is not None]
        try:
            with transaction.atomic():
                escalation = Escalation.objects.create(clock=clock, level=level, created_at=now)
                escalation.recipients.set(recipients)
                subject = complaint or repair
                title = _("Escalated (%(level)s): %(clock)s overdue — %(subject)s") % {
                    "level": EscalationLevel(level).label, "clock": clock.get_kind_display(), "subject": subject}
                _notify(recipients, title, complaint=complaint, repair_order=repair)
                if complaint is not None:
                    _event(complaint, EventKind.ESCALATED, None, note=title, data={"level": level})
        except IntegrityError:
            continue  # another worker escalated this level first
        created += 1
    return created


def _escalation_recipients(clock, level):
    complaint, repair = clock.complaint, clock.repair_order
    if level == EscalationLevel.HANDLER:
        if complaint is not None:
            return [complaint.handler or complaint.received_by]
        return [repair.assignee or repair.reported_by]
    if level == EscalationLevel.DEPARTMENT_HEAD:
        department = complaint.department if complaint is not None else (
            repair.assignee.department if repair.assignee else None)
        return [department.head] if department else []
    return list(User.objects.filter(groups__name=Role.CR_HEAD.value, is_active=True))


# ---------------------------------------------------------------- crisis (C8)

@transaction.atomic
def open_crisis(*, complaint, actor) -> CrisisRecord:
    """Alert the crisis team at once and open the crisis record (once per complaint)."""
    crisis, created = CrisisRecord.objects.get_or_create(complaint=complaint)
    if created:
        team = crisis_team(complaint)
        _notify(team, _("CRISIS: %(title)s") % {"title": complaint.title}, complaint=complaint,
                body=complaint.content)
        _event(complaint, EventKind.CRISIS, actor, note=", ".join(str(user) for user in team))
    return crisis


def crisis_team(complaint) -> list:
    config = settings_for(complaint.project.company)
    team = list(config.crisis_team.filter(is_active=True))
    if not team:
        team = list(User.objects.filter(is_active=True).filter(
            Q(groups__name=Role.CR_HEAD.value)
            | Q(groups__name=Role.AREA_MANAGER.value, projects=complaint.project)).distinct())
    return team


@transaction.atomic
def add_crisis_action(*, crisis, actor, description: str) -> CrisisAction:
    crisis = CrisisRecord.objects.select_for_update().get(pk=crisis.pk)
    _require(crisis.status == CrisisStatus.OPEN, _("This crisis is closed."))
    if not description.strip():
        raise DomainError(_("Describe the action taken."), field="description")
    return CrisisAction.objects.create(crisis=crisis, actor=actor, description=description.strip())


@transaction.atomic
def close_crisis(*, crisis, actor, conclusion: str) -> CrisisRecord:
    crisis = CrisisRecord.objects.select_for_update().get(pk=crisis.pk)
    _require(crisis.status == CrisisStatus.OPEN, _("This crisis is already closed."))
    if not conclusion.strip():
        raise DomainError(_("Record the conclusion."), field="conclusion")
    crisis.status, crisis.closed_at, crisis.conclusion = CrisisStatus.CLOSED, timezone.now(), conclusion.strip()
    crisis._history_user = actor
    crisis.save()
    return crisis


# ---------------------------------------------------------------- repair orders (C13)

@transaction.atomic
def report_repair(*, actor, unit, description: str, customer=None, component_type=None,
                  complaint=None) -> RepairOrder:
    if not description.strip():
        raise DomainError(_("Describe what needs repairing."), field="description")
    order = RepairOrder(unit=unit, customer=customer, component_type=component_type, complaint=complaint,
                        description=description.strip(), reported_by=actor)
    status = warranty_status(order)
    order.in_warranty = status["in_warranty"] if status else None
    order._history_user = actor
    order.save()
    return order


def warranty_status(order) -> dict | None:
    """The component's warranty (estates J16) counted from the unit's delivery (members.Purchase)."""
    from dateutil.relativedelta import relativedelta

    from estates.services import warranty_months
    from members.models import Purchase

    if order.component_type is None:
        return None
    months = warranty_months(project=order.unit.project, component_type=order.component_type)
    delivered = (Purchase.objects.filter(unit=order.unit, delivered_on__isnull=False)
                 .order_by("-delivered_on").values_list("delivered_on", flat=True).first())
    if delivered is None:
        return {"months": months, "delivered_on": None, "ends_on": None, "in_warranty": True}
    ends_on = delivered + relativedelta(months=months)
    on = timezone.localdate(order.reported_at) if order.reported_at else timezone.localdate()
    return {"months": months, "delivered_on": delivered, "ends_on": ends_on, "in_warranty": on <= ends_on}


@transaction.atomic
def assign_repair(*, order, actor, assignee) -> RepairOrder:
    order = _repair_transition(order, "assign", actor)
    order.assignee = assignee
    _notify([assignee], _("Repair order assigned to you: %(order)s") % {"order": order}, repair_order=order,
            body=order.description)
    return _save(order, actor)


@transaction.atomic
def start_repair(*, order, actor) -> RepairOrder:
    return _save(_repair_transition(order, "start", actor), actor)


@transaction.atomic
def complete_repair(*, order, actor, work_done: str) -> RepairOrder:
    """Rule C13: a completed repair gets a return visit within 24 hours."""
    if not work_done.strip():
        raise DomainError(_("Describe the work done."), field="work_done")
    order = _repair_transition(order, "complete", actor)
    now = timezone.now()
    order.completed_at, order.work_done = now, work_done.strip()
    config = settings_for(order.project.company)
    SlaClock.objects.get_or_create(
        repair_order=order, kind=ClockKind.RETURN_VISIT, cycle=0,
        defaults={"started_at": now,
                  "due_at": due_after(now, datetime.timedelta(hours=config.return_visit_hours), config)})
    return _save(order, actor)


@transaction.atomic
def record_repair_visit(*, order, actor, method: str, satisfaction: str, service_quality: int = 5,
                        attitude: int = 5, fee_checked: bool = False, fee_note: str = "", shortcomings: str = "",
                        suggestions: str = "") -> ReturnVisit:
    order = _repair_transition(order, "return_visit", actor)
    visit = ReturnVisit.objects.create(
        repair_order=order, project=order.project, visitor=actor, method=method, satisfaction=satisfaction,
        service_quality=service_quality, attitude=attitude, fee_checked=fee_checked, fee_note=fee_note,
        shortcomings=shortcomings, suggestions=suggestions)
    _stop_repair_clock(order)
    _save(order, actor)
    return visit


@transaction.atomic
def close_repair(*, order, actor) -> RepairOrder:
    order = _repair_transition(order, "close", actor)
    order.closed_at = timezone.now()
    return _save(order, actor)


def _repair_transition(order, name, actor):
    order = RepairOrder.objects.select_for_update().get(pk=order.pk)
    _check(order, name, actor)
    getattr(order, name)()
    return order


def _stop_repair_clock(order):
    now = timezone.now()
    for clock in SlaClock.objects.select_for_update().filter(repair_order=order, stopped_at__isnull=True):
        _close_clock(clock, now)


# ---------------------------------------------------------------- defects (D1), objections (C14), cases (C11)

@transaction.atomic
def raise_defect(*, actor, project, category: str, title: str, source: str, description: str = "",
                 complaint=None, repair_order=None, unit=None, component_type=None,
                 responsible_department=None) -> Defect:
    """Rule D1: a defect has a category and comes from a complaint, a repair order or a house check."""
    if source == DefectSource.COMPLAINT and complaint is None:
        raise DomainError(_("Name the complaint that raised this defect."), field="complaint")
    if source == DefectSource.REPAIR and repair_order is None:
        raise DomainError(_("Name the repair order that raised this defect."), field="repair_order")
    for subject in (complaint, repair_order, unit):
        if subject is not None and subject.project_id != project.pk:
            raise DomainError(_("This record is in another project."), field="project")
    defect = Defect(project=project, category=category, source=source, title=title, description=description,
                    complaint=complaint, repair_order=repair_order, unit=unit, component_type=component_type,
                    responsible_department=responsible_department, raised_by=actor)
    return _save(defect, actor)


@transaction.atomic
def record_objection(*, actor, unit, customer, reason: str, defects=()) -> DeliveryObjection:
    """Rule C14: a delivery objection over quality, recorded with its defects."""
    if not reason.strip():
        raise DomainError(_("Record the reason for the objection."), field="reason")
    if customer.company_id != unit.project.company_id:
        raise DomainError(_("This customer belongs to another company."), field="customer")
    objection = _save(DeliveryObjection(unit=unit, customer=customer, reason=reason.strip(), recorded_by=actor),
                      actor)
    for defect in defects:
        if defect.project_id != unit.project_id:
            raise DomainError(_("This record is in another project."), field="defects")
    objection.defects.set(defects)
    return objection


@transaction.atomic
def settle_objection(*, objection, actor, status: str) -> DeliveryObjection:
    objection = DeliveryObjection.objects.select_for_update().get(pk=objection.pk)
    _require(objection.status == ObjectionStatus.OPEN, _("This objection is already settled."))
    if status not in (ObjectionStatus.RESOLVED, ObjectionStatus.REJECTED):
        raise DomainError(_("Choose resolved or rejected."), field="status")
    objection.status = status
    return _save(objection, actor)


@transaction.atomic
def issue_delivery_reminder(*, actor, unit, customer, take_over_by: datetime.date, text: str,
                            objection=None) -> DeliveryReminder:
    """Rule C14: a reminder notice goes only to a buyer refusing delivery without a valid reason —
    never while an objection over quality is open or was upheld."""
    if DeliveryObjection.objects.filter(unit=unit, customer=customer, status=ObjectionStatus.OPEN).exists():
        raise DomainError(_("An objection over quality is still open for this unit: settle it first."),
                          code="objection_open", field="unit")
    if take_over_by <= timezone.localdate():
        raise DomainError(_("The take-over date must be in the future."), field="take_over_by")
    if not text.strip():
        raise DomainError(_("Write the notice."), field="text")
    return DeliveryReminder.objects.create(unit=unit, customer=customer, objection=objection,
                                           take_over_by=take_over_by, text=text.strip(), issued_by=actor)


@transaction.atomic
def add_case(*, actor, title: str, category: str, situation: str, handling: str, lesson: str,
             complaint=None) -> CaseEntry:
    """Rule C11: a typical case goes into the case library, stripped of the customer's identity."""
    if complaint is not None and CaseEntry.objects.filter(complaint=complaint).exists():
        raise DomainError(_("This complaint is already in the case library."), field="complaint")
    return CaseEntry.objects.create(title=title, category=category, situation=situation, handling=handling,
                                    lesson=lesson, complaint=complaint, added_by=actor)


# ---------------------------------------------------------------- inbox

def mark_read(*, user, notification_ids=None) -> int:
    inbox = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        inbox = inbox.filter(pk__in=notification_ids)
    return inbox.update(read_at=timezone.now())


# ---------------------------------------------------------------- retention (C10) and the handbook (D3)

def apply_retention(*, now: datetime.datetime | None = None, batch: int = 500) -> int:
    """Purge or anonymise archived complaints older than their company's retention period (2 years)."""
    from estates.models import Company

    now = now or timezone.now()
    done = 0
    for company in Company.objects.filter(complaints__state=S.ARCHIVED).distinct():
        config = settings_for(company)
        cutoff = now - datetime.timedelta(days=config.retention_days)
        for complaint_id in Complaint.objects.filter(
                company=company, state=S.ARCHIVED, anonymised_at__isnull=True, archived_at__lte=cutoff
        ).order_by("archived_at").values_list("pk", flat=True)[:batch]:
            done += _retain(complaint_id, config.retention_action, now)
    return done


@transaction.atomic
def _retain(complaint_id, action, now) -> int:
    try:
        with transaction.atomic():
            RetentionRecord.objects.create(complaint_ref=complaint_id, action=action, done_at=now)
    except IntegrityError:
        return 0
    complaint = Complaint.objects.select_for_update().get(pk=complaint_id)
    if action == RetentionAction.PURGE:
        complaint.history.all().delete()
        complaint.delete()
        return 1
    complaint.history.all().delete()  # the trail held the personal details too
    complaint.customer, complaint.unit, complaint.anonymised_at = None, None, now
    complaint.content = complaint.demand = complaint.validity_reason = _("[anonymised]")
    complaint.solution = complaint.resolution = complaint.summary = complaint.plan = ""
    complaint.dispatch_note = ""
    complaint.save()
    ComplaintEvent.objects.filter(complaint=complaint).update(note="", data={})
    ReturnVisit.objects.filter(complaint=complaint).update(shortcomings="", suggestions="", fee_note="")
    Notification.objects.filter(complaint=complaint).update(body="")
    _event(complaint, EventKind.ANONYMISED, None)
    return 1


def send_quarterly_handbooks(*, today: datetime.date | None = None) -> int:
    """Rule D3: after each quarter, each company's handbook goes to its responsible departments' heads."""
    from estates.models import Company

    from .selectors import previous_quarter

    today = today or timezone.localdate()
    year, quarter = previous_quarter(today)
    sent = 0
    for company in Company.objects.all():
        try:
            with transaction.atomic():
                HandbookIssue.objects.create(company=company, year=year, quarter=quarter)
                heads = {defect.responsible_department.head for defect in Defect.objects.filter(
                    project__company=company, responsible_department__head__isnull=False)
                    .select_related("responsible_department__head")}
                _notify(list(heads), _("Quality handbook %(year)s Q%(quarter)s of %(company)s") % {
                    "year": year, "quarter": quarter, "company": company},
                    body=f"/complaints/handbook/?company={company.pk}&year={year}&quarter={quarter}")
        except IntegrityError:
            continue
        sent += 1
    return sent


# ---------------------------------------------------------------- helpers

def _lock(complaint) -> Complaint:
    return Complaint.objects.select_for_update(of=("self",)).select_related(
        "project__company", "department__head").get(pk=complaint.pk)


def _state(complaint) -> str:
    return Complaint.objects.values_list("state", flat=True).get(pk=complaint.pk)


def _check(instance, name, actor):
    """409 when the state does not allow the move; 403 when the actor's role may not make it."""
    bound = getattr(instance, name)
    if not can_proceed(bound):
        raise TransitionNotAllowed(_("“%(action)s” is not possible while the record is “%(state)s”.") % {
            "action": name.replace("_", " "), "state": instance.get_state_display()})
    if not has_transition_perm(bound, actor):
        raise PermissionDenied


def _transition(complaint, name, actor) -> Complaint:
    complaint = _lock(complaint)
    _check(complaint, name, actor)
    getattr(complaint, name)()
    return complaint


def _finish(complaint, actor, from_state, note="", data=None) -> Complaint:
    _save(complaint, actor)
    _event(complaint, EventKind.TRANSITION, actor, from_state=from_state, to_state=complaint.state, note=note,
           data=data or {})
    return complaint


def _save(instance, actor):
    instance._history_user = actor
    instance.save()
    return instance


def _event(complaint, kind, actor, *, from_state="", to_state="", note="", data=None) -> ComplaintEvent:
    return ComplaintEvent.objects.create(complaint=complaint, kind=kind, actor=actor, from_state=from_state,
                                         to_state=to_state, note=str(note)[:2000], data=data or {})


def _start_clock(complaint, kind, start, duration, config) -> SlaClock:
    clock, _created = SlaClock.objects.get_or_create(
        complaint=complaint, kind=kind, cycle=complaint.reopen_count,
        defaults={"started_at": start, "due_at": due_after(start, duration, config)})
    return clock


def _stop_clock(complaint, kind):
    now = timezone.now()
    for clock in SlaClock.objects.select_for_update().filter(complaint=complaint, kind=kind,
                                                             stopped_at__isnull=True):
        _close_clock(clock, now)


def _close_clock(clock, now):
    if clock.status == ClockStatus.PAUSED:
        clock.due_at += now - clock.paused_at
        clock.paused_at = None
    if clock.status != ClockStatus.BREACHED:
        if now <= clock.due_at:
            clock.status = ClockStatus.MET
        else:
            clock.status, clock.breached_at = ClockStatus.BREACHED, now
    clock.stopped_at = now
    clock.save()


def _tell_customer(complaint, template_code: str, *, occasion: str, **context) -> None:
    """A text message to the complaining customer through the outbox (once per occasion; consent at send time)."""
    if complaint.customer is None:
        return
    messaging.queue_message(
        customer=complaint.customer, project=complaint.project, purpose=f"complaint:{template_code}",
        dedupe_key=f"complaint:{complaint.pk}:{occasion}", template_code=template_code,
        context={"number": complaint.pk, "hotline": complaint.project.company.service_hotline, **context},
    )


def _notify(recipients, title, *, complaint=None, repair_order=None, body=""):
    seen = set()
    rows = []
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(Notification(recipient=user, title=str(title)[:200], body=str(body), complaint=complaint,
                                 repair_order=repair_order))
    Notification.objects.bulk_create(rows)


def _require(condition, message):
    if not condition:
        raise TransitionNotAllowed(message)


def _require_role(actor, *roles):
    if not actor.has_role(*roles):
        raise PermissionDenied
