"""Estates writes and the warranty rule (J16): a project's override wins over the default."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from .models import Building, ComponentType, Project, ProjectRules, Unit, WarrantyOverride


def rules_for(project: Project) -> ProjectRules:
    rules, _ = ProjectRules.objects.get_or_create(project=project)
    return rules


@transaction.atomic
def create_project(*, company, name: str, city: str, **fields) -> Project:
    project = Project.objects.create(company=company, name=name, city=city, **fields)
    ProjectRules.objects.create(project=project)
    return project


def warranty_months(*, project: Project, component_type: ComponentType) -> int:
    override = (
        WarrantyOverride.objects.filter(project=project, component_type=component_type)
        .values_list("warranty_months", flat=True)
        .first()
    )
    return override or component_type.default_warranty_months


@transaction.atomic
def add_units(*, building: Building, floors: range, layouts: list[tuple[str, Decimal]], price_per_m2) -> list[Unit]:
    """Lay out a building's units floor by floor, one per (layout, area): 1201, 1202 … on floor 12."""
    units = [
        Unit(
            building=building,
            project=building.project,
            number=f"{floor}{index:02d}",
            floor=floor,
            area=area,
            layout=layout,
            list_price=round(area * price_per_m2, 2),
        )
        for floor in floors
        for index, (layout, area) in enumerate(layouts, start=1)
    ]
    return Unit.objects.bulk_create(units)
