from django.utils.translation import gettext_lazy as _
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers

from core.access import mask_id_number, mask_phone, may_see_contact, may_see_id_number
from members.models import Customer
from members.validators import validate_id_number, validate_mobile


class CustomerSerializer(serializers.ModelSerializer):
    """A customer; the mobile and ID numbers are masked for roles that do not need them."""

    mobile = PhoneNumberField(region="CN", validators=[validate_mobile],
                              error_messages={"invalid": _("Enter a valid mobile phone number, e.g. 13812345678.")})
    id_number = serializers.CharField(required=False, allow_blank=True, max_length=18,
                                      validators=[validate_id_number])
    project_name = serializers.CharField(source="project.name", read_only=True)
    consultant_name = serializers.CharField(source="consultant.__str__", read_only=True, default="")

    class Meta:
        model = Customer
        fields = ["id", "company", "project", "project_name", "name", "mobile", "id_number", "birthday", "gender",
                  "source_channel", "consents_to_messages", "consent_changed_at", "consultant", "consultant_name",
                  "notes", "created_at", "updated_at"]
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
