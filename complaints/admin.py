"""Admin: configuration (company clock targets, escalation, retention, crisis team) and every record."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import AuditTrailAdminMixin, PolicyAdmin, PolicyHistoryAdmin, PolicyInline, workflow_actions
from core.errors import DomainError

from . import policies, services
from .models import (
    CaseEntry,
    Complaint,
    ComplaintCategory,
    ComplaintEvent,
    ComplaintSettings,
    CrisisAction,
    CrisisRecord,
    Defect,
    DeliveryObjection,
    DeliveryReminder,
    Escalation,
    HandbookIssue,
    Notification,
    OwnerRating,
    RepairOrder,
    RetentionRecord,
    ReturnVisit,
    SlaClock,
)
from .services import intake
from .workflow import COMPLAINT_FLOW, CRISIS_FLOW, REPAIR_FLOW


@admin.register(ComplaintSettings)
class ComplaintSettingsAdmin(PolicyAdmin):
    policy = policies.SETTINGS
    list_display = [
        "company",
        "calendar",
        "response_hours",
        "report_head_minutes",
        "solution_hours",
        "plan_hours",
        "auto_major_days",
        "return_visit_hours",
        "retention_days",
        "retention_action",
    ]
    list_filter = ["calendar", "retention_action"]
    search_fields = ["company__name"]
    fieldsets = [
        (None, {"fields": ["company", "calendar", "workday_starts", "workday_ends"]}),
        (
            _("Clock targets"),
            {
                "fields": [
                    "response_hours",
                    "report_head_minutes",
                    "solution_hours",
                    "plan_hours",
                    "auto_major_days",
                    "return_visit_hours",
                    "crisis_people",
                ]
            },
        ),
        (
            _("Escalation levels"),
            {"fields": ["escalate_head_after_minutes", "escalate_cr_head_after_minutes", "crisis_team"]},
        ),
        (_("Retention"), {"fields": ["retention_days", "retention_action"]}),
    ]


class EventInline(PolicyInline, admin.TabularInline):
    model = ComplaintEvent
    extra = 0
    readonly_fields = ["kind", "at", "actor", "from_state", "to_state", "note"]
    fields = readonly_fields
    exclude = ["data"]


class ClockInline(PolicyInline, admin.TabularInline):
    model = SlaClock
    fk_name = "complaint"
    extra = 0
    fields = ["kind", "cycle", "status", "started_at", "due_at", "stopped_at", "breached_at"]
    readonly_fields = fields


WORKFLOW_FIELDS = [
    "state",
    "validity",
    "validity_reason",
    "severity",
    "severity_reason",
    "received_by",
    "received_at",
    "department",
    "handler",
    "dispatch_note",
    "deadline",
    "dispatched_at",
    "plan",
    "plan_recorded_at",
    "responded_at",
    "committed_reply_at",
    "reported_to_head_at",
    "solution",
    "solution_agreed_at",
    "resolution",
    "resolved_at",
    "verified_at",
    "summary",
    "closed_at",
    "archived_at",
    "anonymised_at",
    "reopen_count",
]


@admin.register(ComplaintCategory)
class ComplaintCategoryAdmin(PolicyAdmin):
    """Complaint categories (C12) and the defect category each raises (D1)."""

    policy = policies.SETTINGS
    list_display = ["code", "name", "name_en", "defect_category", "is_active", "position"]
    list_editable = ["is_active", "position"]
    list_filter = ["is_active", "defect_category"]
    search_fields = ["code", "name", "name_en"]


class IntakeAdminForm(forms.ModelForm):
    """Intake in the admin asks about open duplicates first, as every other face does (rule C1)."""

    confirm_duplicates = forms.BooleanField(label=_("Save although similar open complaints exist"), required=False)
    actor = None

    class Meta:
        model = Complaint
        fields = [
            "project",
            "unit",
            "customer",
            "channel",
            "category",
            "title",
            "content",
            "demand",
            "people_count",
            "media_exposure",
            "severity",
            "severity_reason",
        ]

    def clean(self):
        data = super().clean()
        if not data.get("confirm_duplicates"):
            try:
                intake.refuse_unconfirmed_duplicates(
                    actor=self.actor, customer=data.get("customer"), unit=data.get("unit")
                )
            except DomainError as error:
                self.add_error("confirm_duplicates", error.message)
        return data


@admin.register(Complaint)
class ComplaintAdmin(PolicyHistoryAdmin):
    """Complaints can be taken in here too (rule C1); they move through the workflow actions of the list."""

    policy = policies.COMPLAINTS
    list_display = ["id", "title", "project", "channel", "category", "severity", "validity", "state", "received_at"]
    list_filter = ["state", "severity", "validity", "channel", "category", "project", "received_at"]
    search_fields = ["title", "content", "customer__name"]
    raw_id_fields = ["unit", "customer"]
    inlines = [ClockInline, EventInline]
    actions = workflow_actions(COMPLAINT_FLOW)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = type("IntakeAdminForm", (IntakeAdminForm,), {"actor": request.user})
            kwargs["fields"] = [*IntakeAdminForm.Meta.fields, "confirm_duplicates"]
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return WORKFLOW_FIELDS if obj else []

    def get_inlines(self, request, obj):
        return self.inlines if obj else []  # a complaint's clocks and events begin with its intake

    def get_fields(self, request, obj=None):
        intake_fields = [
            "project",
            "unit",
            "customer",
            "channel",
            "category",
            "title",
            "content",
            "demand",
            "people_count",
            "media_exposure",
        ]
        return intake_fields + WORKFLOW_FIELDS if obj else [*IntakeAdminForm.Meta.fields, "confirm_duplicates"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("project", "category")

    def save_model(self, request, obj, form, change):
        if change:
            obj._history_user = request.user
            return super().save_model(request, obj, form, change)
        fields = {name: form.cleaned_data.get(name) for name in IntakeAdminForm.Meta.fields}
        created = services.receive_complaint(actor=request.user, confirm_duplicates=True, **fields)
        obj.pk = created.pk
        return None

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)


@admin.register(ComplaintEvent)
class ComplaintEventAdmin(AuditTrailAdminMixin, PolicyAdmin):
    """A complaint's history as its workflow wrote it (COMPLAINT_FLOW): read only, never added to by hand."""

    policy = policies.COMPLAINTS
    list_display = ["complaint", "kind", "at", "actor", "from_state", "to_state"]
    list_filter = ["kind"]
    search_fields = ["complaint__title", "note"]
    raw_id_fields = ["complaint"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("complaint", "actor")


@admin.register(SlaClock)
class SlaClockAdmin(AuditTrailAdminMixin, PolicyAdmin):
    """The complaint and repair clocks (C4, C5, C9) as the duties keep them: read only."""

    policy = policies.DUTY_RECORDS
    list_select_related = ["complaint", "repair_order__unit__building"]
    list_display = ["kind", "complaint", "repair_order", "cycle", "status", "started_at", "due_at", "stopped_at"]
    list_filter = ["kind", "status"]
    search_fields = ["complaint__title"]
    raw_id_fields = ["complaint", "repair_order"]


@admin.register(Escalation)
class EscalationAdmin(AuditTrailAdminMixin, PolicyAdmin):
    """Who was told of an overdue clock, at which level (C10): read only."""

    policy = policies.DUTY_RECORDS
    list_select_related = ["clock"]
    list_display = ["clock", "level", "created_at"]
    list_filter = ["level"]
    search_fields = ["clock__complaint__title"]
    raw_id_fields = ["clock"]


@admin.register(Notification)
class NotificationAdmin(AuditTrailAdminMixin, PolicyAdmin):
    policy = policies.DUTY_RECORDS
    list_select_related = ["recipient"]
    list_display = ["title", "recipient", "created_at", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["title", "recipient__username"]
    raw_id_fields = ["complaint", "repair_order"]


class CrisisActionInline(PolicyInline, admin.TabularInline):
    """The actions recorded (the list's "Record an action" goes through the crisis workflow)."""

    model = CrisisAction
    extra = 0
    fields = ["at", "actor", "description"]


@admin.register(CrisisRecord)
class CrisisRecordAdmin(PolicyHistoryAdmin):
    policy = policies.CRISES
    list_display = ["complaint", "status", "opened_at", "closed_at"]
    list_filter = ["status"]
    search_fields = ["complaint__title"]
    raw_id_fields = ["complaint"]
    readonly_fields = ["status", "closed_at", "conclusion"]
    inlines = [CrisisActionInline]
    actions = workflow_actions(CRISIS_FLOW)


@admin.register(CrisisAction)
class CrisisActionAdmin(AuditTrailAdminMixin, PolicyAdmin):
    policy = policies.CRISIS_ACTIONS
    list_select_related = ["crisis__complaint", "actor"]
    list_display = ["crisis", "at", "actor", "description"]
    search_fields = ["description"]
    raw_id_fields = ["crisis"]


@admin.register(RepairOrder)
class RepairOrderAdmin(PolicyHistoryAdmin):
    policy = policies.REPAIR_ORDERS
    list_display = ["id", "unit", "project", "component_type", "in_warranty", "state", "assignee", "reported_at"]
    list_filter = ["state", "in_warranty", "project"]
    search_fields = ["description", "unit__number"]
    raw_id_fields = ["unit", "customer", "complaint"]
    readonly_fields = ["state", "in_warranty"]
    actions = workflow_actions(REPAIR_FLOW)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit__building", "project", "component_type", "assignee")


@admin.register(ReturnVisit)
class ReturnVisitAdmin(PolicyAdmin):
    policy = policies.RETURN_VISITS
    list_display = ["visited_at", "complaint", "repair_order", "visitor", "method", "satisfaction"]
    list_select_related = ["complaint", "repair_order__unit__building", "visitor"]
    list_filter = ["method", "satisfaction"]
    search_fields = ["shortcomings", "suggestions"]
    raw_id_fields = ["complaint", "repair_order"]


@admin.register(Defect)
class DefectAdmin(PolicyHistoryAdmin):
    policy = policies.DEFECTS
    list_display = ["title", "project", "category", "source", "responsible_department", "raised_at"]
    list_select_related = ["project", "responsible_department"]
    list_filter = ["category", "source", "project__product_kind"]
    search_fields = ["title", "description"]
    raw_id_fields = ["complaint", "repair_order", "unit", "house_check_issue"]


@admin.register(DeliveryObjection)
class DeliveryObjectionAdmin(PolicyHistoryAdmin):
    policy = policies.OBJECTIONS
    list_display = ["unit", "customer", "status", "raised_on"]
    list_filter = ["status"]
    search_fields = ["reason", "customer__name"]
    raw_id_fields = ["unit", "customer", "defects"]


@admin.register(DeliveryReminder)
class DeliveryReminderAdmin(PolicyAdmin):
    policy = policies.OBJECTIONS
    list_display = ["unit", "customer", "issued_on", "take_over_by"]
    search_fields = ["text", "customer__name"]
    raw_id_fields = ["unit", "customer", "objection"]


@admin.register(CaseEntry)
class CaseEntryAdmin(PolicyAdmin):
    policy = policies.CASES
    list_display = ["title", "category", "added_by", "added_at"]
    list_filter = ["category"]
    search_fields = ["title", "situation", "lesson"]
    raw_id_fields = ["complaint"]


@admin.register(RetentionRecord)
class RetentionRecordAdmin(AuditTrailAdminMixin, PolicyAdmin):
    """What the retention duty did to an old complaint (C12), kept after the complaint itself: read only."""

    policy = policies.DUTY_RECORDS
    list_display = ["complaint_ref", "action", "done_at"]
    list_filter = ["action"]
    search_fields = ["complaint_ref"]


@admin.register(HandbookIssue)
class HandbookIssueAdmin(AuditTrailAdminMixin, PolicyAdmin):
    policy = policies.HANDBOOK
    list_select_related = ["company"]
    list_display = ["company", "year", "quarter", "sent_at"]
    list_filter = ["year", "quarter"]
    search_fields = ["company__name"]


@admin.register(OwnerRating)
class OwnerRatingAdmin(PolicyAdmin):
    """The owner's own ratings from the owner portal, beside the staff's return visits (read only)."""

    policy = policies.OWNER_RATINGS
    list_display = ["rated_at", "complaint", "repair_order", "score", "cycle"]
    list_filter = ["score"]
    raw_id_fields = ["complaint", "repair_order", "customer"]
    readonly_fields = ["complaint", "repair_order", "customer", "cycle", "score", "comment", "rated_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
