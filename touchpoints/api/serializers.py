from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from members.models import Customer
from members.policies import CUSTOMERS
from touchpoints.models import MessageTemplate, OutboundMessage


class OutboundMessageSerializer(serializers.ModelSerializer):
    """A message; a new one may only go to a customer the writer can see."""

    customer_name = serializers.CharField(source="customer.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = OutboundMessage
        fields = ["id", "customer", "customer_name", "project", "channel", "purpose", "body", "status",
                  "status_display", "send_after", "attempts", "last_error", "sent_at", "delivered_at", "created_at"]
        read_only_fields = ["project", "purpose", "status", "attempts", "last_error", "sent_at", "delivered_at",
                            "created_at"]
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


class MessageTemplateSerializer(serializers.ModelSerializer):
    class Meta:
        model = MessageTemplate
        fields = ["id", "code", "name", "channel", "body", "is_active"]
