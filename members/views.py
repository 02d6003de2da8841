import datetime

from django.utils.decorators import method_decorator
from django.contrib import messages
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import CharField
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView

from core import sections, timeline
from core.access import display_phone, mask_phone, may_see_contact
from core.errors import DomainError
from core.replica import reads_from_replica
from core.excel import Labels, Sheet, xlsx_response
from core.models import User
from core.roles import Role
from core.views import FilteredListView, PolicyDetailView, PolicyMixin
from estates.selectors import projects_for

from . import policies, reports, selectors, services
from .choices import ApprovalKind, ApprovalStatus, LeadCriterion, LeadGrade, LeadStatus
from .filters import CustomerFilterSet, LeadFilterSet, PurchaseFilterSet, VisitFilterSet
from .forms import (
    ApprovalRequestForm,
    CustomerForm,
    DecisionForm,
    FollowUpForm,
    GradeCriteriaForm,
    JoinClubForm,
    MilestoneForm,
    OpenLeadForm,
    ReassignForm,
    RegradeForm,
    SubscribeForm,
    VisitForm,
)
from .models import Customer, FollowUp, Lead, OverdueFlag, Purchase, Visit

EXPORT_HEADERS = [
    _("name"),
    _("mobile phone"),
    _("project"),
    _("consultant"),
    _("source channel"),
    _("gender"),
    _("birthday"),
    _("consents to messages"),
    _("registered at"),
]


class CustomerListView(FilteredListView):
    model = Customer
    policy = policies.CUSTOMERS
    filterset_class = CustomerFilterSet
    ordering_fields = ("name", "created_at", "birthday")
    default_ordering = ("-created_at", "-pk")
    template_name = "members/customer_list.html"
    export_title = _("Customers")

    def decorate(self, queryset):
        return queryset.select_related("project", "consultant")

    def page_rows(self, queryset):
        return selectors.customer_rows(queryset)

    def export(self):
        show_mobile = may_see_contact(self.request.user)
        label, yes, no = Labels(Customer), str(_("yes")), str(_("no"))
        customers = self.get_queryset()
        # Read as plain values, a hundred thousand rows without building three records for each; the few
        # projects and consultants they name are read once. The number is printed as stored (E.164 text).
        projects = dict(projects_for(self.request.user).values_list("pk", "name"))
        consultants = {user.pk: str(user) for user in User.objects.filter(pk__in=customers.values("consultant_id"))}
        rows = (
            [
                name,
                display_phone(mobile) if show_mobile else mask_phone(mobile),
                projects.get(project_id, ""),
                consultants.get(consultant_id, ""),
                label.of("source_channel", source_channel),
                label.of("gender", gender),
                birthday,
                yes if consents else no,
                created_at,
            ]
            for (
                name,
                mobile,
                project_id,
                consultant_id,
                source_channel,
                gender,
                birthday,
                consents,
                created_at,
            ) in customers.values_list(
                "name",
                Cast("mobile", CharField()),
                "project_id",
                "consultant_id",
                "source_channel",
                "gender",
                "birthday",
                "consents_to_messages",
                "created_at",
            ).iterator(chunk_size=2000)
        )
        filename = f"customers-{timezone.localdate():%Y%m%d}.xlsx"
        return xlsx_response(
            filename,
            [Sheet(title=_("Customers"), headers=EXPORT_HEADERS, rows=rows)],
            conditions=self.export_conditions(),
        )


class CustomerDetailView(PolicyDetailView):
    model = Customer
    policy = policies.CUSTOMERS
    template_name = "members/customer_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("project", "consultant", "company")

    def get_context_data(self, **kwargs):
        action, bound = kwargs.pop("bound", (None, None))
        context = super().get_context_data(**kwargs)
        context["timeline"] = timeline.events_for(self.object.pk, viewer=self.request.user)
        user, customer = self.request.user, self.object
        context["top_sections"] = sections.rendered("customer", request=self.request, customer=customer)
        context["leads"] = policies.LEADS.scope(selectors.lead_list().filter(customer=customer), user)
        context["purchases"] = policies.PURCHASES.scope(selectors.purchase_list().filter(customer=customer), user)
        context["membership"] = policies.MEMBERSHIPS.scope(
            selectors.membership_list().filter(customer=customer), user
        ).first()
        context["lead_form"] = OpenLeadForm(user=user, customer=customer) if policies.LEADS.can_write(user) else None
        context["subscribe_form"] = (
            SubscribeForm(user=user, customer=customer) if policies.PURCHASES.can_write(user) else None
        )
        context["club_form"] = (
            JoinClubForm(user=user, customer=customer)
            if policies.MEMBERSHIPS.can_write(user) and not hasattr(customer, "membership")
            else None
        )
        if action:
            context[{"open-lead": "lead_form", "subscribe": "subscribe_form", "join-club": "club_form"}[action]] = bound
        return context


