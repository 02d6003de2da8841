"""Dashboard pages: the complaint board, intake, the complaint page with its actions, repairs, defects,
crises, objections, cases, the reports and the inbox."""

from __future__ import annotations

from django.utils.decorators import method_decorator
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, ListView, TemplateView, View

from core.labels import with_names_of
from core.replica import reads_from_replica
from core.errors import DomainError
from core.views import FilteredListView, PolicyDetailView, PolicyMixin, WorkflowDetailView
from estates.selectors import projects_for

from . import charts, exports, forms, params, policies, selectors, services
from .choices import ClockStatus, ComplaintState
from .filters import (
    CaseFilterSet,
    ComplaintFilterSet,
    CrisisFilterSet,
    DefectFilterSet,
    DueReturnVisitFilterSet,
    ObjectionFilterSet,
    RepairOrderFilterSet,
)
from .models import (
    Complaint,
    ComplaintEvent,
    CrisisRecord,
    Defect,
    DeliveryObjection,
    SlaClock,
)
from .workflow import COMPLAINT_FLOW, CRISIS_FLOW, REPAIR_FLOW

LIVE_CLOCKS = Prefetch(
    "clocks",
    queryset=SlaClock.objects.filter(status__in=[ClockStatus.RUNNING, ClockStatus.BREACHED], stopped_at__isnull=True)
    .only("complaint", "kind", "status", "started_at", "due_at")  # what the board's countdown shows
    .order_by("due_at"),
    to_attr="live_clocks",
)


def sla_colour(clock, now) -> str:
    if clock.status == ClockStatus.BREACHED or clock.due_at <= now:
        return "bad"
    total = (clock.due_at - clock.started_at).total_seconds() or 1
    return "warn" if (clock.due_at - now).total_seconds() / total < 0.25 else "ok"


def _decorate_clocks(complaints, now):
    for complaint in complaints:
        clocks = getattr(complaint, "live_clocks", [])
        complaint.next_clock = clocks[0] if clocks else None
        if complaint.next_clock:
            complaint.next_clock.colour = sla_colour(complaint.next_clock, now)
            complaint.next_clock.left = complaint.next_clock.due_at - now


