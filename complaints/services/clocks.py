"""The service-level clocks (rules C4–C7, C9, C13): started and stopped by the steps, breached and
escalated by the minute task, paused while the company waits on the customer."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterator

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from core.db import rows_by_id
from core.models import User
from core.roles import Role

from ..calendar import due_after
from ..choices import ClockKind, ClockStatus, EscalationLevel, EventKind, Severity
from ..models import Escalation, SlaClock
from ..workflow import COMPLAINT_FLOW
from . import intake
from .common import event, lock, save, settings_for
from .inbox import notify

# The clocks only a major complaint runs (rule C6).
MAJOR_CLOCKS = (ClockKind.REPORT_HEAD, ClockKind.SOLUTION)
# The clocks that run in calendar time whatever the company's clock hours: unresolved after 10 days (C7), the
# 10-minute report to the head of department (C6) and the deadline the dispatch gave.
CALENDAR_TIME_CLOCKS = (ClockKind.AUTO_MAJOR, ClockKind.REPORT_HEAD, ClockKind.DEADLINE)
# The clocks that stop when a complaint is resolved.
HANDLING_CLOCKS = (
    ClockKind.DEADLINE,
    ClockKind.AUTO_MAJOR,
    ClockKind.RESPONSE,
    ClockKind.SOLUTION,
    ClockKind.REPORT_HEAD,
    ClockKind.PLAN,
)


def start_cycle(complaint, start, config) -> None:
    """The clocks of a complaint's cycle (its intake, or a reopening): the 24-hour response (C5), the
    10-day auto-major (C7) and, for a major complaint, the 10-minute and 12-hour ones (C6)."""
    start_clock(complaint, ClockKind.RESPONSE, start, datetime.timedelta(hours=config.response_hours), config)
    start_clock(complaint, ClockKind.AUTO_MAJOR, start, datetime.timedelta(days=config.auto_major_days), config)
    if complaint.severity != Severity.MINOR:
        start_major_clocks(complaint, start, config)


def start_major_clocks(complaint, start, config) -> None:
    """Rule C6: report to the head of department within 10 minutes, a solution within 12 hours."""
    start_clock(complaint, ClockKind.REPORT_HEAD, start, datetime.timedelta(minutes=config.report_head_minutes), config)
    start_clock(complaint, ClockKind.SOLUTION, start, datetime.timedelta(hours=config.solution_hours), config)


def start_clock(complaint, kind, start, duration, config) -> SlaClock:
    """One clock per complaint, kind and cycle (a unique constraint); starting it twice changes nothing."""
    clock, _created = SlaClock.objects.get_or_create(
        complaint=complaint,
        kind=kind,
        cycle=complaint.reopen_count,
        defaults={"started_at": start, "due_at": clock_due(kind, start, duration, config)},
    )
    return clock


def clock_due(kind, start, duration, config) -> datetime.datetime:
    """When a clock of `kind` started at `start` for `duration` is due: in the company's clock hours (`config`),
    or in calendar time for the CALENDAR_TIME_CLOCKS."""
    return due_after(start, duration, None if kind in CALENDAR_TIME_CLOCKS else config)


def start_repair_visit_clock(order, start, config) -> SlaClock:
    """Rule C13: a completed repair order is visited within 24 hours."""
    clock, _created = SlaClock.objects.get_or_create(
        repair_order=order,
        kind=ClockKind.RETURN_VISIT,
        cycle=order.reopen_count,
        defaults={
            "started_at": start,
            "due_at": clock_due(
                ClockKind.RETURN_VISIT, start, datetime.timedelta(hours=config.return_visit_hours), config
            ),
        },
    )
    return clock


def stop_clocks(*, complaint=None, repair_order=None, kinds=None) -> None:
    """Stop the running (or paused) clocks: met when on time, breached when late."""
    now = timezone.now()
    clocks = SlaClock.objects.select_for_update().filter(stopped_at__isnull=True)
    clocks = clocks.filter(complaint=complaint) if complaint is not None else clocks.filter(repair_order=repair_order)
    if kinds is not None:
        clocks = clocks.filter(kind__in=kinds)
    for clock in clocks:
        _close(clock, now)


def _close(clock, now) -> None:
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


# ---------------------------------------------------------------- pausing


@transaction.atomic
def pause_clocks(*, complaint, actor, reason: str) -> int:
    """Stop the running clocks while the company waits on the customer; resuming adds the pause."""
    complaint = lock(complaint)
    COMPLAINT_FLOW.take(complaint, "pause-clocks", actor)
    paused = SlaClock.objects.filter(complaint=complaint, status=ClockStatus.RUNNING).update(
        status=ClockStatus.PAUSED, paused_at=timezone.now()
    )
    event(complaint, EventKind.CLOCKS, actor, note=reason, data={"paused": paused})
    return paused


@transaction.atomic
def resume_clocks(*, complaint, actor) -> int:
    complaint = lock(complaint)
    COMPLAINT_FLOW.take(complaint, "resume-clocks", actor)
    now = timezone.now()
    clocks = list(SlaClock.objects.select_for_update().filter(complaint=complaint, status=ClockStatus.PAUSED))
    for clock in clocks:
        clock.due_at += now - clock.paused_at
        clock.status, clock.paused_at = ClockStatus.RUNNING, None
        clock.save(update_fields=["due_at", "status", "paused_at"])
    event(complaint, EventKind.CLOCKS, actor, note=_("Clocks resumed"), data={"resumed": len(clocks)})
    return len(clocks)


# ---------------------------------------------------------------- the minute task: breaches and escalation


def check_clocks(*, now: datetime.datetime | None = None, batch: int = 500) -> dict:
    """Mark overdue clocks breached and escalate each breached clock level by level, each level once.

    At most `batch` clocks are breached and `batch` escalated a run, so that a backlog (a day without a worker)
    drains a batch a minute; the clocks escalated are found among every breached clock, whatever waits before them.
    Selecting by state and the unique (clock, level) constraint make a second run do nothing.
    """
    now = now or timezone.now()
    breached = 0
    for clock_id in SlaClock.objects.filter(status=ClockStatus.RUNNING, due_at__lte=now).values_list("pk", flat=True)[
        :batch
    ]:
        breached += _breach(clock_id, now)
    escalated = 0
    for clock in itertools.islice(_escalations_due(now), batch):
        escalated += _escalate(clock, now)
    return {"breached": breached, "escalated": escalated}


@transaction.atomic
def _breach(clock_id, now) -> int:
    clock = SlaClock.objects.select_for_update().filter(pk=clock_id, status=ClockStatus.RUNNING).first()
    if clock is None:
        return 0
    clock.status, clock.breached_at = ClockStatus.BREACHED, now
    clock.save(update_fields=["status", "breached_at"])
    if clock.complaint_id is None:
        return 1
    complaint = lock(clock.complaint)
    event(complaint, EventKind.BREACH, None, note=clock.get_kind_display(), data={"clock": clock.pk})
    if clock.kind == ClockKind.AUTO_MAJOR:
        # Rule C7: unresolved after 10 days, the complaint becomes major by itself.
        days = settings_for(complaint.project.company).auto_major_days
        reason = _("Unresolved after %(days)s days.") % {"days": days}
        if intake.raise_severity(complaint, Severity.MAJOR, reason, None):
            event(
                complaint,
                EventKind.CLASSIFIED,
                None,
                note=_("Raised to major: unresolved after %(days)s days.") % {"days": days},
                data={"severity": Severity.MAJOR},
            )
            save(complaint, None)
    return 1


# Breached clocks read at a time by the minute task, which reads every one not yet escalated to every level.
ESCALATION_BATCH = 500


def _escalations_due(now) -> Iterator[SlaClock]:
    """The breached clocks still running with a level due now (its delay after the breach past, not yet reached).
    Every breached clock short of a level is read, a batch at a time by id, first as the few values
    that say whether a level is due: those waiting for their next level are skipped, not counted against a batch,
    so that clocks breached after them are escalated to their handler the minute they breach. Only the clocks due
    are read whole."""
    candidates = (
        SlaClock.objects.filter(status=ClockStatus.BREACHED, stopped_at__isnull=True)
        .annotate(levels=Count("escalations"))
        .filter(levels__lt=len(EscalationLevel))
    )
    companies = {}
    fields = (
        "breached_at",
        "complaint__severity",
        "complaint__project__company_id",
        "repair_order__project__company_id",
    )
    for batch in rows_by_id(candidates, *fields, size=ESCALATION_BATCH):
        done = {}
        for clock_id, level in Escalation.objects.filter(clock_id__in=[row[0] for row in batch]).values_list(
            "clock_id", "level"
        ):
            done.setdefault(clock_id, set()).add(level)
        due = []
        for clock_id, breached_at, severity, complaint_company, repair_company in batch:
            company = complaint_company or repair_company
            if company not in companies:
                companies[company] = settings_for(company)
            delays = escalation_delays(companies[company], severity=severity)
            reached = done.get(clock_id, set())
            if any(level not in reached and now >= breached_at + delay for level, delay in delays.items()):
                due.append(clock_id)
        if due:
            yield from (
                SlaClock.objects.filter(pk__in=due)
                .select_related(
                    "complaint__department__head",
                    "complaint__project__company",
                    "complaint__handler",
                    "complaint__received_by",
                    "repair_order__project__company",
                    "repair_order__assignee__department__head",
                    "repair_order__reported_by",
                )
                .prefetch_related("escalations")
                .order_by("breached_at", "pk")
            )


def escalation_delays(config, *, severity: str | None) -> dict[str, datetime.timedelta]:
    """How long after a breach each level is told: the handler at once, the head of department and the
    customer-relations head after the company's delays, or at once for a complaint more than minor (C6).
    `severity`: the complaint's, None for a repair order."""
    urgent = severity is not None and severity != Severity.MINOR
    return {
        EscalationLevel.HANDLER: datetime.timedelta(0),
        EscalationLevel.DEPARTMENT_HEAD: datetime.timedelta(
            minutes=0 if urgent else config.escalate_head_after_minutes
        ),
        EscalationLevel.CR_HEAD: datetime.timedelta(minutes=0 if urgent else config.escalate_cr_head_after_minutes),
    }


def _escalate(clock, now) -> int:
    complaint, repair = clock.complaint, clock.repair_order
    config = settings_for((complaint or repair).project.company)
    delays = escalation_delays(config, severity=complaint.severity if complaint is not None else None)
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
                    "level": EscalationLevel(level).label,
                    "clock": clock.get_kind_display(),
                    "subject": subject,
                }
                notify(recipients, title, complaint=complaint, repair_order=repair)
                if complaint is not None:
                    event(complaint, EventKind.ESCALATED, None, note=title, data={"level": level})
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
        department = (
            complaint.department if complaint is not None else (repair.assignee.department if repair.assignee else None)
        )
        return [department.head] if department else []
    return list(User.objects.filter(groups__name=Role.CR_HEAD.value, is_active=True))
