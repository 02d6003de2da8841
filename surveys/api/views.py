from django.utils.decorators import method_decorator
from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from core.replica import reads_from_replica
from core.api.calls import CallAttemptSerializer
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.renderers import XlsxRenderer
from core.api.viewsets import ScopedModelViewSet, ScopedRowsMixin
from core.excel import export_conditions, xlsx_response
from core.labels import with_names_of
from core.prefetching import listed
from surveys import policies, reports, selectors, services
from surveys.filters import (
    CallQueueFilterSet,
    CampaignFilterSet,
    FollowUpFilterSet,
    QuestionnaireFilterSet,
    ResponseFilterSet,
)
from surveys.models import Answer, Invitation, Item, Questionnaire
from surveys.models import Response as SurveyResponse

from .serializers import (
    CallAnswersSerializer,
    CampaignSerializer,
    FollowUpMoveSerializer,
    FollowUpSerializer,
    QuestionnaireSerializer,
    ResponseSerializer,
    SurveyCallSerializer,
    with_answer_rows,
)


class ScopedReadOnlyViewSet(ScopedRowsMixin, viewsets.ReadOnlyModelViewSet):
    pass


class QuestionnaireViewSet(ScopedReadOnlyViewSet):
    """Questionnaires with their questions, for the tablets to show (current versions by default)."""

    queryset = Questionnaire.objects.prefetch_related(Prefetch("items", queryset=Item.objects.order_by("position")))
    serializer_class = QuestionnaireSerializer
    policy = policies.QUESTIONNAIRES
    filterset_class = QuestionnaireFilterSet
    ordering_fields = ["code", "version", "kind"]
    ordering = ["code", "-version"]


class ResponseViewSet(ScopedModelViewSet):
    """Survey responses; the tablet posts the sales-satisfaction card here at signing."""

    queryset = SurveyResponse.objects.select_related("questionnaire", "customer").prefetch_related(
        listed("answers", Answer.objects.select_related("item").order_by("item__position"))
    )
    list_queryset = with_names_of(SurveyResponse.objects.all(), "customer", also=("questionnaire__title",))
    serializer_class = ResponseSerializer
    policy = policies.RESPONSES
    filterset_class = ResponseFilterSet
    ordering_fields = ["answered_at", "overall_score"]
    ordering = ["-answered_at", "-pk"]
    http_method_names = ["get", "post", "head", "options"]

    def read_beside(self, page):
        return with_answer_rows(page)

    def project_of(self, validated_data):
        purchase, customer = validated_data.get("purchase"), validated_data.get("customer")
        return purchase.project if purchase else customer.project if customer else validated_data.get("project")

    def perform_create(self, serializer):
        self.check_project(serializer.validated_data)
        data = serializer.validated_data
        response = services.record_response(
            questionnaire=data["questionnaire"],
            answers=data["answers"],
            source="tablet",
            customer=data.get("customer"),
            purchase=data.get("purchase"),
            project=data.get("project"),
            actor=self.request.user,
        )
        serializer.instance = response  # answered as read (core.api.viewsets.CreateAnsweredAsReadMixin)


class CampaignViewSet(ScopedModelViewSet):
    """Survey campaigns and their response rates; `send` invites the target group."""

    queryset = selectors.campaign_list()
    serializer_class = CampaignSerializer
    policy = policies.CAMPAIGNS
    filterset_class = CampaignFilterSet
    ordering_fields = ["created_at", "sent_at"]
    ordering = ["-created_at"]
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        self.check_project(serializer.validated_data)
        serializer.instance = services.create_campaign(actor=self.request.user, **serializer.validated_data)

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        campaign = self.get_object()
        services.send_campaign(
            campaign=campaign, base_url=request.build_absolute_uri("/").rstrip("/"), actor=request.user
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=campaign.pk)).data)

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        campaign = services.close_campaign(campaign=self.get_object(), actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=campaign.pk)).data)


