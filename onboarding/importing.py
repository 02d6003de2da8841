"""Excel import of projects, units, customers and purchases: a dry run first, then all rows or none (rule R3).

One planner per kind decides, row by row, to create, update, leave unchanged or refuse; the dry run
reports the decisions, the confirmation decides again inside one transaction and writes them. The file
is read and decided a chunk at a time, so memory does not grow with it. Natural keys make a re-import
change nothing: a project by company + project code, a unit by project + building + number, a customer
by mobile within the company, a purchase by unit + customer.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
        Column("code", "项目编码", "Project code"),
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
        "SZ-FCGY",
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
# Rows decided and written together: the records they name are read in one query per kind.
CHUNK = 2000
# The refusals the report lists (the result report has every row).
REFUSALS_LISTED = 1000


# --- reading -------------------------------------------------------------------------------


class Rows:
    """The data rows of a sheet, read as they are needed: `{key: value, "_row": n}` for each, in chunks.

    `headers` maps each column's key to the header it was read from (for the reports)."""

    def __init__(self, rows: Iterator[tuple], positions: dict[str, int], headers: dict[str, str]):
        self._rows, self._positions, self.headers = rows, positions, headers

    def __iter__(self) -> Iterator[dict]:
        found = False
        for number, values in enumerate(self._rows, start=2):
            if values is None or all(value in (None, "") for value in values):
                continue
            found = True
            row = {"_row": number}
            for key, index in self._positions.items():
                value = values[index] if index < len(values) else None
                if isinstance(value, str) and value.startswith("="):
                    raise DomainError(
                        _("Row %(row)d, column %(column)s holds a formula: paste values only.")
                        % {"row": number, "column": self.headers[key]},
                        code="formulas",
                        field="file",
                    )
                row[key] = value
            yield row
        if not found:
            raise DomainError(_("The sheet has no rows below its header."), code="empty_sheet", field="file")

    def chunks(self) -> Iterator[list[dict]]:
        size, chunk = CHUNK, []
        for row in self:
            chunk.append(row)
            if len(chunk) == size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk


@contextmanager
def open_rows(file, kind: str) -> Iterator[Rows]:
    """The first sheet's rows, streamed from the file (memory does not grow with it).

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
        worksheet = workbook.worksheets[0]
        _refuse_merged_cells(worksheet)
        rows = worksheet.iter_rows(values_only=True)
        positions, headers = _header(next(rows, None), kind)
        yield Rows(rows, positions, headers)
    finally:
        workbook.close()


MERGED = re.compile(rb"mergeCell\s+ref=\"([A-Z]+[0-9]+:[A-Z]+[0-9]+)\"")


def _refuse_merged_cells(worksheet) -> None:
    """Merged cells keep their value in the first cell only: the rows under them would be read half empty.
    The read-only reader does not list them, so the sheet's XML is scanned for them, a piece at a time."""
    tail = b""
    with worksheet._get_source() as source:  # openpyxl's read-only sheet: the XML in the archive
        while piece := source.read(1 << 20):
            found = MERGED.search(tail + piece)
            if found:
                raise DomainError(
                    _("Cells %(cells)s are merged: unmerge them and fill in every cell.")
                    % {"cells": found.group(1).decode()},
                    code="merged_cells",
                    field="file",
                )
            tail = piece[-64:]


def _header(header, kind: str) -> tuple[dict[str, int], dict[str, str]]:
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
    return positions, used


# --- checking and importing ------------------------------------------------------------------


@dataclass
class Outcome:
    row: int
    action: str
    key: str = ""
    column: str = ""
    reason: str = ""


@dataclass
class Report:
    """What a file does, row by row: counted, with the first REFUSALS_LISTED refusals; every row's outcome
    goes to `result` (the downloadable result report) as it is decided."""

    kind: str
    headers: dict[str, str]
    notes: list[str] = field(default_factory=list)
    result: Callable[[list], None] = lambda line: None
    rows: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {action.value: 0 for action in RowAction})
    refusals: list[dict] = field(default_factory=list)

    def record(self, outcomes: list[Outcome]) -> None:
        labels = dict(RowAction.choices)
        for outcome in outcomes:
            self.rows += 1
            self.counts[outcome.action] += 1
            column = self.headers.get(outcome.column, outcome.column)
            if outcome.action == RowAction.REFUSE and len(self.refusals) < REFUSALS_LISTED:
                self.refusals.append({"row": outcome.row, "column": column, "reason": outcome.reason})
            self.result([outcome.row, str(labels[outcome.action]), outcome.key, column, outcome.reason])

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "rows": self.rows,
            "counts": self.counts,
            "notes": self.notes,
            "refusals": self.refusals,
            "headers": self.headers,
        }


