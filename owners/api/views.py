"""The owner API (/api/v1/owner/…): signed in with an SMS code, answering with the owner's own records only.

It shares every service and selector with the portal pages; nothing here decides a rule.
"""

from django.contrib.auth.models import AnonymousUser
from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from complaints.models import Complaint, RepairOrder
from core.excel import XLSX_CONTENT_TYPE
from core.security import client_address
from estates.models import ComponentType

from .. import exports, selectors, services
from ..auth import IsOwner, OwnerTokenAuthentication
from ..choices import SessionKind
from ..forms import MobileForm
from . import serializers as s


class OwnerViewSetMixin:
    authentication_classes = [OwnerTokenAuthentication]
    permission_classes = [IsOwner]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # DRF copies the owner onto Django's request; the audit trail must not take an owner for a staff user.
        request._request.user = AnonymousUser()


class OwnerAPIView(OwnerViewSetMixin, APIView):
    pass


ID = OpenApiParameter("id", int, OpenApiParameter.PATH)


def _mobile(raw: str) -> str:
    form = MobileForm(data={"mobile": raw})
    if not form.is_valid():
        raise serializers.ValidationError({"mobile": form.errors["mobile"]})
    return str(form.cleaned_data["mobile"])


class CodeRequestView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=s.OwnerCodeRequestSerializer,
        responses={
            202: OpenApiResponse(
                description="Accepted: if the number belongs to an owner, a code is on its way (the same answer either "
                "way)."
            )
        },
        summary="Ask for a one-time sign-in code by text message",
        tags=["owner"],
    )
    def post(self, request):
        data = s.OwnerCodeRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.request_code(mobile=_mobile(data.validated_data["mobile"]), client_address=client_address(request))
        return Response(
            {
                "detail": _(
                    "If this number belongs to an owner, a 6-digit code is on its way. It is valid for 5 minutes."
                )
            },
            status=status.HTTP_202_ACCEPTED,
        )


