from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import ModelSerializer

from core.api.fields import ChoiceLabelField, LabelField
from core.models import User
from estates.models import ComponentType, Unit
from members.models import Customer

from .. import selectors, services
from ..choices import ClockKind, Severity, VisitSubject
from ..models import (
    CaseEntry,
    Complaint,
    ComplaintCategory,
    ComplaintEvent,
    CrisisAction,
    CrisisRecord,
    Defect,
    DeliveryObjection,
    RepairOrder,
    ReturnVisit,
    SlaClock,
)
from ..workflow import COMPLAINT_FLOW, CRISIS_FLOW, REPAIR_FLOW


class ClockSerializer(ModelSerializer):
    kind_label = ChoiceLabelField(source="kind")
    status_label = ChoiceLabelField(source="status")
    seconds_left = serializers.SerializerMethodField()

    class Meta:
        model = SlaClock
        fields = [
            "id",
            "kind",
            "kind_label",
            "cycle",
            "status",
            "status_label",
            "started_at",
            "due_at",
            "stopped_at",
            "breached_at",
            "seconds_left",
        ]

    def get_seconds_left(self, clock) -> int | None:
        left = clock.time_left(timezone.now())
        return int(left.total_seconds()) if left is not None else None


class EventSerializer(ModelSerializer):
    actor = LabelField()

    class Meta:
        model = ComplaintEvent
        fields = ["id", "kind", "at", "actor", "from_state", "to_state", "note", "data"]


class AvailableActionsMixin(serializers.Serializer):
    """The workflow actions the caller can take on the record now, by name (the URL segment); on a
    record's own page only, so lists stay one query."""

    workflow = None
    available_actions = serializers.SerializerMethodField()

    def get_available_actions(self, record) -> list[str]:
        request, view = self.context.get("request"), self.context.get("view")
        if request is None or getattr(view, "action", None) == "list":
            return []
        return [action.name for action in self.workflow.available(record, request.user)]


class ComplaintSerializer(ModelSerializer):
    """A complaint as listed; creating one takes it in (rule C1)."""

    project_name = serializers.CharField(source="project.name", read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True, default="")
    unit_label = LabelField(source="unit")
    department_name = serializers.CharField(source="department.name", read_only=True, default="")
    handler_name = LabelField(source="handler")
    received_by_name = LabelField(source="received_by")
    category = serializers.SlugRelatedField(
        slug_field="code",
        queryset=ComplaintCategory.objects.filter(is_active=True),
        required=False,
        help_text=_("The category's code; `other` when none is given."),
    )
    category_label = LabelField(source="category")
    confirm_duplicates = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text=_("Save even if open complaints of the same customer and unit exist."),
    )
    severity = serializers.ChoiceField(choices=Severity.choices, required=False)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "project",
            "project_name",
            "unit",
            "unit_label",
            "customer",
            "customer_name",
            "channel",
            "category",
            "category_label",
            "title",
            "content",
            "demand",
            "people_count",
            "media_exposure",
            "validity",
            "validity_reason",
            "severity",
            "severity_reason",
            "state",
            "received_by",
            "received_by_name",
            "received_at",
            "department",
            "department_name",
            "handler",
            "handler_name",
            "deadline",
            "responded_at",
            "committed_reply_at",
            "resolved_at",
            "closed_at",
            "archived_at",
            "reopen_count",
            "confirm_duplicates",
        ]
        read_only_fields = [
            "validity",
            "validity_reason",
            "state",
            "received_by",
            "received_at",
            "department",
            "handler",
            "deadline",
            "responded_at",
            "committed_reply_at",
            "resolved_at",
            "closed_at",
            "archived_at",
            "reopen_count",
        ]


class DuplicateComplaintsSerializer(serializers.Serializer):
    results = ComplaintSerializer(many=True)


class ComplaintDetailSerializer(AvailableActionsMixin, ComplaintSerializer):
    workflow = COMPLAINT_FLOW
    clocks = serializers.SerializerMethodField()
    events = EventSerializer(many=True, read_only=True)

    class Meta(ComplaintSerializer.Meta):
        fields = [
            *ComplaintSerializer.Meta.fields,
            "dispatch_note",
            "plan",
            "solution",
            "resolution",
            "summary",
            "clocks",
            "events",
            "available_actions",
        ]

    @extend_schema_field(ClockSerializer(many=True))
    def get_clocks(self, complaint):
        return ClockSerializer(selectors.current_clocks(complaint), many=True).data


class WarrantySerializer(serializers.Serializer):
    months = serializers.IntegerField()
    delivered_on = serializers.DateField(allow_null=True)
    ends_on = serializers.DateField(allow_null=True)
    in_warranty = serializers.BooleanField()


