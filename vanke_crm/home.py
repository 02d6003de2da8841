"""The dashboard home, by role: each panel is built only for users whose roles may read what it shows.

A consultant sees their day, a supervisor or manager their team, customer service, the call center,
property and engineering their queues, and the customer-relations head the figures. Every panel is
a handful of aggregate queries, whatever the amount of data behind it. A figure that counts rows is counted
by the list its card links to (core.figures), with its period and population in words.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from complaints import policies as complaints_policies
from complaints import selectors as complaints_selectors
from complaints.choices import ClockKind, Severity
from complaints.models import Complaint
from core.figures import list_figure
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
FOLLOW_UP_PREVIEW = 5  # per grade, overdue and due: the rest are on "my day"
# The projects a home lists (by name): a company of hundreds links to its full list instead.
HOME_PROJECTS = 10
COMPLETION_WINDOW = datetime.timedelta(days=30)


def panels(request, *, today: datetime.date | None = None) -> dict:
    user, today = request.user, today or timezone.localdate()
    return {
        "sales_day": sales_day(request, today=today),
        "team": team(user, today=today),
        "care_queue": care_queue(request, today=today),
        "complaint_queue": complaint_queue(request),
        "head_figures": head_figures(request, today=today),
        "customer_figures": customer_figures(request, today=today),
    }


def sales_day(request, *, today):
    """Follow-ups due today and overdue (L2, L3): the consultant's own, a leader's team's."""
    user = request.user
    if not (user.has_role(*SALES) and members_policies.LEADS.can_read(user)):
        return None
    leads = members_policies.LEADS.scope(Lead.objects.all(), user)
    day = members_selectors.my_day(leads=leads, on=today, rows_per_group=FOLLOW_UP_PREVIEW)
    whose = _("your team's active leads") if user.has_role(*TEAM_ROLES) else _("your active leads")
    day["figures"] = _present(
        list_figure(
            request,
            "members:lead-list",
            {"due": today, "overdue": "false"},
            label=_("Due today"),
            caption=format_lazy(_("next follow-up today · {whose}"), whose=whose),
        ),
        list_figure(
            request,
            "members:lead-list",
            {"due": today, "overdue": "true"},
            label=_("Overdue"),
            caption=format_lazy(_("follow-up date passed · {whose}"), whose=whose),
            alarming=True,
        ),
    )
    return day


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


