import datetime
import uuid

from django.utils.decorators import method_decorator
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from core.replica import reads_from_replica
from core.api.calls import CallAttemptSerializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.views import APIView

from core.api.renderers import XlsxRenderer
from core.api.viewsets import IdempotentCreateMixin, ScopedModelViewSet, ScopedRowsMixin
from core.errors import TransitionNotAllowed
from core.labels import with_names_of
from estates.selectors import projects_for
from touchpoints import messaging, policies, reports, selectors, services
from touchpoints.filters import (
    ActionFilterSet,
    CareIssueFilterSet,
    CareTaskFilterSet,
    ExecutionFilterSet,
    MeetingFilterSet,
    OutboundMessageFilterSet,
    ProjectActionFilterSet,
    SiteOpenDayFilterSet,
    VisitRoundFilterSet,
)
from touchpoints.models import (
    Action,
    CareIssue,
    CareTask,
    Execution,
    Meeting,
    MessageTemplate,
    OutboundMessage,
    ProjectAction,
    SiteOpenDay,
    Step,
    VisitRound,
)

from .serializers import (
    ActionSerializer,
    CareIssueSerializer,
    CareTaskSerializer,
    CompleteTaskSerializer,
    DeferTaskSerializer,
    DeliveryReportSerializer,
    EvaluateOpenDaySerializer,
    ExecutionSerializer,
    MeetingSerializer,
    MessageTemplateSerializer,
    OutboundMessageSerializer,
    PostponeOpenDaySerializer,
    ProjectActionSerializer,
    ReasonSerializer,
    ResolutionSerializer,
    SiteOpenDaySerializer,
    StepSerializer,
    SummarySerializer,
    TemplatePreviewSerializer,
    VisitRoundSerializer,
)