class ReturnVisitClockSerializer(serializers.Serializer):
    """Rule C13: the 24-hour return-visit clock of a completed repair order, and who made the visit."""

    due_at = serializers.DateTimeField()
    status = serializers.CharField()
    stopped_at = serializers.DateTimeField(allow_null=True)
    breached_at = serializers.DateTimeField(allow_null=True)
    visited_by = serializers.CharField()


# What the return-visit clock shows of the clock itself: every field but who made the visit.
RETURN_VISIT_CLOCK_COLUMNS = tuple(name for name in ReturnVisitClockSerializer._declared_fields if name != "visited_by")


def with_return_visit_clocks(orders: list[RepairOrder]) -> list[RepairOrder]:
    """Each of `orders` given its return-visit clock as RepairOrderSerializer shows it (`return_visit_clock`,
    None before completion), read as rows: the clocks, then who made each order's latest visit, each in one
    statement for all the orders (a list's page). A page read every clock and every visit of its orders,
    with the visitor, as models, to show one clock and one name of each."""
    clocks = {}
    rows = (
        SlaClock.objects.filter(repair_order__in=[order.pk for order in orders], kind=ClockKind.RETURN_VISIT)
        .order_by("repair_order_id", *SlaClock._meta.ordering)
        .values_list("repair_order_id", *RETURN_VISIT_CLOCK_COLUMNS)
    )
    for order_id, *values in rows:
        clocks.setdefault(order_id, dict(zip(RETURN_VISIT_CLOCK_COLUMNS, values, strict=True)))
    visitors = {}
    if clocks:
        label_fields = User.LABEL_FIELDS
        rows = (
            ReturnVisit.objects.filter(repair_order__in=list(clocks))
            .order_by("repair_order_id", *ReturnVisit._meta.ordering)
            .values_list("repair_order_id", "visitor_id", *(f"visitor__{name}" for name in label_fields))
        )
        for order_id, visitor_id, *names in rows:
            label = "" if visitor_id is None else str(User(**dict(zip(label_fields, names, strict=True))))
            visitors.setdefault(order_id, label)
    for order in orders:
        clock = clocks.get(order.pk)
        order.return_visit_clock = None if clock is None else {**clock, "visited_by": visitors.get(order.pk, "")}
    return orders


