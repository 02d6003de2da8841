from django.contrib import admin

from core.admin import PolicyAdmin, PolicyHistoryAdmin, PolicyInline

from . import policies
from .models import Building, Company, ComponentType, Project, ProjectRules, Unit, WarrantyOverride


@admin.register(Company)
class CompanyAdmin(PolicyAdmin):
    policy = policies.COMPANIES
    list_display = ["name", "city", "service_hotline"]
    search_fields = ["name", "city"]


class ProjectRulesInline(PolicyInline, admin.StackedInline):
    editable = True
    model = ProjectRules
    can_delete = False


class WarrantyOverrideInline(PolicyInline, admin.TabularInline):
    editable = True
    model = WarrantyOverride
    extra = 0
    autocomplete_fields = ["component_type"]


class BuildingInline(PolicyInline, admin.TabularInline):
    editable = True
    model = Building
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("project")  # (each row is named by its project)


@admin.register(Project)
class ProjectAdmin(PolicyHistoryAdmin):
    policy = policies.PROJECTS
    list_display = ["name", "code", "company", "city", "status", "product_kind", "opening_date", "delivery_date"]
    list_filter = ["company", "status", "product_kind", "city"]
    search_fields = ["name", "code", "city", "address"]
    date_hierarchy = "opening_date"
    inlines = [ProjectRulesInline, BuildingInline, WarrantyOverrideInline]


@admin.register(Building)
class BuildingAdmin(PolicyAdmin):
    policy = policies.BUILDINGS
    list_display = ["name", "project", "floors", "delivery_date"]
    list_filter = ["project"]
    search_fields = ["name", "project__name"]


@admin.register(Unit)
class UnitAdmin(PolicyAdmin):
    policy = policies.UNITS
    list_display = ["__str__", "project", "floor", "area", "layout", "list_price", "status"]
    list_filter = ["project", "status", "layout"]
    search_fields = ["number", "building__name", "project__name"]
    list_select_related = ["building", "project"]
    autocomplete_fields = ["building"]


@admin.register(ComponentType)
class ComponentTypeAdmin(PolicyAdmin):
    policy = policies.COMPONENT_TYPES
    list_display = ["name", "category", "default_warranty_months"]
    list_filter = ["category"]
    search_fields = ["name", "category"]


@admin.register(WarrantyOverride)
class WarrantyOverrideAdmin(PolicyAdmin):
    policy = policies.WARRANTY_OVERRIDES
    list_display = ["project", "component_type", "warranty_months"]
    list_filter = ["project", "component_type"]
    autocomplete_fields = ["project", "component_type"]
