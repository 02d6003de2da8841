from core.api.viewsets import ScopedModelViewSet
from estates import policies, services
from estates.filters import BuildingFilterSet, ComponentTypeFilterSet, ProjectFilterSet, UnitFilterSet
from estates.models import Building, ComponentType, Project, Unit, WarrantyOverride

from .serializers import (
    BuildingSerializer,
    ComponentTypeSerializer,
    ProjectSerializer,
    UnitSerializer,
    WarrantyOverrideSerializer,
)


class ProjectViewSet(ScopedModelViewSet):
    queryset = Project.objects.select_related("company")
    serializer_class = ProjectSerializer
    policy = policies.PROJECTS
    filterset_class = ProjectFilterSet
    ordering_fields = ["name", "city", "status", "opening_date", "created_at"]
    ordering = ["name"]

    def project_of(self, validated_data):
        return None  # creating a project is an administrator's act, not tied to existing projects

    def perform_create(self, serializer):
        self.check_project(serializer.validated_data)
        serializer.instance = services.create_project(**serializer.validated_data)


class BuildingViewSet(ScopedModelViewSet):
    queryset = Building.objects.all()
    serializer_class = BuildingSerializer
    policy = policies.BUILDINGS
    filterset_class = BuildingFilterSet
    ordering_fields = ["name", "delivery_date"]
    ordering = ["project", "name"]


class UnitViewSet(ScopedModelViewSet):
    queryset = Unit.objects.select_related("building")
    serializer_class = UnitSerializer
    policy = policies.UNITS
    filterset_class = UnitFilterSet
    ordering_fields = ["number", "floor", "area", "list_price"]  # (a status is filtered by)
    ordering = Unit._meta.ordering

    def project_of(self, validated_data):
        building = validated_data.get("building")
        return building.project if building else None


class ComponentTypeViewSet(ScopedModelViewSet):
    queryset = ComponentType.objects.all()
    serializer_class = ComponentTypeSerializer
    policy = policies.COMPONENT_TYPES
    filterset_class = ComponentTypeFilterSet
    ordering_fields = ["name", "default_warranty_months"]
    ordering = ["name"]


class WarrantyOverrideViewSet(ScopedModelViewSet):
    queryset = WarrantyOverride.objects.all()
    serializer_class = WarrantyOverrideSerializer
    policy = policies.WARRANTY_OVERRIDES
    filterset_fields = ["project", "component_type"]
    ordering_fields = ["warranty_months"]
    ordering = ["id"]