class RepairOrderSerializer(AvailableActionsMixin, ModelSerializer):
    workflow = REPAIR_FLOW
    project_name = serializers.CharField(source="project.name", read_only=True)
    unit_label = LabelField(source="unit")
    assignee_name = LabelField(source="assignee")
    warranty = serializers.SerializerMethodField()
    return_visit_clock = serializers.SerializerMethodField()
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.all(), required=False, allow_null=True)
    component_type = serializers.PrimaryKeyRelatedField(
        queryset=ComponentType.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = RepairOrder
        fields = [
            "id",
            "project",
            "project_name",
            "unit",
            "unit_label",
            "customer",
            "component_type",
            "complaint",
            "description",
            "state",
            "reported_by",
            "reported_at",
            "assignee",
            "assignee_name",
            "in_warranty",
            "warranty",
            "completed_at",
            "work_done",
            "closed_at",
            "return_visit_clock",
            "available_actions",
        ]
        read_only_fields = [
            "project",
            "state",
            "reported_by",
            "reported_at",
            "assignee",
            "in_warranty",
            "completed_at",
            "work_done",
            "closed_at",
        ]

    @extend_schema_field(WarrantySerializer(allow_null=True))
    def get_warranty(self, order):
        """On the detail only (it reads the project's override and the unit's delivery date)."""
        view = self.context.get("view")
        if order.component_type_id is None or getattr(view, "action", None) == "list":
            return None
        return WarrantySerializer(services.warranty_status(order)).data

    @extend_schema_field(ReturnVisitClockSerializer(allow_null=True))
    def get_return_visit_clock(self, order):
        if not hasattr(order, "return_visit_clock"):  # (a list's page reads its orders' all at once)
            with_return_visit_clocks([order])
        shown = order.return_visit_clock
        return None if shown is None else self._clock.to_representation(shown)

    @cached_property
    def _clock(self):
        """One clock serializer for the page's rows (each new serializer copies its fields)."""
        return ReturnVisitClockSerializer()


class ReturnVisitSerializer(ModelSerializer):
    visitor_name = LabelField(source="visitor")

    class Meta:
        model = ReturnVisit
        fields = [
            "id",
            "complaint",
            "repair_order",
            "project",
            "visitor",
            "visitor_name",
            "method",
            "visited_at",
            "service_quality",
            "attitude",
            "fee_checked",
            "fee_note",
            "satisfaction",
            "shortcomings",
            "suggestions",
        ]
        read_only_fields = ["project", "visitor", "visited_at"]

    def validate(self, attrs):
        if bool(attrs.get("complaint")) == bool(attrs.get("repair_order")):
            raise serializers.ValidationError({"complaint": [_("Name either a complaint or a repair order.")]})
        return attrs


class DueReturnVisitSerializer(ModelSerializer):
    """A return visit waiting to be made (rules C9, C13): the clock, and what it is for."""

    subject = serializers.SerializerMethodField()
    subject_id = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField()
    project_name = serializers.SerializerMethodField()

    class Meta:
        model = SlaClock
        fields = [
            "id",
            "subject",
            "subject_id",
            "title",
            "project_name",
            "started_at",
            "due_at",
            "status",
            "breached_at",
        ]

    def get_subject(self, clock) -> str:
        return VisitSubject.COMPLAINT if clock.complaint_id else VisitSubject.REPAIR_ORDER

    def get_subject_id(self, clock) -> int:
        return clock.complaint_id or clock.repair_order_id

    def get_title(self, clock) -> str:
        return str(clock.complaint.title if clock.complaint_id else clock.repair_order)

    def get_project_name(self, clock) -> str:
        return (clock.complaint or clock.repair_order).project.name


class DefectSerializer(ModelSerializer):
    project_name = serializers.CharField(source="project.name", read_only=True)
    category = serializers.ChoiceField(
        choices=Defect._meta.get_field("category").choices,
        required=False,
        help_text=_("Raised from a complaint without one: the category it maps to."),
    )

    class Meta:
        model = Defect
        fields = [
            "id",
            "project",
            "project_name",
            "category",
            "source",
            "complaint",
            "repair_order",
            "unit",
            "component_type",
            "title",
            "description",
            "responsible_department",
            "raised_by",
            "raised_at",
        ]
        read_only_fields = ["raised_by", "raised_at"]


class ObjectionSerializer(ModelSerializer):
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


class CrisisTimelineEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    title = serializers.CharField()
    actor = serializers.CharField()
    detail = serializers.CharField()


class CrisisSerializer(AvailableActionsMixin, ModelSerializer):
    """A crisis record (rule C8): open until closed with a conclusion."""

    workflow = CRISIS_FLOW
    complaint_title = serializers.CharField(source="complaint.title", read_only=True)
    project = serializers.IntegerField(source="complaint.project_id", read_only=True)
    project_name = serializers.CharField(source="complaint.project.name", read_only=True)
    status_label = ChoiceLabelField(source="status")
    action_count = serializers.IntegerField(read_only=True, help_text=_("Actions and decisions written on it."))

    class Meta:
        model = CrisisRecord
        fields = [
            "id",
            "complaint",
            "complaint_title",
            "project",
            "project_name",
            "status",
            "status_label",
            "opened_at",
            "closed_at",
            "conclusion",
            "action_count",
            "available_actions",
        ]
        read_only_fields = fields


class CrisisDetailSerializer(CrisisSerializer):
    timeline = serializers.SerializerMethodField()

    class Meta(CrisisSerializer.Meta):
        fields = [*CrisisSerializer.Meta.fields, "timeline"]
        read_only_fields = fields

    @extend_schema_field(CrisisTimelineEntrySerializer(many=True))
    def get_timeline(self, crisis):
        return CrisisTimelineEntrySerializer(selectors.crisis_timeline(crisis), many=True).data


class CrisisActionSerializer(ModelSerializer):
    actor = LabelField()

    class Meta:
        model = CrisisAction
        fields = ["id", "at", "actor", "description"]


class CaseSerializer(ModelSerializer):
    """A case of the library (rule C11), told without the customer's identity. Written from a closed complaint
    (its category is the complaint's) or, without one, under a category."""

    category = serializers.SlugRelatedField(
        slug_field="code",
        queryset=ComplaintCategory.objects.all(),
        required=False,
        help_text=_("The category's code; the complaint's when one is given, else `other`."),
    )
    category_label = LabelField(source="category")
    added_by_name = LabelField(source="added_by")
    complaint = serializers.PrimaryKeyRelatedField(queryset=Complaint.objects.all(), required=False, allow_null=True)

    class Meta:
        model = CaseEntry
        fields = [
            "id",
            "title",
            "category",
            "category_label",
            "situation",
            "handling",
            "lesson",
            "complaint",
            "added_by",
            "added_by_name",
            "added_at",
        ]
        read_only_fields = ["added_by", "added_at"]
