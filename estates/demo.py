"""Demo estates: one company, two projects with buildings, units and component types."""

import datetime
from decimal import Decimal

from .choices import ProductKind, ProjectStatus, UnitStatus
from .models import Building, Company, ComponentType, Project, Unit
from .services import add_units, create_project

COMPONENT_TYPES = [
    ("屋面防水", "防水", 60),
    ("卫生间防水", "防水", 60),
    ("外墙防渗漏", "防水", 60),
    ("门窗", "门窗五金", 24),
    ("电气管线", "机电", 24),
    ("给排水管道", "机电", 24),
    ("装修工程", "装修", 24),
    ("橱柜衣柜五金", "门窗五金", 24),
    ("燃气灶", "厨电", 12),
    ("抽油烟机", "厨电", 12),
    ("空调", "机电", 24),
    ("可视对讲门禁", "智能化", 24),
]

PROJECTS = [
    {
        "name": "万科城市花园",
        "code": "SZ-CSHY",
        "status": ProjectStatus.SELLING,
        "product_kind": ProductKind.HIGH_RISE,
        "opening_date": datetime.date(2026, 3, 18),
        "delivery_date": datetime.date(2027, 12, 30),
        "address": "深圳市龙岗区布吉街道",
        "buildings": ["1栋", "2栋", "3栋"],
        "floors": 12,
        "price": Decimal("42000"),
    },
    {
        "name": "万科翡翠滨江",
        "code": "SZ-FCBJ",
        "status": ProjectStatus.DELIVERED,
        "product_kind": ProductKind.HIGH_RISE,
        "opening_date": datetime.date(2023, 5, 20),
        "delivery_date": datetime.date(2025, 6, 30),
        "address": "深圳市南山区滨海大道",
        "buildings": ["A座", "B座"],
        "floors": 15,
        "price": Decimal("68000"),
    },
]

LAYOUTS = [
    ("三室两厅", Decimal("98.50")),
    ("两室两厅", Decimal("78.20")),
    ("四室两厅", Decimal("128.00")),
    ("三室两厅", Decimal("105.30")),
]


def seed(staff: dict) -> list[Project]:
    company, _ = Company.objects.get_or_create(
        name="深圳万科", defaults={"city": "深圳", "service_hotline": "400-800-1234"}
    )
    for name, category, months in COMPONENT_TYPES:
        ComponentType.objects.get_or_create(
            name=name, defaults={"category": category, "default_warranty_months": months}
        )
    projects = []
    for spec in PROJECTS:
        project = Project.objects.filter(company=company, name=spec["name"]).first()
        if project is None:
            fields = {
                key: spec[key] for key in ("code", "status", "product_kind", "opening_date", "delivery_date", "address")
            }
            project = create_project(company=company, name=spec["name"], city="深圳", **fields)
            for building_name in spec["buildings"]:
                building = Building.objects.create(
                    project=project, name=building_name, floors=spec["floors"], delivery_date=spec["delivery_date"]
                )
                add_units(
                    building=building, floors=range(2, spec["floors"] + 1), layouts=LAYOUTS, price_per_m2=spec["price"]
                )
            _spread_statuses(project)
        project.staff.add(*[user for name, user in staff.items() if name != "admin"])
        projects.append(project)
    return projects


def _spread_statuses(project):
    """A believable mix: delivered projects are sold out, selling ones partly sold."""
    units = list(project.units.order_by("pk").values_list("pk", flat=True))
    if project.status == ProjectStatus.DELIVERED:
        Unit.objects.filter(pk__in=units[: len(units) * 9 // 10]).update(status=UnitStatus.DELIVERED)
        return
    Unit.objects.filter(pk__in=units[::3]).update(status=UnitStatus.SIGNED)
    Unit.objects.filter(pk__in=units[1::7]).update(status=UnitStatus.SUBSCRIBED)