class CustomerActionView(PolicyMixin, View):
    """The customer page's sales forms: grade them, subscribe a unit, join the club. Each calls one service."""

    policy = policies.CUSTOMERS
    http_method_names = ["post"]
    ACTIONS = {
        "open-lead": (policies.LEADS, OpenLeadForm, "project"),
        "subscribe": (policies.PURCHASES, SubscribeForm, "unit"),
        "join-club": (policies.MEMBERSHIPS, JoinClubForm, "source_project"),
    }

    def post(self, request, pk, action):
        customer = get_object_or_404(self.policy.scope(selectors.customer_list(), request.user), pk=pk)
        if action not in self.ACTIONS:
            raise Http404
        policy, form_class, project_field = self.ACTIONS[action]
        if not policy.can_write(request.user):
            raise PermissionDenied
        form = form_class(request.POST, user=request.user, customer=customer)
        if not form.is_valid():
            return self.refused(customer, action, form)
        data = form.cleaned_data
        chosen = data[project_field]
        policy.check_project(request.user, getattr(chosen, "project", chosen))
        try:
            if action == "open-lead":
                lead = services.open_lead(customer=customer, actor=request.user, **data)
                return redirect("members:lead-detail", pk=lead.pk)
            if action == "subscribe":
                purchase = services.subscribe(customer=customer, actor=request.user, **data)
                return redirect("members:purchase-detail", pk=purchase.pk)
            services.join_club(customer=customer, actor=request.user, **data)
            messages.success(request, _("Joined the club."))
        except DomainError as error:
            if error.status_code != 400:
                messages.error(request, error.message)
                return redirect("members:customer-detail", pk=customer.pk)
            _add_service_error(form, error)
            return self.refused(customer, action, form)
        return redirect("members:customer-detail", pk=customer.pk)

    def refused(self, customer, action, form):
        """The customer page again, with the form as the user filled it in and its errors beside the fields (400)."""
        page = CustomerDetailView()
        page.setup(self.request, pk=customer.pk)
        page.object = page.get_queryset().get(pk=customer.pk)
        context = page.get_context_data(object=page.object, bound=(action, form))
        return render(self.request, page.template_name, context, status=400)


class CustomerFormView(PolicyMixin, FormView):
    """Register a customer, or edit one the user can see."""

    policy = policies.CUSTOMERS
    write_required = True
    form_class = CustomerForm
    template_name = "members/customer_form.html"

    def get_object(self):
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(self.policy.scope(selectors.customer_list(), self.request.user), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        self.object = self.get_object()
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.object}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "object": self.object}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            self.policy.check_project(self.request.user, data["project"])
            if self.object is None:
                customer = services.register_customer(actor=self.request.user, **data)
                messages.success(self.request, _("Customer registered."))
            else:
                customer = services.update_customer(customer=self.object, actor=self.request.user, **data)
                messages.success(self.request, _("Customer updated."))
        except DomainError as error:
            form.add_error(error.field, error.message)
            return self.form_invalid(form)
        return redirect("members:customer-detail", pk=customer.pk)


# --- Sales office pages ---------------------------------------------------------------------------

PURCHASE_STEP_LABELS = [
    ("sign", _("Sign the contract")),
    ("disburse_loan", _("Loan disbursed")),
    ("deliver", _("Deliver")),
    ("move_in", _("Moved in")),
]
LEAD_EXPORT_HEADERS = [
    _("customer"),
    _("project"),
    _("consultant"),
    _("grade"),
    _("status"),
    _("graded at"),
    _("next follow-up due"),
    _("last followed up at"),
]