class SurveyCallViewSet(ScopedReadOnlyViewSet):
    """The call center's survey calls: customers of by-call campaigns not yet answered, whose link is still open;
    `answer` records what the customer said on the phone."""

    queryset = Invitation.objects.all()
    serializer_class = SurveyCallSerializer
    policy = policies.CALL_ENTRY
    filterset_class = CallQueueFilterSet
    ordering_fields = ["created_at", "expires_at", "call_back_at"]
    ordering = ["created_at", "pk"]

    def get_queryset(self):
        # The list is the queue, computed at each request: a call leaves it once answered, expired or its
        # campaign closed. One call is found among all, so answering it twice says why it cannot (409).
        calls = (
            selectors.call_queue()
            if self.action == "list"
            else Invitation.objects.filter(campaign__by_call=True).select_related(
                "campaign__questionnaire", "campaign__project", "customer"
            )
        )
        calls = calls.prefetch_related(
            Prefetch("campaign__questionnaire__items", queryset=Item.objects.order_by("position"))
        )
        return self.policy.scope(calls, self.request.user)

    @extend_schema(request=CallAttemptSerializer, responses={201: SurveyCallSerializer})
    @action(detail=True, methods=["post"])
    def calls(self, request, pk=None):
        """A call that got no answers: no answer, busy, call back at …; a wrong number or a refusal ends the
        calling."""
        serializer = CallAttemptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.record_call(invitation=self.get_object(), actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(self.get_object()).data, status=201)

    @extend_schema(request=CallAnswersSerializer, responses={201: ResponseSerializer})
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        invitation = self.get_object()
        serializer = CallAnswersSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        response = services.answer_by_call(
            invitation=invitation, answers=serializer.validated_data["answers"], actor=request.user
        )
        data = ResponseSerializer(
            SurveyResponse.objects.prefetch_related("answers__item").get(pk=response.pk),
            context=self.get_serializer_context(),
        ).data
        return Response(data, status=201)


class FollowUpViewSet(ScopedReadOnlyViewSet):
    """客户调查回访: low scores called back, their solution tracked to closure (S6)."""

    queryset = selectors.follow_up_list()
    list_queryset = selectors.follow_up_rows()
    serializer_class = FollowUpSerializer
    policy = policies.FOLLOW_UPS
    filterset_class = FollowUpFilterSet
    ordering_fields = ["due_on", "created_at"]  # (a status is filtered by)
    ordering = ["due_on", "pk"]

    def _move(self, request, service, **fields):
        follow_up = self.get_object()
        body = FollowUpMoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        service(follow_up=follow_up, actor=request.user, **{key: body.validated_data[key] for key in fields})
        return Response(self.get_serializer(self.get_queryset().get(pk=follow_up.pk)).data)

    @extend_schema(request=FollowUpMoveSerializer, responses=FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._move(request, services.start_follow_up, findings=True)

    @extend_schema(request=FollowUpMoveSerializer, responses=FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        return self._move(request, services.resolve_follow_up, solution=True, findings=True)

    @extend_schema(request=FollowUpMoveSerializer, responses=FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._move(request, services.close_follow_up, note=True)

    @extend_schema(request=FollowUpMoveSerializer, responses=FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._move(request, services.reopen_follow_up, note=True)


class FigureReportView(APIView):
    """Satisfaction or loyalty of the caller's projects, filtered like the responses and split by `by`."""

    policy = policies.FIGURES
    report = "satisfaction"
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, XlsxRenderer]

    @method_decorator(reads_from_replica)
    @extend_schema(
        parameters=[
            OpenApiParameter("by", str, enum=list(selectors.DIMENSIONS), description="Split by this dimension."),
            OpenApiParameter("format", str, enum=["json", "xlsx"]),
        ],
        filters=True,
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, *args, **kwargs):
        filterset = ResponseFilterSet(
            request.query_params, queryset=selectors.responses_for(request.user), request=request
        )
        if not filterset.is_valid():
            return Response(filterset.errors, status=400)
        by = request.query_params.get("by") or None
        data = reports.build(self.report, filterset.qs, by=by)
        if request.accepted_renderer.format == "xlsx":
            return xlsx_response(
                reports.filename(self.report, by),
                reports.sheets(self.report, data),
                conditions=export_conditions(user=request.user, filterset=filterset, parameters=reports.parameters(by)),
            )
        return Response(data)


class SatisfactionReportView(FigureReportView):
    report = "satisfaction"


class LoyaltyReportView(FigureReportView):
    report = "loyalty"
