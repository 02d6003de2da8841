"""Touchpoints reads: the 6+2 scorecard (J3), return-visit coverage (J8), task queues, open-day reports (J10)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Min, Q
from django.utils import timezone

from core.db import count_of
from members.choices import PurchaseStatus
from members.models import Purchase

from .choices import ActionKind, Duty, IssueStatus, OpenDayStatus, TaskStatus
from .models import Action, CareIssue, CareTask, MeetingFeedback, ProjectAction, SiteOpenDay, Step, VisitRound


@dataclass
class StepScore:
    step: Step
    due: int = 0
    on_time: int = 0
    actions: list = field(default_factory=list)

    @property
    def share(self) -> float | None:
        return round(self.on_time / self.due, 4) if self.due else None


def scorecard(*, project, on: datetime.date | None = None) -> list[StepScore]:
    """Per step, the share of due standard actions done on time.

    An action tied to a care duty is due once per task whose window has closed; it is on time when
    the task was done by the window's end. Any other standard action is due on its planned date and
    on time when an execution was recorded by then.
    """
    return scorecards(projects=[project], on=on)[project.pk]


def scorecards(*, projects, on: datetime.date | None = None) -> dict[int, list[StepScore]]:
    """`scorecard` of each of `projects`, in five queries however many projects there are."""
    on = on or timezone.localdate()
    projects = list(projects)
    steps = list(Step.objects.only("label", "name"))  # what a scorecard shows of the catalogue, not its texts
    actions_of: dict[int, list[Action]] = {step.pk: [] for step in steps}
    standard = Action.objects.filter(kind=ActionKind.STANDARD).only("step", "name", "duty")
    for action in standard.order_by("step_id", "position"):
        actions_of[action.step_id].append(action)
    plans = {
        (row["project_id"], row["action_id"]): row
        for row in ProjectAction.objects.filter(project__in=projects)
        .values("project_id", "action_id", "due_on")
        .annotate(first_done=Min("executions__executed_on"))
        .order_by()  # (the model's order would join the project, its company, the action and its step)
    }
    # A task of no project (a company-wide duty) counts towards every project of its company. The two kinds are
    # counted apart, so that each reads its own index (an OR of the two would read every task of the projects).
    counted = {
        "due": Count("pk"),
        "on_time": Count("pk", filter=Q(status=TaskStatus.DONE, completed_at__date__lte=F("due_end"))),
    }
    closed = CareTask.objects.filter(due_end__lt=on).exclude(status=TaskStatus.CANCELLED)
    own = closed.filter(project__in=projects).values("project_id", "duty").annotate(**counted).order_by()
    shared = (
        closed.filter(project=None, company_id__in={p.company_id for p in projects})
        .values("company_id", "duty")
        .annotate(**counted)
        .order_by()
    )
    by_duty: dict[tuple, dict] = {}
    for row in own:
        by_duty[(("project", row["project_id"]), row["duty"])] = row
    for row in shared:
        by_duty[(("company", row["company_id"]), row["duty"])] = row
    return {project.pk: _step_scores(project, steps, actions_of, plans, by_duty, on) for project in projects}


def _step_scores(project, steps, actions_of, plans, by_duty, on) -> list[StepScore]:
    nothing = {"due": 0, "on_time": 0}
    scores = []
    for step in steps:
        score = StepScore(step=step)
        for action in actions_of[step.pk]:
            if action.duty:
                own = by_duty.get((("project", project.pk), action.duty), nothing)
                shared = by_duty.get((("company", project.company_id), action.duty), nothing)
                due, on_time = own["due"] + shared["due"], own["on_time"] + shared["on_time"]
            else:
                plan = plans.get((project.pk, action.pk))
                due = int(bool(plan and plan["due_on"] and plan["due_on"] <= on))
                on_time = int(bool(due and plan["first_done"] and plan["first_done"] <= plan["due_on"]))
            score.due += due
            score.on_time += on_time
            score.actions.append({"action": action, "due": due, "on_time": on_time})
        scores.append(score)
    return scores


def return_visit_coverage(*, projects, start: datetime.date, end: datetime.date) -> list[dict]:
    """J8: per project, the signings and deliveries of the period and how many the call center reached."""
    signed, delivered = Q(signed_on__range=(start, end)), Q(delivered_on__range=(start, end))
    purchases = {
        row["project"]: row
        for row in Purchase.objects.filter(signed | delivered, project__in=projects)
        .exclude(status=PurchaseStatus.CANCELLED)
        .values("project")
        .annotate(signings=Count("pk", filter=signed), deliveries=Count("pk", filter=delivered))
    }
    calls = (
        CareTask.objects.filter(
            project__in=projects, status=TaskStatus.DONE, duty__in=[Duty.SIGNING_SURVEY_CALL, Duty.DELIVERY_SURVEY_CALL]
        )
        .filter(
            Q(duty=Duty.SIGNING_SURVEY_CALL, purchase__signed_on__range=(start, end))
            | Q(duty=Duty.DELIVERY_SURVEY_CALL, purchase__delivered_on__range=(start, end))
        )
        .values("project", "duty")
        .annotate(n=Count("pk"))
    )
    reached = {(row["project"], row["duty"]): row["n"] for row in calls}
    rows = []
    for project in projects:
        counted = purchases.get(project.pk, {})
        signings, deliveries = counted.get("signings", 0), counted.get("deliveries", 0)
        signing_calls = reached.get((project.pk, Duty.SIGNING_SURVEY_CALL), 0)
        delivery_calls = reached.get((project.pk, Duty.DELIVERY_SURVEY_CALL), 0)
        rows.append(
            {
                "project": project.pk,
                "project_name": project.name,
                "signings": signings,
                "signing_calls": signing_calls,
                "signing_coverage": _rate(signing_calls, signings),
                "deliveries": deliveries,
                "delivery_calls": delivery_calls,
                "delivery_coverage": _rate(delivery_calls, deliveries),
            }
        )
    return rows


def task_queue(queryset, *, queue: str, today: datetime.date | None = None):
    """due: open and not late; overdue: open past its window; done: finished; all: every status."""
    today = today or timezone.localdate()
    if queue == "all":
        return queryset
    if queue == "overdue":
        return queryset.filter(status=TaskStatus.DUE, due_end__lt=today)
    if queue == "done":
        return queryset.filter(status=TaskStatus.DONE)
    if queue == "deferred":
        return queryset.filter(status=TaskStatus.DEFERRED)
    return queryset.filter(status=TaskStatus.DUE, due_start__lte=today, due_end__gte=today)


def tasks_for_role(queryset, user):
    """The tasks of the user's roles and the tasks given to the user by name."""
    if user.is_superuser:
        return queryset
    return queryset.filter(Q(owner_role__in=list(user.roles)) | Q(owner=user))


