"""What a form's picker offers as the user types: customers, units, buildings, projects and staff, each scoped to
what the user may see and narrowed by the values already chosen on the form (a project, a customer, a department).

The forms render only the chosen value (`core.widgets.Picker`); the browser asks `/lookup/pick/<kind>/` for
the matches, so no page lists every customer, unit or colleague of a large company.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.access import display_phone, mask_phone, may_see_contact
from core.models import User
from core.roles import Role
from estates.models import Building, Unit
from estates.policies import BUILDINGS, UNITS
from estates.selectors import projects_for
from members.models import Customer, Purchase
from members.policies import CUSTOMERS

from .selectors import customer_condition, first_by_name, unit_condition

KINDS = ("customer", "unit", "building", "project", "staff")
PICKS = 20
NO_MATCH = _("No match: check what was typed, or type less of it.")


@dataclass(frozen=True)
class Choice:
    id: int
    label: str
    detail: str


def pick(user, kind: str, text: str, narrowed_by: dict[str, str]) -> list[Choice]:
    """Up to PICKS choices of `kind` matching `text`, within the form's other values."""
    query = (text or "").strip()
    narrowed = {name: int(value) for name, value in narrowed_by.items() if str(value).isdigit()}
    if kind == "customer":
        return _customers(user, query, narrowed)
    if kind == "unit":
        return _units(user, query, narrowed)
    if kind == "building":
        return _buildings(user, query, narrowed)
    if kind == "project":
        return _projects(user, query)
    if kind == "staff":
        roles = [role for role in narrowed_by.get("roles", "").split(",") if role in Role.values]
        return _staff(query, narrowed, roles)
    raise ValueError(kind)


def _customers(user, query: str, narrowed: dict[str, int]) -> list[Choice]:
    """By mobile, its last four digits, name or pinyin initials, or the unit they bought, within the form's
    project; with an empty text, the buyers of the form's unit."""
    condition = customer_condition(query)
    if query and not condition:
        units = unit_condition(query)
        if not units:
            return []
        bought = Purchase.objects.filter(unit__in=Unit.objects.filter(units))
        condition = Q(pk__in=bought.values("customer_id"))
    elif not query and "unit" not in narrowed:
        return []
    customers = CUSTOMERS.scope(Customer.objects.all(), user).filter(condition)
    if not query:
        customers = customers.filter(pk__in=Purchase.objects.filter(unit_id=narrowed["unit"]).values("customer_id"))
    if "project" in narrowed:
        project = narrowed["project"]
        customers = customers.filter(
            Q(project_id=project) | Q(pk__in=Purchase.objects.filter(project_id=project).values("customer_id"))
        )
    customers = first_by_name(customers, PICKS)
    phone = display_phone if may_see_contact(user) else mask_phone
    return [
        Choice(customer.pk, customer.name, f"{phone(customer.mobile)} · {customer.project.name}")
        for customer in customers
    ]


def _units(user, query: str, narrowed: dict[str, int]) -> list[Choice]:
    """By unit number (`3-1502`, `1502`, or its start) within the form's project; with an empty text, the
    units the form's customer bought."""
    units = UNITS.scope(Unit.objects.all(), user)
    if "customer" in narrowed and not query:
        units = units.filter(purchases__customer_id=narrowed["customer"])
    if "project" in narrowed:
        units = units.filter(project_id=narrowed["project"])
    if query:
        units = units.filter(unit_condition(query) | Q(number__startswith=query))
    elif "customer" not in narrowed:
        return []
    units = units.select_related("building", "project").distinct().order_by("project__name", "building__name", "number")
    return [Choice(unit.pk, str(unit), f"{unit.project.name} · {unit.get_status_display()}") for unit in units[:PICKS]]


def _buildings(user, query: str, narrowed: dict[str, int]) -> list[Choice]:
    """By name (or its start) within the user's projects; with an empty text, the buildings of the form's project."""
    buildings = BUILDINGS.scope(Building.objects.all(), user)
    if "project" in narrowed:
        buildings = buildings.filter(project_id=narrowed["project"])
    if query:
        buildings = buildings.filter(name__icontains=query)
    elif "project" not in narrowed:
        return []
    buildings = buildings.select_related("project").order_by("project__name", "name", "pk")[:PICKS]
    return [Choice(building.pk, building.name, building.project.name) for building in buildings]


def _projects(user, query: str) -> list[Choice]:
    """By name, city or the start of its code, among the projects the user works on."""
    if not query:
        return []
    projects = projects_for(user).filter(
        Q(name__icontains=query) | Q(city__icontains=query) | Q(code__istartswith=query)
    )
    return [Choice(project.pk, project.name, project.city) for project in projects.order_by("name", "pk")[:PICKS]]


def _staff(query: str, narrowed: dict[str, int], roles: list[str]) -> list[Choice]:
    staff = User.objects.filter(is_active=True)
    if "department" in narrowed:
        department = narrowed["department"]
        staff = staff.filter(Q(department_id=department) | Q(headed_departments__pk=department))
    if "project" in narrowed:
        staff = staff.filter(projects__pk=narrowed["project"])
    if roles:
        staff = staff.filter(groups__name__in=roles)
    if query:
        staff = staff.filter(
            Q(display_name__icontains=query)
            | Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
        )
    elif not narrowed:
        return []
    staff = staff.select_related("department").distinct().order_by("department__name", "username")
    return [
        Choice(member.pk, str(member), member.department.name if member.department else "") for member in staff[:PICKS]
    ]
