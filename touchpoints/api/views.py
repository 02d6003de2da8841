import uuid

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.viewsets import IdempotentCreateMixin
from core.errors import TransitionNotAllowed
from touchpoints import messaging, policies
from touchpoints.filters import OutboundMessageFilterSet
from touchpoints.models import OutboundMessage

from .serializers import DeliveryReportSerializer, OutboundMessageSerializer


class OutboundMessageViewSet(IdempotentCreateMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The outbox: every message to customers; customer service may write one by hand."""

    queryset = OutboundMessage.objects.select_related("customer")
    serializer_class = OutboundMessageSerializer
    policy = policies.MESSAGES
    filterset_class = OutboundMessageFilterSet
    ordering_fields = ["created_at", "sent_at", "status"]
    ordering = ["-created_at"]

    def get_queryset(self):
        return self.policy.scope(super().get_queryset(), self.request.user)

    def perform_create(self, serializer):
        serializer.instance = messaging.queue_message(
            customer=serializer.validated_data["customer"], purpose="manual", dedupe_key=f"manual:{uuid.uuid4().hex}",
            body=serializer.validated_data["body"], send_after=serializer.validated_data.get("send_after"),
            actor=self.request.user,
        )

    @extend_schema(request=None, responses=OutboundMessageSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        message = self.get_object()
        if not messaging.cancel(message=message):
            raise TransitionNotAllowed(_("Only a queued message can be cancelled."))
        message.refresh_from_db()
        return Response(self.get_serializer(message).data)


class DeliveryReportView(APIView):
    """The SMS provider's callback: delivered or failed, authenticated by a shared token."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(request=DeliveryReportSerializer, responses={204: None})
    def post(self, request):
        serializer = DeliveryReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        messaging.record_delivery(gateway_message_id=serializer.validated_data["message_id"],
                                  delivered=serializer.validated_data["delivered"])
        return Response(status=status.HTTP_204_NO_CONTENT)