class MyDayView(PolicyMixin, TemplateView):
    """A consultant's day: follow-ups due today and overdue, by grade (L2, L3)."""

    policy = policies.LEADS
    template_name = "members/my_day.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        leads = self.policy.scope(Lead.objects.all(), self.request.user)
        if Role.CONSULTANT in self.request.user.roles:
            leads = leads.filter(consultant=self.request.user)
        flags = (
            OverdueFlag.objects.filter(selectors.overdue_q(prefix="lead__"), recipient=self.request.user)
            .select_related("lead__customer", "lead__consultant")
            .order_by("due_on")[:50]
        )
        return {
            **super().get_context_data(**kwargs),
            "today": today,
            "day": selectors.my_day(leads=leads, on=today),
            "flags": flags,
        }


class LeadListView(FilteredListView):
    model = Lead
    policy = policies.LEADS
    filterset_class = LeadFilterSet
    ordering_fields = ("next_follow_up_on", "graded_at", "grade", "created_at")
    default_ordering = ("next_follow_up_on", "pk")
    template_name = "members/lead_list.html"
    export_title = _("Leads")

    def decorate(self, queryset):
        return selectors.with_overdue(queryset.select_related("customer", "project", "consultant"))

    def page_rows(self, queryset):
        return selectors.lead_rows(queryset)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "today": timezone.localdate()}

    def export(self):
        label = Labels(Lead)
        rows = (
            [
                lead.customer.name,
                lead.project.name,
                str(lead.consultant or ""),
                lead.grade,
                label(lead, "status"),
                lead.graded_at,
                lead.next_follow_up_on,
                lead.last_follow_up_at,
            ]
            for lead in self.get_queryset().iterator(chunk_size=2000)
        )
        return xlsx_response(
            f"leads-{timezone.localdate():%Y%m%d}.xlsx",
            [Sheet(title=_("Leads"), headers=LEAD_EXPORT_HEADERS, rows=rows)],
            conditions=self.export_conditions(),
        )


class LeadDetailView(PolicyDetailView):
    """A lead with its grade history, follow-ups, approvals and audit trail (L9, R2)."""

    model = Lead
    policy = policies.LEADS
    template_name = "members/lead_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("customer", "project", "consultant")

    def get_context_data(self, **kwargs):
        """`bound` (action, form): the form a refused POST brought back, with what was entered and its errors."""
        lead, user = self.object, self.request.user
        action, bound = kwargs.pop("bound", (None, None))
        forms = {
            "follow-up": FollowUpForm(),
            "regrade": RegradeForm(grade=lead.grade, criteria=lead.criteria),
            "reassign": ReassignForm(user=user, lead=lead) if user.has_role(*services.REASSIGNERS) else None,
            "stop-tracking": ApprovalRequestForm(),
            "reclaim": ApprovalRequestForm(),
        }
        if action:
            forms[action] = bound
        return {
            **super().get_context_data(**kwargs),
            "criteria": [label for value, label in LeadCriterion.choices if value in lead.criteria],
            "rows": selectors.lead_timeline_rows(lead),
            "grade_history": selectors.grade_history(lead),
            "approvals": lead.approvals.select_related("requested_by", "decided_by"),
            "history": selectors.audit_trail(lead.history.all()),
            "follow_up_history": selectors.audit_trail(FollowUp.history.filter(lead_id=lead.pk)),
            "follow_up_form": forms["follow-up"],
            "regrade_form": forms["regrade"],
            "reassign_form": forms["reassign"],
            "request_form": forms["stop-tracking"] if action != "reclaim" else forms["reclaim"],
            "is_active": lead.status == LeadStatus.ACTIVE,
            "is_archived": lead.status == LeadStatus.ARCHIVED,
            "overdue": selectors.is_overdue(lead),
        }


