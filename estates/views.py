from django.db.models import Count

from core import sections
from core.views import FilteredListView, PolicyDetailView

from . import policies
from .choices import UnitStatus
from .filters import ProjectFilterSet, UnitFilterSet
from .models import Project, Unit
from .selectors import units_by_status, with_unit_counts


class ProjectListView(FilteredListView):
    model = Project
    policy = policies.PROJECTS
    filterset_class = ProjectFilterSet
    ordering_fields = ("name", "city", "status", "opening_date")
    default_ordering = ("name",)
    template_name = "estates/project_list.html"

    def decorate(self, queryset):
        return with_unit_counts(queryset.select_related("company"))


class ProjectDetailView(PolicyDetailView):
    model = Project
    policy = policies.PROJECTS
    template_name = "estates/project_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("company")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.object
        context["buildings"] = project.buildings.annotate(unit_count=Count("units")).order_by("name")
        context["unit_status"] = [
            {"status": UnitStatus(status).label, "value": status, "count": count}
            for status, count in units_by_status(project)
        ]
        context["unit_total"] = sum(row["count"] for row in context["unit_status"])
        context["staff"] = project.staff.prefetch_related("groups").order_by("username")
        context["page_sections"] = sections.rendered("project", request=self.request, project=project)
        return context


class UnitListView(FilteredListView):
    model = Unit
    policy = policies.UNITS
    filterset_class = UnitFilterSet
    ordering_fields = ("number", "floor", "area", "list_price")  # (a status is filtered by)
    default_ordering = tuple(Unit._meta.ordering)
    template_name = "estates/unit_list.html"

    def decorate(self, queryset):
        return queryset.select_related("building", "project")


class UnitDetailView(PolicyDetailView):
    model = Unit
    policy = policies.UNITS
    template_name = "estates/unit_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("building", "project")
