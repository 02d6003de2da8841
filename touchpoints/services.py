"""Touchpoints writes: plans and executions (J3), completing care tasks (J6–J20), open days (J10), meetings (J21)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core import calls
from core.errors import DomainError, TransitionNotAllowed
from core.roles import Role
from members.choices import PurchaseStatus
from members.models import Customer, Purchase

from . import signals
from .choices import (
    ActionKind,
    CheckItem,
    CheckResult,
    Duty,
    IssueStatus,
    MessageStatus,
    OpenDaySequence,
    OpenDayStatus,
    TaskStatus,
)
from .models import (
    Action,
    CareIssue,
    CareSettings,
    CareTask,
    EvidenceFile,
    Execution,
    ImprovementPlan,
    Meeting,
    MeetingFeedback,
    MysteryShopperCheck,
    OutboundMessage,
    ProgressLetter,
    ProjectAction,
    SiteOpenDay,
    VisitRound,
)

OPEN_STATUSES = (TaskStatus.DUE, TaskStatus.DEFERRED)
# Stored on the tasks and messages a cancellation ends (an outcome is recorded text, like a note).
PURCHASE_CANCELLED = "purchase cancelled (J4)"


# --- plans and executions (J3) --------------------------------------------------------------


def ensure_plan(*, project, actor) -> int:
    """Put every action in the project's plan: standard ones active (mandatory), optional ones not yet."""
    missing = Action.objects.exclude(project_plans__project=project)
    rows = [
        ProjectAction(project=project, action=action, is_active=action.kind != ActionKind.OPTIONAL)
        for action in missing
    ]
    bulk_create_with_history(rows, ProjectAction, default_user=actor, ignore_conflicts=True)
    return len(rows)


@transaction.atomic
def plan_action(
    *, project, action: Action, active: bool, actor, due_on: datetime.date | None = None, notes: str = ""
) -> ProjectAction:
    """Opt an optional action in or out, and set when an action is due; standard actions stay in."""
    if action.kind == ActionKind.STANDARD and not active:
        raise DomainError(_("A standard action is mandatory and cannot be left out of the plan."), field="is_active")
    planned = ProjectAction.objects.select_for_update().filter(project=project, action=action).first()
    planned = planned or ProjectAction(project=project, action=action)
    planned.is_active, planned.due_on, planned.notes = active, due_on, notes or planned.notes
    return _save(planned, actor)


@transaction.atomic
def record_execution(
    *, planned_action: ProjectAction, executed_on: datetime.date, actor, notes: str = "", evidence=None, files=()
) -> Execution:
    if not planned_action.is_active:
        raise DomainError(
            _("This optional action is not in the project's plan; opt it in first."), field="planned_action"
        )
    if executed_on > timezone.localdate():
        raise DomainError(_("An execution cannot be dated in the future."), field="executed_on")
    execution = Execution.objects.create(
        planned_action=planned_action, executed_on=executed_on, executed_by=actor, notes=notes, evidence=evidence or ""
    )
    for upload in files:
        EvidenceFile.objects.create(execution=execution, file=upload)
    return execution


# --- care tasks -----------------------------------------------------------------------------


def may_complete(user, task: CareTask) -> bool:
    """The task's owner, anyone holding its role, or customer-relations management."""
    if user.is_superuser or user.has_role(Role.CR_HEAD, Role.ADMINISTRATOR):
        return True
    if task.owner_id and task.owner_id == user.pk:
        return True
    return bool(task.owner_role) and user.has_role(task.owner_role)


