"""The dashboard home, by role: each panel is built only for users whose roles may read what it shows.

A consultant sees their day, a supervisor or manager their team, customer service, the call center,
property and engineering their queues, and the customer-relations head the figures. Every panel is
a handful of aggregate queries, whatever the amount of data behind it.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from complaints import policies as complaints_policies
from complaints import selectors as complaints_selectors
from complaints.choices import OPEN_STATES, ClockKind, ClockStatus, Severity
from complaints.models import Complaint, SlaClock
from core.roles import MANAGEMENT, SALES, Role
from estates.selectors import projects_for
from members import policies as members_policies
from members import selectors as members_selectors
from members.choices import LeadGrade, LeadStatus
from members.models import Lead
from surveys import charts as survey_charts
from surveys import selectors as survey_selectors
from touchpoints import policies as touchpoints_policies
from touchpoints import selectors as touchpoints_selectors
from touchpoints.choices import TaskStatus
from touchpoints.models import CareTask

TEAM_ROLES = (Role.TEAM_LEADER, Role.SALES_SUPERVISOR, Role.SALES_MANAGER)
QUEUE_PREVIEW = 6
COMPLETION_WINDOW = datetime.timedelta(days=30)


def panels(user, *, today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    return {
        "sales_day": sales_day(user, today=today),
        "team": team(user, today=today),
        "care_queue": care_queue(user, today=today),
        "complaint_queue": complaint_queue(user),
        "head_figures": head_figures(user, today=today),
    }


def sales_day(user, *, today):
    """Follow-ups due today and overdue (L2, L3): the consultant's own, a leader's team's."""
    if not (user.has_role(*SALES) and members_policies.LEADS.can_read(user)):
        return None
    leads = members_policies.LEADS.scope(Lead.objects.all(), user)
    return members_selectors.my_day(leads=leads, on=today)


def team(user, *, today):
    """Active leads per consultant and grade, with the overdue ones (L4, L5)."""
    if not (user.has_role(*TEAM_ROLES) and members_policies.LEADS.can_read(user)):
        return None
    grades = [LeadGrade.A, LeadGrade.B, LeadGrade.C, LeadGrade.C1, LeadGrade.C2, LeadGrade.D]
    counts = {grade.value: Count("pk", filter=Q(grade=grade)) for grade in grades}
    rows = (
        members_policies.LEADS.scope(Lead.objects.filter(status=LeadStatus.ACTIVE), user)
        .values("consultant__username", "consultant__display_name")
        .annotate(
            **counts,
            overdue=Count(
                "pk", filter=members_selectors.overdue_q(at=min(timezone.now(), members_selectors.end_of_day(today)))
            ),
            total=Count("pk"),
        )
        .order_by("consultant__username")
    )
    return {
        "grades": grades,
        "rows": [
            {
                "consultant": row["consultant__display_name"] or row["consultant__username"] or "—",
                "counts": [row[grade.value] for grade in grades],
                "overdue": row["overdue"],
                "total": row["total"],
            }
            for row in rows
        ],
    }


def care_queue(user, *, today):
    """The care tasks of the user's roles (J7–J20): due now, overdue, done this week."""
    if not touchpoints_policies.CARE_TASKS.can_read(user):
        return None
    tasks = touchpoints_selectors.tasks_for_role(
        touchpoints_policies.CARE_TASKS.scope(CareTask.objects.all(), user), user
    )
    figures = tasks.aggregate(
        due=Count("pk", filter=Q(status=TaskStatus.DUE, due_start__lte=today, due_end__gte=today)),
        overdue=Count("pk", filter=Q(status=TaskStatus.DUE, due_end__lt=today)),
        done_this_week=Count(
            "pk", filter=Q(status=TaskStatus.DONE, completed_at__date__gte=today - datetime.timedelta(days=6))
        ),
    )
    urgent = (
        touchpoints_selectors.task_queue(tasks, queue="overdue", today=today)
        .select_related("customer", "project")
        .order_by("due_end", "pk")[:QUEUE_PREVIEW]
    )
    if not urgent:
        urgent = (
            touchpoints_selectors.task_queue(tasks, queue="due", today=today)
            .select_related("customer", "project")
            .order_by("due_end", "pk")[:QUEUE_PREVIEW]
        )
    return {**figures, "tasks": list(urgent)}


def complaint_queue(user):
    """Open complaints waiting on the user or their department, and breached clocks (C4–C7)."""
    if not complaints_policies.COMPLAINTS.can_read(user):
        return None
    visible = complaints_policies.COMPLAINTS.scope(Complaint.objects.all(), user)
    figures = visible.filter(state__in=OPEN_STATES).aggregate(
        open=Count("pk"),
        major=Count("pk", filter=Q(severity=Severity.MAJOR)),
        crisis=Count("pk", filter=Q(severity=Severity.CRISIS)),
    )
    figures["breached"] = SlaClock.objects.filter(
        complaint__in=visible.filter(state__in=OPEN_STATES), status=ClockStatus.BREACHED
    ).count()
    mine = complaints_selectors.my_queue(user)
    return {**figures, "mine": list(complaints_policies.COMPLAINTS.scope(mine, user)[:QUEUE_PREVIEW])}


def head_figures(user, *, today):
    """Satisfaction and loyalty trend (S1–S3), complaint timeliness (C12), 6+2 scorecard (J3), care completion."""
    if not user.has_role(*MANAGEMENT, Role.SALES_MANAGER):
        return None
    surveys = survey_selectors.home_figures(user, today=today)
    complaints = (
        complaints_selectors.monthly_report(
            complaints=complaints_policies.REPORTS.scope(Complaint.objects.all(), user),
            year=today.year,
            month=today.month,
        )["total"]
        if complaints_policies.REPORTS.can_read(user)
        else None
    )
    timeliness = [
        {"label": ClockKind(kind).label, "value": value}
        for kind, value in (complaints or {}).get("timeliness", {}).items()
    ]
    scorecards = []
    if touchpoints_policies.PLANS.can_read(user):
        for project in projects_for(user).order_by("name"):
            steps = touchpoints_selectors.scorecard(project=project, on=today)
            due, on_time = sum(step.due for step in steps), sum(step.on_time for step in steps)
            scorecards.append(
                {
                    "project": project,
                    "due": due,
                    "on_time": on_time,
                    "share": round(100 * on_time / due) if due else None,
                }
            )
    window = (
        touchpoints_policies.CARE_TASKS.scope(CareTask.objects.all(), user)
        .filter(due_end__lt=today, due_end__gte=today - COMPLETION_WINDOW)
        .exclude(status=TaskStatus.CANCELLED)
    )
    care = window.aggregate(due=Count("pk"), done=Count("pk", filter=Q(status=TaskStatus.DONE)))
    care["share"] = round(100 * care["done"] / care["due"]) if care["due"] else None
    return {
        "surveys": surveys,
        "trend_chart": survey_charts.trend_chart(surveys["trend"]) if surveys else None,
        "complaints": complaints,
        "timeliness": timeliness,
        "scorecards": scorecards,
        "care": care,
    }