def excluded_from_excellence(*, year: int):
    """J10: projects that cancelled a site open day lose that year's excellent-project selection."""
    return (
        SiteOpenDay.objects.filter(status=OpenDayStatus.CANCELLED, planned_on__year=year)
        .order_by()  # (the model's order would be selected too, and each project come once per cancelled day)
        .values_list("project_id", flat=True)
        .distinct()
    )


def open_day_invitees(open_day: SiteOpenDay):
    """J10: buyers of the project not yet delivered."""
    from members.models import Customer

    buyers = (
        Purchase.objects.filter(project_id=open_day.project_id, delivered_on__isnull=True)
        .exclude(status=PurchaseStatus.CANCELLED)
        .values("customer_id")
    )
    return Customer.objects.filter(pk__in=buyers)


def visit_round_progress(queryset=None):
    """J15: per round, the households sampled, those visited, the visits still open and the issues not closed."""
    from .services import OPEN_STATUSES

    queryset = VisitRound.objects.all() if queryset is None else queryset
    visits = CareTask.objects.all()
    return queryset.annotate(
        sampled=count_of(visits, "visit_round"),
        visited=count_of(visits.filter(status=TaskStatus.DONE), "visit_round"),
        open_visits=count_of(visits.filter(status__in=OPEN_STATUSES), "visit_round"),
        open_issues=count_of(CareIssue.objects.filter(status=IssueStatus.OPEN), "task__visit_round"),
    )


def with_feedback_counts(meetings):
    """J21: each meeting with the number of feedback lines collected at it, counted for the rows shown."""
    return meetings.annotate(feedback_count=count_of(MeetingFeedback.objects.all(), "meeting"))


def visit_round_issues(visit_round: VisitRound):
    """J15: the issues found on the round's visits, open ones first."""
    return (
        CareIssue.objects.filter(task__visit_round=visit_round)
        .select_related("task__customer", "task__unit", "closed_by")
        .order_by("status", "-created_at", "pk")
    )


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