class RowRefused(Exception):
    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column, self.reason = column, reason


def check_rows(rows: Rows, *, kind: str, actor, result=None, progress: Callable[[int], None] = None) -> Report:
    """The dry run: every row's outcome, nothing written; the rows checked so far are reported to `progress`."""
    planner = PLANNERS[kind](actor)
    report = Report(kind, rows.headers, notes=planner.notes, **({"result": result} if result else {}))
    for chunk in rows.chunks():
        outcomes, _writes = planner.plan(chunk)
        report.record(outcomes)
        if progress:
            progress(report.rows)
    return report


@transaction.atomic
def import_rows(rows: Rows, *, kind: str, actor, result=None, progress: Callable[[int], None] = None) -> Report:
    """Check and write the rows chunk by chunk in one transaction: a refused row or a database error leaves
    nothing (rule R3), and the rows written so far are reported to `progress`."""
    planner = PLANNERS[kind](actor)
    report = Report(kind, rows.headers, notes=planner.notes, **({"result": result} if result else {}))
    for chunk in rows.chunks():
        outcomes, writes = planner.plan(chunk)
        report.record(outcomes)
        refused = next((outcome for outcome in outcomes if outcome.action == RowAction.REFUSE), None)
        if refused is not None:
            raise DomainError(
                _("Row %(row)d is refused (%(reason)s): nothing was imported; correct the file and upload it again.")
                % {"row": refused.row, "reason": refused.reason},
                code="rows_refused",
            )
        planner.write(writes)
        if progress:
            progress(report.rows)
    planner.finish()
    return report


class Planner:
    """One per kind: decides a chunk of rows against the records their keys name, and writes the decisions.

    Only the chunk's records are read; what stays across chunks is small (projects, buildings, the keys
    already seen for "duplicate in this file")."""

    notes: list[str] = []

    def __init__(self, actor):
        self.actor = actor
        self.seen: dict = {}

    def plan(self, chunk: list[dict]) -> tuple[list[Outcome], dict]:
        writes = {"create": [], "update": []}
        self.prepare(chunk)
        outcomes = []
        for row in chunk:
            try:
                outcomes.append(self.decide(row, writes))
            except RowRefused as refusal:
                outcomes.append(Outcome(row["_row"], RowAction.REFUSE, column=refusal.column, reason=refusal.reason))
        return outcomes, writes

    def prepare(self, chunk: list[dict]) -> None:
        """Read the records the chunk's keys name."""

    def decide(self, row: dict, writes: dict) -> Outcome:
        raise NotImplementedError

    def write(self, writes: dict) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """Whatever is written once for the whole file, after its last chunk."""

    def first_seen(self, key, row: int) -> None:
        if key in self.seen:
            raise RowRefused("", _("Duplicate of row %(row)d in this file.") % {"row": self.seen[key]})
        self.seen[key] = row


def _update_or_keep(writes: dict, row: dict, key: str, record, values: dict) -> Outcome:
    """A row that names an existing record: its changed values are planned as an update, else it is unchanged."""
    changed = {name: value for name, value in values.items() if getattr(record, name) != value}
    if not changed:
        return Outcome(row["_row"], RowAction.UNCHANGED, key)
    for name, value in changed.items():
        setattr(record, name, value)
    writes["update"].append(record)
    return Outcome(row["_row"], RowAction.UPDATE, key, reason=", ".join(sorted(changed)))


def _keys(chunk: list[dict], read: Callable[[dict], object]) -> set:
    """The keys a chunk's rows name, skipping rows whose key cannot be read (they are refused later)."""
    keys = set()
    for row in chunk:
        try:
            keys.add(read(row))
        except RowRefused:
            continue
    return keys


