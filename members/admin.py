from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.admin import PolicyAdmin, PolicyHistoryAdmin, PolicyInline
from core.errors import DomainError

from . import grading, policies, selectors, services
from .models import (
    Customer,
    FollowUp,
    GradeChange,
    Lead,
    LeadApproval,
    LeadRules,
    Membership,
    OverdueFlag,
    Purchase,
    SalesReport,
    Visit,
)


class SearchedByCustomer:
    """An admin list of a table that grows with the customers, searched as the dashboard's lists are: by its
    customer's name (the start) or mobile number (selectors.customers_named, through the customer's indexes), or,
    where a row has an identifier (`exact_search_fields`), by that identifier whole. Text looked for anywhere
    inside a field (the admin's own search) reads every row: seconds on a million."""

    customer_path = "customer__"
    exact_search_fields: tuple[str, ...] = ()
    search_fields = ["customer__name"]  # (the admin's checks ask for them where a picker searches these rows)
    search_help_text = _("A customer's name (from its start) or mobile number (whole, its first digits or last four).")

    def get_search_fields(self, request):
        return [f"{self.customer_path}name"]  # (the search box shows where there are search fields)

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        for field in self.exact_search_fields:
            identified = queryset.filter(**{field: term})
            if identified.exists():
                return identified, False
        return queryset.filter(selectors.customers_named(term, through=self.customer_path)), False


@admin.register(Customer)
class CustomerAdmin(SearchedByCustomer, PolicyHistoryAdmin):
    policy = policies.CUSTOMERS
    list_display = ["name", "mobile", "project", "consultant", "source_channel", "consents_to_messages", "created_at"]
    list_filter = ["project", "source_channel", "gender", "consents_to_messages", "created_at"]
    customer_path = ""
    list_select_related = ["project", "consultant"]
    autocomplete_fields = ["project"]


@admin.register(LeadRules)
class LeadRulesAdmin(PolicyAdmin):
    policy = policies.LEAD_RULES
    list_display = [
        "project",
        "a_interval_days",
        "a_after_opening_days",
        "b_interval_days",
        "c_interval_days",
        "d_interval_days",
        "cycle_days",
        "d_return_visits",
    ]
    search_fields = ["project__name"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]


@admin.register(Visit)
class VisitAdmin(SearchedByCustomer, PolicyAdmin):
    policy = policies.VISITS
    list_display = [
        "customer",
        "project",
        "kind",
        "channel",
        "consultant",
        "invited_to_club",
        "invitation_outcome",
        "visited_at",
    ]
    list_filter = ["project", "kind", "channel", "invited_to_club", "invitation_outcome", "visited_at"]
    list_select_related = ["customer", "project", "consultant"]
    autocomplete_fields = ["customer", "project"]


class GradeChangeInline(PolicyInline, admin.TabularInline):
    model = GradeChange
    extra = 0
    fields = ["at", "from_grade", "to_grade", "kind", "actor", "reason", "approval"]
    readonly_fields = fields


@admin.register(Lead)
class LeadAdmin(SearchedByCustomer, PolicyHistoryAdmin):
    """Grades change through the dashboard or the API (one service keeps the history); the admin reads."""

    policy = policies.LEADS
    list_display = ["customer", "project", "consultant", "grade", "status", "next_follow_up_on", "graded_at"]
    list_filter = ["project", "grade", "status"]
    list_select_related = ["customer", "project", "consultant"]
    autocomplete_fields = ["customer", "project"]
    readonly_fields = ["grade", "checklist", "status", "graded_at", "archived_at", "last_follow_up_at"]
    exclude = ["criteria"]
    inlines = [GradeChangeInline]

    def get_readonly_fields(self, request, obj=None):
        # A lead is one customer's interest in one project: its follow-ups are counted under that project.
        fixed = ["customer", "project"] if obj is not None else []
        return [*fixed, *super().get_readonly_fields(request, obj)]

    @admin.display(description=_("criteria met"))
    def checklist(self, lead):
        """The grade's checklist from members.grading, each criterion ticked or not (L1)."""
        if not lead.grade:
            return "—"
        return format_html_join(
            mark_safe("<br>"),
            "{} {}",
            (
                ("☑" if criterion in lead.criteria else "☐", criterion.label)
                for criterion in grading.checklist(lead.grade).criteria
            ),
        )

    def has_add_permission(self, request):
        return False  # a lead is opened with its first grade, through members.services.open_lead


