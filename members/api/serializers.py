from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers

from core.api.serializers import ModelSerializer

from core.access import mask_id_number, mask_phone, may_see_contact, may_see_id_number
from core.api.fields import DateTimeField, LabelField
from core.models import User
from members import grading, selectors
from members.choices import Gender, LeadCriterion, LeadGrade
from members.models import Customer, FollowUp, GradeChange, Lead, LeadApproval, Membership, Purchase, Visit
from members.validators import MOBILE_ERRORS, validate_id_number, validate_mobile


class CustomerSerializer(ModelSerializer):
    """A customer; the mobile and ID numbers are masked for roles that do not need them."""

    mobile = PhoneNumberField(
        region="CN",
        validators=[validate_mobile],
        error_messages=MOBILE_ERRORS,
    )
    id_number = serializers.CharField(required=False, allow_blank=True, max_length=18, validators=[validate_id_number])
    project_name = serializers.CharField(source="project.name", read_only=True)
    consultant_name = LabelField(source="consultant")

    class Meta:
        model = Customer
        fields = [
            "id",
            "company",
            "project",
            "project_name",
            "name",
            "mobile",
            "id_number",
            "birthday",
            "gender",
            "source_channel",
            "consents_to_messages",
            "consent_changed_at",
            "consultant",
            "consultant_name",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["company", "consent_changed_at", "created_at", "updated_at"]
        validators = []  # the one-phone-per-company rule lives in members.services

    def to_representation(self, instance):
        data = super().to_representation(instance)
        user = self.context["request"].user
        if not may_see_contact(user):
            data["mobile"] = mask_phone(data["mobile"])
        if not may_see_id_number(user):
            data["id_number"] = mask_id_number(data["id_number"])
        return data


class VisibleCustomerField(serializers.PrimaryKeyRelatedField):
    """A customer by id; the viewset checks, after the project, that the caller may see them (L10)."""

    def get_queryset(self):
        return Customer.objects.all()


class VisitSerializer(ModelSerializer):
    """A visit; the mobile phone finds the customer or registers a new one."""

    mobile = PhoneNumberField(
        region="CN",
        validators=[validate_mobile],
        write_only=True,
        error_messages=MOBILE_ERRORS,
    )
    name = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=50)
    gender = serializers.ChoiceField(choices=Gender.choices, write_only=True, required=False)
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    consultant_name = LabelField(source="consultant")
    visited_at = DateTimeField(required=False)

    class Meta:
        model = Visit
        fields = [
            "id",
            "project",
            "customer",
            "customer_name",
            "mobile",
            "name",
            "gender",
            "kind",
            "channel",
            "visited_at",
            "consultant",
            "consultant_name",
            "invited_to_club",
            "invitation_outcome",
            "notes",
            "created_at",
        ]
        read_only_fields = ["customer", "kind", "created_at"]
        extra_kwargs = {"consultant": {"required": False}}