class LeadActionView(PolicyMixin, View):
    """The lead page's forms: each POST calls one service and comes back to the page."""

    policy = policies.LEADS
    write_required = True
    http_method_names = ["post"]

    def post(self, request, pk, action):
        lead = get_object_or_404(self.policy.scope(selectors.lead_list(), request.user), pk=pk)
        handlers = {
            "follow-up": (self.follow_up, FollowUpForm, {}),
            "regrade": (self.regrade, RegradeForm, {}),
            "reassign": (self.reassign, ReassignForm, {"user": request.user, "lead": lead}),
            "stop-tracking": (self.stop_tracking, ApprovalRequestForm, {}),
            "reclaim": (self.reclaim, ApprovalRequestForm, {}),
        }
        if action not in handlers:
            raise Http404
        handler, form_class, form_kwargs = handlers[action]
        form = form_class(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                handler(lead, form.cleaned_data)
                return redirect("members:lead-detail", pk=lead.pk)
            except DomainError as error:
                if error.status_code != 400:
                    messages.error(request, error.message)
                    return redirect("members:lead-detail", pk=lead.pk)
                _add_service_error(form, error)
        return self.refused(lead, action, form)

    def refused(self, lead, action, form):
        """The lead page again, with the form as the user filled it in and its errors beside the fields (400)."""
        page = LeadDetailView()
        page.setup(self.request, pk=lead.pk)
        page.object = page.get_queryset().get(pk=lead.pk)
        context = page.get_context_data(object=page.object, bound=(action, form))
        return render(self.request, page.template_name, context, status=400)

    def follow_up(self, lead, data):
        services.record_follow_up(lead=lead, actor=self.request.user, **data)
        messages.success(self.request, _("Follow-up recorded."))

    def regrade(self, lead, data):
        outcome = services.regrade_lead(lead=lead, actor=self.request.user, **data)
        messages.success(self.request, _("Sent for approval.") if outcome.approval else _("Grade changed."))

    def reassign(self, lead, data):
        services.reassign_lead(lead=lead, actor=self.request.user, **data)
        messages.success(self.request, _("Lead handed over."))

    def stop_tracking(self, lead, data):
        services.request_approval(lead=lead, kind=ApprovalKind.STOP_TRACKING, actor=self.request.user, **data)
        messages.success(self.request, _("Sent for approval."))

    def reclaim(self, lead, data):
        services.request_approval(lead=lead, kind=ApprovalKind.RECLAIM, actor=self.request.user, **data)
        messages.success(self.request, _("Sent for approval."))


def _add_service_error(form, error: DomainError) -> None:
    """A service's field error beside the field the user filled in; the criteria beside the chosen grade's group."""
    field = error.field
    if field == "criteria" and isinstance(form, GradeCriteriaForm):
        field = form.criteria_field(form.cleaned_data.get("grade", ""))
    form.add_error(field if field in form.fields else None, error.message)


class ApprovalInboxView(PolicyMixin, TemplateView):
    """Requests the user may decide, and the user's own requests with their outcome."""

    policy = policies.APPROVALS
    template_name = "members/approvals.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        visible = self.policy.scope(selectors.approval_list(), user)
        pending = visible.filter(status=ApprovalStatus.PENDING).order_by("requested_at")
        return {
            **super().get_context_data(**kwargs),
            "to_decide": [approval for approval in pending if services.may_decide(user, approval)],
            "mine": visible.filter(requested_by=user).order_by("-requested_at")[:30],
            "decision_form": DecisionForm(user=user),
        }


class ApprovalDecisionView(PolicyMixin, View):
    policy = policies.APPROVALS
    write_required = True
    http_method_names = ["post"]

    def post(self, request, pk, decision):
        approval = get_object_or_404(self.policy.scope(selectors.approval_list(), request.user), pk=pk)
        form = DecisionForm(request.POST, user=request.user)
        if decision not in ("approve", "reject") or not form.is_valid():
            messages.error(request, _("The decision could not be read."))
            return redirect("members:approvals")
        try:
            services.decide_approval(
                approval=approval, approve=decision == "approve", actor=request.user, **form.cleaned_data
            )
            messages.success(request, _("Decision recorded."))
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("members:approvals")


class DailyReportView(PolicyMixin, TemplateView):
    """The supervisor's daily report: the team's A and B follow-ups of the day and what is overdue (L4, L3)."""

    policy = policies.REPORTS
    template_name = "members/daily_report.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        day = _date_param(self.request.GET.get("date")) or timezone.localdate()
        projects = list(selectors.projects_with_leads(projects_for(user)).order_by("name"))
        digests = selectors.ab_digests(projects=projects, supervisor=user, on=day)
        digests = [{"project": project, **digests[project.pk]} for project in projects]
        at = min(timezone.now(), selectors.end_of_day(day))
        flags = (
            OverdueFlag.objects.filter(selectors.overdue_q(at=at, prefix="lead__"), recipient=user)
            .select_related("lead__customer", "lead__consultant")
            .order_by("due_on")[:100]
        )
        return {**super().get_context_data(**kwargs), "day": day, "digests": digests, "flags": flags}


class WeeklySummaryView(PolicyMixin, TemplateView):
    """The weekly summary per grade and consultant (L5), with the club invitation rate (J5); exports to Excel."""

    policy = policies.REPORTS
    template_name = "members/weekly_summary.html"

    @method_decorator(reads_from_replica)
    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx":
            return self.export()
        return super().get(request, *args, **kwargs)

    def report(self):
        day = _date_param(self.request.GET.get("week")) or timezone.localdate() - datetime.timedelta(days=7)
        return reports.weekly_summaries(user=self.request.user, day=day)

    def get_context_data(self, **kwargs):
        report = self.report()
        return {
            **super().get_context_data(**kwargs),
            "start": report["start"],
            "end": report["end"],
            "summaries": report["projects"],
            "grades": [grade.heading for grade in LeadGrade],
            "previous": report["start"] - datetime.timedelta(days=7),
            "next": report["start"] + datetime.timedelta(days=7),
        }

    def export(self):
        return reports.as_xlsx(self.report(), user=self.request.user)


class VisitListView(FilteredListView):
    model = Visit
    policy = policies.VISITS
    filterset_class = VisitFilterSet
    ordering_fields = ("visited_at",)
    default_ordering = ("-visited_at", "-pk")
    template_name = "members/visit_list.html"

    def decorate(self, queryset):
        return queryset.select_related("customer", "project", "consultant")

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "rates": selectors.invitation_rates(
                visits=self.filterset.qs if self.filterset.is_bound else self.get_queryset()
            ),
        }