@admin.register(GradeChange)
class GradeChangeAdmin(SearchedByCustomer, PolicyAdmin):
    policy = policies.FOLLOW_UPS
    list_display = ["lead", "from_grade", "to_grade", "kind", "actor", "at"]
    list_filter = ["kind", "to_grade", "at"]
    customer_path = "lead__customer__"
    list_select_related = ["lead__customer", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FollowUp)
class FollowUpAdmin(SearchedByCustomer, PolicyHistoryAdmin):
    policy = policies.FOLLOW_UPS
    list_display = ["lead", "consultant", "method", "reaction", "grade", "happened_at", "next_on"]
    list_filter = ["method", "reaction", "grade", "happened_at"]
    customer_path = "lead__customer__"
    list_select_related = ["lead__customer", "consultant"]
    autocomplete_fields = ["lead"]


@admin.register(LeadApproval)
class LeadApprovalAdmin(SearchedByCustomer, PolicyAdmin):
    """Requests are made and decided through members.services (the admin's actions call it too)."""

    policy = policies.APPROVALS
    list_display = ["lead", "kind", "status", "requested_by", "requested_at", "decided_by", "decided_at"]
    list_filter = ["kind", "status"]
    customer_path = "lead__customer__"
    list_select_related = ["lead__customer", "requested_by", "decided_by"]
    readonly_fields = [
        "lead",
        "kind",
        "status",
        "reason",
        "criteria",
        "requested_by",
        "requested_at",
        "decided_by",
        "decided_at",
        "decision_note",
    ]
    actions = ["approve", "reject"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Approve the selected requests"))
    def approve(self, request, queryset):
        self._decide(request, queryset, approve=True)

    @admin.action(description=_("Reject the selected requests"))
    def reject(self, request, queryset):
        self._decide(request, queryset, approve=False)

    def _decide(self, request, queryset, *, approve):
        for approval in queryset:
            try:
                services.decide_approval(approval=approval, approve=approve, actor=request.user)
            except (DomainError, PermissionDenied) as error:
                self.message_user(
                    request, f"{approval}: {getattr(error, 'message', _('Not allowed.'))}", level=messages.ERROR
                )


@admin.register(OverdueFlag)
class OverdueFlagAdmin(SearchedByCustomer, PolicyAdmin):
    policy = policies.FOLLOW_UPS
    list_display = ["lead", "due_on", "recipient", "created_at"]
    customer_path = "lead__customer__"
    list_filter = ["due_on"]
    list_select_related = ["lead__customer", "recipient"]
    autocomplete_fields = ["lead"]


@admin.register(SalesReport)
class SalesReportAdmin(PolicyAdmin):
    policy = policies.REPORTS
    list_display = ["kind", "project", "recipient", "period_start", "period_end", "created_at"]
    list_filter = ["kind", "project"]
    search_fields = ["project__name", "recipient__username"]
    list_select_related = ["project", "recipient"]
    autocomplete_fields = ["project"]


@admin.register(Membership)
class MembershipAdmin(SearchedByCustomer, PolicyHistoryAdmin):
    policy = policies.MEMBERSHIPS
    list_display = ["member_number", "customer", "source_project", "level", "joined_on"]
    list_filter = ["level", "source_project"]
    exact_search_fields = ("member_number",)
    list_select_related = ["customer", "source_project"]
    autocomplete_fields = ["customer", "source_project"]


@admin.register(Purchase)
class PurchaseAdmin(SearchedByCustomer, PolicyHistoryAdmin):
    policy = policies.PURCHASES
    list_display = [
        "customer",
        "project",
        "unit",
        "consultant",
        "status",
        "price",
        "subscribed_on",
        "signed_on",
        "moved_in_on",
    ]
    list_filter = ["project", "status", "on_opening_day", "subscribed_on"]
    exact_search_fields = ("agreement_number",)
    list_select_related = ["customer", "project", "unit__building", "consultant"]
    autocomplete_fields = ["customer", "unit"]
