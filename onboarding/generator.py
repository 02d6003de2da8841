"""The unit generator: a building's units from its floors, stacks and the company's numbering pattern."""

from __future__ import annotations

import string
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from estates.models import Building, Unit

DEFAULT_PATTERN = "{floor:02d}{stack:02d}"
PATTERN_KEYS = {"building", "entrance", "floor", "stack"}
NUMBER_LENGTH = Unit._meta.get_field("number").max_length


@dataclass(frozen=True)
class Stack:
    """One vertical line of units (一个单元号位): the same area and layout on every floor."""

    number: int
    area: Decimal
    layout: str = ""
    list_price: Decimal = Decimal("0")


@dataclass(frozen=True)
class PlannedUnit:
    number: str
    floor: int
    stack: int
    area: Decimal
    layout: str
    list_price: Decimal
    exists: bool


def plan_units(
    *,
    building: Building,
    stacks: list[Stack],
    first_floor: int = 1,
    last_floor: int | None = None,
    skip_floors=(),
    pattern: str = DEFAULT_PATTERN,
    entrance: str = "",
) -> list[PlannedUnit]:
    """The units the generator would create, each marked when the building already has it (the preview)."""
    last_floor = building.floors if last_floor is None else last_floor
    _check_pattern(pattern)
    if not stacks:
        raise DomainError(_("Give at least one stack."), code="no_stacks", field="stacks")
    if last_floor < first_floor:
        raise DomainError(_("The last floor is below the first."), code="floor_range", field="last_floor")
    if len({stack.number for stack in stacks}) != len(stacks):
        raise DomainError(_("Each stack number may appear once."), code="duplicate_stack", field="stacks")
    skipped = set(skip_floors)
    existing = set(Unit.objects.filter(building=building).values_list("number", flat=True))
    planned, seen = [], set()
    for floor in range(first_floor, last_floor + 1):
        if floor in skipped or floor == 0:
            continue
        for stack in sorted(stacks, key=lambda s: s.number):
            number = pattern.format(building=building.name, entrance=entrance, floor=floor, stack=stack.number)
            if len(number) > NUMBER_LENGTH:
                raise DomainError(
                    _("Unit number %(number)s is longer than %(length)d characters.")
                    % {"number": number, "length": NUMBER_LENGTH},
                    code="number_too_long",
                    field="pattern",
                )
            if number in seen:
                raise DomainError(
                    _("The pattern gives two units the number %(number)s: include the floor and the stack.")
                    % {"number": number},
                    code="pattern_not_unique",
                    field="pattern",
                )
            seen.add(number)
            planned.append(
                PlannedUnit(
                    number=number,
                    floor=floor,
                    stack=stack.number,
                    area=stack.area,
                    layout=stack.layout,
                    list_price=stack.list_price,
                    exists=number in existing,
                )
            )
    return planned


@transaction.atomic
def generate_units(*, building: Building, actor, **plan) -> tuple[int, list[PlannedUnit]]:
    """Create the planned units the building does not have yet; a second run creates nothing.

    The unique constraint on (building, number) decides: a unit created meanwhile by someone else
    is skipped, not duplicated."""
    planned = plan_units(building=building, **plan)
    new = [
        Unit(
            building=building,
            project_id=building.project_id,
            number=unit.number,
            floor=unit.floor,
            area=unit.area,
            layout=unit.layout,
            list_price=unit.list_price,
        )
        for unit in planned
        if not unit.exists
    ]
    before = Unit.objects.filter(building=building).count()
    Unit.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    created = Unit.objects.filter(building=building).count() - before
    top = max((unit.floor for unit in planned), default=0)
    if top > building.floors:
        Building.objects.filter(pk=building.pk).update(floors=top)
    return created, planned


def _check_pattern(pattern: str) -> None:
    try:
        names = {field for _text, field, _spec, _conv in string.Formatter().parse(pattern) if field is not None}
        unknown = names - PATTERN_KEYS
        if unknown or "floor" not in names:
            raise ValueError
        pattern.format(building="1", entrance="1", floor=1, stack=1)
    except (ValueError, IndexError, KeyError):
        raise DomainError(
            _(
                "The pattern may use {building}, {entrance}, {floor} and {stack}, and must use "
                "{floor}, e.g. {floor:02d}{stack:02d}."
            ),
            code="bad_pattern",
            field="pattern",
        ) from None
