from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from core.api.calls import CALLABLE_FIELDS
from rest_framework import serializers

from core.api.serializers import ModelSerializer
from rest_framework.validators import UniqueValidator

from core.api.fields import ChoiceLabelField, LabelField
from members.models import Customer
from members.policies import CUSTOMERS
from touchpoints import message_templates, policies
from touchpoints.choices import CheckItem, CheckResult, TaskStatus
from touchpoints.models import (
    Action,
    CareIssue,
    CareTask,
    Execution,
    Meeting,
    MeetingFeedback,
    MessageTemplate,
    OutboundMessage,
    ProjectAction,
    SiteOpenDay,
    Step,
    VisitRound,
)


class OutboundMessageSerializer(ModelSerializer):
    """A message; a new one may only go to a customer the writer can see."""

    customer_name = serializers.CharField(source="customer.name", read_only=True)
    status_display = ChoiceLabelField(source="status")
    purpose_display = serializers.CharField(source="purpose_label", read_only=True)

    class Meta:
        model = OutboundMessage
        fields = [
            "id",
            "customer",
            "customer_name",
            "project",
            "channel",
            "purpose",
            "purpose_display",
            "body",
            "status",
            "status_display",
            "send_after",
            "attempts",
            "last_error",
            "sent_at",
            "delivered_at",
            "created_at",
        ]
        read_only_fields = [
            "project",
            "purpose",
            "status",
            "attempts",
            "last_error",
            "sent_at",
            "delivered_at",
            "created_at",
        ]
        extra_kwargs = {"send_after": {"required": False}, "body": {"required": True}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "customer" in self.fields:
            self.fields["customer"].queryset = CUSTOMERS.scope(Customer.objects.all(), request.user)


class DeliveryReportSerializer(serializers.Serializer):
    message_id = serializers.CharField(max_length=100)
    delivered = serializers.BooleanField()
    token = serializers.CharField(max_length=200)

    def validate_token(self, value):
        if not settings.SMS_DELIVERY_REPORT_TOKEN or value != settings.SMS_DELIVERY_REPORT_TOKEN:
            raise serializers.ValidationError(_("Unknown delivery report token."))
        return value


class TemplateVariableSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    sample = serializers.CharField()


class MessageTemplateSerializer(ModelSerializer):
    """A message template; its text may use only the variables its occasion fills in."""

    # Not "code": an error answer's "code" names the error (core.api), so a field of that name would clash.
    template_code = serializers.SlugField(
        source="code",
        max_length=60,
        validators=[UniqueValidator(queryset=MessageTemplate.objects.all())],
        help_text=_("The occasion that sends it names the template by this code."),
    )
    variables = serializers.SerializerMethodField()
    preview = serializers.SerializerMethodField()

    class Meta:
        model = MessageTemplate
        fields = ["id", "template_code", "name", "channel", "body", "is_active", "variables", "preview", "updated_at"]
        read_only_fields = ["updated_at"]

    @extend_schema_field(TemplateVariableSerializer(many=True))
    def get_variables(self, template) -> list[dict]:
        return TemplateVariableSerializer(message_templates.variables_of(template.code), many=True).data

    def get_preview(self, template) -> str:
        """The text filled with sample data, as the customer would read it."""
        return message_templates.preview(template.code, template.body)

    def validate(self, attrs):
        code = attrs.get("code", getattr(self.instance, "code", ""))
        body = attrs.get("body", getattr(self.instance, "body", ""))
        problems = message_templates.problems(code, body)
        if problems:
            raise serializers.ValidationError({"body": problems})
        return attrs


class TemplatePreviewSerializer(serializers.Serializer):
    """A text tried against a template's variables before it is saved."""

    template_code = serializers.SlugField(max_length=60)
    body = serializers.CharField()
    preview = serializers.CharField(read_only=True)

    def validate(self, attrs):
        problems = message_templates.problems(attrs["template_code"], attrs["body"])
        if problems:
            raise serializers.ValidationError({"body": problems})
        return {**attrs, "preview": message_templates.preview(attrs["template_code"], attrs["body"])}


class ActionSerializer(ModelSerializer):
    kind_display = ChoiceLabelField(source="kind")

    class Meta:
        model = Action
        fields = [
            "id",
            "step",
            "code",
            "position",
            "name",
            "kind",
            "kind_display",
            "purpose",
            "requirements",
            "lead_department",
            "cooperating_departments",
            "references",
            "notes",
            "duty",
        ]


class StepSerializer(ModelSerializer):
    actions = ActionSerializer(many=True, read_only=True)

    class Meta:
        model = Step
        fields = ["id", "code", "position", "label", "name", "touchpoint", "core_content", "actions"]


class ProjectActionSerializer(ModelSerializer):
    action_name = serializers.CharField(source="action.name", read_only=True)
    kind = serializers.CharField(source="action.kind", read_only=True)
    step = serializers.IntegerField(source="action.step_id", read_only=True)

    class Meta:
        model = ProjectAction
        fields = ["id", "project", "action", "action_name", "kind", "step", "is_active", "due_on", "notes"]
        read_only_fields = ["project", "action"]


class ExecutionSerializer(ModelSerializer):
    files = serializers.ListField(child=serializers.FileField(), write_only=True, required=False)
    file_urls = serializers.SerializerMethodField()
    executed_by_name = LabelField(source="executed_by")

    class Meta:
        model = Execution
        fields = [
            "id",
            "planned_action",
            "executed_on",
            "executed_by",
            "executed_by_name",
            "notes",
            "evidence",
            "files",
            "file_urls",
            "created_at",
        ]
        read_only_fields = ["executed_by", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "planned_action" in self.fields:
            self.fields["planned_action"].queryset = policies.PLANS.scope(ProjectAction.objects.all(), request.user)

    def get_file_urls(self, execution) -> list[str]:
        return [item.file.url for item in execution.files.all()]


class CareIssueSerializer(ModelSerializer):
    class Meta:
        model = CareIssue
        fields = [
            "id",
            "task",
            "check_item",
            "description",
            "status",
            "resolution",
            "closed_by",
            "closed_at",
            "created_at",
        ]
        read_only_fields = fields


class CareTaskSerializer(ModelSerializer):
    duty_display = ChoiceLabelField(source="duty")
    status_display = ChoiceLabelField(source="status")
    customer_name = serializers.CharField(source="customer.name", read_only=True, default="")
    project_name = serializers.CharField(source="project.name", read_only=True, default="")
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = CareTask
        fields = [
            "id",
            "duty",
            "duty_display",
            "subject_kind",
            "subject_id",
            "period",
            "company",
            "project",
            "project_name",
            "customer",
            "customer_name",
            "purchase",
            "unit",
            "component_type",
            "visit_round",
            "open_day",
            "due_start",
            "due_end",
            "owner_role",
            "owner",
            "status",
            "status_display",
            "deferred_until",
            "outcome",
            "checklist",
            "completed_by",
            "completed_at",
            "alerted_at",
            "is_overdue",
            *CALLABLE_FIELDS,
        ]
        read_only_fields = fields

    def get_is_overdue(self, task) -> bool:
        return task.status == TaskStatus.DUE and task.due_end < timezone.localdate()


class IssueInputSerializer(serializers.Serializer):
    check_item = serializers.ChoiceField(choices=CheckItem.choices, required=False, allow_blank=True)
    description = serializers.CharField()


class CompleteTaskSerializer(serializers.Serializer):
    """What a person records on completing a task; each duty needs its own part (checked by the service)."""

    outcome = serializers.CharField(required=False, allow_blank=True, default="")
    checklist = serializers.DictField(child=serializers.ChoiceField(choices=CheckResult.choices), required=False)
    issues = IssueInputSerializer(many=True, required=False)
    construction_progress = serializers.CharField(required=False, allow_blank=True)
    community_events = serializers.CharField(required=False, allow_blank=True)
    amenities = serializers.CharField(required=False, allow_blank=True)
    shopper = serializers.CharField(required=False, allow_blank=True)
    score = serializers.IntegerField(required=False, min_value=0, max_value=100)
    findings = serializers.CharField(required=False, allow_blank=True)
    plan = serializers.CharField(required=False, allow_blank=True)
    budget = serializers.DecimalField(required=False, max_digits=12, decimal_places=2)
    result = serializers.CharField(required=False, allow_blank=True)


class DeferTaskSerializer(serializers.Serializer):
    until = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class ResolutionSerializer(serializers.Serializer):
    resolution = serializers.CharField(allow_blank=True)


class SiteOpenDaySerializer(ModelSerializer):
    status_display = ChoiceLabelField(source="status")

    class Meta:
        model = SiteOpenDay
        fields = [
            "id",
            "project",
            "sequence",
            "planned_on",
            "status",
            "status_display",
            "on_schedule",
            "site_tidy",
            "no_structural_defects",
            "simulated_inspection_done",
            "no_major_defects",
            "average_detail_defects",
            "evaluation_notes",
            "evaluated_by",
            "evaluated_at",
            "decision_reason",
            "reported_to_headquarters_at",
            "held_on",
            "visitors",
        ]
        read_only_fields = [name for name in fields if name not in ("project", "sequence", "planned_on")]


class EvaluateOpenDaySerializer(serializers.Serializer):
    on_schedule = serializers.BooleanField(required=False)
    site_tidy = serializers.BooleanField(required=False)
    no_structural_defects = serializers.BooleanField(required=False)
    simulated_inspection_done = serializers.BooleanField(required=False)
    no_major_defects = serializers.BooleanField(required=False)
    average_detail_defects = serializers.DecimalField(required=False, max_digits=5, decimal_places=1, min_value=0)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class PostponeOpenDaySerializer(serializers.Serializer):
    new_date = serializers.DateField()
    reason = serializers.CharField(allow_blank=True)


class MeetingFeedbackSerializer(ModelSerializer):
    class Meta:
        model = MeetingFeedback
        fields = ["id", "customer", "content", "response"]


class MeetingSerializer(ModelSerializer):
    feedback = MeetingFeedbackSerializer(many=True, required=False)

    class Meta:
        model = Meeting
        fields = ["id", "project", "kind", "held_on", "title", "attendees", "summary", "recorded_by", "feedback"]
        read_only_fields = ["recorded_by"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["feedback"].child.fields["customer"].queryset = CUSTOMERS.scope(
                Customer.objects.all(), request.user
            )


class VisitRoundSerializer(ModelSerializer):
    sampled = serializers.IntegerField(read_only=True)
    visited = serializers.IntegerField(read_only=True)
    open_visits = serializers.IntegerField(read_only=True)
    open_issues = serializers.IntegerField(read_only=True)

    class Meta:
        model = VisitRound
        fields = [
            "id",
            "project",
            "year",
            "delivered_units",
            "target",
            "sampled",
            "visited",
            "open_visits",
            "open_issues",
            "summary",
            "closed_by",
            "closed_at",
        ]
        read_only_fields = fields


class SummarySerializer(serializers.Serializer):
    summary = serializers.CharField(allow_blank=True)
