"""FilterSets shared by the API, the dashboard lists and the Excel exports."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet
from core.widgets import FewOrPicker, Picker

from .choices import ProjectStatus, UnitStatus
from .models import Building, ComponentType, Project, Unit
from .policies import UNITS
from .selectors import projects_for


def visible_projects(request):
    """The projects a filter offers: those the user works on (all of them where no request is known,
    as when the API schema is generated). Every app's FilterSets offer them through `ProjectFilter`."""
    return projects_for(request.user) if request else Project.objects.all()


def visible_units(request):
    return UNITS.scope(Unit.objects.all(), request.user) if request else Unit.objects.all()


class ProjectFilter(django_filters.ModelChoiceFilter):
    """A project the user works on: from a drop-down while they are few, found by typing beyond."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", visible_projects)
        kwargs.setdefault("label", _("Project"))
        kwargs.setdefault("widget", FewOrPicker("project"))
        super().__init__(*args, **kwargs)


class UnitFilter(django_filters.ModelChoiceFilter):
    """A unit the user may see, found by typing its number within the filter's project."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", visible_units)
        kwargs.setdefault("widget", Picker("unit", narrowed_by=("project", "customer")))
        super().__init__(*args, **kwargs)


def _buildings(request):
    return Building.objects.filter(project__in=visible_projects(request)).select_related("project")


class ProjectFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices, label=_("Status"))

    class Meta:
        model = Project
        fields = ["q", "company", "city", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(city__icontains=value))


class BuildingFilterSet(FilterSet):
    class Meta:
        model = Building
        fields = ["project"]


class UnitFilterSet(FilterSet):
    project = ProjectFilter()
    building = django_filters.ModelChoiceFilter(
        queryset=_buildings, label=_("Building"), widget=Picker("building", narrowed_by=("project",))
    )
    status = django_filters.ChoiceFilter(choices=UnitStatus.choices, label=_("Status"))
    min_area = django_filters.NumberFilter(field_name="area", lookup_expr="gte", label=_("Min. area"))
    max_area = django_filters.NumberFilter(field_name="area", lookup_expr="lte", label=_("Max. area"))
    max_price = django_filters.NumberFilter(field_name="list_price", lookup_expr="lte", label=_("Max. list price"))

    class Meta:
        model = Unit
        fields = ["project", "building", "status", "floor", "layout", "min_area", "max_area", "max_price"]


class ComponentTypeFilterSet(FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("Name"))

    class Meta:
        model = ComponentType
        fields = ["name", "category"]
