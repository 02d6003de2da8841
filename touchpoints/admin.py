from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from core.admin import CallAttemptInline, PolicyAdmin, PolicyHistoryAdmin, PolicyInline
from members.admin import SearchedByCustomer

from . import message_templates, messaging, policies, services
from .models import (
    CareTaskCall,
    Action,
    CareIssue,
    CareSettings,
    CareTask,
    CommunityNotice,
    EvidenceFile,
    Execution,
    ImprovementPlan,
    Meeting,
    MeetingFeedback,
    MessageTemplate,
    MysteryShopperCheck,
    OutboundMessage,
    ProgressLetter,
    ProjectAction,
    SiteOpenDay,
    Step,
    VisitRound,
)


@admin.register(MessageTemplate)
class MessageTemplateAdmin(PolicyAdmin):
    policy = policies.MESSAGE_TEMPLATES
    list_display = ["code", "name", "channel", "is_active", "updated_at"]
    list_filter = ["channel", "is_active"]
    search_fields = ["code", "name", "body"]
    readonly_fields = ["variables", "preview"]

    @admin.display(description=_("variables it may use"))
    def variables(self, template):
        return message_templates.help_text(template.code)

    @admin.display(description=_("preview with sample data"))
    def preview(self, template):
        return message_templates.preview(template.code, template.body) if template.body else ""


@admin.register(OutboundMessage)
class OutboundMessageAdmin(SearchedByCustomer, PolicyAdmin):
    policy = policies.MESSAGES
    list_display = ["customer", "project", "purpose_label", "channel", "status", "send_after", "attempts", "sent_at"]
    list_filter = ["status", "channel", "purpose", "project", "created_at"]
    exact_search_fields = ("dedupe_key",)
    list_select_related = ["customer", "project", "template"]
    readonly_fields = [field.name for field in OutboundMessage._meta.fields]
    actions = ["cancel_queued"]

    @admin.display(description=_("purpose"), ordering="purpose")
    def purpose_label(self, message):
        return message.purpose_label

    def has_add_permission(self, request):
        return False  # messages are queued by duties or through the API, never typed into the table

    @admin.action(description=_("Cancel the selected queued messages"))
    def cancel_queued(self, request, queryset):
        cancelled = sum(messaging.cancel(message=message, actor=request.user) for message in queryset)
        self.message_user(request, _("%(count)d messages cancelled.") % {"count": cancelled}, messages.SUCCESS)


class ActionInline(PolicyInline, admin.TabularInline):
    editable = True
    model = Action
    extra = 0
    fields = ["position", "code", "name", "kind", "lead_department", "cooperating_departments", "duty"]
    show_change_link = True


@admin.register(Step)
class StepAdmin(PolicyAdmin):
    policy = policies.CATALOGUE
    list_display = ["position", "label", "name", "touchpoint"]
    search_fields = ["name", "touchpoint", "core_content"]
    inlines = [ActionInline]


@admin.register(Action)
class ActionAdmin(PolicyAdmin):
    policy = policies.CATALOGUE
    list_display = ["name", "step", "kind", "lead_department", "cooperating_departments", "duty"]
    list_filter = ["step", "kind", "duty"]
    search_fields = ["name", "code", "purpose", "requirements", "references"]
    list_select_related = ["step"]


class EvidenceFileInline(PolicyInline, admin.TabularInline):
    model = EvidenceFile
    extra = 0


@admin.register(ProjectAction)
class ProjectActionAdmin(PolicyHistoryAdmin):
    policy = policies.PLANS
    list_display = ["project", "action", "is_active", "due_on"]
    list_filter = ["is_active", "action__kind", "action__step", "project"]
    search_fields = ["action__name", "project__name"]
    list_select_related = ["project", "action"]


@admin.register(Execution)
class ExecutionAdmin(PolicyAdmin):
    policy = policies.EXECUTIONS
    list_display = ["planned_action", "executed_on", "executed_by", "evidence"]
    list_filter = ["executed_on", "planned_action__project"]
    search_fields = ["planned_action__action__name", "notes"]
    list_select_related = ["planned_action__project", "planned_action__action", "executed_by"]
    raw_id_fields = ["planned_action"]
    inlines = [EvidenceFileInline]


@admin.register(CareSettings)
class CareSettingsAdmin(PolicyAdmin):
    policy = policies.CARE_SETTINGS
    list_display = [
        "project",
        "mystery_shopper_interval",
        "progress_letter_interval_months",
        "three_month_sample_percent",
        "three_month_sample_max",
        "warranty_notice_months",
        "quality_check_months",
    ]
    search_fields = ["project__name"]
    list_select_related = ["project"]


