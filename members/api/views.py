"""The tablet API of the sales office. Thin: every move calls one service in members.services."""

import datetime

from django.utils.decorators import method_decorator
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.replica import reads_from_replica
from core.api.renderers import XlsxRenderer
from core.api.viewsets import ScopedModelViewSet, ScopedRowsMixin
from core.errors import DomainError
from members import policies, reports, selectors, services
from members.choices import ApprovalKind
from members.models import Customer, GradeChange
from members.filters import (
    ApprovalFilterSet,
    CustomerFilterSet,
    FollowUpFilterSet,
    LeadFilterSet,
    MembershipFilterSet,
    PurchaseFilterSet,
    VisitFilterSet,
)

from .serializers import (
    ApprovalRequestSerializer,
    CancelSerializer,
    CustomerSerializer,
    DecisionSerializer,
    FollowUpSerializer,
    GradeChangeSerializer,
    LeadApprovalSerializer,
    LeadSerializer,
    MembershipSerializer,
    MilestoneSerializer,
    PurchaseSerializer,
    ReassignSerializer,
    RegradeSerializer,
    VisitSerializer,
)

READ_AND_POST = ["get", "post", "head", "options"]


class ChecksCustomerMixin:
    """After the project check (403), a customer the caller may not see is answered as unknown (400)."""

    def check_project(self, validated_data):
        super().check_project(validated_data)
        customer = validated_data.get("customer")
        if (
            customer is not None
            and not policies.CUSTOMERS.scope(Customer.objects.filter(pk=customer.pk), self.request.user).exists()
        ):
            raise DomainError(_("Unknown customer."), code="unknown_customer", field="customer")


