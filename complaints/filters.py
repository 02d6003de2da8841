"""FilterSets shared by the API, the dashboard lists and the Excel exports."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.filters import CatalogueFilter, DateFilter, FilterSet, YesNoFilter
from core.models import Department
from estates.filters import ProjectFilter, UnitFilter
from members.filters import CustomerFilter

from .choices import (
    OPEN_STATES,
    Channel,
    ClockStatus,
    ComplaintState,
    CrisisStatus,
    DefectCategory,
    DefectSource,
    ObjectionStatus,
    RepairState,
    Satisfaction,
    Severity,
    Validity,
    VisitSubject,
)
from .models import (
    CaseEntry,
    Complaint,
    ComplaintCategory,
    CrisisRecord,
    Defect,
    DeliveryObjection,
    RepairOrder,
    ReturnVisit,
    SlaClock,
)


class ComplaintFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Subject or content"))
    project = ProjectFilter()
    state = django_filters.MultipleChoiceFilter(choices=ComplaintState.choices, distinct=False, label=_("Status"))
    severity = django_filters.ChoiceFilter(choices=Severity.choices, label=_("Severity"))
    validity = django_filters.ChoiceFilter(choices=Validity.choices, label=_("Validity"))
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("Channel"))
    category = CatalogueFilter(queryset=ComplaintCategory.objects.all(), to_field_name="code", label=_("Category"))
    department = CatalogueFilter(queryset=Department.objects.all(), label=_("Department"))
    customer = CustomerFilter(label=_("Customer"))
    unit = UnitFilter(label=_("Unit"))
    received_after = DateFilter(field_name="received_at", lookup_expr="date__gte", label=_("Received from"))
    received_before = DateFilter(field_name="received_at", lookup_expr="date__lte", label=_("Received until"))
    open = YesNoFilter(method="filter_open", label=_("Open"))
    breached = YesNoFilter(method="filter_breached", label=_("Past a deadline"))

    class Meta:
        model = Complaint
        fields = [
            "q",
            "project",
            "state",
            "severity",
            "validity",
            "channel",
            "category",
            "department",
            "customer",
            "unit",
            "received_after",
            "received_before",
            "open",
            "breached",
        ]

    def filter_open(self, queryset, name, value):
        return queryset.filter(state__in=OPEN_STATES) if value else queryset.exclude(state__in=OPEN_STATES)

    def filter_breached(self, queryset, name, value):
        breached = Exists(SlaClock.objects.filter(complaint=OuterRef("pk"), status=ClockStatus.BREACHED))
        return queryset.filter(breached) if value else queryset.exclude(breached)

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(content__icontains=value))


class RepairOrderFilterSet(FilterSet):
    project = ProjectFilter()
    state = django_filters.ChoiceFilter(choices=RepairState.choices, label=_("Status"))
    unit = UnitFilter(label=_("Unit"))
    in_warranty = YesNoFilter(label=_("In warranty"))
    channel = django_filters.ChoiceFilter(field_name="complaint__channel", choices=Channel.choices, label=_("Channel"))

    class Meta:
        model = RepairOrder
        fields = ["project", "state", "unit", "in_warranty", "channel"]


class ReturnVisitFilterSet(FilterSet):
    project = ProjectFilter()
    complaint = django_filters.NumberFilter(field_name="complaint_id", label=_("Complaint"))
    repair_order = django_filters.NumberFilter(field_name="repair_order_id", label=_("Repair order"))
    satisfaction = django_filters.ChoiceFilter(choices=Satisfaction.choices, label=_("Satisfaction"))

    class Meta:
        model = ReturnVisit
        fields = ["project", "complaint", "repair_order", "satisfaction"]


class DefectFilterSet(FilterSet):
    project = ProjectFilter()
    category = django_filters.ChoiceFilter(choices=DefectCategory.choices, label=_("Category"))
    source = django_filters.ChoiceFilter(choices=DefectSource.choices, label=_("Source"))
    raised_after = DateFilter(field_name="raised_at", lookup_expr="date__gte", label=_("Raised from"))
    raised_before = DateFilter(field_name="raised_at", lookup_expr="date__lte", label=_("Raised until"))

    class Meta:
        model = Defect
        fields = ["project", "category", "source", "raised_after", "raised_before"]


class ObjectionFilterSet(FilterSet):
    project = ProjectFilter()
    status = django_filters.ChoiceFilter(choices=ObjectionStatus.choices, label=_("Status"))

    class Meta:
        model = DeliveryObjection
        fields = ["project", "status"]


class CrisisFilterSet(FilterSet):
    project = ProjectFilter(field_name="complaint__project")
    status = django_filters.ChoiceFilter(choices=CrisisStatus.choices, label=_("Status"))
    opened_after = DateFilter(field_name="opened_at", lookup_expr="date__gte", label=_("Opened from"))
    opened_before = DateFilter(field_name="opened_at", lookup_expr="date__lte", label=_("Opened until"))

    class Meta:
        model = CrisisRecord
        fields = ["project", "status", "opened_after", "opened_before"]


class DueReturnVisitFilterSet(FilterSet):
    """The return-visit queue (rules C9, C13): a project's, the complaints' or the repair orders', the overdue."""

    project = ProjectFilter(method="filter_project")
    subject = django_filters.ChoiceFilter(
        choices=VisitSubject.choices,
        method="filter_subject",
        label=_("For"),
    )
    overdue = YesNoFilter(method="filter_overdue", label=_("Overdue"))

    class Meta:
        model = SlaClock
        fields = ["project", "subject", "overdue"]

    @extend_schema_field(OpenApiTypes.INT)  # (a project's id, as every list's `project`)
    def filter_project(self, queryset, name, value):
        return queryset.filter(Q(complaint__project=value) | Q(repair_order__project=value))

    def filter_subject(self, queryset, name, value):
        return queryset.filter(**{f"{value}__isnull": False})

    def filter_overdue(self, queryset, name, value):
        now = timezone.now()
        return queryset.filter(due_at__lt=now) if value else queryset.filter(due_at__gte=now)


class CaseFilterSet(FilterSet):
    """The case library (rule C11): cases found by a word of their story, or by the complaints' category."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    category = CatalogueFilter(queryset=ComplaintCategory.objects.all(), to_field_name="code", label=_("Category"))

    class Meta:
        model = CaseEntry
        fields = ["q", "category"]

    def search(self, queryset, name, value):
        told = ("title", "situation", "handling", "lesson")
        return queryset.filter(Q.create([(f"{field}__icontains", value) for field in told], connector=Q.OR))
