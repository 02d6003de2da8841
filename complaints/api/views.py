"""The complaints API: resources, their workflow actions (generated from complaints.workflow) and the reports."""

from django.utils.decorators import method_decorator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, mixins, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from core.replica import reads_from_replica
from core.api.filters import FilterSetBackend
from core.api.renderers import XlsxRenderer
from core.api.viewsets import CreateAnsweredAsReadMixin, IdempotentCreateMixin, ScopedModelViewSet, ScopedRowsMixin
from core.labels import with_names_of
from core.api.workflow import WorkflowActionsMixin

from .. import exports, params, policies, selectors, services
from ..filters import (
    CaseFilterSet,
    ComplaintFilterSet,
    CrisisFilterSet,
    DefectFilterSet,
    DueReturnVisitFilterSet,
    ObjectionFilterSet,
    RepairOrderFilterSet,
    ReturnVisitFilterSet,
)
from ..models import Complaint, ComplaintEvent, Defect, DeliveryObjection, ReturnVisit
from ..workflow import COMPLAINT_FLOW, CRISIS_FLOW, REPAIR_FLOW
from . import serializers as s

REPORT_FORMAT = OpenApiParameter("format", str, enum=["json", "xlsx"])


class ScopedReadViewSet(ScopedRowsMixin, viewsets.GenericViewSet):
    """Rows governed by the viewset's policy (core.access); written only through the services."""


