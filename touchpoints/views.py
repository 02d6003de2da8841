"""Dashboard pages: task queues per role with completion forms, the 6+2 scorecard, open days, the outbox,
owners' meetings (J21) and three-month visit rounds (J15)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from core.calls import CallForm
from core.errors import DomainError
from core.excel import Labels, Sheet, xlsx_response
from core.labels import with_names_of
from core.views import FilteredListView, PolicyDetailView, PolicyMixin
from estates.selectors import projects_for

from . import policies, reports, selectors, services
from members.models import Customer
from members.policies import CUSTOMERS

from .filters import (
    CareTaskFilterSet,
    MeetingFilterSet,
    QUEUES,
    OutboundMessageFilterSet,
    SiteOpenDayFilterSet,
    VisitRoundFilterSet,
)
from .forms import (
    CloseIssueForm,
    CloseRoundForm,
    CompleteTaskForm,
    DeferTaskForm,
    EvaluateOpenDayForm,
    ExecutionForm,
    FeedbackFormSet,
    MeetingForm,
    OpenDayDecisionForm,
    PlanActionForm,
)
from .models import CareTask, Meeting, OutboundMessage, ProjectAction, SiteOpenDay, Step, VisitRound


TASK_EXPORT_HEADERS = [
    _("duty"),
    _("project"),
    _("customer"),
    _("due from"),
    _("due by"),
    _("owner role"),
    _("status"),
    _("outcome"),
    _("completed at"),
]


class CareTaskListView(FilteredListView):
    """The queues of the user's roles: due, overdue, deferred and done."""

    model = CareTask
    policy = policies.CARE_TASKS
    filterset_class = CareTaskFilterSet
    ordering_fields = ("due_end", "due_start", "completed_at", "call_back_at")
    default_ordering = ("due_end", "pk")
    template_name = "touchpoints/task_list.html"
    export_title = _("Care tasks")

    def get(self, request, *args, **kwargs):
        if "queue" not in request.GET:
            return redirect(f"{request.path}?queue=due&mine=true")
        return super().get(request, *args, **kwargs)

    def decorate(self, queryset):
        return queryset.select_related("project", "customer", "owner", "component_type")

    def page_rows(self, queryset):
        return with_names_of(
            queryset,
            "project",
            "component_type",
            staff=("owner",),
            also=("customer__name", "customer__mobile"),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        tabs = []
        for value, label in QUEUES:
            query["queue"] = value
            tabs.append(
                {
                    "value": value,
                    "label": label,
                    "query": query.urlencode(),
                    "active": self.request.GET.get("queue") == value,
                }
            )
        context.update(tabs=tabs, today=timezone.localdate())
        return context

    def export(self):
        label = Labels(CareTask)
        rows = (
            [
                label(t, "duty"),
                t.project.name if t.project else "",
                t.customer.name if t.customer else "",
                t.due_start,
                t.due_end,
                label(t, "owner_role"),
                label(t, "status"),
                t.outcome,
                t.completed_at,
            ]
            for t in self.get_queryset().iterator(chunk_size=2000)
        )
        return xlsx_response(
            f"care-tasks-{timezone.localdate():%Y%m%d}.xlsx",
            [Sheet(title=_("Care tasks"), headers=TASK_EXPORT_HEADERS, rows=rows)],
            conditions=self.export_conditions(),
        )


class CareTaskDetailView(PolicyDetailView):
    """A task with the form that completes it, and the forms to defer or cancel it."""

    model = CareTask
    policy = policies.CARE_TASKS
    template_name = "touchpoints/task_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related(
                "project", "customer", "unit", "purchase", "component_type", "completed_by", "open_day", "visit_round"
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        task = self.object
        context.setdefault("form", CompleteTaskForm(task=task))
        context.setdefault("defer_form", DeferTaskForm())
        may_act = services.may_complete(self.request.user, task) and task.status in services.OPEN_STATUSES
        if may_act:
            context.setdefault("call_form", CallForm())
        context.update(may_act=may_act, issues=task.issues.all(), calls=task.calls.select_related("called_by"))
        return context

    def post(self, request, *args, **kwargs):
        self.object = task = self.get_object()
        action = request.POST.get("action", "complete")
        form = CompleteTaskForm(request.POST, task=task) if action == "complete" else None
        defer_form = DeferTaskForm(request.POST) if action == "defer" else None
        call_form = CallForm(request.POST) if action == "call" else None
        try:
            if action == "call" and call_form.is_valid():
                services.record_call(task=task, actor=request.user, **call_form.cleaned_data)
                messages.success(request, _("Call recorded."))
                return redirect("touchpoints:task-detail", pk=task.pk)
            if action == "complete" and form.is_valid():
                services.complete_task(task=task, actor=request.user, **form.service_arguments())
                messages.success(request, _("Task completed."))
                return redirect("touchpoints:task-detail", pk=task.pk)
            if action == "defer" and defer_form.is_valid():
                services.defer_task(task=task, actor=request.user, **defer_form.cleaned_data)
                messages.success(request, _("Task deferred."))
                return redirect("touchpoints:task-detail", pk=task.pk)
            if action == "cancel":
                services.cancel_task(task=task, actor=request.user, reason=request.POST.get("reason", ""))
                messages.success(request, _("Task cancelled."))
                return redirect("touchpoints:task-detail", pk=task.pk)
        except DomainError as error:
            if call_form is not None and error.field in call_form.fields:
                call_form.add_error(error.field, error.message)
            else:
                messages.error(request, error.message)
        context = self.get_context_data(object=task)
        if call_form is not None:
            context["call_form"] = call_form
        if form is not None:
            context["form"] = form
        if defer_form is not None:
            context["defer_form"] = defer_form
        return self.render_to_response(context, status=400)


class ScorecardView(PolicyMixin, TemplateView):
    """The project's 6+2 scorecard: per step, due standard actions done on time (J3), and call coverage (J8)."""

    policy = policies.PLANS
    template_name = "touchpoints/scorecard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        projects = projects_for(self.request.user).order_by("name")
        chosen = self.request.GET.get("project")
        project = get_object_or_404(projects, pk=chosen) if chosen and chosen.isdigit() else projects.first()
        context.update(projects=projects, project=project)
        if project is not None:
            context["report"] = reports.scorecard_report(project=project, on=timezone.localdate())
        return context


class CatalogueView(PolicyMixin, TemplateView):
    policy = policies.CATALOGUE
    template_name = "touchpoints/catalogue.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "steps": Step.objects.prefetch_related("actions")}


class OpenDayListView(FilteredListView):
    model = SiteOpenDay
    policy = policies.OPEN_DAYS
    filterset_class = SiteOpenDayFilterSet
    ordering_fields = ("planned_on",)
    default_ordering = ("-planned_on", "-pk")
    template_name = "touchpoints/open_day_list.html"

    def decorate(self, queryset):
        return queryset.select_related("project")


class OpenDayDetailView(PolicyDetailView):
    """The open day with its evaluation check list (J10); customer relations approves, postpones or cancels."""

    model = SiteOpenDay
    policy = policies.OPEN_DAYS
    template_name = "touchpoints/open_day_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        open_day = self.object
        context.setdefault("form", EvaluateOpenDayForm(open_day=open_day))
        context.setdefault("decision_form", OpenDayDecisionForm())
        context.update(
            gates=services.open_day_gates(open_day) if open_day.evaluated_at else [],
            invitees=selectors.open_day_invitees(open_day).count(),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not self.policy.can_write(request.user):
            raise PermissionDenied
        self.object = open_day = self.get_object()
        action = request.POST.get("action", "evaluate")
        form = decision = None
        try:
            if action == "evaluate":
                form = EvaluateOpenDayForm(request.POST, open_day=open_day)
                if form.is_valid():
                    failed = services.evaluate_open_day(open_day=open_day, actor=request.user, **form.cleaned_data)
                    if failed:
                        messages.warning(request, _("Not passed: %(gates)s") % {"gates": "; ".join(failed)})
                    else:
                        messages.success(request, _("The open day is approved."))
                    return redirect("touchpoints:open-day-detail", pk=open_day.pk)
            else:
                decision = OpenDayDecisionForm(request.POST)
                if decision.is_valid():
                    data = decision.cleaned_data
                    if action == "postpone":
                        if not data["new_date"]:
                            raise DomainError(_("Give the new date."), field="new_date")
                        services.postpone_open_day(
                            open_day=open_day, actor=request.user, new_date=data["new_date"], reason=data["reason"]
                        )
                    else:
                        services.cancel_open_day(open_day=open_day, actor=request.user, reason=data["reason"])
                    return redirect("touchpoints:open-day-detail", pk=open_day.pk)
        except DomainError as error:
            messages.error(request, error.message)
        context = self.get_context_data(object=open_day)
        if form is not None:
            context["form"] = form
        if decision is not None:
            context["decision_form"] = decision
        return self.render_to_response(context, status=400)


class MessageListView(FilteredListView):
    model = OutboundMessage
    policy = policies.MESSAGES
    filterset_class = OutboundMessageFilterSet
    ordering_fields = ("created_at", "sent_at")
    default_ordering = ("-created_at", "-pk")
    template_name = "touchpoints/message_list.html"

    def decorate(self, queryset):
        return queryset.select_related("customer", "project", "template")


class PlanView(PolicyMixin, TemplateView):
    """A project's 6+2 plan: opt optional actions in, set due dates, record executions with evidence (J3)."""

    policy = policies.PLANS
    template_name = "touchpoints/plan.html"

    def get_project(self):
        projects = projects_for(self.request.user).order_by("name")
        chosen = self.request.GET.get("project") or self.request.POST.get("project")
        project = get_object_or_404(projects, pk=chosen) if chosen and str(chosen).isdigit() else projects.first()
        return projects, project

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        projects, project = self.get_project()
        rows = []
        if project is not None:
            services.ensure_plan(project=project, actor=self.request.user)
            rows = (
                ProjectAction.objects.filter(project=project)
                .select_related("action__step")
                .annotate(executions_count=Count("executions"), last_executed=Max("executions__executed_on"))
                .order_by("action__step__position", "action__step_id", "action__position", "pk")
            )
        context.update(projects=projects, project=project, rows=rows, execution_form=ExecutionForm())
        return context

    def post(self, request, *args, **kwargs):
        if not self.policy.can_write(request.user):
            raise PermissionDenied
        _projects, project = self.get_project()
        planned = get_object_or_404(
            ProjectAction.objects.filter(project=project), pk=request.POST.get("planned_action")
        )
        try:
            if request.POST.get("action") == "execute":
                form = ExecutionForm(request.POST, request.FILES)
                if not form.is_valid():
                    raise DomainError(_("Give the date of the execution."), field="executed_on")
                services.record_execution(planned_action=planned, actor=request.user, **form.cleaned_data)
                messages.success(request, _("Execution recorded."))
            else:
                form = PlanActionForm(request.POST)
                form.is_valid()
                services.plan_action(
                    project=project,
                    action=planned.action,
                    active=form.cleaned_data["is_active"],
                    due_on=form.cleaned_data["due_on"],
                    actor=request.user,
                )
                messages.success(request, _("Plan updated."))
        except DomainError as error:
            messages.error(request, error.message)
        return redirect(f"{request.path}?project={project.pk}")


class MeetingListView(FilteredListView):
    """Owners' forums and management face-to-face meetings of the user's projects (J21)."""

    model = Meeting
    policy = policies.MEETINGS
    filterset_class = MeetingFilterSet
    ordering_fields = ("held_on",)
    default_ordering = ("-held_on", "-pk")
    template_name = "touchpoints/meeting_list.html"

    def decorate(self, queryset):
        return selectors.with_feedback_counts(queryset.select_related("project", "recorded_by"))


class MeetingCreateView(PolicyMixin, TemplateView):
    """Records a meeting with its feedback lines through services.record_meeting (J21)."""

    policy = policies.MEETINGS
    write_required = True
    template_name = "touchpoints/meeting_form.html"

    def forms(self, data=None):
        user = self.request.user
        projects = projects_for(user).order_by("name")
        customers = CUSTOMERS.scope(Customer.objects.all(), user)
        return (
            MeetingForm(data, projects=projects, initial={"held_on": timezone.localdate()}),
            FeedbackFormSet(data, prefix="feedback", form_kwargs={"customers": customers}),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "form" not in context:
            context["form"], context["formset"] = self.forms()
        return context

    def post(self, request, *args, **kwargs):
        form, formset = self.forms(request.POST)
        if form.is_valid() and formset.is_valid():
            data = dict(form.cleaned_data)
            self.policy.check_project(request.user, data["project"])
            lines = [
                line.cleaned_data
                for line in formset
                if any(line.cleaned_data.get(key) for key in ("customer", "content", "response"))
            ]
            try:
                meeting = services.record_meeting(actor=request.user, feedback=lines, **data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Meeting recorded."))
                return redirect("touchpoints:meeting-detail", pk=meeting.pk)
        return self.render_to_response(self.get_context_data(form=form, formset=formset), status=400)


class MeetingDetailView(PolicyDetailView):
    """A meeting and the feedback collected, each line linked to the owner's page (J21)."""

    model = Meeting
    policy = policies.MEETINGS
    template_name = "touchpoints/meeting_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("project", "recorded_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["feedback"] = self.object.feedback.select_related("customer")
        return context


class VisitRoundListView(FilteredListView):
    """Three-month visit rounds: sample size, households visited, open issues, status (J15)."""

    model = VisitRound
    policy = policies.VISIT_ROUNDS
    filterset_class = VisitRoundFilterSet
    ordering_fields = ("year",)
    default_ordering = ("-year", "project__name", "pk")
    template_name = "touchpoints/visit_round_list.html"

    def decorate(self, queryset):
        return selectors.visit_round_progress(queryset.select_related("project"))


class VisitRoundDetailView(PolicyDetailView):
    """A round's sampled households, the issues found and their state, and the form that closes it (J15)."""

    model = VisitRound
    policy = policies.VISIT_ROUNDS
    template_name = "touchpoints/visit_round_detail.html"

    def get_queryset(self):
        return selectors.visit_round_progress(super().get_queryset().select_related("project", "closed_by"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visit_round = self.object
        context.setdefault("form", CloseRoundForm())
        context.update(
            tasks=visit_round.tasks.select_related("customer", "unit__building", "completed_by").order_by(
                "due_end", "pk"
            ),
            issues=selectors.visit_round_issues(visit_round),
            may_close_issues=policies.CARE_ISSUES.can_write(self.request.user),
        )
        return context

    def post(self, request, *args, **kwargs):
        self.object = visit_round = self.get_object()
        form = None
        try:
            if request.POST.get("action") == "close-issue":
                if not policies.CARE_ISSUES.can_write(request.user):
                    raise PermissionDenied
                issue_form = CloseIssueForm(request.POST)
                if issue_form.is_valid():
                    issue = get_object_or_404(
                        selectors.visit_round_issues(visit_round), pk=issue_form.cleaned_data["issue"]
                    )
                    services.close_issue(
                        issue=issue, actor=request.user, resolution=issue_form.cleaned_data["resolution"]
                    )
                    messages.success(request, _("Issue closed."))
                    return redirect("touchpoints:visit-round-detail", pk=visit_round.pk)
            else:
                if not self.policy.can_write(request.user):
                    raise PermissionDenied
                form = CloseRoundForm(request.POST)
                if form.is_valid():
                    services.close_visit_round(
                        visit_round=visit_round, actor=request.user, summary=form.cleaned_data["summary"]
                    )
                    messages.success(request, _("The round is closed."))
                    return redirect("touchpoints:visit-round-detail", pk=visit_round.pk)
        except DomainError as error:
            if form is None:
                messages.error(request, error.message)
            else:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            status = error.status_code
        else:
            status = 400
        context = self.get_context_data(object=visit_round, **({"form": form} if form is not None else {}))
        return self.render_to_response(context, status=status)