class VisitFormView(PolicyMixin, FormView):
    """Register a visit: a known mobile links to the customer, an unknown one registers them (J5)."""

    policy = policies.VISITS
    write_required = True
    form_class = VisitForm
    template_name = "members/visit_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            self.policy.check_project(self.request.user, data["project"])
            visit = services.register_visit(actor=self.request.user, **data)
        except DomainError as error:
            form.add_error(error.field, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Visit registered."))
        return redirect("members:customer-detail", pk=visit.customer_id)


class PurchaseListView(FilteredListView):
    model = Purchase
    policy = policies.PURCHASES
    filterset_class = PurchaseFilterSet
    ordering_fields = ("subscribed_on", "signed_on", "price")
    default_ordering = ("-subscribed_on", "-pk")
    template_name = "members/purchase_list.html"

    def decorate(self, queryset):
        return queryset.select_related("customer", "project", "unit__building", "consultant")

    def page_rows(self, queryset):
        return selectors.purchase_rows(queryset)


class PurchaseDetailView(PolicyDetailView):
    """A purchase's milestones, the next step, the three-day cancellation and the audit trail (J23, J4, R2)."""

    model = Purchase
    policy = policies.PURCHASES
    template_name = "members/purchase_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("customer", "project", "unit__building", "consultant")

    def get_context_data(self, **kwargs):
        purchase = self.object
        steps = [
            (step, label) for step, label in PURCHASE_STEP_LABELS if purchase.status in services.PURCHASE_STEPS[step][0]
        ]
        return {
            **super().get_context_data(**kwargs),
            "steps": steps,
            "milestone_form": MilestoneForm(),
            "cancellation_refusal": services.cancellation_refusal(purchase=purchase, on=timezone.localdate()),
            "history": selectors.audit_trail(purchase.history.all()),
        }


class PurchaseActionView(PolicyMixin, View):
    policy = policies.PURCHASES
    write_required = True
    http_method_names = ["post"]

    def post(self, request, pk, step):
        purchase = get_object_or_404(self.policy.scope(selectors.purchase_list(), request.user), pk=pk)
        form = MilestoneForm(request.POST)
        if step not in services.PURCHASE_STEPS and step != "cancel" or not form.is_valid():
            raise Http404
        try:
            if step == "cancel":
                services.cancel_purchase(purchase=purchase, actor=request.user, **form.cleaned_data)
            else:
                services.advance_purchase(purchase=purchase, step=step, actor=request.user, on=form.cleaned_data["on"])
            messages.success(request, _("Purchase updated."))
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("members:purchase-detail", pk=purchase.pk)


def _date_param(value):
    """A date from the query string, in any form the reader's language writes one."""
    try:
        return forms.DateField(required=False).clean(value)
    except ValidationError:
        return None
