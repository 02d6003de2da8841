"""The owner API's shapes: the owner's own records in public words (no internal state, note or staff name)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import ModelSerializer

from complaints.models import Complaint, RepairOrder
from core.api.fields import LabelField

from .. import selectors
from ..choices import PublicStatus


class OwnerCodeRequestSerializer(serializers.Serializer):
    mobile = serializers.CharField(max_length=20)


class OwnerSignInSerializer(serializers.Serializer):
    mobile = serializers.CharField(max_length=20)
    # Not `code`: every error answer's `code` is the machine-readable reason.
    sms_code = serializers.RegexField(r"^\d{6}$", max_length=6, help_text="The 6 digits of the text message.")


class OwnerTokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expiry = serializers.DateTimeField()


class OwnerComponentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="component.pk")
    name = serializers.CharField(source="component.name")
    warranty_months = serializers.IntegerField(source="months")
    warranty_ends_on = serializers.DateField(source="ends_on", allow_null=True)
    in_warranty = serializers.BooleanField()


class OwnerUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="unit.pk")
    project = serializers.CharField(source="project.name")
    unit = serializers.CharField()
    purchase_status = serializers.CharField(source="purchase.status")
    delivered_on = serializers.DateField(source="purchase.delivered_on", allow_null=True)
    components = OwnerComponentSerializer(many=True)


class OwnerTimelineStepSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    status = serializers.ChoiceField(choices=PublicStatus.choices, allow_null=True)
    label = serializers.CharField()


class OwnerRecordMixin(serializers.Serializer):
    status = serializers.SerializerMethodField()
    status_label = serializers.SerializerMethodField()
    can_rate = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ChoiceField(choices=PublicStatus.choices))
    def get_status(self, record) -> str:
        return selectors.public_status(record).value

    def get_status_label(self, record) -> str:
        return str(selectors.public_status(record).label)

    def get_can_rate(self, record) -> bool:
        return selectors.can_rate(record)


class OwnerPhotoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    content_type = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, photo) -> str:
        return reverse("owner-api-repair-photo", args=[photo.repair_order_id, photo.pk])


class OwnerRepairSerializer(OwnerRecordMixin, ModelSerializer):
    unit = LabelField()
    component = LabelField(source="component_type")
    photos = OwnerPhotoSerializer(many=True, read_only=True)
    reply_due = serializers.SerializerMethodField()

    class Meta:
        model = RepairOrder
        fields = [
            "id",
            "unit",
            "component",
            "description",
            "in_warranty",
            "reported_at",
            "completed_at",
            "status",
            "status_label",
            "can_rate",
            "reply_due",
            "photos",
        ]

    def get_reply_due(self, order) -> str | None:
        due = selectors.committed_times(order.complaint)
        value = due["committed_reply_at"] or due["reply_due"]
        return serializers.DateTimeField().to_representation(value) if value else None


class OwnerRepairDetailSerializer(OwnerRepairSerializer):
    timeline = serializers.SerializerMethodField()

    class Meta(OwnerRepairSerializer.Meta):
        fields = [*OwnerRepairSerializer.Meta.fields, "timeline"]

    @extend_schema_field(OwnerTimelineStepSerializer(many=True))
    def get_timeline(self, order):
        return OwnerTimelineStepSerializer(selectors.repair_timeline(order), many=True).data


class OwnerRepairCreateSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    component_type = serializers.IntegerField(required=False, allow_null=True)
    description = serializers.CharField(max_length=2000)
    preferred_times = serializers.ListField(child=serializers.CharField(max_length=50), required=False, max_length=5)
    photos = serializers.ListField(child=serializers.FileField(), required=False, max_length=6)
    confirm_duplicates = serializers.BooleanField(required=False, default=False)


class OwnerComplaintSerializer(OwnerRecordMixin, ModelSerializer):
    unit = LabelField()
    project = LabelField()
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    reply_due = serializers.SerializerMethodField()
    committed_reply_at = serializers.DateTimeField(read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "project",
            "unit",
            "category",
            "title",
            "content",
            "demand",
            "received_at",
            "status",
            "status_label",
            "can_rate",
            "reply_due",
            "committed_reply_at",
        ]

    def get_reply_due(self, complaint) -> str | None:
        due = selectors.committed_times(complaint)["reply_due"]
        return serializers.DateTimeField().to_representation(due) if due else None


class OwnerComplaintDetailSerializer(OwnerComplaintSerializer):
    timeline = serializers.SerializerMethodField()

    class Meta(OwnerComplaintSerializer.Meta):
        fields = [*OwnerComplaintSerializer.Meta.fields, "timeline"]

    @extend_schema_field(OwnerTimelineStepSerializer(many=True))
    def get_timeline(self, complaint):
        return OwnerTimelineStepSerializer(selectors.complaint_timeline(complaint), many=True).data


class OwnerComplaintCreateSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    kind = serializers.ChoiceField(
        choices=[("complaint", "complaint"), ("suggestion", "suggestion")], default="complaint"
    )
    category = serializers.CharField(required=False, allow_blank=True, max_length=30)
    title = serializers.CharField(max_length=150)
    content = serializers.CharField(max_length=4000)
    demand = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    confirm_duplicates = serializers.BooleanField(required=False, default=False)


class OwnerRatingSerializer(serializers.Serializer):
    score = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class OwnerRatingAnswerSerializer(serializers.Serializer):
    score = serializers.IntegerField()
    comment = serializers.CharField()
    rated_at = serializers.DateTimeField()
    status = serializers.ChoiceField(choices=PublicStatus.choices)


class OwnerConsentSerializer(serializers.Serializer):
    consents = serializers.BooleanField()


class OwnerErasureSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class OwnerSurveyQuestionSerializer(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()
    kind = serializers.CharField(help_text="score (1–5), yes_no, choice (one of `options`) or text")
    options = serializers.ListField(source="option_list", child=serializers.CharField())
    required = serializers.BooleanField()


class OwnerSurveySerializer(serializers.Serializer):
    """A survey waiting for the owner's answers (S1): open until it expires or is answered."""

    id = serializers.IntegerField()
    campaign = serializers.CharField(source="campaign.name")
    project_name = serializers.CharField(source="campaign.project.name")
    title = serializers.CharField(source="campaign.questionnaire.title")
    introduction = serializers.CharField(source="campaign.questionnaire.introduction")
    expires_at = serializers.DateTimeField()
    questions = OwnerSurveyQuestionSerializer(source="campaign.questionnaire.items.all", many=True)


class OwnerSurveyAnswersSerializer(serializers.Serializer):
    """Question code → a score 1–5, true/false, one of the options, or text; a question left out is skipped."""

    answers = serializers.DictField(child=serializers.JSONField())


class OwnerSurveyAnsweredSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The survey response")
    answered_at = serializers.DateTimeField()
