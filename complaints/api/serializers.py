from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.models import Department, User
from estates.models import ComponentType, Unit
from members.models import Customer

from .. import selectors, services
from ..choices import Satisfaction, Severity, Validity, VisitMethod
from ..models import Complaint, ComplaintEvent, Defect, DeliveryObjection, RepairOrder, ReturnVisit, SlaClock


class ClockSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    seconds_left = serializers.SerializerMethodField()

    class Meta:
        model = SlaClock
        fields = ["id", "kind", "kind_label", "cycle", "status", "started_at", "due_at", "stopped_at",
                  "breached_at", "seconds_left"]

    def get_seconds_left(self, clock) -> int | None:
        left = clock.time_left(timezone.now())
        return int(left.total_seconds()) if left is not None else None


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.__str__", default="", read_only=True)

    class Meta:
        model = ComplaintEvent
        fields = ["id", "kind", "at", "actor", "from_state", "to_state", "note", "data"]


class ComplaintSerializer(serializers.ModelSerializer):
    """A complaint as listed; creating one takes it in (rule C1)."""

    project_name = serializers.CharField(source="project.name", read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True, default="")
    unit_label = serializers.CharField(source="unit.__str__", read_only=True, default="")
    department_name = serializers.CharField(source="department.name", read_only=True, default="")
    confirm_duplicates = serializers.BooleanField(write_only=True, required=False, default=False,
                                                  help_text=_("Save even if open complaints of the same customer "
                                                              "and unit exist."))
    severity = serializers.ChoiceField(choices=Severity.choices, required=False)

    class Meta:
        model = Complaint
        fields = ["id", "project", "project_name", "unit", "unit_label", "customer", "customer_name", "channel",
                  "category", "title", "content", "demand", "people_count", "media_exposure", "validity",
                  "validity_reason", "severity", "severity_reason", "state", "received_by", "received_at",
                  "department", "department_name", "handler", "deadline", "responded_at", "committed_reply_at",
                  "resolved_at", "closed_at", "archived_at", "reopen_count", "confirm_duplicates"]
        read_only_fields = ["validity", "validity_reason", "state", "received_by", "received_at", "department",
                            "handler", "deadline", "responded_at", "committed_reply_at", "resolved_at",
                            "closed_at", "archived_at", "reopen_count"]


class ComplaintDetailSerializer(ComplaintSerializer):
    clocks = serializers.SerializerMethodField()
    events = EventSerializer(many=True, read_only=True)

    class Meta(ComplaintSerializer.Meta):
        fields = [*ComplaintSerializer.Meta.fields, "dispatch_note", "plan", "solution", "resolution", "summary",
                  "clocks", "events"]

    @extend_schema_field(ClockSerializer(many=True))
    def get_clocks(self, complaint):
        return ClockSerializer(selectors.current_clocks(complaint), many=True).data


# ------------------------------------------------------------------ workflow action inputs

class EmptyInput(serializers.Serializer):
    pass


class NoteInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AnalyseInput(serializers.Serializer):
    validity = serializers.ChoiceField(choices=[Validity.VALID, Validity.INVALID])
    validity_reason = serializers.CharField(required=False, allow_blank=True, default="")
    severity = serializers.ChoiceField(choices=Severity.choices, required=False)
    severity_reason = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ClassifyInput(serializers.Serializer):
    validity = serializers.ChoiceField(choices=Validity.choices, required=False)
    validity_reason = serializers.CharField(required=False, allow_blank=True, default="")
    severity = serializers.ChoiceField(choices=Severity.choices, required=False)
    severity_reason = serializers.CharField(required=False, allow_blank=True, default="")


class DispatchInput(serializers.Serializer):
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all())
    deadline = serializers.DateTimeField()
    instruction = serializers.CharField()
    handler = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), required=False,
                                                 allow_null=True)


class PlanInput(serializers.Serializer):
    plan = serializers.CharField()


class ResolveInput(serializers.Serializer):
    resolution = serializers.CharField()


class SummaryInput(serializers.Serializer):
    summary = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField()


class RespondInput(serializers.Serializer):
    note = serializers.CharField()
    committed_reply_at = serializers.DateTimeField(required=False, allow_null=True)


class ReportInput(serializers.Serializer):
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), required=False)


class SolutionInput(serializers.Serializer):
    solution = serializers.CharField()


class VisitInput(serializers.Serializer):
    method = serializers.ChoiceField(choices=VisitMethod.choices)
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices)
    service_quality = serializers.IntegerField(min_value=1, max_value=5, default=5)
    attitude = serializers.IntegerField(min_value=1, max_value=5, default=5)
    fee_checked = serializers.BooleanField(default=False)
    fee_note = serializers.CharField(required=False, allow_blank=True, default="")
    shortcomings = serializers.CharField(required=False, allow_blank=True, default="")
    suggestions = serializers.CharField(required=False, allow_blank=True, default="")


# ------------------------------------------------------------------ other resources

class RepairOrderSerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name", read_only=True)
    unit_label = serializers.CharField(source="unit.__str__", read_only=True)
    warranty = serializers.SerializerMethodField()
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.all(), required=False, allow_null=True)
    component_type = serializers.PrimaryKeyRelatedField(queryset=ComponentType.objects.all(), required=False,
                                                        allow_null=True)

    class Meta:
        model = RepairOrder
        fields = ["id", "project", "project_name", "unit", "unit_label", "customer", "component_type",
                  "complaint", "description", "state", "reported_by", "reported_at", "assignee", "in_warranty",
                  "warranty", "completed_at", "work_done", "closed_at"]
        read_only_fields = ["project", "state", "reported_by", "reported_at", "assignee", "in_warranty",
                            "completed_at", "work_done", "closed_at"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_warranty(self, order):
        """On the detail only (it reads the project's override and the unit's delivery date)."""
        view = self.context.get("view")
        if order.component_type_id is None or getattr(view, "action", None) == "list":
            return None
        return services.warranty_status(order)


class AssignInput(serializers.Serializer):
    assignee = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))


class WorkDoneInput(serializers.Serializer):
    work_done = serializers.CharField()


class ReturnVisitSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReturnVisit
        fields = ["id", "complaint", "repair_order", "project", "visitor", "method", "visited_at",
                  "service_quality", "attitude", "fee_checked", "fee_note", "satisfaction", "shortcomings",
                  "suggestions"]
        read_only_fields = ["project", "visitor", "visited_at"]

    def validate(self, attrs):
        if bool(attrs.get("complaint")) == bool(attrs.get("repair_order")):
            raise serializers.ValidationError({"complaint": [_("Name either a complaint or a repair order.")]})
        return attrs


class DefectSerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name", read_only=True)

    class Meta:
        model = Defect
        fields = ["id", "project", "project_name", "category", "source", "complaint", "repair_order", "unit",
                  "component_type", "title", "description", "responsible_department", "raised_by", "raised_at"]
        read_only_fields = ["raised_by", "raised_at"]


class ObjectionSerializer(serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    defects = serializers.PrimaryKeyRelatedField(queryset=Defect.objects.all(), many=True, required=False)

    class Meta:
        model = DeliveryObjection
        fields = ["id", "project", "unit", "customer", "reason", "raised_on", "status", "defects", "recorded_by"]
        read_only_fields = ["project", "raised_on", "status", "recorded_by"]


class SettleInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=[("resolved", _("Resolved")), ("rejected", _("Rejected"))])


class ReminderInput(serializers.Serializer):
    take_over_by = serializers.DateField()
    text = serializers.CharField()