@transaction.atomic
def complete_task(
    *,
    task: CareTask,
    actor,
    outcome: str = "",
    checklist: dict | None = None,
    issues: list[dict] | None = None,
    **details,
) -> CareTask:
    """Record the outcome of a due task; what each duty must record is checked here."""
    task = _lock(task, actor)
    if task.duty == Duty.SITE_OPEN_DAY:
        raise TransitionNotAllowed(_("A site open day task is completed by evaluating the open day."))
    handler = COMPLETERS.get(task.duty)
    if handler:
        handler(task=task, actor=actor, checklist=checklist or {}, issues=issues or [], **details)
    elif issues:
        _record_issues(task, issues)
    if not outcome.strip() and task.duty not in (
        Duty.ONE_YEAR_CHECK,
        Duty.PROGRESS_LETTER,
        Duty.MYSTERY_SHOPPER,
        Duty.FOUR_YEAR_PLAN,
    ):
        raise DomainError(_("Say what happened."), field="outcome")
    return _close(task, actor, outcome)


@transaction.atomic
def defer_task(*, task: CareTask, until: datetime.date, actor, reason: str = "") -> CareTask:
    """Put a task off, never past the end of its window (a three-month visit: six months after move-in)."""
    task = _lock(task, actor)
    if until <= timezone.localdate():
        raise DomainError(_("Defer to a later day."), field="until")
    if until > task.due_end:
        raise DomainError(
            _("This task may be deferred until %(date)s at the latest.") % {"date": task.due_end}, field="until"
        )
    task.status, task.deferred_until = TaskStatus.DEFERRED, until
    if reason:
        task.outcome = reason
    return _save(task, actor, update_fields=["status", "deferred_until", "outcome"])


@transaction.atomic
def record_call(*, task: CareTask, actor, outcome: str, call_back_at=None, note: str = ""):
    """A call about the task that did not complete it; the queue shows it and sorts by the call-back time."""
    task = _lock(task, actor)
    return calls.record_attempt(
        item=task, attempts=task.calls, actor=actor, outcome=outcome, call_back_at=call_back_at, note=note
    )


@transaction.atomic
def cancel_task(*, task: CareTask, actor, reason: str) -> CareTask:
    task = _lock(task, actor)
    if not reason.strip():
        raise DomainError(_("Give the reason for cancelling."), field="reason")
    task.status, task.outcome, task.completed_by, task.completed_at = (
        TaskStatus.CANCELLED,
        reason,
        actor,
        timezone.now(),
    )
    return _save(task, actor, update_fields=["status", "outcome", "completed_by", "completed_at"])


def end_duties_of_cancelled_purchase(*, purchase_id: int) -> int:
    """J4: a cancelled subscription is owed no more care: its open tasks are cancelled and the messages still
    queued for its tasks are not sent. Answers the tasks ended."""
    now = timezone.now()
    tasks = CareTask.objects.filter(purchase_id=purchase_id)
    keys = [OutboundMessage.care_key(pk) for pk in tasks.values_list("pk", flat=True)]
    OutboundMessage.objects.filter(dedupe_key__in=keys, status=MessageStatus.QUEUED).update(
        status=MessageStatus.CANCELLED, last_error=PURCHASE_CANCELLED
    )
    ended = list(tasks.filter(status__in=OPEN_STATUSES).select_for_update())
    for task in ended:
        task.status, task.outcome, task.completed_at = TaskStatus.CANCELLED, PURCHASE_CANCELLED, now
    # each task's history says it was cancelled, by whom (the request's user) and why
    bulk_update_with_history(
        ended, CareTask, ["status", "outcome", "completed_at"], default_change_reason=PURCHASE_CANCELLED
    )
    return len(ended)


@transaction.atomic
def close_issue(*, issue: CareIssue, actor, resolution: str) -> CareIssue:
    issue = CareIssue.objects.select_for_update().get(pk=issue.pk)
    if issue.status == IssueStatus.CLOSED:
        raise TransitionNotAllowed(_("This issue is already closed."))
    if not resolution.strip():
        raise DomainError(_("Say how the issue was resolved."), field="resolution")
    issue.status, issue.resolution, issue.closed_by, issue.closed_at = (
        IssueStatus.CLOSED,
        resolution,
        actor,
        timezone.now(),
    )
    issue.save()
    return issue


