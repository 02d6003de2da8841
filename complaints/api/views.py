"""The complaints API: resources, workflow actions (POST on the object) and the reports."""
import datetime

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.renderers import XlsxRenderer
from core.api.viewsets import IdempotentCreateMixin, ScopedModelViewSet
from core.errors import DomainError
from estates.models import Company

from .. import exports, policies, selectors, services
from ..filters import ComplaintFilterSet, DefectFilterSet, ObjectionFilterSet, RepairOrderFilterSet, \
    ReturnVisitFilterSet
from ..models import ComplaintEvent, Defect, DeliveryObjection, ReturnVisit
from . import serializers as s


class MayRead(BasePermission):
    """Workflow actions: the service decides by role and state; the caller must at least see the record."""

    def has_permission(self, request, view):
        return view.policy.can_read(request.user)




def _run(view, input_class, call):
    data = input_class(data=view.request.data)
    data.is_valid(raise_exception=True)
    return call(**data.validated_data)


class ComplaintViewSet(IdempotentCreateMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                       mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Complaints of the caller's scope. Their state changes only through the workflow actions."""

    queryset = selectors.complaint_list()
    policy = policies.COMPLAINTS
    filterset_class = ComplaintFilterSet
    ordering_fields = ["received_at", "severity", "state", "deadline"]
    ordering = ["-received_at"]

    def get_queryset(self):
        queryset = self.policy.scope(super().get_queryset(), self.request.user)
        if self.action != "list":
            queryset = queryset.prefetch_related(
                "clocks", Prefetch("events", queryset=ComplaintEvent.objects.select_related("actor")))
        return queryset

    def get_serializer_class(self):
        return s.ComplaintSerializer if self.action in ("list", "create", "duplicates") else \
            s.ComplaintDetailSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        self.policy.check_project(self.request.user, data["project"])
        confirmed = data.pop("confirm_duplicates", False)
        if not confirmed and selectors.possible_duplicates(customer=data.get("customer"),
                                                           unit=data.get("unit")).exists():
            numbers = ", ".join(f"#{c.pk}" for c in selectors.possible_duplicates(
                customer=data.get("customer"), unit=data.get("unit"))[:5])
            raise DomainError(_("Open complaints of this customer and unit exist (%(numbers)s): confirm to save "
                                "anyway.") % {"numbers": numbers}, code="possible_duplicates",
                              field="confirm_duplicates")
        serializer.instance = services.receive_complaint(actor=self.request.user, **data)

    @action(detail=False, methods=["get"])
    def duplicates(self, request):
        """Open complaints of the same customer and unit (rule C1): ask before saving a new one."""
        customer, unit = request.query_params.get("customer"), request.query_params.get("unit")
        if not (customer or unit):
            return Response({"results": []})
        queryset = self.policy.scope(selectors.possible_duplicates(
            customer=int(customer) if customer and customer.isdigit() else None,
            unit=int(unit) if unit and unit.isdigit() else None), request.user)
        return Response({"results": s.ComplaintSerializer(queryset[:20], many=True).data})

    def _act(self, input_class, service, **extra):
        complaint = self.get_object()
        _run(self, input_class, lambda **data: service(complaint=complaint, actor=self.request.user, **extra, **data))
        complaint = self.get_queryset().get(pk=complaint.pk)
        return Response(s.ComplaintDetailSerializer(complaint, context=self.get_serializer_context()).data)

    @action(detail=True, methods=["post"], permission_classes=[MayRead])
    def analyse(self, request, pk=None):
        return self._act(s.AnalyseInput, services.analyse_complaint)

    @action(detail=True, methods=["post"], permission_classes=[MayRead])
    def classify(self, request, pk=None):
        return self._act(s.ClassifyInput, services.classify_complaint)

    @action(detail=True, methods=["post"], permission_classes=[MayRead], url_path="dispatch", url_name="dispatch")
    def dispatch_to(self, request, pk=None):
        return self._act(s.DispatchInput, services.dispatch_complaint)

    @action(detail=True, methods=["post"], permission_classes=[MayRead], url_path="record-plan")
    def record_plan(self, request, pk=None):
        return self._act(s.PlanInput, services.record_plan)

    @action(detail=True, methods=["post"], permission_classes=[MayRead])
    def start(self, request, pk=None):
        return self._act(s.NoteInput, services.start_handling)

    @action(detail=True, methods=["post"], permission_classes=[MayRead])
    def resolve(self, request, pk=None):
        return self._act(s.ResolveInput, services.resolve_complaint)

    @action(detail=True, methods=["post"], permission_classes=[MayRead])
    def verify(self, request, pk=None):
        return self._act(s.NoteInput, services.verify_complaint)

    @action(detail=True, methods=["post"], permission_classes=[MayRead], url_path="return-visit")
    def return_visit(self, request, pk=None):
        return self._act(s.VisitInput, services.record_complaint_visit)

    @action(detail=True, methods=["post"], permission_classes=[MayRead])
    def close(self, request, pk=None):
        return self._act(s.SummaryInput, services.close_complaint)

    @action(detail=True, methods=["post"], permission_classes=[MayRead])
    def archive(self, request, pk=None):
        return self._act(s.NoteInput, services.archive_complaint)

    @action(detail=True, methods=["post"], permission_classes=[MayRead])
    def reopen(self, request, pk=None):
        return self._act(s.ReasonInput, services.reopen_complaint)

    @action(detail=True, methods=["post"], permission_classes=[MayRead])
    def respond(self, request, pk=None):
        return self._act(s.RespondInput, services.respond_to_customer)

    @action(detail=True, methods=["post"], permission_classes=[MayRead], url_path="report-to-head")
    def report_to_head(self, request, pk=None):
        return self._act(s.ReportInput, services.report_to_head)

    @action(detail=True, methods=["post"], permission_classes=[MayRead], url_path="agree-solution")
    def agree_solution(self, request, pk=None):
        return self._act(s.SolutionInput, services.agree_solution)

    @action(detail=True, methods=["post"], permission_classes=[MayRead], url_path="pause-clocks")
    def pause_clocks(self, request, pk=None):
        return self._act(s.ReasonInput, services.pause_clocks)

    @action(detail=True, methods=["post"], permission_classes=[MayRead], url_path="resume-clocks")
    def resume_clocks(self, request, pk=None):
        return self._act(s.EmptyInput, services.resume_clocks)


class RepairOrderViewSet(IdempotentCreateMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                         mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = selectors.repair_order_list()
    serializer_class = s.RepairOrderSerializer
    policy = policies.REPAIR_ORDERS
    filterset_class = RepairOrderFilterSet
    ordering_fields = ["reported_at", "state"]
    ordering = ["-reported_at"]

    def get_queryset(self):
        return self.policy.scope(super().get_queryset(), self.request.user)

    def perform_create(self, serializer):
        data = serializer.validated_data
        self.policy.check_project(self.request.user, data["unit"].project)
        serializer.instance = services.report_repair(actor=self.request.user, **data)

    def _act(self, input_class, service):
        order = self.get_object()
        _run(self, input_class, lambda **data: service(order=order, actor=self.request.user, **data))
        return Response(self.get_serializer(self.get_queryset().get(pk=order.pk)).data)

    @action(detail=True, methods=["post"], permission_classes=[MayRead])
    def assign(self, request, pk=None):
        return self._act(s.AssignInput, services.assign_repair)

    @action(detail=True, methods=["post"], permission_classes=[MayRead])
    def start(self, request, pk=None):
        return self._act(s.EmptyInput, services.start_repair)

    @action(detail=True, methods=["post"], permission_classes=[MayRead])
    def complete(self, request, pk=None):
        return self._act(s.WorkDoneInput, services.complete_repair)

    @action(detail=True, methods=["post"], permission_classes=[MayRead], url_path="return-visit")
    def return_visit(self, request, pk=None):
        return self._act(s.VisitInput, services.record_repair_visit)

    @action(detail=True, methods=["post"], permission_classes=[MayRead])
    def close(self, request, pk=None):
        return self._act(s.EmptyInput, services.close_repair)


class ReturnVisitViewSet(IdempotentCreateMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                         mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Return visits; creating one is the complaint's or repair order's return-visit step."""

    queryset = ReturnVisit.objects.select_related("project", "visitor")
    serializer_class = s.ReturnVisitSerializer
    policy = policies.RETURN_VISITS
    filterset_class = ReturnVisitFilterSet
    ordering_fields = ["visited_at"]
    ordering = ["-visited_at"]

    def get_queryset(self):
        return self.policy.scope(super().get_queryset(), self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        complaint, order = data.pop("complaint", None), data.pop("repair_order", None)
        user = self.request.user
        self.policy.check_project(user, (complaint or order).project)
        if complaint is not None:
            get_object_or_404(policies.COMPLAINTS.scope(selectors.complaint_list(), user), pk=complaint.pk)
            serializer.instance = services.record_complaint_visit(complaint=complaint, actor=user, **data)
        else:
            get_object_or_404(policies.REPAIR_ORDERS.scope(selectors.repair_order_list(), user), pk=order.pk)
            serializer.instance = services.record_repair_visit(order=order, actor=user, **data)


class DefectViewSet(ScopedModelViewSet):
    queryset = Defect.objects.select_related("project")
    serializer_class = s.DefectSerializer
    policy = policies.DEFECTS
    filterset_class = DefectFilterSet
    ordering_fields = ["raised_at", "category"]
    ordering = ["-raised_at"]
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        self.check_project(serializer.validated_data)
        serializer.instance = services.raise_defect(actor=self.request.user, **serializer.validated_data)

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

    @action(detail=True, methods=["post"])
    def settle(self, request, pk=None):
        objection = self.get_object()
        _run(self, s.SettleInput, lambda **data: services.settle_objection(objection=objection, actor=request.user,
                                                                            **data))
        return Response(self.get_serializer(self.get_queryset().get(pk=objection.pk)).data)

    @action(detail=True, methods=["post"])
    def reminder(self, request, pk=None):
        """Issue the delivery reminder notice (交付催告) to this objection's buyer (rule C14)."""
        objection = self.get_object()
        notice = _run(self, s.ReminderInput, lambda **data: services.issue_delivery_reminder(
            actor=request.user, unit=objection.unit, customer=objection.customer, objection=objection, **data))
        return Response({"id": notice.pk, "take_over_by": notice.take_over_by, "text": notice.text},
                        status=status.HTTP_201_CREATED)


class MonthlyReportView(APIView):
    """Rule C12: the monthly complaint analysis; `?format=xlsx` returns the Excel file."""

    policy = policies.REPORTS
    renderer_classes = [renderers.JSONRenderer, renderers.BrowsableAPIRenderer, XlsxRenderer]

    @extend_schema(parameters=[OpenApiParameter("year", int), OpenApiParameter("month", int), OpenApiParameter("format", str, enum=["json", "xlsx"])], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        year, month = _year_month(request)
        scoped = policies.REPORTS.scope(selectors.complaint_list(), request.user)
        report = selectors.monthly_report(complaints=scoped, year=year, month=month)
        if request.accepted_renderer.format == "xlsx":
            return exports.monthly_report_xlsx(report)
        return Response(report)


class WeeklyDefectsView(APIView):
    """Rule D2: the week's defects by category (`?day=YYYY-MM-DD`, default today)."""

    policy = policies.DEFECTS
    renderer_classes = [renderers.JSONRenderer, renderers.BrowsableAPIRenderer, XlsxRenderer]

    @extend_schema(parameters=[OpenApiParameter("day", datetime.date), OpenApiParameter("format", str, enum=["json", "xlsx"])], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        day = _date(request.query_params.get("day")) or timezone.localdate()
        stats = selectors.weekly_defect_stats(defects=policies.DEFECTS.scope(Defect.objects.all(), request.user),
                                              day=day)
        if request.accepted_renderer.format == "xlsx":
            return exports.weekly_defects_xlsx(stats)
        return Response(stats)


class QualityHandbookView(APIView):
    """Rule D3: the quarterly quality handbook of a company (`?company=&year=&quarter=`)."""

    policy = policies.HANDBOOK
    renderer_classes = [renderers.JSONRenderer, renderers.BrowsableAPIRenderer, XlsxRenderer]

    @extend_schema(parameters=[OpenApiParameter("company", int), OpenApiParameter("year", int), OpenApiParameter("quarter", int), OpenApiParameter("format", str, enum=["json", "xlsx"])], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        company, year, quarter = handbook_params(request)
        book = selectors.quality_handbook(company=company, year=year, quarter=quarter)
        if request.accepted_renderer.format == "xlsx":
            return exports.handbook_xlsx(book)
        return Response({
            "company": company.name, "year": year, "quarter": quarter, "defect_count": book["defect_count"],
            "complaint_count": book["complaint_count"], "valid_complaints": book["valid_complaints"],
            "categories": [{"label": section["label"], "defects": s.DefectSerializer(section["defects"],
                                                                                      many=True).data}
                           for section in book["categories"]]})


def handbook_params(request):
    params = request.GET if hasattr(request, "GET") else request.query_params
    company = get_object_or_404(Company, pk=params.get("company") or 0) if params.get("company") else \
        Company.objects.order_by("pk").first()
    if company is None:
        raise DomainError(_("No company yet."), field="company")
    default_year, default_quarter = selectors.previous_quarter(timezone.localdate())
    try:
        year = int(params.get("year") or default_year)
        quarter = int(params.get("quarter") or default_quarter)
    except ValueError as error:
        raise DomainError(_("Give the year and quarter as numbers."), field="quarter") from error
    if quarter not in (1, 2, 3, 4):
        raise DomainError(_("A quarter is 1 to 4."), field="quarter")
    return company, year, quarter


def _year_month(request):
    params = request.GET if hasattr(request, "GET") else request.query_params
    today = timezone.localdate()
    try:
        year = int(params.get("year") or today.year)
        month = int(params.get("month") or today.month)
    except ValueError as error:
        raise DomainError(_("Give the year and month as numbers."), field="month") from error
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise DomainError(_("No such month."), field="month")
    return year, month


def _date(value):
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError as error:
        raise DomainError(_("Give the day as YYYY-MM-DD."), field="day") from error