class CareIssueInline(PolicyInline, admin.TabularInline):
    model = CareIssue
    extra = 0
    fields = ["check_item", "description", "status", "resolution", "closed_at"]
    readonly_fields = ["closed_at"]


class CareTaskCallInline(CallAttemptInline):
    model = CareTaskCall


@admin.register(CareTask)
class CareTaskAdmin(SearchedByCustomer, PolicyHistoryAdmin):
    policy = policies.CARE_TASKS
    list_display = [
        "duty",
        "project",
        "customer",
        "period",
        "due_start",
        "due_end",
        "owner_role",
        "status",
        "completed_at",
    ]
    list_filter = ["duty", "status", "owner_role", "project", "due_end"]
    list_select_related = ["project", "customer"]
    raw_id_fields = ["customer", "purchase", "unit", "visit_round", "open_day"]
    readonly_fields = [
        "duty",
        "subject_kind",
        "subject_id",
        "period",
        "created_at",
        "alerted_at",
        "call_attempts",
        "last_call_outcome",
        "call_back_at",
    ]
    inlines = [CareIssueInline, CareTaskCallInline]

    def has_add_permission(self, request):
        return False  # tasks fall due from the daily scan


@admin.register(CareIssue)
class CareIssueAdmin(PolicyAdmin):
    policy = policies.CARE_ISSUES
    list_display = ["description", "task", "check_item", "status", "closed_at"]
    list_filter = ["status", "check_item"]
    search_fields = ["description", "resolution"]
    list_select_related = ["task"]
    raw_id_fields = ["task"]


@admin.register(VisitRound)
class VisitRoundAdmin(PolicyAdmin):
    policy = policies.VISIT_ROUNDS
    list_display = ["project", "year", "delivered_units", "target", "closed_at"]
    list_filter = ["year"]
    search_fields = ["project__name", "summary"]
    list_select_related = ["project"]


@admin.register(CommunityNotice)
class CommunityNoticeAdmin(PolicyAdmin):
    policy = policies.CARE_RECORDS
    list_display = ["project", "component_type", "expires_in", "posted_at", "created_at"]
    list_filter = ["expires_in", "component_type"]
    search_fields = ["project__name", "body"]
    list_select_related = ["project", "component_type"]
    actions = ["mark_posted"]

    @admin.action(description=_("Mark the selected notices as posted"))
    def mark_posted(self, request, queryset):
        posted = services.mark_notices_posted(notices=queryset, actor=request.user)
        self.message_user(request, _("%(count)d notices marked as posted.") % {"count": posted}, messages.SUCCESS)


@admin.register(ProgressLetter)
class ProgressLetterAdmin(PolicyAdmin):
    policy = policies.CARE_RECORDS
    list_display = ["project", "sent_on"]
    search_fields = ["project__name", "construction_progress"]
    list_select_related = ["project"]
    raw_id_fields = ["task", "recipients"]


@admin.register(MysteryShopperCheck)
class MysteryShopperCheckAdmin(PolicyAdmin):
    policy = policies.CARE_RECORDS
    list_display = ["project", "checked_on", "shopper", "score"]
    list_filter = ["checked_on"]
    search_fields = ["project__name", "shopper", "findings"]
    list_select_related = ["project"]
    raw_id_fields = ["task"]


@admin.register(SiteOpenDay)
class SiteOpenDayAdmin(PolicyHistoryAdmin):
    policy = policies.OPEN_DAYS
    list_display = ["project", "sequence", "planned_on", "status", "evaluated_at", "reported_to_headquarters_at"]
    list_filter = ["status", "sequence"]
    search_fields = ["project__name", "decision_reason"]
    list_select_related = ["project"]


@admin.register(ImprovementPlan)
class ImprovementPlanAdmin(PolicyHistoryAdmin):
    policy = policies.CARE_RECORDS
    list_display = ["project", "budget", "plan"]
    search_fields = ["project__name", "plan", "result"]
    list_select_related = ["project"]
    raw_id_fields = ["task"]


class MeetingFeedbackInline(PolicyInline, admin.TabularInline):
    model = MeetingFeedback
    extra = 0
    raw_id_fields = ["customer"]


@admin.register(Meeting)
class MeetingAdmin(PolicyAdmin):
    policy = policies.MEETINGS
    list_display = ["title", "project", "kind", "held_on", "attendees"]
    list_filter = ["kind", "held_on"]
    search_fields = ["title", "summary", "project__name"]
    list_select_related = ["project"]
    inlines = [MeetingFeedbackInline]


@admin.register(MeetingFeedback)
class MeetingFeedbackAdmin(PolicyAdmin):
    policy = policies.MEETING_FEEDBACK
    list_display = ["content", "meeting", "customer"]
    search_fields = ["content", "response"]
    list_select_related = ["meeting", "customer"]
    raw_id_fields = ["customer", "meeting"]