class TokenView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=s.OwnerSignInSerializer,
        responses={200: s.OwnerTokenSerializer},
        summary="Sign in with the code and get an owner token (send it as `Authorization: Bearer …`)",
        tags=["owner"],
    )
    def post(self, request):
        data = s.OwnerSignInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        outcome = services.sign_in(
            mobile=_mobile(data.validated_data["mobile"]), code=data.validated_data["sms_code"], kind=SessionKind.API
        )
        if not outcome.token:
            # Answered, not raised: the wrong try stays counted.
            return Response(
                {"sms_code": [outcome.error], "detail": outcome.error, "code": "invalid_sms_code"},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(s.OwnerTokenSerializer({"token": outcome.token, "expiry": outcome.session.expires_at}).data)


class LogoutView(OwnerAPIView):
    @extend_schema(
        request=None, responses={204: None}, summary="Sign out: the owner token stops working", tags=["owner"]
    )
    def post(self, request):
        services.sign_out(owner=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class UnitViewSet(OwnerViewSetMixin, viewsets.GenericViewSet):
    serializer_class = s.OwnerUnitSerializer
    filter_backends = []

    @extend_schema(summary="My homes, their components and warranty", tags=["owner"])
    def list(self, request):
        page = self.paginate_queryset(selectors.purchases_of(request.user))
        units = selectors.units_with_components(request.user, purchases=page)
        return self.get_paginated_response(s.OwnerUnitSerializer(units, many=True).data)

    @extend_schema(responses={200: s.OwnerUnitSerializer}, summary="One of my homes", tags=["owner"], parameters=[ID])
    def retrieve(self, request, pk=None):
        purchase = selectors.owner_purchase(request.user, pk)
        (unit,) = selectors.units_with_components(request.user, purchases=[purchase])
        return Response(s.OwnerUnitSerializer(unit).data)


class RatingMixin:
    def rate(self, request, pk=None):
        record = self.get_object()
        data = s.OwnerRatingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rating = services.rate(
            owner=request.user,
            record=record,
            score=data.validated_data["score"],
            comment=data.validated_data.get("comment", ""),
        )
        record.refresh_from_db()
        return Response(
            s.OwnerRatingAnswerSerializer(
                {
                    "score": rating.score,
                    "comment": rating.comment,
                    "rated_at": rating.rated_at,
                    "status": selectors.public_status(record).value,
                }
            ).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(tags=["owner"])
@extend_schema_view(retrieve=extend_schema(parameters=[ID]), rating=extend_schema(parameters=[ID]))
class RepairViewSet(
    OwnerViewSetMixin, RatingMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    serializer_class = s.OwnerRepairSerializer
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RepairOrder.objects.none()
        return selectors.repairs_of(self.request.user)

    def get_serializer_class(self):
        return s.OwnerRepairDetailSerializer if self.action == "retrieve" else s.OwnerRepairSerializer

    @extend_schema(
        request={
            "multipart/form-data": s.OwnerRepairCreateSerializer,
            "application/json": s.OwnerRepairCreateSerializer,
        },
        responses={201: s.OwnerRepairDetailSerializer},
        summary="Report a repair (photos up to 6)",
    )
    def create(self, request):
        data = s.OwnerRepairCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        component = None
        if values.get("component_type"):
            component = ComponentType.objects.filter(pk=values["component_type"]).first()
            if component is None:
                raise serializers.ValidationError({"component_type": [_("Unknown component.")]})
        order = services.report_repair(
            owner=request.user,
            unit_id=values["unit"],
            component_type=component,
            description=values["description"],
            photos=values.get("photos", []),
            preferred_times=values.get("preferred_times", []),
            confirm_duplicates=values["confirm_duplicates"],
        )
        order = self.get_queryset().get(pk=order.pk)
        return Response(s.OwnerRepairDetailSerializer(order).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.OwnerRatingSerializer,
        responses={201: s.OwnerRatingAnswerSerializer},
        summary="Rate a completed repair (1 or 2 reopens it)",
    )
    @action(detail=True, methods=["post"], url_path="rating")
    def rating(self, request, pk=None):
        return self.rate(request, pk)

    @extend_schema(
        responses={(200, "image/jpeg"): OpenApiTypes.BINARY, (200, "image/png"): OpenApiTypes.BINARY},
        summary="One photo of my repair",
    )
    @action(detail=True, methods=["get"], url_path=r"photos/(?P<photo_pk>\d+)", url_name="photo")
    def photo(self, request, pk=None, photo_pk=None):
        photo = selectors.photo_of(request.user, pk, photo_pk)
        response = FileResponse(photo.image.open("rb"), content_type=photo.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        return response


@extend_schema(tags=["owner"])
@extend_schema_view(retrieve=extend_schema(parameters=[ID]), rating=extend_schema(parameters=[ID]))
class ComplaintViewSet(
    OwnerViewSetMixin, RatingMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = s.OwnerComplaintSerializer
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Complaint.objects.none()
        return selectors.complaints_of(self.request.user)

    def get_serializer_class(self):
        return s.OwnerComplaintDetailSerializer if self.action == "retrieve" else s.OwnerComplaintSerializer

    @extend_schema(
        request=s.OwnerComplaintCreateSerializer,
        responses={201: s.OwnerComplaintDetailSerializer},
        summary="Raise a complaint or a suggestion",
    )
    def create(self, request):
        data = s.OwnerComplaintCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        complaint = services.raise_complaint(
            owner=request.user,
            unit_id=values["unit"],
            title=values["title"],
            content=values["content"],
            demand=values.get("demand", ""),
            category=values.get("category") or None,
            suggestion=values["kind"] == "suggestion",
            confirm_duplicates=values["confirm_duplicates"],
        )
        complaint = self.get_queryset().get(pk=complaint.pk)
        return Response(s.OwnerComplaintDetailSerializer(complaint).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.OwnerRatingSerializer,
        responses={201: s.OwnerRatingAnswerSerializer},
        summary="Rate a resolved complaint (1 or 2 reopens it)",
    )
    @action(detail=True, methods=["post"], url_path="rating")
    def rating(self, request, pk=None):
        return self.rate(request, pk)


class ConsentView(OwnerAPIView):
    @extend_schema(responses={200: s.OwnerConsentSerializer}, summary="Whether I receive messages (M3)", tags=["owner"])
    def get(self, request):
        customers = selectors.customers_of(request.user)
        return Response({"consents": all(c.consents_to_messages for c in customers)})

    @extend_schema(
        request=s.OwnerConsentSerializer,
        responses={200: s.OwnerConsentSerializer},
        summary="Change whether I receive messages: honoured at once (M3)",
        tags=["owner"],
    )
    def put(self, request):
        data = s.OwnerConsentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.set_consent(owner=request.user, consents=data.validated_data["consents"])
        return Response({"consents": data.validated_data["consents"]})


class MyDataView(OwnerAPIView):
    @extend_schema(
        responses={(200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY},
        summary="Download my personal data (Excel)",
        tags=["owner"],
    )
    def get(self, request):
        return exports.personal_data_response(request.user)


class ErasureView(OwnerAPIView):
    @extend_schema(
        request=s.OwnerErasureSerializer,
        responses={202: s.OwnerErasureSerializer},
        summary="Ask for my personal data to be erased (handled by customer service)",
        tags=["owner"],
    )
    def post(self, request):
        data = s.OwnerErasureSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.request_erasure(owner=request.user, reason=data.validated_data.get("reason", ""))
        return Response(data.validated_data, status=status.HTTP_202_ACCEPTED)


@extend_schema_view(
    list=extend_schema(summary="Surveys waiting for my answers", tags=["owner"]),
    retrieve=extend_schema(summary="One survey with its questions", tags=["owner"], parameters=[ID]),
)
class SurveyViewSet(OwnerViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.OwnerSurveySerializer
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            from surveys.models import Invitation

            return Invitation.objects.none()
        if self.action == "answers":  # answered or expired: said so (409), not hidden (404)
            return selectors.invitations_of(self.request.user)
        return selectors.pending_surveys(self.request.user)

    @extend_schema(
        request=s.OwnerSurveyAnswersSerializer,
        responses={201: s.OwnerSurveyAnsweredSerializer},
        summary="Answer a survey (once, while it is open)",
        tags=["owner"],
        parameters=[ID],
    )
    @action(detail=True, methods=["post"])
    def answers(self, request, pk=None):
        from surveys.services import answer_as_owner

        invitation = self.get_object()
        data = s.OwnerSurveyAnswersSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        response = answer_as_owner(invitation=invitation, answers=data.validated_data["answers"])
        answered = {"id": response.pk, "answered_at": response.answered_at}
        return Response(s.OwnerSurveyAnsweredSerializer(answered).data, status=status.HTTP_201_CREATED)