@transaction.atomic
def close_visit_round(*, visit_round: VisitRound, actor, summary: str) -> VisitRound:
    """J15: a round ends with its summary, once every sampled household was visited or its visit cancelled
    and every issue found was followed to closure."""
    visit_round = VisitRound.objects.select_for_update().get(pk=visit_round.pk)
    if visit_round.closed_at:
        raise TransitionNotAllowed(_("This round is already closed."))
    if visit_round.tasks.filter(status__in=OPEN_STATUSES).exists():
        raise TransitionNotAllowed(_("Some visits of this round are still open."))
    open_issues = CareIssue.objects.filter(task__visit_round=visit_round, status=IssueStatus.OPEN).count()
    if open_issues:
        raise TransitionNotAllowed(
            _("%(count)s issue(s) found on this round's visits are still open: close them before the round.")
            % {"count": open_issues},
            code="open_issues",
        )
    if not summary.strip():
        raise DomainError(_("Write the round's summary."), field="summary")
    visit_round.summary, visit_round.closed_by, visit_round.closed_at = summary, actor, timezone.now()
    visit_round.save()
    return visit_round


def _lock(task: CareTask, actor) -> CareTask:
    task = CareTask.objects.select_for_update().get(pk=task.pk)
    if not may_complete(actor, task):
        raise PermissionDenied
    if task.status not in OPEN_STATUSES:
        raise TransitionNotAllowed(_("This task is already %(status)s.") % {"status": task.get_status_display()})
    return task


def _close(task: CareTask, actor, outcome: str) -> CareTask:
    task.status, task.outcome, task.completed_by, task.completed_at = (TaskStatus.DONE, outcome, actor, timezone.now())
    return _save(task, actor, update_fields=["status", "outcome", "checklist", "completed_by", "completed_at"])


def _save(instance, actor, **kwargs):
    """Save with the actor recorded in the history, whether the change comes from a request, Celery or the shell."""
    instance._history_user = actor
    instance.save(**kwargs)
    return instance


def _record_issues(task, issues, check_item="") -> list[CareIssue]:
    recorded = []
    for issue in issues:
        description = (issue.get("description") or "").strip()
        if not description:
            raise DomainError(_("Describe each issue found."), field="issues")
        recorded.append(
            CareIssue.objects.create(
                task=task, description=description, check_item=issue.get("check_item", check_item) or ""
            )
        )
    return recorded


def _complete_one_year_check(*, task, checklist, issues, **details):
    """J17: every item of the check list answered; each item with an issue describes it, and it is tracked."""
    missing = [label for value, label in CheckItem.choices if checklist.get(value) not in CheckResult.values]
    if missing:
        raise DomainError(
            _("Answer every item of the check list: %(items)s.") % {"items": ", ".join(map(str, missing))},
            field="checklist",
        )
    described = {issue.get("check_item") for issue in issues}
    for item, result in checklist.items():
        if result == CheckResult.ISSUE and item not in described:
            raise DomainError(
                _("Describe the issue found at: %(item)s.") % {"item": CheckItem(item).label}, field="issues"
            )
    task.checklist = {item: checklist[item] for item in CheckItem.values}
    found = _record_issues(task, issues)
    if found:
        issue_ids = [issue.pk for issue in found]
        transaction.on_commit(lambda: signals.house_check_issues_found.send(sender=CareIssue, issue_ids=issue_ids))


def _complete_progress_letter(
    *, task, construction_progress: str = "", community_events: str = "", amenities: str = "", **details
):
    """J11: the letter reaches every buyer of the project not yet delivered."""
    if not construction_progress.strip():
        raise DomainError(_("Describe the construction progress."), field="construction_progress")
    letter = ProgressLetter.objects.create(
        task=task,
        project_id=task.project_id,
        sent_on=timezone.localdate(),
        construction_progress=construction_progress,
        community_events=community_events,
        amenities=amenities,
    )
    buyers = (
        Purchase.objects.filter(project_id=task.project_id, delivered_on__isnull=True)
        .exclude(status=PurchaseStatus.CANCELLED)
        .values("customer_id")
        .distinct()
    )
    letter.recipients.set(Customer.objects.filter(pk__in=buyers))