class _Projects:
    """The projects the actor may import into, found by code, name or id as the file writes them."""

    def __init__(self, actor):
        projects = Project.objects.all() if sees_all_projects(actor) else actor.projects.all()
        self.by_name: dict[str, list[Project]] = {}
        self.by_id: dict[str, Project] = {}
        for project in projects:
            self.by_id[str(project.pk)] = project
            self.by_name.setdefault(project.name, []).append(project)
            if project.code:
                self.by_name.setdefault(project.code, []).append(project)

    def find(self, value) -> Project:
        text = _text(value)
        if not text:
            raise RowRefused("project", _("The project is missing."))
        matches = self.by_name.get(text) or ([self.by_id[text]] if text in self.by_id else [])
        if not matches:
            raise RowRefused("project", _("Unknown project, or not one you work on: %(project)s.") % {"project": text})
        if len(set(matches)) > 1:
            raise RowRefused("project", _("Two companies have a project of this name: write its id instead."))
        return matches[0]


# projects

PROJECT_FIELDS = ["name", "city", "status", "product_kind", "opening_date", "delivery_date", "address"]


class ProjectPlanner(Planner):
    """Projects of the companies by code (a project without a code is found by its name and given the file's
    code); only the company-wide roles (CR head, administrators) create them."""

    def __init__(self, actor):
        if not sees_all_projects(actor):
            raise ActionForbidden(_("Only the customer-relations head and administrators may import projects."))
        super().__init__(actor)
        self.companies = {company.name: company for company in Company.objects.all()}
        self.statuses, self.kinds = _choices(ProjectStatus), _choices(ProductKind)
        self.by_code, self.by_name = {}, {}
        for project in Project.objects.all():
            self.by_name[(project.company_id, project.name)] = project
            if project.code:
                self.by_code[(project.company_id, project.code)] = project

    def decide(self, row, writes):
        company_name = _required_text(row, "company", Company, "name")
        company = self.companies.get(company_name)
        if company is None:
            raise RowRefused("company", _("Unknown company: %(company)s.") % {"company": company_name})
        code = _required_text(row, "code", Project, "code")
        name = _required_text(row, "name", Project, "name")
        values = {
            "name": name,
            "city": _required_text(row, "city", Project, "city"),
            "status": _choice(row, "status", self.statuses),
            "product_kind": _choice(row, "product_kind", self.kinds),
            "opening_date": _date(row, "opening_date", required=False, today=None),
            "delivery_date": _date(row, "delivery_date", required=False, today=None),
            "address": _optional_text(row, "address", Project, "address"),
        }
        values = {column: value for column, value in values.items() if value is not None}
        key = f"{company.name} {code} {name}"
        project = self.by_code.get((company.pk, code))
        named = self.by_name.get((company.pk, name))
        if project is None and named is not None and not named.code:
            project, values["code"] = named, code  # a project made before codes: it takes the file's
        if named is not None and named != project:
            raise RowRefused(
                "name", _("Another project of this company has this name: %(code)s.") % {"code": named.code}
            )
        self.first_seen((company.pk, code), row["_row"])
        self.first_seen((company.pk, "name", name), row["_row"])
        if project is None:
            writes["create"].append({"company": company, "code": code, **values})
            return Outcome(row["_row"], RowAction.CREATE, key)
        return _update_or_keep(writes, row, key, project, values)

    def write(self, writes):
        for values in writes["create"]:
            create_project(**values)
        if writes["update"]:
            Project.objects.bulk_update(writes["update"], [*PROJECT_FIELDS, "code"], batch_size=500)


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