def care_queue(request, *, today):
    """The care tasks of the user's roles (J7–J20): due now, overdue, done this week."""
    user = request.user
    if not touchpoints_policies.CARE_TASKS.can_read(user):
        return None
    tasks = touchpoints_selectors.tasks_for_role(
        touchpoints_policies.CARE_TASKS.scope(CareTask.objects.all(), user), user
    )
    week_start = today - datetime.timedelta(days=6)
    figures = _present(
        list_figure(
            request,
            "touchpoints:task-list",
            {"queue": "due", "mine": "true"},
            label=_("Due now"),
            caption=_("window open today · your roles' tasks"),
        ),
        list_figure(
            request,
            "touchpoints:task-list",
            {"queue": "overdue", "mine": "true"},
            label=_("Overdue"),
            caption=_("window ended, not done · your roles' tasks"),
            alarming=True,
        ),
        list_figure(
            request,
            "touchpoints:task-list",
            {"queue": "done", "mine": "true", "completed_after": week_start},
            label=_("Done this week"),
            caption=format_lazy(_("completed {start} – today · your roles' tasks"), start=_short(week_start)),
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
    return {"figures": figures, "tasks": list(urgent)}


def complaint_queue(request):
    """Open complaints of the user's projects by severity, those past a deadline (C4–C7), and the ones waiting
    on the user or their department."""
    user = request.user
    if not complaints_policies.COMPLAINTS.can_read(user):
        return None
    population = _("open complaints of your projects")
    figures = _present(
        list_figure(
            request,
            "complaints:complaint-list",
            {"open": "true"},
            label=pgettext_lazy("complaints", "Open"),
            caption=_("all severities"),
        ),
        list_figure(
            request,
            "complaints:complaint-list",
            {"open": "true", "severity": Severity.MAJOR},
            label=Severity.MAJOR.label,
            caption=population,
        ),
        list_figure(
            request,
            "complaints:complaint-list",
            {"open": "true", "severity": Severity.CRISIS},
            label=Severity.CRISIS.label,
            caption=population,
        ),
        list_figure(
            request,
            "complaints:complaint-list",
            {"open": "true", "breached": "true"},
            label=_("Past a deadline"),
            caption=_("a clock breached · open complaints of your projects"),
            alarming=True,
        ),
    )
    mine = complaints_selectors.my_queue(user)
    return {"figures": figures, "mine": list(complaints_policies.COMPLAINTS.scope(mine, user)[:QUEUE_PREVIEW])}


def customer_figures(request, *, today):
    """Customers of the user's projects: all, registered this month, consenting to messages, birthdays today."""
    month_start = today.replace(day=1)
    population = _("customers of your projects")
    return _present(
        list_figure(request, "members:customer-list", label=_("Customers"), caption=_("all, of your projects")),
        list_figure(
            request,
            "members:customer-list",
            {"registered_after": month_start},
            label=_("Registered this month"),
            caption=format_lazy(_("{start} – today · {population}"), start=_short(month_start), population=population),
        ),
        list_figure(
            request,
            "members:customer-list",
            {"consents_to_messages": "true"},
            label=_("Consent to messages"),
            caption=population,
        ),
        list_figure(
            request,
            "members:customer-list",
            {"birthday_today": "true"},
            label=_("Birthdays today"),
            caption=population,
        ),
    )


def head_figures(request, *, today):
    """Satisfaction and loyalty trend (S1–S3), complaint timeliness (C12), 6+2 scorecard (J3), care completion.

    These aggregates of a whole company's history cost the most of any panel and move slowly: they are kept for
    HOME_FIGURES_SECONDS per user, day and language, shown with the time they were counted, and counted again
    when asked (`?fresh=1`)."""
    user = request.user
    if not user.has_role(*MANAGEMENT, Role.SALES_MANAGER):
        return None
    seconds = settings.HOME_FIGURES_SECONDS
    key = f"home:head-figures:{user.pk}:{today.isoformat()}:{get_language()}"
    if seconds and not request.GET.get("fresh"):
        kept = cache.get(key)
        if kept is not None:
            return kept
    figures = {**_head_figures(request, today=today), "counted_at": timezone.now()}
    if seconds:
        cache.set(key, figures, seconds)
    return figures


def _head_figures(request, *, today):
    user = request.user
    surveys = survey_selectors.home_figures(user, today=today)
    complaints = (
        complaints_selectors.monthly_total(
            complaints=complaints_policies.REPORTS.scope(Complaint.objects.all(), user),
            year=today.year,
            month=today.month,
        )
        if complaints_policies.REPORTS.can_read(user)
        else None
    )
    timeliness = [
        {"label": str(ClockKind(kind).label), "value": value}
        for kind, value in (complaints or {}).get("timeliness", {}).items()
    ]
    scorecards, scorecard_projects = [], 0
    if touchpoints_policies.PLANS.can_read(user):
        projects = projects_for(user).order_by("name")
        shown = list(projects[:HOME_PROJECTS])
        scorecard_projects = len(shown) if len(shown) < HOME_PROJECTS else projects.count()
        for project, steps in zip(
            shown, touchpoints_selectors.scorecards(projects=shown, on=today).values(), strict=True
        ):
            due, on_time = sum(step.due for step in steps), sum(step.on_time for step in steps)
            scorecards.append(
                {
                    "project": project,
                    "due": due,
                    "on_time": on_time,
                    "share": round(100 * on_time / due) if due else None,
                }
            )
    window = {
        "queue": "all",
        "due_after": today - COMPLETION_WINDOW,
        "due_before": today - datetime.timedelta(days=1),
    }
    window_words = format_lazy(
        _("window ended {start} – {end}, not cancelled · all care tasks of your projects"),
        start=_short(window["due_after"]),
        end=_short(window["due_before"]),
    )
    due = list_figure(
        request,
        "touchpoints:task-list",
        {**window, "status": [TaskStatus.DUE, TaskStatus.DEFERRED, TaskStatus.DONE]},
        label=_("Care tasks due (30 days)"),
        caption=window_words,
    )
    done = list_figure(
        request,
        "touchpoints:task-list",
        {**window, "status": [TaskStatus.DONE]},
        label=_("Care tasks done (30 days)"),
        caption=window_words,
    )
    care = {"due": due, "done": done, "share": round(100 * done.value / due.value) if due and due.value else None}
    month_start = today.replace(day=1)
    complaints_this_month = list_figure(
        request,
        "complaints:complaint-list",
        {"received_after": month_start, "received_before": today},
        label=_("Complaints this month"),
        caption=format_lazy(_("received {start} – today · your projects"), start=_short(month_start)),
    )
    return {
        "complaints_this_month": complaints_this_month,
        "surveys": surveys,
        "trend_chart": survey_charts.trend_chart(surveys["trend"]) if surveys else None,
        "complaints": complaints,
        "timeliness": timeliness,
        "scorecards": scorecards,
        "scorecard_projects": scorecard_projects,
        "care": care,
    }


def _present(*figures):
    """The figures of lists the user may open."""
    return [figure for figure in figures if figure is not None]


def _short(day: datetime.date) -> str:
    return f"{day:%m-%d}"