def _complete_mystery_shopper(*, task, shopper: str = "", score=None, findings: str = "", checked_on=None, **details):
    """J6: the check's result is scored and kept."""
    if not shopper.strip():
        raise DomainError(_("Name the mystery shopper."), field="shopper")
    if score is None or not 0 <= int(score) <= 100:
        raise DomainError(_("Give a score from 0 to 100."), field="score")
    MysteryShopperCheck.objects.create(
        task=task,
        project_id=task.project_id,
        shopper=shopper,
        score=int(score),
        findings=findings,
        checked_on=checked_on or timezone.localdate(),
    )


def _complete_four_year_plan(*, task, plan: str = "", budget=None, result: str = "", **details):
    """J20: the improvement plan with its budget from the loyalty fund; the result follows."""
    if not plan.strip():
        raise DomainError(_("Describe the improvements planned."), field="plan")
    if budget is None or Decimal(str(budget)) <= 0:
        raise DomainError(_("Give the budget from the customer loyalty fund."), field="budget")
    ImprovementPlan.objects.create(
        task=task, project_id=task.project_id, plan=plan, budget=Decimal(str(budget)), result=result
    )


def _complete_with_issues(*, task, issues, **details):
    _record_issues(task, issues)


COMPLETERS = {
    Duty.ONE_YEAR_CHECK: _complete_one_year_check,
    Duty.PROGRESS_LETTER: _complete_progress_letter,
    Duty.MYSTERY_SHOPPER: _complete_mystery_shopper,
    Duty.FOUR_YEAR_PLAN: _complete_four_year_plan,
    Duty.THREE_MONTH_VISIT: _complete_with_issues,
}


@transaction.atomic
def record_plan_result(*, plan: ImprovementPlan, result: str, actor) -> ImprovementPlan:
    """J20: what the improvement plan achieved."""
    plan = ImprovementPlan.objects.select_for_update().get(pk=plan.pk)
    if not result.strip():
        raise DomainError(_("Describe the result."), field="result")
    plan.result = result
    return _save(plan, actor, update_fields=["result"])


def mark_notices_posted(*, notices, actor) -> int:
    """J16: the community notice was put up on the estate's notice boards."""
    return notices.filter(posted_at=None).update(posted_at=timezone.now(), posted_by=actor)


# --- site open days (J10) -------------------------------------------------------------------


def open_day_gates(open_day: SiteOpenDay) -> list[str]:
    """The conditions an opening fails; empty when it may go ahead."""
    if open_day.sequence == OpenDaySequence.FIRST:
        checks = [
            (open_day.on_schedule, _("construction on schedule")),
            (open_day.site_tidy, _("site tidy")),
            (open_day.no_structural_defects, _("no obvious structural defects")),
        ]
    else:
        limit = settings_for(open_day.project).second_open_day_max_average_defects
        checks = [
            (open_day.simulated_inspection_done, _("internal simulated inspection done")),
            (open_day.no_major_defects, _("no major defects")),
            (
                open_day.average_detail_defects is not None and open_day.average_detail_defects < limit,
                _("average detail defects per unit below %(limit)s") % {"limit": limit},
            ),
        ]
    return [str(label) for passed, label in checks if not passed]


@transaction.atomic
def evaluate_open_day(*, open_day: SiteOpenDay, actor, notes: str = "", **checks) -> list[str]:
    """Customer relations records the evaluation; the opening is approved only if every gate passes."""
    open_day = _lock_open_day(open_day, OpenDayStatus.PLANNED, OpenDayStatus.POSTPONED)
    for name in (
        "on_schedule",
        "site_tidy",
        "no_structural_defects",
        "simulated_inspection_done",
        "no_major_defects",
        "average_detail_defects",
    ):
        if name in checks:
            setattr(open_day, name, checks[name])
    open_day.evaluation_notes, open_day.evaluated_by, open_day.evaluated_at = notes, actor, timezone.now()
    failed = open_day_gates(open_day)
    if not failed:
        open_day.status = OpenDayStatus.APPROVED
    _save(open_day, actor)
    verdict = _("approved") if not failed else _("not passed: %(gates)s") % {"gates": "; ".join(failed)}
    _close_open_day_tasks(open_day, actor, _("Evaluation %(verdict)s.") % {"verdict": verdict})
    return failed


