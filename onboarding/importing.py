"""Excel import of projects, units, customers and purchases: a dry run first, then all rows or none (rule R3).

One planner per kind reads the rows and decides, row by row, to create, update, leave unchanged or
refuse; the dry run reports the plan, the confirmation recomputes it inside one transaction and
writes it. Natural keys make a re-import change nothing: a project by company + name, a unit by
project + building + number, a
customer by mobile within the company, a purchase by unit + customer.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.access import sees_all_projects
from core.errors import ActionForbidden, DomainError
from estates.choices import ProductKind, ProjectStatus, UnitStatus
from estates.models import Building, Company, Project, Unit
from estates.services import create_project
from members.choices import PurchaseStatus
from members.models import Customer, Purchase
from members.signals import customers_written
from members.validators import validate_id_number, validate_mobile
from touchpoints import schedule

from .choices import ImportKind, RowAction


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    required: bool = True


PROJECT = Column("project", "项目", "Project")
BUILDING = Column("building", "楼栋", "Building")
UNIT_NUMBER = Column("number", "房号", "Unit number")
COLUMNS = {
    ImportKind.PROJECTS: [
        Column("company", "公司", "Company"),
        Column("name", "项目名称", "Project name"),
        Column("city", "城市", "City"),
        Column("status", "项目状态", "Status", required=False),
        Column("product_kind", "产品类型", "Product kind", required=False),
        Column("opening_date", "开盘日期", "Opening date", required=False),
        Column("delivery_date", "计划交付日期", "Planned delivery date", required=False),
        Column("address", "地址", "Address", required=False),
    ],
    ImportKind.UNITS: [
        PROJECT,
        BUILDING,
        UNIT_NUMBER,
        Column("floor", "楼层", "Floor"),
        Column("area", "面积", "Area"),
        Column("layout", "户型", "Layout", required=False),
        Column("list_price", "标价", "List price", required=False),
    ],
    ImportKind.CUSTOMERS: [
        PROJECT,
        Column("name", "姓名", "Name"),
        Column("mobile", "手机号", "Mobile"),
        Column("id_number", "身份证号", "ID number", required=False),
    ],
    ImportKind.PURCHASES: [
        PROJECT,
        BUILDING,
        UNIT_NUMBER,
        Column("mobile", "客户手机号", "Customer mobile"),
        Column("subscribed_on", "认购日期", "Subscription date"),
        Column("signed_on", "签约日期", "Signing date", required=False),
        Column("loan_disbursed_on", "放款日期", "Loan date", required=False),
        Column("delivered_on", "交付日期", "Delivery date", required=False),
        Column("moved_in_on", "入住日期", "Move-in date", required=False),
        Column("price", "成交价", "Price"),
    ],
}
EXAMPLES = {
    ImportKind.PROJECTS: [
        "深圳万科",
        "翡翠公园",
        "深圳",
        "在售",
        "高层住宅",
        "2024-03-01",
        "2026-06-30",
        "深圳市龙岗区",
    ],
    ImportKind.UNITS: ["翡翠公园", "1栋", "0301", 3, 89.5, "三室两厅", 2350000],
    ImportKind.CUSTOMERS: ["翡翠公园", "张三", "13812345678", "11010519491231002X"],
    ImportKind.PURCHASES: [
        "翡翠公园",
        "1栋",
        "0301",
        "13812345678",
        "2024-03-01",
        "2024-03-20",
        "2024-04-15",
        "2026-06-30",
        "",
        2300000,
    ],
}
MILESTONES = ["subscribed_on", "signed_on", "loan_disbursed_on", "delivered_on", "moved_in_on"]
# The milestone each one needs before it (the loan is optional: cash buyers have none).
NEEDS = {
    "signed_on": "subscribed_on",
    "loan_disbursed_on": "signed_on",
    "delivered_on": "signed_on",
    "moved_in_on": "delivered_on",
}
PROGRESS_EVERY = 1000


# --- reading -------------------------------------------------------------------------------


def read_rows(file, kind: str) -> tuple[list[dict], dict[str, str]]:
    """The data rows of the first sheet as {key: value, "_row": n}, and the header each key was read from.

    A file that cannot be imported at all is refused with a DomainError saying why."""
    size = getattr(file, "size", None)
    if size is not None and size > settings.ONBOARDING_MAX_UPLOAD_BYTES:
        raise DomainError(
            _("The file is larger than %(limit)d MB.")
            % {"limit": settings.ONBOARDING_MAX_UPLOAD_BYTES // (1024 * 1024)},
            code="file_too_large",
            field="file",
        )
    name = getattr(file, "name", "") or ""
    if name and not name.lower().endswith(".xlsx"):
        raise DomainError(_("Upload an Excel .xlsx file made from the template."), code="not_xlsx", field="file")
    try:
        workbook = load_workbook(file, read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds of error for a file that is not a workbook
        raise DomainError(
            _("Upload an Excel .xlsx file made from the template."), code="not_xlsx", field="file"
        ) from None
    try:
        return _read_sheet(workbook.worksheets[0], kind)
    finally:
        workbook.close()


def _read_sheet(worksheet, kind: str) -> tuple[list[dict], dict[str, str]]:
    rows = worksheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None or all(cell in (None, "") for cell in header):
        raise DomainError(_("The sheet is empty."), code="empty_sheet", field="file")
    labels = [str(cell).strip().lower() if cell is not None else "" for cell in header]
    positions, used, missing = {}, {}, []
    for column in COLUMNS[kind]:
        for label in (column.zh, column.en):
            if label.lower() in labels:
                positions[column.key] = labels.index(label.lower())
                used[column.key] = label
                break
        else:
            if column.required:
                missing.append(f"{column.zh} ({column.en})")
            used[column.key] = column.zh
    if missing:
        raise DomainError(
            _("Columns missing: %(columns)s.") % {"columns": ", ".join(missing)}, code="missing_columns", field="file"
        )
    data = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(value in (None, "") for value in values):
            continue
        row = {"_row": number}
        for key, index in positions.items():
            value = values[index] if index < len(values) else None
            if isinstance(value, str) and value.startswith("="):
                raise DomainError(
                    _("Row %(row)d, column %(column)s holds a formula: paste values only.")
                    % {"row": number, "column": used[key]},
                    code="formulas",
                    field="file",
                )
            row[key] = value
        data.append(row)
    if not data:
        raise DomainError(_("The sheet has no rows below its header."), code="empty_sheet", field="file")
    return data, used


# --- planning --------------------------------------------------------------------------------


@dataclass
class Outcome:
    row: int
    action: str
    key: str = ""
    column: str = ""
    reason: str = ""
    apply: Callable | None = None  # what confirming does with this row


@dataclass
class Plan:
    kind: str
    outcomes: list[Outcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    writes: dict = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        counts = {action.value: 0 for action in RowAction}
        for outcome in self.outcomes:
            counts[outcome.action] += 1
        return counts

    @property
    def refused(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.action == RowAction.REFUSE]

    def report(self, headers: dict[str, str]) -> dict:
        """The dry run as JSON: counts, each refusal with row, column and reason, and each row's action."""
        return {
            "kind": self.kind,
            "rows": len(self.outcomes),
            "counts": self.counts(),
            "notes": self.notes,
            "refusals": [
                {"row": o.row, "column": headers.get(o.column, o.column), "reason": o.reason} for o in self.refused
            ],
            "outcomes": [[o.row, o.action, o.key] for o in self.outcomes],
        }


