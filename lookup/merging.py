"""Two records of one person become one: every record of the duplicate moves to the survivor, in one
transaction, with the values the user chose, and the merge is written down (issue 13).

The relations are read from the model, not listed here: a new model with a customer key moves with the
rest, and a unique constraint it declares is checked before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import bulk_update_with_history, get_history_manager_for_model

from core.api.filters import syncable
from core.access import Policy
from core.errors import ActionForbidden, Conflict, DomainError
from core.roles import MANAGEMENT, Role
from members import services as member_services
from members.models import Customer, Purchase
from members.policies import CUSTOMERS

from .models import CustomerMerge, CustomerSearchKey

MERGES = Policy(
    read=MANAGEMENT | frozenset({Role.CUSTOMER_SERVICE, Role.SALES_MANAGER}),
    write=MANAGEMENT | frozenset({Role.CUSTOMER_SERVICE, Role.SALES_MANAGER}),
    project_path=None,
)
# What the person merging chooses between, field by field.
CHOOSABLE = (
    "name",
    "mobile",
    "id_number",
    "birthday",
    "gender",
    "consultant",
    "source_channel",
    "consents_to_messages",
    "notes",
    "project",
)
# Rebuilt for the survivor, never moved.
DERIVED = {CustomerSearchKey}


@dataclass(frozen=True)
class Difference:
    field: str
    label: str
    survivor: str
    duplicate: str


@dataclass(frozen=True)
class Preview:
    survivor: Customer
    duplicate: Customer
    differences: list[Difference]
    to_move: dict[str, int]
    conflicts: list[str]


def visible_pair(user, survivor_id, duplicate_id) -> tuple[Customer, Customer] | None:
    """The two customers to compare, if the user may see both."""
    visible = CUSTOMERS.scope(Customer.objects.select_related("project", "consultant"), user)
    found = visible.in_bulk([survivor_id, duplicate_id])
    if survivor_id not in found or duplicate_id not in found:
        return None
    return found[survivor_id], found[duplicate_id]


def preview(*, survivor: Customer, duplicate: Customer) -> Preview:
    return Preview(
        survivor=survivor,
        duplicate=duplicate,
        differences=differences(survivor, duplicate),
        to_move=_count_related(duplicate),
        conflicts=conflicts(survivor, duplicate),
    )


def differences(survivor: Customer, duplicate: Customer) -> list[Difference]:
    result = []
    for name in CHOOSABLE:
        field = Customer._meta.get_field(name)
        mine, theirs = getattr(survivor, name), getattr(duplicate, name)
        if mine != theirs:
            result.append(
                Difference(name, str(field.verbose_name), _display(survivor, field), _display(duplicate, field))
            )
    return result


def conflicts(survivor: Customer, duplicate: Customer) -> list[str]:
    """What stands in the way: another company, or records each of them holds that only one may hold."""
    if survivor.pk == duplicate.pk:
        return [_("A customer cannot be merged with itself.")]
    if survivor.company_id != duplicate.company_id:
        return [_("The two customers belong to different companies.")]
    found = []
    for relation in _relations():
        model, key = relation.related_model, relation.field.name
        if relation.one_to_one:
            if (
                model._base_manager.filter(**{key: survivor}).exists()
                and model._base_manager.filter(**{key: duplicate}).exists()
            ):
                found.append(
                    _("Both have a %(what)s: keep one and remove the other first.") % {"what": model._meta.verbose_name}
                )
            continue
        for fields in _unique_sets(model, key):
            others = [name for name in fields if name != key]
            mine = model._base_manager.filter(**{key: survivor})
            theirs = model._base_manager.filter(**{key: duplicate})
            if not others:  # one per customer
                if mine.exists() and theirs.exists():
                    found.append(
                        _("Both have a %(what)s: keep one and remove the other first.")
                        % {"what": model._meta.verbose_name}
                    )
                continue
            clashes = [dict(zip(others, values, strict=True)) for values in theirs.values_list(*others)]
            if clashes and mine.filter(_any_of(clashes)).exists():
                found.append(
                    _("Both have a %(what)s for the same %(fields)s: settle one of them first.")
                    % {
                        "what": model._meta.verbose_name,
                        "fields": ", ".join(str(model._meta.get_field(n).verbose_name) for n in others),
                    }
                )
    return found


@transaction.atomic
def merge_customers(*, survivor: Customer, duplicate: Customer, actor, keep_from_duplicate=()) -> CustomerMerge:
    """Move everything of `duplicate` to `survivor`, take the chosen values from the duplicate, remove it."""
    if not MERGES.can_write(actor):
        raise ActionForbidden(_("Your role may not merge customers."))
    visible = CUSTOMERS.scope(Customer.objects.all(), actor)
    locked = {c.pk: c for c in visible.select_for_update().filter(pk__in=[survivor.pk, duplicate.pk])}
    if survivor.pk not in locked or duplicate.pk not in locked:
        raise ActionForbidden(_("You may only merge customers you can see."))
    survivor, duplicate = locked[survivor.pk], locked.get(duplicate.pk, duplicate)
    unknown = set(keep_from_duplicate) - set(CHOOSABLE)
    if unknown:
        raise DomainError(
            _("These values cannot be chosen: %(fields)s.") % {"fields": ", ".join(sorted(unknown))},
            field="keep_from_duplicate",
        )
    found = conflicts(survivor, duplicate)
    if found:
        raise Conflict(_("These customers cannot be merged yet."), code="merge_conflicts", extra={"conflicts": found})

    chosen = {name: getattr(duplicate, name) for name in keep_from_duplicate}
    record = _snapshot(duplicate)
    reason = str(_("Merged from customer %(id)s") % {"id": duplicate.pk})
    moved = {}
    for relation in _relations():
        model, key = relation.related_model, relation.field.name
        changes = {key: survivor}
        if syncable(model):  # tablets syncing by updated_since must see the row move
            changes["updated_at"] = timezone.now()
        count = _move(model._base_manager.filter(**{key: duplicate}), changes, actor=actor, reason=reason)
        if count:
            moved[model._meta.label] = count
    for relation in _many_to_many():
        through, source = relation.through, _through_key(relation)
        already = through.objects.filter(**{source: survivor}).values_list(_through_other(relation), flat=True)
        through.objects.filter(**{source: duplicate}, **{f"{_through_other(relation)}__in": already}).delete()
        count = through.objects.filter(**{source: duplicate}).update(**{source: survivor})
        if count:
            moved[relation.related_model._meta.label] = count
    duplicate_id = duplicate.pk
    duplicate.delete()
    survivor = member_services.update_customer(customer=survivor, actor=actor, **chosen)
    return CustomerMerge.objects.create(
        survivor=survivor,
        duplicate_id=duplicate_id,
        duplicate=record,
        kept_from_duplicate=sorted(chosen),
        moved=moved,
        merged_by=actor,
    )


def likely_duplicates(user, limit: int = 100) -> list[tuple[Customer, Customer, str]]:
    """Pairs to review, among the customers the user sees: the same ID number, or the same name on the same
    unit. (The same mobile number cannot occur twice in a company: the register refuses it.)"""
    visible = CUSTOMERS.scope(Customer.objects.all(), user)
    shared_ids = (
        visible.exclude(id_number="")
        .values("company", "id_number")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("id_number", flat=True)[:limit]
    )
    by_id_number = (
        visible.filter(id_number__in=list(shared_ids)).order_by("pk").values_list("company", "id_number", "pk")
    )
    # Only units bought more than once can hold two customers: read first, as numbers, so that the names are
    # compared on those units' purchases alone.
    purchases = Purchase.objects.all()
    if not CUSTOMERS.sees_every_row(user):
        purchases = purchases.filter(customer__in=visible)
    resold = list(purchases.values("unit").annotate(n=Count("pk")).filter(n__gt=1).values_list("unit", flat=True))
    shared_units = (
        Purchase.objects.filter(unit__in=resold, customer__in=visible)
        .values("unit", "customer__name")
        .annotate(n=Count("customer", distinct=True))
        .filter(n__gt=1)
        .values_list("unit", "customer__name")[:limit]
    )
    units = {unit for unit, _name in shared_units}
    by_unit = (
        Purchase.objects.filter(unit__in=units, customer__in=visible)
        .order_by("customer")
        .values_list("unit", "customer__name", "customer")
        .distinct()
    )
    pairs = _pairs_within(by_id_number, _("same ID number")) + _pairs_within(by_unit, _("same name on the same unit"))
    seen, unique_pairs = set(), []
    for first, second, reason in pairs:
        if (first, second) not in seen:
            seen.add((first, second))
            unique_pairs.append((first, second, reason))
    customers = visible.select_related("project", "consultant").in_bulk(
        {pk for pair in unique_pairs for pk in pair[:2]}
    )
    return [(customers[a], customers[b], reason) for a, b, reason in unique_pairs[:limit]]


def _pairs_within(rows, reason) -> list[tuple[int, int, str]]:
    """(key…, customer id) rows, ordered by id: each group's first customer paired with each other one."""
    groups: dict[tuple, list[int]] = {}
    for *key, customer_id in rows:
        members = groups.setdefault(tuple(key), [])
        if customer_id not in members:
            members.append(customer_id)
    return [(ids[0], other, reason) for ids in groups.values() for other in ids[1:]]