class CustomerViewSet(ScopedModelViewSet):
    """Customers of the caller's projects; a consultant sees their own (and their team's) only."""

    queryset = selectors.customer_list()
    list_queryset = selectors.customer_rows()
    serializer_class = CustomerSerializer
    policy = policies.CUSTOMERS
    filterset_class = CustomerFilterSet
    ordering_fields = ["name", "created_at", "birthday"]
    ordering = ["-created_at"]

    def perform_create(self, serializer):
        self.check_project(serializer.validated_data)
        serializer.instance = services.register_customer(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        self.check_project(serializer.validated_data)
        serializer.instance = services.update_customer(
            customer=serializer.instance, actor=self.request.user, **serializer.validated_data
        )


class VisitViewSet(ScopedModelViewSet):
    """Visits to the sales office; a known mobile links to the customer, a new one registers them (J5)."""

    queryset = selectors.visit_list()
    list_queryset = selectors.visit_rows()
    serializer_class = VisitSerializer
    policy = policies.VISITS
    filterset_class = VisitFilterSet
    ordering_fields = ["visited_at"]
    ordering = ["-visited_at"]
    http_method_names = READ_AND_POST

    def perform_create(self, serializer):
        self.check_project(serializer.validated_data)
        serializer.instance = services.register_visit(actor=self.request.user, **serializer.validated_data)


class LeadViewSet(ChecksCustomerMixin, ScopedModelViewSet):
    """Leads graded A–D or invalid (L1); grades move only through `regrade` and the approvals."""

    queryset = selectors.lead_list()
    list_queryset = selectors.lead_rows()
    serializer_class = LeadSerializer
    policy = policies.LEADS
    filterset_class = LeadFilterSet
    ordering_fields = ["next_follow_up_on", "graded_at", "created_at", "grade"]
    ordering = ["next_follow_up_on", "pk"]
    http_method_names = READ_AND_POST

    def perform_create(self, serializer):
        self.check_project(serializer.validated_data)
        data = serializer.validated_data
        serializer.instance = services.open_lead(
            customer=data["customer"],
            project=data["project"],
            grade=data["grade"],
            criteria=data.get("criteria", []),
            reason=data.get("reason", ""),
            actor=self.request.user,
        )

    @extend_schema(request=RegradeSerializer, responses={200: LeadSerializer, 202: LeadApprovalSerializer})
    @action(detail=True, methods=["post"])
    def regrade(self, request, pk=None):
        """Change the grade (L1: the grade's criteria are required, 400 naming what is missing).

        A demotion to D by a consultant becomes a request to the supervisor, and invalid without two or more
        consultants' follow-ups a request to the sales manager: 202 with the request."""
        data = self._valid(RegradeSerializer)
        outcome = services.regrade_lead(lead=self.get_object(), actor=request.user, **data)
        if outcome.approval is not None:
            return Response(LeadApprovalSerializer(outcome.approval).data, status=status.HTTP_202_ACCEPTED)
        return Response(self.get_serializer(outcome.lead).data)

    @extend_schema(request=ReassignSerializer, responses=LeadSerializer)
    @action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        """Hand the lead to another consultant (supervisor within the team, manager project-wide)."""
        data = self._valid(ReassignSerializer)
        lead = services.reassign_lead(lead=self.get_object(), actor=request.user, **data)
        return Response(self.get_serializer(lead).data)

    @extend_schema(request=ApprovalRequestSerializer, responses={202: LeadApprovalSerializer})
    @action(detail=True, methods=["post"], url_path="stop-tracking")
    def stop_tracking(self, request, pk=None):
        """Ask the manager to stop tracking a D lead after its return visits (L7)."""
        return self._request(ApprovalKind.STOP_TRACKING)

    @extend_schema(request=ApprovalRequestSerializer, responses={202: LeadApprovalSerializer})
    @action(detail=True, methods=["post"])
    def reclaim(self, request, pk=None):
        """Ask the manager to follow an archived invalid lead again (L8)."""
        return self._request(ApprovalKind.RECLAIM)

    def _request(self, kind):
        data = self._valid(ApprovalRequestSerializer)
        approval = services.request_approval(lead=self.get_object(), kind=kind, actor=self.request.user, **data)
        return Response(LeadApprovalSerializer(approval).data, status=status.HTTP_202_ACCEPTED)

    def _valid(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class OfLeadMixin:
    """A resource under leads/{lead_pk}/: the lead, once per request, among those the caller may see (404)."""

    def get_lead(self):
        if not hasattr(self, "_lead"):
            leads = policies.LEADS.scope(selectors.lead_list(), self.request.user)
            self._lead = get_object_or_404(leads, pk=self.kwargs["lead_pk"])
        return self._lead


class FollowUpViewSet(OfLeadMixin, ScopedModelViewSet):
    """leads/{id}/follow-ups: the follow-ups of one lead; recording one sets the next due date (L3)."""

    queryset = selectors.follow_up_list()
    serializer_class = FollowUpSerializer
    policy = policies.FOLLOW_UPS
    filterset_class = FollowUpFilterSet
    ordering_fields = ["happened_at"]
    ordering = ["-happened_at"]
    http_method_names = READ_AND_POST

    def get_queryset(self):
        return super().get_queryset().filter(lead=self.get_lead())

    def project_of(self, validated_data):
        return self.get_lead().project

    def perform_create(self, serializer):
        self.check_project(serializer.validated_data)
        serializer.instance = services.record_follow_up(
            lead=self.get_lead(), actor=self.request.user, **serializer.validated_data
        )


class GradeChangeViewSet(OfLeadMixin, viewsets.ReadOnlyModelViewSet):
    """leads/{id}/grade-changes: every change of the lead's grade, oldest first (L9); visible to whoever sees
    the lead."""

    queryset = GradeChange.objects.none()
    serializer_class = GradeChangeSerializer
    policy = policies.GRADE_CHANGES

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return self.policy.scope(selectors.grade_history(self.get_lead()), self.request.user)


class LeadApprovalViewSet(ScopedRowsMixin, viewsets.ReadOnlyModelViewSet):
    """Requests waiting for a superior: C→D (supervisor), stop a D lead and reclaim (manager). They are raised
    by the lead's own moves (regrade, stop tracking) and decided here; nobody posts one directly."""

    queryset = selectors.approval_list()
    list_queryset = selectors.approval_rows()
    serializer_class = LeadApprovalSerializer
    policy = policies.APPROVALS
    filterset_class = ApprovalFilterSet
    ordering_fields = ["requested_at"]
    ordering = ["-requested_at"]

    @extend_schema(request=DecisionSerializer, responses=LeadApprovalSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(approve=True)

    @extend_schema(request=DecisionSerializer, responses=LeadApprovalSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(approve=False)

    def _decide(self, *, approve):
        serializer = DecisionSerializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        approval = services.decide_approval(
            approval=self.get_object(), approve=approve, actor=self.request.user, **serializer.validated_data
        )
        return Response(self.get_serializer(approval).data)


class MembershipViewSet(ChecksCustomerMixin, ScopedModelViewSet):
    """Club members (M1); opting out of messages takes effect at once (M3)."""

    queryset = selectors.membership_list()
    list_queryset = selectors.membership_rows()
    serializer_class = MembershipSerializer
    policy = policies.MEMBERSHIPS
    filterset_class = MembershipFilterSet
    ordering_fields = ["joined_on", "member_number"]
    ordering = ["-joined_on"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def project_of(self, validated_data):
        return validated_data.get("source_project")

    def perform_create(self, serializer):
        self.check_project(serializer.validated_data)
        serializer.instance = services.join_club(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.update_membership(
            membership=serializer.instance,
            actor=self.request.user,
            level=data.get("level"),
            consents_to_messages=data.get("consents_to_messages"),
        )

    @extend_schema(request=None, responses=MembershipSerializer)
    @action(detail=True, methods=["post"], url_path="opt-out")
    def opt_out(self, request, pk=None):
        """The member stops receiving messages from this moment (M3)."""
        membership = services.update_membership(
            membership=self.get_object(), actor=request.user, consents_to_messages=False
        )
        return Response(self.get_serializer(membership).data)

    @extend_schema(request=None, responses=MembershipSerializer)
    @action(detail=True, methods=["post"], url_path="opt-in")
    def opt_in(self, request, pk=None):
        membership = services.update_membership(
            membership=self.get_object(), actor=request.user, consents_to_messages=True
        )
        return Response(self.get_serializer(membership).data)


class PurchaseViewSet(ChecksCustomerMixin, ScopedModelViewSet):
    """Purchases from subscription to move-in (J23); `cancel` is the three-day no-reason path (J4)."""

    queryset = selectors.purchase_list()
    list_queryset = selectors.purchase_rows()
    serializer_class = PurchaseSerializer
    policy = policies.PURCHASES
    filterset_class = PurchaseFilterSet
    ordering_fields = ["subscribed_on", "signed_on", "price"]
    ordering = ["-subscribed_on", "-pk"]
    http_method_names = READ_AND_POST

    def project_of(self, validated_data):
        unit = validated_data.get("unit")
        return unit.project if unit else None

    def perform_create(self, serializer):
        self.check_project(serializer.validated_data)
        serializer.instance = services.subscribe(actor=self.request.user, **serializer.validated_data)

    @extend_schema(request=MilestoneSerializer, responses=PurchaseSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        return self._advance("sign")

    @extend_schema(request=MilestoneSerializer, responses=PurchaseSerializer)
    @action(detail=True, methods=["post"], url_path="disburse-loan")
    def disburse_loan(self, request, pk=None):
        return self._advance("disburse_loan")

    @extend_schema(request=MilestoneSerializer, responses=PurchaseSerializer)
    @action(detail=True, methods=["post"])
    def deliver(self, request, pk=None):
        return self._advance("deliver")

    @extend_schema(request=MilestoneSerializer, responses=PurchaseSerializer)
    @action(detail=True, methods=["post"], url_path="move-in")
    def move_in(self, request, pk=None):
        return self._advance("move_in")

    @extend_schema(request=CancelSerializer, responses=PurchaseSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Three-day no-reason cancellation, judged on the day of the request; outside the project's rule the answer
        is 409 with the reason. An earlier `on` (a cancellation recorded late) is for the sales manager only (403)."""
        serializer = CancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        purchase = services.cancel_purchase(purchase=self.get_object(), actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(purchase).data)

    def _advance(self, step):
        serializer = MilestoneSerializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        purchase = services.advance_purchase(
            purchase=self.get_object(), step=step, actor=self.request.user, **serializer.validated_data
        )
        return Response(self.get_serializer(purchase).data)


class WeeklySummaryReportView(APIView):
    """L5 and J5: the week's leads by grade, follow-ups, overdue leads and club invitation rate per consultant.

    `?week=YYYY-MM-DD` picks the week containing that day (default: last week); `?format=xlsx` for Excel.
    """

    policy = policies.REPORTS
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, XlsxRenderer]

    @method_decorator(reads_from_replica)
    @extend_schema(
        parameters=[OpenApiParameter("week", datetime.date), OpenApiParameter("format", str, enum=["json", "xlsx"])],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        week = request.query_params.get("week")
        try:
            day = datetime.date.fromisoformat(week) if week else timezone.localdate() - datetime.timedelta(days=7)
        except ValueError:
            raise ValidationError({"week": [_("Enter a date as YYYY-MM-DD.")]}) from None
        report = reports.weekly_summaries(user=request.user, day=day)
        if request.accepted_renderer.format == "xlsx":
            return reports.as_xlsx(report, user=request.user)
        return Response(reports.as_json(report))