class RowRefused(Exception):
    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column, self.reason = column, reason


def plan_import(*, kind: str, rows: list[dict], actor) -> Plan:
    planner = {
        ImportKind.PROJECTS: _plan_projects,
        ImportKind.UNITS: _plan_units,
        ImportKind.CUSTOMERS: _plan_customers,
        ImportKind.PURCHASES: _plan_purchases,
    }[kind]
    return planner(rows, actor)


@transaction.atomic
def apply_plan(plan: Plan, *, progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Write a clean plan whole; any refusal or database error leaves nothing."""
    if plan.refused:
        raise DomainError(
            _("%(count)d rows are refused: correct the file and upload it again.") % {"count": len(plan.refused)},
            code="rows_refused",
        )
    writer = {
        ImportKind.PROJECTS: _write_projects,
        ImportKind.UNITS: _write_units,
        ImportKind.CUSTOMERS: _write_customers,
        ImportKind.PURCHASES: _write_purchases,
    }[plan.kind]
    writer(plan, progress or (lambda done: None))
    return plan.counts()


class _Projects:
    """The projects the actor may import into, found by name (or id) as the file writes them."""

    def __init__(self, actor):
        projects = Project.objects.all() if sees_all_projects(actor) else actor.projects.all()
        self.by_name: dict[str, list[Project]] = {}
        self.by_id: dict[str, Project] = {}
        for project in projects:
            self.by_name.setdefault(project.name, []).append(project)
            self.by_id[str(project.pk)] = project

    def find(self, value) -> Project:
        text = _text(value)
        if not text:
            raise RowRefused("project", _("The project is missing."))
        matches = self.by_name.get(text) or ([self.by_id[text]] if text in self.by_id else [])
        if not matches:
            raise RowRefused("project", _("Unknown project, or not one you work on: %(project)s.") % {"project": text})
        if len(matches) > 1:
            raise RowRefused("project", _("Two companies have a project of this name: write its id instead."))
        return matches[0]


def _each_row(rows, plan: Plan, decide: Callable[[dict], Outcome]) -> None:
    for row in rows:
        try:
            plan.outcomes.append(decide(row))
        except RowRefused as refusal:
            plan.outcomes.append(Outcome(row["_row"], RowAction.REFUSE, column=refusal.column, reason=refusal.reason))


def _update_or_keep(plan: Plan, row: dict, key: str, record, values: dict) -> Outcome:
    """A row that names an existing record: its changed values are planned as an update, else it is unchanged."""
    changed = {name: value for name, value in values.items() if getattr(record, name) != value}
    if not changed:
        return Outcome(row["_row"], RowAction.UNCHANGED, key)
    for name, value in changed.items():
        setattr(record, name, value)
    plan.writes["update"].append(record)
    return Outcome(row["_row"], RowAction.UPDATE, key, reason=", ".join(sorted(changed)))


def _first_seen(seen: dict, key, row: int) -> None:
    if key in seen:
        raise RowRefused("", _("Duplicate of row %(row)d in this file.") % {"row": seen[key]})
    seen[key] = row


# projects

PROJECT_FIELDS = ["city", "status", "product_kind", "opening_date", "delivery_date", "address"]


def _plan_projects(rows, actor) -> Plan:
    """Projects of the companies by name; only the company-wide roles (CR head, administrators) create them."""
    if not sees_all_projects(actor):
        raise ActionForbidden(_("Only the customer-relations head and administrators may import projects."))
    plan = Plan(ImportKind.PROJECTS, writes={"create": [], "update": []})
    companies = {company.name: company for company in Company.objects.all()}
    projects = {(p.company_id, p.name): p for p in Project.objects.all()}
    statuses, kinds = _choices(ProjectStatus), _choices(ProductKind)
    seen = {}

    def decide(row):
        company_name = _required_text(row, "company", Company, "name")
        company = companies.get(company_name)
        if company is None:
            raise RowRefused("company", _("Unknown company: %(company)s.") % {"company": company_name})
        name = _required_text(row, "name", Project, "name")
        values = {
            "city": _required_text(row, "city", Project, "city"),
            "status": _choice(row, "status", statuses),
            "product_kind": _choice(row, "product_kind", kinds),
            "opening_date": _date(row, "opening_date", required=False, today=None),
            "delivery_date": _date(row, "delivery_date", required=False, today=None),
            "address": _optional_text(row, "address", Project, "address"),
        }
        values = {column: value for column, value in values.items() if value is not None}
        _first_seen(seen, (company.pk, name), row["_row"])
        key = f"{company.name} {name}"
        project = projects.get((company.pk, name))
        if project is None:
            plan.writes["create"].append({"company": company, "name": name, **values})
            return Outcome(row["_row"], RowAction.CREATE, key)
        return _update_or_keep(plan, row, key, project, values)

    _each_row(rows, plan, decide)
    return plan


def _write_projects(plan: Plan, progress) -> None:
    for done, values in enumerate(plan.writes["create"], start=1):
        create_project(**values)
        if done % PROGRESS_EVERY == 0:
            progress(done)
    if plan.writes["update"]:
        Project.objects.bulk_update(plan.writes["update"], PROJECT_FIELDS, batch_size=500)
    progress(len(plan.writes["create"]) + len(plan.writes["update"]))


def _choices(choices) -> dict[str, str]:
    """A choice by its code or its name in Chinese or English."""
    names = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            names.update({str(label).lower(): value for value, label in choices.choices})
    return {**names, **{value: value for value in choices.values}}


def _choice(row, key, names: dict[str, str]) -> str | None:
    text = _text(row.get(key))
    if not text:
        return None
    value = names.get(text.lower())
    if value is None:
        raise RowRefused(key, _("Not one of the choices: %(value)s.") % {"value": text})
    return value


# units


def _plan_units(rows, actor) -> Plan:
    plan = Plan(ImportKind.UNITS, writes={"buildings": {}, "create": [], "update": []})
    projects = _Projects(actor)
    buildings = {(b.project_id, b.name): b for b in Building.objects.filter(project__in=projects.by_id.values())}
    units = {
        (u.building_id, u.number): u
        for u in Unit.objects.filter(project__in=projects.by_id.values()).only(
            "pk", "building_id", "project_id", "number", "floor", "area", "layout", "list_price"
        )
    }
    seen = {}

    def decide(row):
        project = projects.find(row.get("project"))
        building_name = _required_text(row, "building", Building, "name")
        number = _required_text(row, "number", Unit, "number")
        floor = _integer(row, "floor")
        area = _decimal(row, "area", minimum=Decimal("1"))
        layout = _optional_text(row, "layout", Unit, "layout")
        list_price = _decimal(row, "list_price", minimum=Decimal("0"), required=False)
        _first_seen(seen, (project.pk, building_name, number), row["_row"])
        key = f"{project.name} {building_name}-{number}"
        building = buildings.get((project.pk, building_name))
        unit = units.get((building.pk, number)) if building else None
        if unit is None:
            plan.writes["buildings"].setdefault((project.pk, building_name), project)
            plan.writes["create"].append(
                {
                    "project_id": project.pk,
                    "building": building_name,
                    "number": number,
                    "floor": floor,
                    "area": area,
                    "layout": layout or "",
                    "list_price": list_price or Decimal("0"),
                }
            )
            return Outcome(row["_row"], RowAction.CREATE, key)
        changes = {"floor": floor, "area": area}
        if layout is not None:
            changes["layout"] = layout
        if list_price is not None:
            changes["list_price"] = list_price
        return _update_or_keep(plan, row, key, unit, changes)

    _each_row(rows, plan, decide)
    return plan


def _write_units(plan: Plan, progress) -> None:
    buildings = {}
    for (project_id, name), project in plan.writes["buildings"].items():
        buildings[(project_id, name)], _created = Building.objects.get_or_create(project=project, name=name)
    existing = {
        (b.project_id, b.name): b
        for b in Building.objects.filter(project_id__in={key[0] for key in plan.writes["buildings"]})
    }
    buildings.update(existing)
    new = []
    for values in plan.writes["create"]:
        values = dict(values)
        building = buildings[(values["project_id"], values.pop("building"))]
        new.append(Unit(building=building, **values))
    for start in range(0, len(new), PROGRESS_EVERY):
        Unit.objects.bulk_create(new[start : start + PROGRESS_EVERY])
        progress(start + len(new[start : start + PROGRESS_EVERY]))
    Unit.objects.bulk_update(plan.writes["update"], ["floor", "area", "layout", "list_price"], batch_size=500)
    progress(len(new) + len(plan.writes["update"]))
    tops: dict[int, int] = {}
    for unit in new:
        tops[unit.building_id] = max(tops.get(unit.building_id, 0), unit.floor)
    for building in buildings.values():
        if tops.get(building.pk, 0) > building.floors:
            Building.objects.filter(pk=building.pk).update(floors=tops[building.pk])


# customers


def _plan_customers(rows, actor) -> Plan:
    plan = Plan(ImportKind.CUSTOMERS, writes={"create": [], "update": []})
    projects = _Projects(actor)
    own_projects = None if sees_all_projects(actor) else set(projects.by_id)
    companies = {project.company_id for project in projects.by_id.values()}
    customers = {
        (c.company_id, str(c.mobile)): c
        for c in Customer.objects.filter(company_id__in=companies).only(
            "pk", "company_id", "project_id", "name", "mobile", "id_number"
        )
    }
    seen = {}

    def decide(row):
        project = projects.find(row.get("project"))
        name = _required_text(row, "name", Customer, "name")
        mobile = _mobile(row)
        id_number = _id_number(row)
        _first_seen(seen, (project.company_id, mobile), row["_row"])
        key = f"{name} {mobile[-4:]}"
        customer = customers.get((project.company_id, mobile))
        if customer is None:
            plan.writes["create"].append(
                Customer(
                    project=project, company_id=project.company_id, name=name, mobile=mobile, id_number=id_number or ""
                )
            )
            return Outcome(row["_row"], RowAction.CREATE, key)
        if own_projects is not None and str(customer.project_id) not in own_projects:
            raise RowRefused("mobile", _("This mobile number belongs to a customer of a project you do not work on."))
        changes = {"name": name, **({"id_number": id_number} if id_number else {})}
        return _update_or_keep(plan, row, key, customer, changes)

    _each_row(rows, plan, decide)
    return plan


def _touch(rows) -> None:
    """A bulk update does not call save(): set the time tablets sync by (core.api.filters) here."""
    now = timezone.now()
    for row in rows:
        row.updated_at = now


def _write_customers(plan: Plan, progress) -> None:
    # bulk writes do not call save(): the search keys are written here, with the history rows.
    created = []
    for start in range(0, len(plan.writes["create"]), PROGRESS_EVERY):
        chunk = plan.writes["create"][start : start + PROGRESS_EVERY]
        created += bulk_create_with_history(chunk, Customer, batch_size=500)
        progress(len(created))
    if plan.writes["update"]:
        _touch(plan.writes["update"])
        bulk_update_with_history(plan.writes["update"], Customer, ["name", "id_number", "updated_at"], batch_size=500)
    if created and created[0].pk is None:  # databases that return no keys from a bulk insert
        mobiles = {(c.company_id, str(c.mobile)) for c in created}
        created = [
            c
            for c in Customer.objects.filter(company_id__in={m[0] for m in mobiles})
            if (c.company_id, str(c.mobile)) in mobiles
        ]
    customers_written.send(sender=Customer, customer_ids=[c.pk for c in [*created, *plan.writes["update"]]])


# purchases

CARE_NOTE = gettext_lazy(
    "Purchases are written directly, not through the sales steps: nothing is sent on import. "
    "Where a subscription date is so recent that the daily care scan would still send its "
    "welcome message, that message is recorded as cancelled: historical milestones send nothing."
)


def _plan_purchases(rows, actor) -> Plan:
    plan = Plan(ImportKind.PURCHASES, notes=[str(CARE_NOTE)], writes={"create": [], "update": []})
    projects = _Projects(actor)
    visible = projects.by_id.values()
    units = {
        (u.project_id, u.building.name, u.number): u
        for u in Unit.objects.filter(project__in=visible)
        .select_related("building")
        .only("pk", "project_id", "number", "status", "building__name")
    }
    companies = {project.company_id for project in visible}
    customers = {
        (c["company_id"], str(c["mobile"])): c["pk"]
        for c in Customer.objects.filter(company_id__in=companies).values("pk", "company_id", "mobile")
    }
    live = {p.unit_id: p for p in Purchase.objects.filter(project__in=visible).exclude(status=PurchaseStatus.CANCELLED)}
    today = timezone.localdate()
    seen = {}

    def decide(row):
        project = projects.find(row.get("project"))
        building_name = _required_text(row, "building", Building, "name")
        number = _required_text(row, "number", Unit, "number")
        unit = units.get((project.pk, building_name, number))
        if unit is None:
            raise RowRefused(
                "number",
                _("Unknown unit %(unit)s in %(project)s.")
                % {"unit": f"{building_name}-{number}", "project": project.name},
            )
        mobile = _mobile(row)
        customer_id = customers.get((project.company_id, mobile))
        if customer_id is None:
            raise RowRefused("mobile", _("No customer has this mobile number: import the customers first."))
        dates = {name: _date(row, name, required=name == "subscribed_on", today=today) for name in MILESTONES}
        _check_milestones(dates)
        price = _decimal(row, "price", minimum=Decimal("0.01"))
        _first_seen(seen, unit.pk, row["_row"])
        key = f"{project.name} {building_name}-{number}"
        status = _status_of(dates)
        purchase = live.get(unit.pk)
        if purchase is None:
            plan.writes["create"].append(
                Purchase(
                    customer_id=customer_id, unit=unit, project_id=unit.project_id, price=price, status=status, **dates
                )
            )
            return Outcome(row["_row"], RowAction.CREATE, key)
        if purchase.customer_id != customer_id:
            raise RowRefused("number", _("This unit is already sold to another customer."))
        changes = {"price": price, "status": status, **dates}
        return _update_or_keep(plan, row, key, purchase, changes)

    _each_row(rows, plan, decide)
    return plan


def _write_purchases(plan: Plan, progress) -> None:
    created = []
    for start in range(0, len(plan.writes["create"]), PROGRESS_EVERY):
        chunk = plan.writes["create"][start : start + PROGRESS_EVERY]
        created += bulk_create_with_history(chunk, Purchase, batch_size=500)
        progress(len(created))
    if plan.writes["update"]:
        _touch(plan.writes["update"])
        bulk_update_with_history(
            plan.writes["update"], Purchase, ["price", "status", *MILESTONES, "updated_at"], batch_size=500
        )
    by_status: dict[str, list[int]] = {}
    for purchase in [*created, *plan.writes["update"]]:
        by_status.setdefault(_unit_status_of(purchase.status), []).append(purchase.unit_id)
    for status, unit_ids in by_status.items():
        for start in range(0, len(unit_ids), 500):
            Unit.objects.filter(pk__in=unit_ids[start : start + 500]).update(status=status)
    _silence_welcome_messages(created)


def _silence_welcome_messages(purchases) -> None:
    """Imported purchases are history: touchpoints records the messages their milestones would send now
    as cancelled, before the care scan sees them."""
    ids = [p.pk for p in purchases if p.pk is not None]
    if len(ids) < len(purchases):
        ids = list(
            Purchase.objects.filter(unit_id__in=[p.unit_id for p in purchases])
            .exclude(status=PurchaseStatus.CANCELLED)
            .values_list("pk", flat=True)
        )
    schedule.record_historical_purchases(purchase_ids=ids)


def _check_milestones(dates: dict) -> None:
    for later, earlier in NEEDS.items():
        if dates[later] and not dates[earlier]:
            raise RowRefused(later, _("A later milestone needs the earlier one's date."))
    previous = None
    for name in MILESTONES:
        if dates[name] is None:
            continue
        if previous is not None and dates[name] < dates[previous]:
            raise RowRefused(name, _("Dates out of order: this milestone is before the previous one."))
        previous = name


def _status_of(dates: dict) -> str:
    for name, status in [
        ("moved_in_on", PurchaseStatus.MOVED_IN),
        ("delivered_on", PurchaseStatus.DELIVERED),
        ("loan_disbursed_on", PurchaseStatus.LOAN_DISBURSED),
        ("signed_on", PurchaseStatus.SIGNED),
    ]:
        if dates[name]:
            return status
    return PurchaseStatus.SUBSCRIBED


def _unit_status_of(status: str) -> str:
    if status in (PurchaseStatus.DELIVERED, PurchaseStatus.MOVED_IN):
        return UnitStatus.DELIVERED
    if status == PurchaseStatus.SUBSCRIBED:
        return UnitStatus.SUBSCRIBED
    return UnitStatus.SIGNED


# --- cell values -----------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _required_text(row, key, model, field_name) -> str:
    text = _text(row.get(key))
    if not text:
        raise RowRefused(key, _("This value is required."))
    return _fits(text, key, model, field_name)


def _optional_text(row, key, model, field_name) -> str | None:
    if key not in row:
        return None
    return _fits(_text(row.get(key)), key, model, field_name)


def _fits(text, key, model, field_name) -> str:
    length = model._meta.get_field(field_name).max_length
    if len(text) > length:
        raise RowRefused(key, _("At most %(length)d characters.") % {"length": length})
    return text


def _integer(row, key) -> int:
    value = row.get(key)
    try:
        number = Decimal(_text(value))
        if number != number.to_integral_value():
            raise InvalidOperation
        return int(number)
    except InvalidOperation:
        raise RowRefused(key, _("Enter a whole number.")) from None


def _decimal(row, key, *, minimum: Decimal, required: bool = True) -> Decimal | None:
    text = _text(row.get(key)).replace(",", "")
    if not text:
        if required:
            raise RowRefused(key, _("This value is required."))
        return None
    try:
        number = Decimal(text).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise RowRefused(key, _("Enter a number.")) from None
    if number < minimum:
        raise RowRefused(key, _("At least %(minimum)s.") % {"minimum": minimum})
    if number >= Decimal("1e10"):
        raise RowRefused(key, _("This number is too large."))
    return number


def _mobile(row) -> str:
    text = _text(row.get("mobile"))
    try:
        number = phonenumbers.parse(text, "CN")
        validate_mobile(number)
    except (phonenumbers.NumberParseException, ValidationError):
        raise RowRefused("mobile", _("Not a valid mobile number: %(value)s.") % {"value": text}) from None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _id_number(row) -> str:
    text = _text(row.get("id_number")).upper()
    try:
        validate_id_number(text)
    except ValidationError:
        raise RowRefused("id_number", _("Not a valid resident ID number.")) from None
    return text


def _date(row, key, *, required: bool, today: datetime.date | None) -> datetime.date | None:
    """A date as Excel or the text writes it; not after `today` when given (a milestone that happened)."""
    value = row.get(key)
    if isinstance(value, datetime.datetime):
        value = value.date()
    elif not isinstance(value, datetime.date):
        text = _text(value)
        if not text:
            if required:
                raise RowRefused(key, _("This value is required."))
            return None
        for form in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d"):
            try:
                value = datetime.datetime.strptime(text, form).date()
                break
            except ValueError:
                continue
        else:
            raise RowRefused(key, _("Enter a date such as 2024-03-01."))
    if today is not None and value > today:
        raise RowRefused(key, _("A date cannot be in the future."))
    if value.year < 1900:
        raise RowRefused(key, _("Enter a date such as 2024-03-01."))
    return value