class UnitPlanner(Planner):
    """Units by project + building + number; a building the file names first is created with its units."""

    def __init__(self, actor):
        super().__init__(actor)
        self.projects = _Projects(actor)
        self.buildings = {
            (b.project_id, b.name): b for b in Building.objects.filter(project__in=self.projects.by_id.values())
        }
        self.tops: dict[int, int] = {}

    def prepare(self, chunk):
        named = _keys(chunk, lambda row: (self.projects.find(row.get("project")).pk, _text(row.get("building"))))
        buildings = [self.buildings[key].pk for key in named if key in self.buildings]
        numbers = _keys(chunk, lambda row: _required_text(row, "number", Unit, "number"))
        self.units = {
            (u.building_id, u.number): u
            for u in Unit.objects.filter(building_id__in=buildings, number__in=numbers).only(
                "pk", "building_id", "project_id", "number", "floor", "area", "layout", "list_price"
            )
        }

    def decide(self, row, writes):
        project = self.projects.find(row.get("project"))
        building_name = _required_text(row, "building", Building, "name")
        number = _required_text(row, "number", Unit, "number")
        floor = _integer(row, "floor")
        area = _decimal(row, "area", minimum=Decimal("1"))
        layout = _optional_text(row, "layout", Unit, "layout")
        list_price = _decimal(row, "list_price", minimum=Decimal("0"), required=False)
        self.first_seen((project.pk, building_name, number), row["_row"])
        key = f"{project.name} {building_name}-{number}"
        building = self.buildings.get((project.pk, building_name))
        unit = self.units.get((building.pk, number)) if building else None
        if unit is None:
            writes["create"].append(
                {
                    "project": project,
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
        return _update_or_keep(writes, row, key, unit, changes)

    def write(self, writes):
        new = []
        for values in writes["create"]:
            values = dict(values)
            project, building_name = values.pop("project"), values.pop("building")
            building = self.buildings.get((project.pk, building_name))
            if building is None:
                building = self.buildings[(project.pk, building_name)] = Building.objects.create(
                    project=project, name=building_name
                )
            new.append(Unit(building=building, project_id=project.pk, **values))
            self.tops[building.pk] = max(self.tops.get(building.pk, 0), values["floor"])
        Unit.objects.bulk_create(new, batch_size=500)
        Unit.objects.bulk_update(writes["update"], ["floor", "area", "layout", "list_price"], batch_size=500)

    def finish(self):
        for building in self.buildings.values():
            if self.tops.get(building.pk, 0) > building.floors:
                Building.objects.filter(pk=building.pk).update(floors=self.tops[building.pk])


# customers


class CustomerPlanner(Planner):
    """Customers by mobile within the company."""

    def __init__(self, actor):
        super().__init__(actor)
        self.projects = _Projects(actor)
        self.own_projects = None if sees_all_projects(actor) else set(self.projects.by_id)
        self.companies = {project.company_id for project in self.projects.by_id.values()}

    def prepare(self, chunk):
        mobiles = _keys(chunk, _mobile)
        self.customers = {
            (c.company_id, str(c.mobile)): c
            for c in Customer.objects.filter(company_id__in=self.companies, mobile__in=mobiles).only(
                "pk", "company_id", "project_id", "name", "mobile", "id_number"
            )
        }

    def decide(self, row, writes):
        project = self.projects.find(row.get("project"))
        name = _required_text(row, "name", Customer, "name")
        mobile = _mobile(row)
        id_number = _id_number(row)
        self.first_seen((project.company_id, mobile), row["_row"])
        key = f"{name} {mobile[-4:]}"
        customer = self.customers.get((project.company_id, mobile))
        if customer is None:
            writes["create"].append(
                Customer(
                    project=project, company_id=project.company_id, name=name, mobile=mobile, id_number=id_number or ""
                )
            )
            return Outcome(row["_row"], RowAction.CREATE, key)
        if self.own_projects is not None and str(customer.project_id) not in self.own_projects:
            raise RowRefused("mobile", _("This mobile number belongs to a customer of a project you do not work on."))
        changes = {"name": name, **({"id_number": id_number} if id_number else {})}
        return _update_or_keep(writes, row, key, customer, changes)

    def write(self, writes):
        # bulk writes do not call save(): the search keys are written through customers_written, with the history.
        created = bulk_create_with_history(writes["create"], Customer, batch_size=500) if writes["create"] else []
        if writes["update"]:
            _touch(writes["update"])
            bulk_update_with_history(writes["update"], Customer, ["name", "id_number", "updated_at"], batch_size=500)
        if created and created[0].pk is None:  # databases that return no keys from a bulk insert
            mobiles = [str(c.mobile) for c in created]
            created = list(Customer.objects.filter(company_id__in=self.companies, mobile__in=mobiles))
        customers_written.send(sender=Customer, customer_ids=[c.pk for c in [*created, *writes["update"]]])


def _touch(rows) -> None:
    """A bulk update does not call save(): set the time tablets sync by (core.api.filters) here."""
    now = timezone.now()
    for row in rows:
        row.updated_at = now


# purchases

CARE_NOTE = gettext_lazy(
    "Purchases are written directly, not through the sales steps: nothing is sent on import. "
    "Where a subscription date is so recent that the daily care scan would still send its "
    "welcome message, that message is recorded as cancelled: historical milestones send nothing."
)


class PurchasePlanner(Planner):
    """Purchases by unit + customer: a unit has one live purchase."""

    def __init__(self, actor):
        super().__init__(actor)
        self.notes = [str(CARE_NOTE)]
        self.projects = _Projects(actor)
        self.companies = {project.company_id for project in self.projects.by_id.values()}
        self.today = timezone.localdate()

    def prepare(self, chunk):
        projects = _keys(chunk, lambda row: self.projects.find(row.get("project")).pk)
        buildings = _keys(chunk, lambda row: _text(row.get("building")))
        numbers = _keys(chunk, lambda row: _required_text(row, "number", Unit, "number"))
        self.units = {
            (u.project_id, u.building.name, u.number): u
            for u in Unit.objects.filter(project_id__in=projects, building__name__in=buildings, number__in=numbers)
            .select_related("building")
            .only("pk", "project_id", "number", "status", "building__name")
        }
        mobiles = _keys(chunk, _mobile)
        self.customers = {
            (c["company_id"], str(c["mobile"])): c["pk"]
            for c in Customer.objects.filter(company_id__in=self.companies, mobile__in=mobiles).values(
                "pk", "company_id", "mobile"
            )
        }
        unit_ids = [unit.pk for unit in self.units.values()]
        self.live = {
            p.unit_id: p for p in Purchase.objects.filter(unit_id__in=unit_ids).exclude(status=PurchaseStatus.CANCELLED)
        }

    def decide(self, row, writes):
        project = self.projects.find(row.get("project"))
        building_name = _required_text(row, "building", Building, "name")
        number = _required_text(row, "number", Unit, "number")
        unit = self.units.get((project.pk, building_name, number))
        if unit is None:
            raise RowRefused(
                "number",
                _("Unknown unit %(unit)s in %(project)s.")
                % {"unit": f"{building_name}-{number}", "project": project.name},
            )
        mobile = _mobile(row)
        customer_id = self.customers.get((project.company_id, mobile))
        if customer_id is None:
            raise RowRefused("mobile", _("No customer has this mobile number: import the customers first."))
        dates = {name: _date(row, name, required=name == "subscribed_on", today=self.today) for name in MILESTONES}
        _check_milestones(dates)
        price = _decimal(row, "price", minimum=Decimal("0.01"))
        self.first_seen(unit.pk, row["_row"])
        key = f"{project.name} {building_name}-{number}"
        status = _status_of(dates)
        purchase = self.live.get(unit.pk)
        if purchase is None:
            writes["create"].append(
                Purchase(
                    customer_id=customer_id, unit=unit, project_id=unit.project_id, price=price, status=status, **dates
                )
            )
            return Outcome(row["_row"], RowAction.CREATE, key)
        if purchase.customer_id != customer_id:
            raise RowRefused("number", _("This unit is already sold to another customer."))
        changes = {"price": price, "status": status, **dates}
        return _update_or_keep(writes, row, key, purchase, changes)

    def write(self, writes):
        created = bulk_create_with_history(writes["create"], Purchase, batch_size=500) if writes["create"] else []
        if writes["update"]:
            _touch(writes["update"])
            bulk_update_with_history(
                writes["update"], Purchase, ["price", "status", *MILESTONES, "updated_at"], batch_size=500
            )
        by_status: dict[str, list[int]] = {}
        for purchase in [*created, *writes["update"]]:
            by_status.setdefault(_unit_status_of(purchase.status), []).append(purchase.unit_id)
        for status, unit_ids in by_status.items():
            Unit.objects.filter(pk__in=unit_ids).update(status=status)
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


PLANNERS: dict[str, type[Planner]] = {
    ImportKind.PROJECTS: ProjectPlanner,
    ImportKind.UNITS: UnitPlanner,
    ImportKind.CUSTOMERS: CustomerPlanner,
    ImportKind.PURCHASES: PurchasePlanner,
}


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