def _move(rows, changes: dict, *, actor, reason: str) -> int:
    """Point `rows` at the survivor. An audited record (rule R2: leads, complaints, purchases, answers …) gets a
    history row saying who moved it and why; the rest move in one UPDATE."""
    try:
        get_history_manager_for_model(rows.model)
    except NotHistoricalModelError:
        return rows.update(**changes)
    records = list(rows)
    for record in records:
        for name, value in changes.items():
            setattr(record, name, value)
    bulk_update_with_history(
        records,
        rows.model,
        list(changes),
        default_user=actor,
        default_change_reason=reason,
        manager=rows.model._base_manager,
    )
    return len(records)


def _relations():
    return [
        relation
        for relation in Customer._meta.related_objects
        if not relation.many_to_many
        and relation.related_model not in DERIVED
        and relation.related_model is not CustomerMerge
    ]


def _many_to_many():
    return [relation for relation in Customer._meta.related_objects if relation.many_to_many]


def _through_key(relation) -> str:
    return next(f.name for f in relation.through._meta.fields if f.is_relation and f.related_model is Customer)


def _through_other(relation) -> str:
    return next(
        f.name for f in relation.through._meta.fields if f.is_relation and f.related_model is relation.related_model
    )


def _unique_sets(model, key: str) -> list[tuple[str, ...]]:
    sets = [tuple(c.fields) for c in model._meta.constraints if getattr(c, "fields", None) and key in c.fields]
    sets += [tuple(fields) for fields in model._meta.unique_together if key in fields]
    return sets


def _any_of(rows: list[dict]) -> Q:
    condition = Q(pk__in=[])
    for row in rows:
        condition |= Q(**row)
    return condition


def _count_related(customer: Customer) -> dict[str, int]:
    counts = {}
    for relation in _relations() + _many_to_many():
        model = relation.related_model
        if relation.many_to_many:
            count = relation.through.objects.filter(**{_through_key(relation): customer}).count()
        else:
            count = model._base_manager.filter(**{relation.field.name: customer}).count()
        if count:
            counts[str(model._meta.verbose_name_plural)] = count
    return counts


def _display(customer: Customer, field) -> str:
    if field.choices:
        return str(getattr(customer, f"get_{field.name}_display")())
    value = getattr(customer, field.name)
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _snapshot(customer: Customer) -> dict:
    data = {}
    for field in Customer._meta.concrete_fields:
        value = getattr(customer, field.attname)
        data[field.attname] = value if isinstance(value, (int, bool, type(None))) else str(value)
    return data