class OutboundMessageViewSet(
    ScopedRowsMixin, IdempotentCreateMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """The outbox: every message to customers; customer service may write one by hand."""

    queryset = OutboundMessage.objects.select_related("customer", "template")
    list_queryset = with_names_of(OutboundMessage.objects.all(), "customer", "template")
    serializer_class = OutboundMessageSerializer
    policy = policies.MESSAGES
    filterset_class = OutboundMessageFilterSet
    ordering_fields = ["created_at", "sent_at"]  # (a status is filtered by, not sorted by)
    ordering = ["-created_at"]

    def perform_create(self, serializer):
        serializer.instance = messaging.queue_message(
            customer=serializer.validated_data["customer"],
            purpose="manual",
            dedupe_key=f"manual:{uuid.uuid4().hex}",
            body=serializer.validated_data["body"],
            send_after=serializer.validated_data.get("send_after"),
            actor=self.request.user,
        )

    @extend_schema(request=None, responses=OutboundMessageSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        message = self.get_object()
        if not messaging.cancel(message=message, actor=request.user):
            raise TransitionNotAllowed(_("Only a queued message can be cancelled."))
        message.refresh_from_db()
        return Response(self.get_serializer(message).data)


class MessageTemplateViewSet(ScopedModelViewSet):
    """The texts of the messages to customers: read by customer service, edited by the CR head (M3)."""

    queryset = MessageTemplate.objects.all()
    serializer_class = MessageTemplateSerializer
    policy = policies.MESSAGE_TEMPLATES
    ordering_fields = ["code", "name", "updated_at"]
    ordering = ["code"]

    @extend_schema(request=TemplatePreviewSerializer, responses=TemplatePreviewSerializer)
    @action(detail=False, methods=["post"])
    def preview(self, request):
        """Try a text before saving it: its problems (400), or the text filled with sample data."""
        serializer = TemplatePreviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.data | {"preview": serializer.validated_data["preview"]})


class DeliveryReportView(APIView):
    """The SMS provider's callback: delivered or failed, authenticated by a shared token."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(request=DeliveryReportSerializer, responses={204: None})
    def post(self, request):
        serializer = DeliveryReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        messaging.record_delivery(
            gateway_message_id=serializer.validated_data["message_id"], delivered=serializer.validated_data["delivered"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class StepViewSet(viewsets.ReadOnlyModelViewSet):
    """The eight steps in order, each with its actions (J1, J2)."""

    queryset = Step.objects.prefetch_related("actions")
    serializer_class = StepSerializer
    policy = policies.CATALOGUE
    pagination_class = None
    ordering = ["position"]


class ActionViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Action.objects.select_related("step")
    serializer_class = ActionSerializer
    policy = policies.CATALOGUE
    filterset_class = ActionFilterSet
    ordering_fields = ["position", "name"]
    ordering = ["step__position", "position"]


class ProjectActionViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """A project's plan: optional actions are opted in here; standard ones cannot be left out (J3)."""

    queryset = ProjectAction.objects.select_related("action")
    serializer_class = ProjectActionSerializer
    policy = policies.PLANS
    filterset_class = ProjectActionFilterSet
    ordering_fields = ["due_on", "id"]
    ordering = ["action__step__position", "action__position"]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return self.policy.scope(super().get_queryset(), self.request.user)

    def perform_update(self, serializer):
        planned = serializer.instance
        data = serializer.validated_data
        serializer.instance = services.plan_action(
            project=planned.project,
            action=planned.action,
            active=data.get("is_active", planned.is_active),
            due_on=data.get("due_on", planned.due_on),
            notes=data.get("notes", ""),
            actor=self.request.user,
        )


class ExecutionViewSet(ScopedModelViewSet):
    """Executions of planned actions, with evidence files (multipart) (J3)."""

    queryset = Execution.objects.select_related("executed_by", "planned_action").prefetch_related("files")
    list_queryset = with_names_of(Execution.objects.prefetch_related("files"), staff=("executed_by",))
    serializer_class = ExecutionSerializer
    policy = policies.EXECUTIONS
    filterset_class = ExecutionFilterSet
    ordering_fields = ["executed_on", "created_at"]
    ordering = ["-executed_on", "-pk"]
    http_method_names = ["get", "post", "head", "options"]

    def project_of(self, validated_data):
        return validated_data["planned_action"].project

    def perform_create(self, serializer):
        self.check_project(serializer.validated_data)
        data = serializer.validated_data
        serializer.instance = services.record_execution(
            planned_action=data["planned_action"],
            executed_on=data["executed_on"],
            actor=self.request.user,
            notes=data.get("notes", ""),
            evidence=data.get("evidence"),
            files=data.get("files", []),
        )


class CareTaskViewSet(ScopedRowsMixin, viewsets.ReadOnlyModelViewSet):
    """Care tasks (J6–J20): `?queue=due|overdue|done`, `?mine=true` for the caller's roles; complete, defer, cancel."""

    queryset = CareTask.objects.select_related("customer", "project")
    list_queryset = with_names_of(CareTask.objects.all(), "customer", "project")
    serializer_class = CareTaskSerializer
    policy = policies.CARE_TASKS
    filterset_class = CareTaskFilterSet
    ordering_fields = ["due_end", "due_start", "completed_at", "call_back_at"]  # (a duty is filtered by)
    ordering = ["due_end", "pk"]

    @extend_schema(request=CompleteTaskSerializer, responses=CareTaskSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        data = self._valid(CompleteTaskSerializer)
        task = services.complete_task(task=self.get_object(), actor=request.user, **data)
        return Response(self.get_serializer(task).data)

    @extend_schema(request=DeferTaskSerializer, responses=CareTaskSerializer)
    @action(detail=True, methods=["post"])
    def defer(self, request, pk=None):
        data = self._valid(DeferTaskSerializer)
        task = services.defer_task(task=self.get_object(), actor=request.user, **data)
        return Response(self.get_serializer(task).data)

    @extend_schema(request=CallAttemptSerializer, responses={201: CareTaskSerializer})
    @action(detail=True, methods=["post"])
    def calls(self, request, pk=None):
        """A call that did not complete the task: no answer, busy, call back at …"""
        data = self._valid(CallAttemptSerializer)
        services.record_call(task=self.get_object(), actor=request.user, **data)
        return Response(self.get_serializer(self.get_object()).data, status=201)

    @extend_schema(request=ReasonSerializer, responses=CareTaskSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        data = self._valid(ReasonSerializer)
        task = services.cancel_task(task=self.get_object(), actor=request.user, **data)
        return Response(self.get_serializer(task).data)

    def _valid(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "issues" in data:
            data["issues"] = [dict(issue) for issue in data["issues"]]
        return data


class CareIssueViewSet(viewsets.ReadOnlyModelViewSet):
    """Issues found on visits and house checks, followed to closure (J15, J17)."""

    queryset = CareIssue.objects.all()
    serializer_class = CareIssueSerializer
    policy = policies.CARE_ISSUES
    filterset_class = CareIssueFilterSet
    ordering_fields = ["created_at", "closed_at"]
    ordering = ["-created_at"]

    def get_queryset(self):
        return self.policy.scope(super().get_queryset(), self.request.user)

    @extend_schema(request=ResolutionSerializer, responses=CareIssueSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        serializer = ResolutionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        issue = services.close_issue(issue=self.get_object(), actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(issue).data)


class VisitRoundViewSet(viewsets.ReadOnlyModelViewSet):
    """Three-month visit rounds: target, households sampled, and the closing summary (J15)."""

    queryset = selectors.visit_round_progress(VisitRound.objects.all())
    serializer_class = VisitRoundSerializer
    policy = policies.VISIT_ROUNDS
    filterset_class = VisitRoundFilterSet
    ordering_fields = ["year"]
    ordering = ["-year", "pk"]

    def get_queryset(self):
        return self.policy.scope(super().get_queryset(), self.request.user)

    @extend_schema(request=SummarySerializer, responses=VisitRoundSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        serializer = SummarySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.close_visit_round(visit_round=self.get_object(), actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(self.get_object()).data)


class SiteOpenDayViewSet(ScopedModelViewSet):
    """Site open days and their evaluation by customer relations (J10)."""

    queryset = SiteOpenDay.objects.all()
    serializer_class = SiteOpenDaySerializer
    policy = policies.OPEN_DAYS
    filterset_class = SiteOpenDayFilterSet
    ordering_fields = ["planned_on"]
    ordering = ["-planned_on"]
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(request=EvaluateOpenDaySerializer, responses=SiteOpenDaySerializer)
    @action(detail=True, methods=["post"])
    def evaluate(self, request, pk=None):
        serializer = EvaluateOpenDaySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        failed = services.evaluate_open_day(open_day=self.get_object(), actor=request.user, **serializer.validated_data)
        open_day = self.get_object()
        return Response({**self.get_serializer(open_day).data, "failed_gates": failed})

    @extend_schema(request=PostponeOpenDaySerializer, responses=SiteOpenDaySerializer)
    @action(detail=True, methods=["post"])
    def postpone(self, request, pk=None):
        serializer = PostponeOpenDaySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        open_day = services.postpone_open_day(
            open_day=self.get_object(), actor=request.user, **serializer.validated_data
        )
        return Response(self.get_serializer(open_day).data)

    @extend_schema(request=ReasonSerializer, responses=SiteOpenDaySerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        open_day = services.cancel_open_day(open_day=self.get_object(), actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(open_day).data)


class MeetingViewSet(ScopedModelViewSet):
    """Owners' forums and management meetings with the feedback collected (J21)."""

    queryset = Meeting.objects.prefetch_related("feedback")
    serializer_class = MeetingSerializer
    policy = policies.MEETINGS
    filterset_class = MeetingFilterSet
    ordering_fields = ["held_on"]
    ordering = ["-held_on"]
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        self.check_project(serializer.validated_data)
        data = dict(serializer.validated_data)
        feedback = [dict(item) for item in data.pop("feedback", [])]
        serializer.instance = services.record_meeting(actor=self.request.user, feedback=feedback, **data)


class ScorecardReportView(APIView):
    """The project's 6+2 scorecard (J3) and return-visit coverage (J8); `?format=xlsx` for Excel."""

    policy = policies.PLANS
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, XlsxRenderer]

    @method_decorator(reads_from_replica)
    @extend_schema(
        parameters=[
            OpenApiParameter("project", int, required=True),
            OpenApiParameter("on", datetime.date),
            OpenApiParameter("format", str),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        query = ScorecardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        project = get_object_or_404(projects_for(request.user), pk=query.validated_data["project"])
        on = query.validated_data.get("on") or timezone.localdate()
        report = reports.scorecard_report(project=project, on=on)
        if request.accepted_renderer.format == "xlsx":
            return reports.scorecard_xlsx(report, user=request.user)
        return Response(report)


class ScorecardQuerySerializer(serializers.Serializer):
    project = serializers.IntegerField()
    on = serializers.DateField(required=False)


class CoverageQuerySerializer(serializers.Serializer):
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)


class ReturnVisitCoverageView(APIView):
    """J8: per visible project, signings and deliveries of the period and the share the call center reached."""

    policy = policies.PLANS
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, XlsxRenderer]

    @method_decorator(reads_from_replica)
    @extend_schema(
        parameters=[
            OpenApiParameter("start", datetime.date),
            OpenApiParameter("end", datetime.date),
            OpenApiParameter("format", str),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        query = CoverageQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        end = query.validated_data.get("end") or timezone.localdate()
        start = query.validated_data.get("start") or end.replace(month=1, day=1)
        rows = reports.coverage_rows(projects=projects_for(request.user).order_by("name"), start=start, end=end)
        if request.accepted_renderer.format == "xlsx":
            return reports.coverage_xlsx(rows, start=start, end=end, user=request.user)
        return Response({"start": start.isoformat(), "end": end.isoformat(), "results": rows})