@extend_schema_view(create=extend_schema(responses={201: s.ComplaintDetailSerializer}))
class ComplaintViewSet(
    WorkflowActionsMixin,
    IdempotentCreateMixin,
    CreateAnsweredAsReadMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ScopedReadViewSet,
):
    """Complaints of the caller's scope. Their state changes only through the workflow actions."""

    queryset = selectors.complaint_list()
    list_queryset = with_names_of(
        queryset,
        "project",
        "customer",
        "department",
        staff=("handler", "received_by"),
        also=("unit__number", "unit__building__name", "category__code", "category__name", "category__name_en"),
    )
    policy = policies.COMPLAINTS
    workflow = COMPLAINT_FLOW
    action_response_serializer = read_serializer_class = s.ComplaintDetailSerializer
    filterset_class = ComplaintFilterSet
    ordering_fields = ["received_at", "severity", "deadline"]  # (a state is filtered by)
    ordering = ["-received_at"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action != "list":
            queryset = queryset.prefetch_related(
                "clocks", Prefetch("events", queryset=ComplaintEvent.objects.select_related("actor"))
            )
        return queryset

    def get_serializer_class(self):
        return s.ComplaintSerializer if self.action in ("list", "create", "duplicates") else s.ComplaintDetailSerializer

    def perform_create(self, serializer):
        data = serializer.validated_data
        self.policy.check_project(self.request.user, data["project"])
        serializer.instance = services.receive_complaint(actor=self.request.user, **data)

    @extend_schema(
        parameters=[OpenApiParameter("customer", int), OpenApiParameter("unit", int)],
        responses=s.DuplicateComplaintsSerializer,
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def duplicates(self, request):
        """Open complaints of the same customer and unit (rule C1), among those the caller may see."""
        customer, unit = request.query_params.get("customer", ""), request.query_params.get("unit", "")
        if not (customer.isdigit() or unit.isdigit()):
            return Response({"results": []})
        queryset = self.policy.scope(
            selectors.possible_duplicates(
                customer=int(customer) if customer.isdigit() else None, unit=int(unit) if unit.isdigit() else None
            ),
            request.user,
        )
        return Response(
            {"results": s.ComplaintSerializer(queryset[:20], many=True, context=self.get_serializer_context()).data}
        )


class RepairOrderViewSet(
    WorkflowActionsMixin,
    IdempotentCreateMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ScopedReadViewSet,
):
    """Repair orders (rule C13): each carries its 24-hour return-visit clock once completed."""

    queryset = selectors.repair_order_list()
    list_queryset = with_names_of(
        queryset, "project", staff=("assignee",), also=("unit__number", "unit__building__name")
    )
    serializer_class = s.RepairOrderSerializer
    policy = policies.REPAIR_ORDERS
    workflow = REPAIR_FLOW
    action_response_serializer = s.RepairOrderSerializer
    filterset_class = RepairOrderFilterSet
    ordering_fields = ["reported_at"]  # (a state is filtered by)
    ordering = ["-reported_at"]

    def read_beside(self, page):
        return s.with_return_visit_clocks(page)

    def perform_create(self, serializer):
        data = serializer.validated_data
        self.policy.check_project(self.request.user, data["unit"].project)
        serializer.instance = services.report_repair(actor=self.request.user, **data)


class CrisisViewSet(WorkflowActionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedReadViewSet):
    """Crisis records (rule C8) of the caller's projects; the actions record decisions and close them."""

    queryset = selectors.crisis_list().select_related("complaint__project")
    list_queryset = with_names_of(selectors.crisis_list(), also=("complaint__title", "complaint__project__name"))
    policy = policies.CRISES
    workflow = CRISIS_FLOW
    action_response_serializer = s.CrisisDetailSerializer
    filterset_class = CrisisFilterSet
    ordering_fields = ["opened_at", "status"]
    ordering = ["-status", "-opened_at"]  # open ones first

    def get_serializer_class(self):
        return s.CrisisSerializer if self.action == "list" else s.CrisisDetailSerializer


class ReturnVisitViewSet(
    IdempotentCreateMixin, mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedReadViewSet
):
    """Return visits; creating one is the complaint's or repair order's return-visit step."""

    queryset = ReturnVisit.objects.select_related("project", "visitor")
    list_queryset = with_names_of(ReturnVisit.objects.all(), staff=("visitor",))
    serializer_class = s.ReturnVisitSerializer
    policy = policies.RETURN_VISITS
    filterset_class = ReturnVisitFilterSet
    ordering_fields = ["visited_at"]
    ordering = ["-visited_at"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        complaint, order = data.pop("complaint", None), data.pop("repair_order", None)
        user = self.request.user
        self.policy.check_project(user, (complaint or order).project)
        if complaint is not None:
            complaint = get_object_or_404(policies.COMPLAINTS.scope(selectors.complaint_list(), user), pk=complaint.pk)
            serializer.instance = COMPLAINT_FLOW.perform(complaint, "return-visit", user, data)
        else:
            order = get_object_or_404(policies.REPAIR_ORDERS.scope(selectors.repair_order_list(), user), pk=order.pk)
            serializer.instance = REPAIR_FLOW.perform(order, "return-visit", user, data)


class DueReturnVisitListView(generics.ListAPIView):
    """The return-visit queue (rules C9, C13): complaints and repair orders waiting for their visit, soonest due
    first; filtered as the dashboard's queue is."""

    policy = policies.RETURN_VISITS
    serializer_class = s.DueReturnVisitSerializer
    filterset_class = DueReturnVisitFilterSet
    filter_backends = [FilterSetBackend]  # (in due order only; clocks carry no `updated_at`)

    def get_queryset(self):
        return selectors.due_return_visits(self.request.user)


class CaseViewSet(
    IdempotentCreateMixin,
    CreateAnsweredAsReadMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ScopedReadViewSet,
):
    """The case library (rule C11): read by every member of staff, found by a word of a case's story or by
    category; written by customer service and management, from a complaint they may see."""

    queryset = selectors.case_library()
    serializer_class = s.CaseSerializer
    policy = policies.CASES
    filterset_class = CaseFilterSet
    ordering_fields = ["added_at"]
    ordering = ["-added_at"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        complaint = data.pop("complaint", None)
        if complaint is not None:
            complaint = get_object_or_404(
                policies.COMPLAINTS.scope(Complaint.objects.all(), self.request.user), pk=complaint.pk
            )
        serializer.instance = services.add_case(actor=self.request.user, complaint=complaint, **data)


class DefectViewSet(ScopedModelViewSet):
    queryset = Defect.objects.select_related("project")
    serializer_class = s.DefectSerializer
    policy = policies.DEFECTS
    filterset_class = DefectFilterSet
    ordering_fields = ["raised_at"]  # (a category is filtered by)
    ordering = ["-raised_at"]
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        self.check_project(serializer.validated_data)
        serializer.instance = services.raise_defect(actor=self.request.user, **serializer.validated_data)

    @extend_schema(
        parameters=[OpenApiParameter("project", int, required=True)], responses=s.DefectSerializer(many=True)
    )
    @action(detail=False, methods=["get"], url_path="earlier-lessons")
    def earlier_lessons(self, request):
        """Rule D4: defects of earlier projects of the same product kind as ?project=."""
        from estates.selectors import projects_for

        project_id = request.query_params.get("project") or ""
        project = get_object_or_404(projects_for(request.user), pk=int(project_id) if project_id.isdigit() else 0)
        defects = selectors.earlier_defects_for(project)
        return Response({"results": s.DefectSerializer(defects[:200], many=True).data})


class ObjectionViewSet(ScopedModelViewSet):
    queryset = DeliveryObjection.objects.select_related("project").prefetch_related("defects")
    list_queryset = DeliveryObjection.objects.prefetch_related(Prefetch("defects", queryset=Defect.objects.only("pk")))
    serializer_class = s.ObjectionSerializer
    policy = policies.OBJECTIONS
    filterset_class = ObjectionFilterSet
    ordering_fields = ["raised_on"]
    ordering = ["-raised_on"]
    http_method_names = ["get", "post", "head", "options"]

    def project_of(self, validated_data):
        return validated_data["unit"].project

    def perform_create(self, serializer):
        self.check_project(serializer.validated_data)
        serializer.instance = services.record_objection(actor=self.request.user, **serializer.validated_data)

    @extend_schema(request=s.SettleInput, responses=s.ObjectionSerializer)
    @action(detail=True, methods=["post"])
    def settle(self, request, pk=None):
        objection = self.get_object()
        data = _valid(s.SettleInput, request)
        services.settle_objection(objection=objection, actor=request.user, **data)
        return Response(self.get_serializer(self.get_queryset().get(pk=objection.pk)).data)

    @extend_schema(request=s.ReminderInput, responses={201: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"])
    def reminder(self, request, pk=None):
        """Issue the delivery reminder notice (交付催告) to this objection's buyer (rule C14)."""
        objection = self.get_object()
        notice = services.issue_delivery_reminder(
            actor=request.user,
            unit=objection.unit,
            customer=objection.customer,
            objection=objection,
            **_valid(s.ReminderInput, request),
        )
        return Response(
            {"id": notice.pk, "take_over_by": notice.take_over_by, "text": notice.text}, status=status.HTTP_201_CREATED
        )


class MonthlyReportView(APIView):
    """Rule C12: the monthly complaint analysis; `?format=xlsx` returns the Excel file."""

    policy = policies.REPORTS
    renderer_classes = [renderers.JSONRenderer, renderers.BrowsableAPIRenderer, XlsxRenderer]

    @method_decorator(reads_from_replica)
    @extend_schema(
        parameters=[OpenApiParameter("year", int), OpenApiParameter("month", int), REPORT_FORMAT],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        year, month = params.year_month(request.query_params)
        scoped = policies.REPORTS.scope(selectors.complaint_list(), request.user)
        report = selectors.monthly_report(complaints=scoped, year=year, month=month)
        if request.accepted_renderer.format == "xlsx":
            return exports.monthly_report_xlsx(report, user=request.user)
        return Response(report)


class WeeklyDefectsView(APIView):
    """Rule D2: the week's defects by category (`?day=YYYY-MM-DD`, default today)."""

    policy = policies.DEFECTS
    renderer_classes = [renderers.JSONRenderer, renderers.BrowsableAPIRenderer, XlsxRenderer]

    @method_decorator(reads_from_replica)
    @extend_schema(
        parameters=[OpenApiParameter("day", OpenApiTypes.DATE), REPORT_FORMAT], responses=OpenApiTypes.OBJECT
    )
    def get(self, request):
        day = params.day(request.query_params) or timezone.localdate()
        stats = selectors.weekly_defect_stats(
            defects=policies.DEFECTS.scope(Defect.objects.all(), request.user), day=day
        )
        if request.accepted_renderer.format == "xlsx":
            return exports.weekly_defects_xlsx(stats, user=request.user)
        return Response(stats)


class QualityHandbookView(APIView):
    """Rule D3: the quarterly quality handbook of one of the reader's companies (`?company=&year=&quarter=`)."""

    policy = policies.HANDBOOK
    renderer_classes = [renderers.JSONRenderer, renderers.BrowsableAPIRenderer, XlsxRenderer]

    @method_decorator(reads_from_replica)
    @extend_schema(
        parameters=[
            OpenApiParameter("company", int),
            OpenApiParameter("year", int),
            OpenApiParameter("quarter", int),
            REPORT_FORMAT,
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        company, year, quarter = params.handbook(request.query_params, request.user)
        book = selectors.quality_handbook(company=company, year=year, quarter=quarter)
        if request.accepted_renderer.format == "xlsx":
            return exports.handbook_xlsx(book, user=request.user)
        return Response(
            {
                "company": company.name,
                "year": year,
                "quarter": quarter,
                "defect_count": book["defect_count"],
                "complaint_count": book["complaint_count"],
                "valid_complaints": book["valid_complaints"],
                "categories": [
                    {"label": section["label"], "defects": s.DefectSerializer(section["defects"], many=True).data}
                    for section in book["categories"]
                ],
            }
        )


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