@transaction.atomic
def postpone_open_day(*, open_day: SiteOpenDay, actor, new_date: datetime.date, reason: str) -> SiteOpenDay:
    open_day = _lock_open_day(open_day, OpenDayStatus.PLANNED, OpenDayStatus.POSTPONED, OpenDayStatus.APPROVED)
    if not reason.strip():
        raise DomainError(_("Give the reason for postponing."), field="reason")
    if new_date <= open_day.planned_on:
        raise DomainError(_("Postpone to a later day."), field="new_date")
    _close_open_day_tasks(
        open_day, actor, _("Postponed to %(date)s: %(reason)s") % {"date": new_date, "reason": reason}
    )
    open_day.planned_on, open_day.status, open_day.decision_reason = new_date, OpenDayStatus.POSTPONED, reason
    return _save(open_day, actor)


@transaction.atomic
def cancel_open_day(*, open_day: SiteOpenDay, actor, reason: str) -> SiteOpenDay:
    """A cancellation is recorded and reported to headquarters; the project loses that year's excellence bid."""
    open_day = _lock_open_day(open_day, OpenDayStatus.PLANNED, OpenDayStatus.POSTPONED, OpenDayStatus.APPROVED)
    if not reason.strip():
        raise DomainError(_("Give the reason for cancelling."), field="reason")
    open_day.status, open_day.decision_reason = OpenDayStatus.CANCELLED, reason
    open_day.reported_to_headquarters_at = timezone.now()
    _save(open_day, actor)
    _close_open_day_tasks(open_day, actor, _("Cancelled: %(reason)s") % {"reason": reason})
    return open_day


@transaction.atomic
def hold_open_day(*, open_day: SiteOpenDay, held_on: datetime.date, visitors: int, actor) -> SiteOpenDay:
    open_day = _lock_open_day(open_day, OpenDayStatus.APPROVED)
    open_day.status, open_day.held_on, open_day.visitors = OpenDayStatus.HELD, held_on, visitors
    return _save(open_day, actor)


def _lock_open_day(open_day, *allowed) -> SiteOpenDay:
    open_day = SiteOpenDay.objects.select_for_update().get(pk=open_day.pk)
    if open_day.status not in allowed:
        raise TransitionNotAllowed(_("This open day is %(status)s.") % {"status": open_day.get_status_display()})
    return open_day


def _close_open_day_tasks(open_day, actor, outcome):
    CareTask.objects.filter(open_day=open_day, status__in=OPEN_STATUSES).update(
        status=TaskStatus.DONE, outcome=outcome, completed_by=actor, completed_at=timezone.now()
    )


def settings_for(project) -> CareSettings:
    return CareSettings.objects.filter(project=project).first() or CareSettings(project=project)


# --- meetings (J21) -------------------------------------------------------------------------


@transaction.atomic
def record_meeting(
    *,
    project,
    kind: str,
    held_on: datetime.date,
    title: str,
    actor,
    attendees: int = 0,
    summary: str = "",
    feedback: list[dict] = (),
) -> Meeting:
    meeting = Meeting.objects.create(
        project=project,
        kind=kind,
        held_on=held_on,
        title=title,
        attendees=attendees,
        summary=summary,
        recorded_by=actor,
    )
    for item in feedback:
        customer = item.get("customer")
        if customer is not None and customer.project.company_id != project.company_id:
            raise DomainError(_("This owner belongs to another company."), field="feedback")
        if not (item.get("content") or "").strip():
            raise DomainError(_("Write what the owner said."), field="feedback")
        MeetingFeedback.objects.create(
            meeting=meeting, customer=customer, content=item["content"], response=item.get("response", "")
        )
    return meeting