class CriteriaField(serializers.ListField):
    """The L1 checklist: the criteria the consultant confirmed, each grade's own from members.grading."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            format_lazy(
                "{} {}",
                _("Criteria each grade needs (`a + b`: all of them; `x | y`: one of them):"),
                grading.describe(),
            ),
        )
        super().__init__(child=serializers.ChoiceField(choices=LeadCriterion.choices), **kwargs)


class LeadSerializer(ModelSerializer):
    customer = VisibleCustomerField()
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    project_name = serializers.CharField(source="project.name", read_only=True)
    consultant_name = LabelField(source="consultant")
    criteria = CriteriaField()
    reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        help_text=_("Why the lead gets this grade; required for an invalid lead."),
    )
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Lead
        fields = [
            "id",
            "customer",
            "customer_name",
            "project",
            "project_name",
            "consultant",
            "consultant_name",
            "grade",
            "criteria",
            "reason",
            "status",
            "graded_at",
            "next_follow_up_on",
            "overdue",
            "last_follow_up_at",
            "archived_at",
            "created_at",
        ]
        read_only_fields = [
            "consultant",
            "status",
            "graded_at",
            "next_follow_up_on",
            "last_follow_up_at",
            "archived_at",
            "created_at",
        ]
        validators = []  # one lead per customer and project: members.services answers with the field error

    def get_overdue(self, lead) -> bool:
        """Overdue as members.selectors defines it (L3): the day the follow-up fell due has passed."""
        return selectors.is_overdue(lead)


class RegradeSerializer(serializers.Serializer):
    grade = serializers.ChoiceField(choices=LeadGrade.choices)
    criteria = CriteriaField()
    reason = serializers.CharField()


class ReassignSerializer(serializers.Serializer):
    consultant = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    reason = serializers.CharField(required=False, allow_blank=True)


class ApprovalRequestSerializer(serializers.Serializer):
    reason = serializers.CharField()


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True)
    reassign_to = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )


class LeadApprovalSerializer(ModelSerializer):
    customer_name = serializers.CharField(source="lead.customer.name", read_only=True)
    requested_by_name = LabelField(source="requested_by")
    decided_by_name = LabelField(source="decided_by")

    class Meta:
        model = LeadApproval
        fields = [
            "id",
            "lead",
            "customer_name",
            "kind",
            "status",
            "reason",
            "criteria",
            "requested_by",
            "requested_by_name",
            "requested_at",
            "decided_by",
            "decided_by_name",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


class GradeChangeApprovalSerializer(ModelSerializer):
    requested_by_name = LabelField(source="requested_by")
    decided_by_name = LabelField(source="decided_by")

    class Meta:
        model = LeadApproval
        fields = [
            "id",
            "kind",
            "status",
            "requested_by",
            "requested_by_name",
            "requested_at",
            "decided_by",
            "decided_by_name",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


class GradeChangeSerializer(ModelSerializer):
    """L9: one change of a lead's grade: from, to, who, when, why, and the approval it carried out."""

    actor_name = LabelField(source="actor")
    approval = GradeChangeApprovalSerializer(read_only=True, allow_null=True)

    class Meta:
        model = GradeChange
        fields = [
            "id",
            "lead",
            "from_grade",
            "to_grade",
            "kind",
            "actor",
            "actor_name",
            "at",
            "reason",
            "cycle",
            "approval",
        ]
        read_only_fields = fields


class FollowUpSerializer(ModelSerializer):
    consultant_name = LabelField(source="consultant")
    happened_at = DateTimeField(required=False)

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "lead",
            "consultant",
            "consultant_name",
            "method",
            "content",
            "reaction",
            "happened_at",
            "grade",
            "next_on",
            "created_at",
        ]
        read_only_fields = ["lead", "consultant", "grade", "created_at"]


class MembershipSerializer(ModelSerializer):
    customer = VisibleCustomerField()
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    source_project_name = serializers.CharField(source="source_project.name", read_only=True)
    consents_to_messages = serializers.BooleanField(required=False, write_only=True)
    joined_on = serializers.DateField(required=False)

    class Meta:
        model = Membership
        fields = [
            "id",
            "customer",
            "customer_name",
            "member_number",
            "joined_on",
            "source_project",
            "source_project_name",
            "level",
            "consents_to_messages",
            "created_at",
        ]
        read_only_fields = ["member_number", "created_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["consents_to_messages"] = instance.customer.consents_to_messages
        return data


class PurchaseSerializer(ModelSerializer):
    customer = VisibleCustomerField()
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    unit_label = serializers.SerializerMethodField()
    consultant_name = LabelField(source="consultant")
    subscribed_on = serializers.DateField(required=False)

    class Meta:
        model = Purchase
        fields = [
            "id",
            "customer",
            "customer_name",
            "project",
            "unit",
            "unit_label",
            "consultant",
            "consultant_name",
            "status",
            "price",
            "discount_points",
            "deposit",
            "agreement_number",
            "on_opening_day",
            "subscribed_on",
            "signed_on",
            "loan_disbursed_on",
            "delivered_on",
            "moved_in_on",
            "cancelled_on",
            "cancellation_reason",
            "created_at",
        ]
        read_only_fields = [
            "project",
            "consultant",
            "status",
            "signed_on",
            "loan_disbursed_on",
            "delivered_on",
            "moved_in_on",
            "cancelled_on",
            "cancellation_reason",
            "created_at",
        ]
        validators = []

    def get_unit_label(self, purchase) -> str:
        return f"{purchase.unit.building.name} {purchase.unit.number}"


class MilestoneSerializer(serializers.Serializer):
    on = serializers.DateField(required=False)


class CancelSerializer(MilestoneSerializer):
    reason = serializers.CharField(required=False, allow_blank=True)