class ComplaintListView(FilteredListView):
    """The complaint board: counts by status, SLA colours and countdowns; export to Excel."""

    policy = policies.COMPLAINTS
    filterset_class = ComplaintFilterSet
    template_name = "complaints/complaint_list.html"
    ordering_fields = ("received_at", "severity", "deadline")
    default_ordering = ("-received_at", "-pk")
    queryset = selectors.complaint_list()
    export_title = _("Complaints")

    def page_rows(self, queryset):
        return with_names_of(queryset, "project", "department").prefetch_related(LIVE_CLOCKS)

    def export(self):
        return exports.complaint_list_xlsx(self.get_queryset(), conditions=self.export_conditions())

    @cached_property
    def board_counts(self) -> dict[str, int]:
        """The board's complaints by status: all the user may see."""
        return selectors.complaints_by_state(self.request.user)

    def lists_the_whole_board(self) -> bool:
        """Whether the page lists every complaint its board counts: then the board's figures are its size."""
        return not self.is_filtered()

    def get_paginator(self, queryset, per_page, **kwargs):
        if self.lists_the_whole_board():
            kwargs["count"] = sum(self.board_counts.values())
        return super().get_paginator(queryset, per_page, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        _decorate_clocks(context["object_list"], timezone.now())
        counts = self.board_counts
        context["board"] = [(state, counts.get(state.value, 0)) for state in ComplaintState]
        context["title"] = _("Complaints")
        return context


class MyQueueView(ComplaintListView):
    """What waits on me: dispatched to my department, handled or received by me."""

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.filter(selectors.waiting_on(self.request.user))

    @cached_property
    def board_counts(self) -> dict[str, int]:
        """The queue's own complaints: its board's figures lead to its own rows by status."""
        user = self.request.user
        return selectors.count_by_state(self.policy.scope(Complaint.objects.filter(selectors.waiting_on(user)), user))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("My queue")
        return context


class ComplaintCreateView(PolicyMixin, FormView):
    """Intake (rule C1). Possible duplicates are shown before saving; saving then needs a confirmation."""

    policy = policies.COMPLAINTS
    write_required = True
    form_class = forms.IntakeForm
    template_name = "complaints/complaint_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            self.policy.check_project(self.request.user, form.cleaned_data["project"])
            complaint = services.receive_complaint(actor=self.request.user, **form.cleaned_data)
        except DomainError as error:
            if error.code == "possible_duplicates":
                return self._ask_about_duplicates(form, error.extra["duplicates"])
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Complaint received."))
        return redirect("complaints:complaint-detail", pk=complaint.pk)

    def _ask_about_duplicates(self, form, numbers):
        """Rule C1: show the open complaints first; the next submission confirms."""
        form.data = form.data.copy()
        form.data["confirm_duplicates"] = "on"
        duplicates = selectors.complaint_list().filter(pk__in=numbers).order_by("-received_at")
        return self.render_to_response(self.get_context_data(form=form, duplicates=duplicates))


class ComplaintDetailView(WorkflowDetailView):
    """A complaint with its clocks, timeline and the workflow actions the user can take now."""

    policy = policies.COMPLAINTS
    workflow = COMPLAINT_FLOW
    action_url_name = "complaints:complaint-action"
    template_name = "complaints/complaint_detail.html"
    queryset = Complaint.objects.all()

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related(
                "project", "unit__building", "customer", "category", "department__head", "received_by", "handler"
            )
            .prefetch_related(
                "clocks",
                "return_visits__visitor",
                "defects",
                Prefetch("events", queryset=ComplaintEvent.objects.select_related("actor")),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        complaint, user, now = self.object, self.request.user, timezone.now()
        clocks = sorted(complaint.clocks.all(), key=lambda clock: (clock.cycle, clock.due_at))
        for clock in clocks:
            clock.left = clock.time_left(now)
            clock.colour = (
                sla_colour(clock, now)
                if clock.status == ClockStatus.RUNNING
                else {"met": "ok", "breached": "bad"}.get(clock.status, "")
            )
        duplicates = selectors.possible_duplicates(customer=complaint.customer, unit=complaint.unit, exclude=complaint)
        context.update(
            clocks=clocks,
            can_raise_defect=policies.DEFECTS.can_write(user),
            crisis=CrisisRecord.objects.filter(complaint=complaint).first(),
            duplicates=self.policy.scope(duplicates, user)[:5],
            cases=selectors.cases_like(complaint) if policies.CASES.can_read(user) else [],
        )
        return context


# ------------------------------------------------------------------ repair orders


class RepairListView(FilteredListView):
    policy = policies.REPAIR_ORDERS
    filterset_class = RepairOrderFilterSet
    template_name = "complaints/repair_list.html"
    queryset = selectors.repair_order_list()
    ordering_fields = ("reported_at",)
    default_ordering = ("-reported_at", "-pk")

    def page_rows(self, queryset):
        return with_names_of(
            queryset,
            "project",
            "component_type",
            staff=("assignee",),
            also=("unit__number", "unit__building__name", "complaint__channel"),
        )


class RepairCreateView(PolicyMixin, FormView):
    policy = policies.REPAIR_ORDERS
    write_required = True
    form_class = forms.RepairForm
    template_name = "complaints/form.html"
    extra_context = {"title": _("Report a repair")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            self.policy.check_project(self.request.user, form.cleaned_data["unit"].project)
            order = services.report_repair(actor=self.request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        return redirect("complaints:repair-detail", pk=order.pk)


class RepairDetailView(WorkflowDetailView):
    policy = policies.REPAIR_ORDERS
    workflow = REPAIR_FLOW
    action_url_name = "complaints:repair-action"
    template_name = "complaints/repair_detail.html"
    queryset = selectors.repair_order_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order, user = self.object, self.request.user
        context.update(
            warranty=services.warranty_status(order),
            clocks=order.clocks.all(),
            visits=order.return_visits.select_related("visitor"),
            defects=order.defects.all(),
            can_raise_defect=policies.DEFECTS.can_write(user),
        )
        return context


class RepairPhotoView(PolicyMixin, View):
    """An owner's photo of a repair, for staff who may see the repair order (never a public media URL)."""

    policy = policies.REPAIR_ORDERS

    def get(self, request, pk, photo_pk):
        order = get_object_or_404(self.policy.scope(selectors.repair_order_list(), request.user), pk=pk)
        photo = get_object_or_404(order.photos, pk=photo_pk)
        response = FileResponse(photo.image.open("rb"), content_type=photo.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        return response


class ReturnVisitQueueView(FilteredListView):
    """Return visits waiting to be made (rules C9, C13), soonest due first; filtered by project, by what is
    visited and overdue or not, and exported to Excel."""

    model = SlaClock
    policy = policies.RETURN_VISITS
    filterset_class = DueReturnVisitFilterSet
    template_name = "complaints/return_visit_queue.html"
    default_ordering = ("due_at", "pk")
    export_title = _("Return visits due")

    def rows(self):
        return selectors.due_return_visits(self.request.user)

    def export(self):
        return exports.due_return_visits_xlsx(self.get_queryset(), conditions=self.export_conditions())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        for clock in context["object_list"]:
            clock.left, clock.colour = clock.time_left(now), sla_colour(clock, now)
        return context


# ------------------------------------------------------------------ defects (D1–D4)


class DefectListView(FilteredListView):
    policy = policies.DEFECTS
    filterset_class = DefectFilterSet
    template_name = "complaints/defect_list.html"
    queryset = Defect.objects.select_related("project", "component_type", "responsible_department")
    ordering_fields = ("raised_at",)  # (a category is filtered by)
    default_ordering = ("-raised_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            day = params.day(self.request.GET) or timezone.localdate()
        except DomainError:
            day = timezone.localdate()
        context["weekly"] = selectors.weekly_defect_stats(
            defects=self.policy.scope(Defect.objects.all(), self.request.user), day=day
        )
        context["projects"] = projects_for(self.request.user)
        return context


class DefectCreateView(PolicyMixin, FormView):
    policy = policies.DEFECTS
    write_required = True
    form_class = forms.DefectForm
    template_name = "complaints/form.html"
    extra_context = {"title": _("Record a defect")}

    def dispatch(self, request, *args, **kwargs):
        # A defect raised from a complaint or a repair order (rule D1): ?complaint= or ?repair_order=
        self.origin = {}
        user = request.user
        if user.is_authenticated:
            complaint, order = request.GET.get("complaint", ""), request.GET.get("repair_order", "")
            if complaint.isdigit():
                self.origin["complaint"] = get_object_or_404(
                    policies.COMPLAINTS.scope(selectors.complaint_list(), user), pk=complaint
                )
            elif order.isdigit():
                self.origin["repair_order"] = get_object_or_404(
                    policies.REPAIR_ORDERS.scope(selectors.repair_order_list(), user), pk=order
                )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        subject = self.origin.get("complaint") or self.origin.get("repair_order")
        if subject is None:
            return {"source": "house_check"}
        initial = {
            "project": subject.project_id,
            "source": "complaint" if "complaint" in self.origin else "repair",
            "component_type": getattr(subject, "component_type_id", None),
        }
        if "complaint" in self.origin:
            initial["category"] = subject.category.defect_category
        return initial

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = {**form.cleaned_data, **self.origin}
        try:
            self.policy.check_project(self.request.user, data["project"])
            services.raise_defect(actor=self.request.user, **data)
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Defect recorded."))
        if "complaint" in self.origin:
            return redirect("complaints:complaint-detail", pk=self.origin["complaint"].pk)
        if "repair_order" in self.origin:
            return redirect("complaints:repair-detail", pk=self.origin["repair_order"].pk)
        return redirect("complaints:defect-list")


class EarlierDefectsView(PolicyMixin, TemplateView):
    """Rule D4: for a new project, the defects of earlier projects of the same product kind."""

    policy = policies.DEFECTS
    template_name = "complaints/earlier_defects.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        projects = projects_for(self.request.user).order_by("-created_at")
        chosen = self.request.GET.get("project")
        project = get_object_or_404(projects, pk=chosen) if chosen and chosen.isdigit() else projects.first()
        context.update(
            projects=projects, project=project, defects=selectors.earlier_defects_for(project)[:300] if project else []
        )
        return context


class HandbookView(PolicyMixin, TemplateView):
    """Rule D3: the quarterly quality handbook, printable; `?format=xlsx` for Excel."""

    policy = policies.HANDBOOK
    template_name = "complaints/handbook.html"

    @method_decorator(reads_from_replica)
    def get(self, request, *args, **kwargs):
        try:
            company, year, quarter = params.handbook(request.GET, request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("complaints:complaint-list")
        self.book = selectors.quality_handbook(company=company, year=year, quarter=quarter)
        if request.GET.get("format") == "xlsx":
            return exports.handbook_xlsx(self.book, user=request.user)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "book": self.book,
            "companies": params.handbook_companies(self.request.user),
        }


# ------------------------------------------------------------------ the monthly report (C12)


class MonthlyReportView(PolicyMixin, TemplateView):
    policy = policies.REPORTS
    template_name = "complaints/monthly_report.html"

    @method_decorator(reads_from_replica)
    def get(self, request, *args, **kwargs):
        try:
            year, month = params.year_month(request.GET)
        except DomainError as error:
            messages.error(request, error.message)
            year, month = timezone.localdate().year, timezone.localdate().month
        scoped = self.policy.scope(selectors.complaint_list(), request.user)
        self.report = selectors.monthly_report(complaints=scoped, year=year, month=month)
        if request.GET.get("format") == "xlsx":
            return exports.monthly_report_xlsx(self.report, user=request.user)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            report=self.report,
            clock_kinds=selectors.REPORT_CLOCKS,
            count_chart=charts.counts_chart(self.report),
            timeliness_chart=charts.timeliness_chart(self.report),
        )
        return context


# ------------------------------------------------------------------ crises, objections, cases, inbox


class CrisisListView(FilteredListView):
    """Rule C8: the crises, open ones first, each with the actions written on it; filtered by project, status and
    when opened, and exported to Excel."""

    policy = policies.CRISES
    filterset_class = CrisisFilterSet
    template_name = "complaints/crisis_list.html"
    queryset = selectors.crisis_list().select_related("complaint__project")
    ordering_fields = ("opened_at",)  # (a status is filtered by)
    default_ordering = ("-status", "-opened_at", "-pk")
    export_title = _("Crises")

    def export(self):
        return exports.crisis_list_xlsx(self.get_queryset(), conditions=self.export_conditions())


class CrisisDetailView(WorkflowDetailView):
    """Rule C8: a crisis with its timeline of alerts and decisions, tracked until closed."""

    policy = policies.CRISES
    workflow = CRISIS_FLOW
    action_url_name = "complaints:crisis-action"
    template_name = "complaints/crisis_detail.html"
    queryset = CrisisRecord.objects.select_related("complaint__project")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "timeline": selectors.crisis_timeline(self.object)}


class ObjectionListView(FilteredListView):
    policy = policies.OBJECTIONS
    filterset_class = ObjectionFilterSet
    template_name = "complaints/objection_list.html"
    queryset = DeliveryObjection.objects.select_related("project", "unit__building", "customer").prefetch_related(
        "defects", "reminders"
    )
    default_ordering = ("-raised_on", "-pk")


class ObjectionCreateView(PolicyMixin, FormView):
    """Rule C14: a delivery objection over quality, with its defects."""

    policy = policies.OBJECTIONS
    write_required = True
    form_class = forms.ObjectionForm
    template_name = "complaints/form.html"
    extra_context = {"title": _("Record a delivery objection")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            self.policy.check_project(self.request.user, form.cleaned_data["unit"].project)
            objection = services.record_objection(actor=self.request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        return redirect("complaints:objection-detail", pk=objection.pk)


class ObjectionDetailView(PolicyDetailView):
    """An objection: settle it, or issue the delivery reminder notice (交付催告) when it has no valid reason."""

    policy = policies.OBJECTIONS
    template_name = "complaints/objection_detail.html"
    queryset = DeliveryObjection.objects.select_related("project", "unit__building", "customer")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            settle_form=forms.SettleForm(prefix="settle"),
            reminder_form=forms.ReminderForm(prefix="reminder"),
            reminders=self.object.reminders.all(),
            defects=self.object.defects.all(),
        )
        return context

    def post(self, request, pk):
        if not self.policy.can_write(request.user):
            raise PermissionDenied
        objection = get_object_or_404(self.get_queryset(), pk=pk)
        is_reminder = "reminder-text" in request.POST
        form = (forms.ReminderForm if is_reminder else forms.SettleForm)(
            request.POST, prefix="reminder" if is_reminder else "settle"
        )
        if not form.is_valid():
            messages.error(request, " ".join(" ".join(errors) for errors in form.errors.values()))
            return redirect("complaints:objection-detail", pk=pk)
        try:
            if is_reminder:
                services.issue_delivery_reminder(
                    actor=request.user,
                    unit=objection.unit,
                    customer=objection.customer,
                    objection=objection,
                    **form.cleaned_data,
                )
                messages.success(request, _("Delivery reminder notice issued."))
            else:
                services.settle_objection(objection=objection, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("complaints:objection-detail", pk=pk)


class CaseListView(FilteredListView):
    """Rule C11: the case library, latest first, found by a word of a case's story or by category."""

    policy = policies.CASES
    filterset_class = CaseFilterSet
    template_name = "complaints/case_list.html"
    queryset = selectors.case_library()
    default_ordering = ("-added_at", "-pk")


class CaseCreateView(PolicyMixin, FormView):
    policy = policies.CASES
    write_required = True
    form_class = forms.CaseForm
    template_name = "complaints/form.html"
    extra_context = {"title": _("Add to the case library")}

    def form_valid(self, form):
        complaint = get_object_or_404(
            policies.COMPLAINTS.scope(selectors.complaint_list(), self.request.user), pk=self.kwargs["pk"]
        )
        try:
            services.add_case(actor=self.request.user, complaint=complaint, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Added to the case library."))
        return redirect("complaints:case-list")


class InboxView(LoginRequiredMixin, ListView):
    template_name = "complaints/inbox.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.inbox(self.request.user)

    def post(self, request):
        services.mark_read(user=request.user)
        return redirect("complaints:inbox")
