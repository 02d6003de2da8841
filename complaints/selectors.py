"""Reads the complaints app reuses: lists, duplicates, queues and the reports (C12, D2–D4)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, FloatField, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.db import Among, count_of, plain_rows
from core.labels import with_names_of

from . import policies
from .choices import OPEN_STATES, SATISFACTION_SCORES, Channel, ClockKind, ClockStatus, DefectCategory, Validity
from .models import (
    CaseEntry,
    Complaint,
    ComplaintCategory,
    ComplaintTally,
    CrisisAction,
    CrisisRecord,
    Defect,
    Notification,
    RepairOrder,
    ReturnVisit,
    SlaClock,
)

REPORT_CLOCKS = [
    ClockKind.RESPONSE,
    ClockKind.PLAN,
    ClockKind.REPORT_HEAD,
    ClockKind.SOLUTION,
    ClockKind.AUTO_MAJOR,
    ClockKind.RETURN_VISIT,
]


def complaint_list():
    return Complaint.objects.select_related(
        "project", "unit__building", "customer", "category", "department", "received_by", "handler"
    )


def complaints_by_state(user) -> dict[str, int]:
    """The complaints `user` may see, by state (the board's figures): from their projects' tally where their
    projects are all that narrows what they see; counted otherwise (a team's, a department's)."""
    policy = policies.COMPLAINTS
    if not policy.scopes_by_project_alone(user):
        return count_by_state(policy.scope(Complaint.objects.all(), user))
    tallies = policy.scope(ComplaintTally.objects.filter(complaints__gt=0), user)
    return dict(tallies.values_list("state").annotate(n=Sum("complaints")).order_by())


def count_by_state(complaints) -> dict[str, int]:
    return dict(complaints.values_list("state").annotate(n=Count("*")).order_by())


def repair_order_list():
    return RepairOrder.objects.select_related(
        "project", "unit__building", "customer", "component_type", "assignee", "reported_by", "complaint"
    )


def possible_duplicates(*, customer=None, unit=None, exclude=None):
    """Rule C1: open complaints of the same customer about the same unit, shown before saving."""
    if customer is None and unit is None:
        return Complaint.objects.none()
    query = Complaint.objects.filter(state__in=OPEN_STATES)
    if customer is not None:
        query = query.filter(customer=customer)
    if unit is not None:
        query = query.filter(unit=unit)
    if exclude is not None:
        query = query.exclude(pk=exclude.pk)
    return query.select_related("project").order_by("-received_at")


def current_clocks(complaint):
    """The clocks of the complaint's current cycle, soonest due first."""
    return [clock for clock in complaint.clocks.all() if clock.cycle == complaint.reopen_count]


def waiting_on(user) -> Q:
    """What waits on this user: open, and dispatched to their department, handled by them, or received by them."""
    query = Q(handler=user) | Q(received_by=user)
    if user.department_id:
        query |= Q(department_id=user.department_id)
    return query & Q(state__in=OPEN_STATES)


def my_queue(user):
    return complaint_list().filter(waiting_on(user))


def inbox(user):
    return Notification.objects.filter(recipient=user).select_related("complaint", "repair_order")


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


# ---------------------------------------------------------------- monthly report (C12)


def month_bounds(year: int, month: int):
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.datetime(year, month, 1), zone)
    end = timezone.make_aware(datetime.datetime(year + (month == 12), month % 12 + 1, 1), zone)
    return start, end


def monthly_report(*, complaints, year: int, month: int) -> dict:
    """Per project, category, department and channel: count, valid share, timeliness per clock and satisfaction.

    `complaints` is the caller's visible queryset (already scoped by the policy). Every figure is aggregated in
    the database, at the finest grain the report shows: three grouped queries whatever the month's size, whose
    rows are added up, as they are read, into the whole month's and each grouping's (`_Rollup`); the first also
    reads what each grouping's values are called.
    """
    rollup = _Rollup(REPORT_GROUPINGS)
    rollup.read(_received_in(complaints, year, month), labelled=True)
    return {
        "year": year,
        "month": month,
        "total": _row(rollup.total, "total"),
        **{f"by_{key}": rollup.rows(key) for key in REPORT_GROUPINGS},
    }


def monthly_total(*, complaints, year: int, month: int) -> dict:
    """The monthly report's total row alone (what the home shows): three statements of one row each."""
    rollup = _Rollup({})
    rollup.read(_received_in(complaints, year, month))
    return _row(rollup.total, "total")


def _received_in(complaints, year: int, month: int):
    start, end = month_bounds(year, month)
    return complaints.filter(received_at__gte=start, received_at__lt=end).order_by()


# The report's groupings and their columns: a relation's id, or the field itself for a choice (the intake channel).
REPORT_GROUPINGS = {
    "project": "project_id",
    "category": "category_id",
    "department": "department_id",
    "channel": "channel",
}
# What each grouping's values are called: the columns it is read from, and the label made of them.
REPORT_GROUP_LABELS = {
    "project": (("project__name",), str),
    "category": (
        ("category__name", "category__name_en"),
        lambda name, name_en: ComplaintCategory(name=name, name_en=name_en).label,
    ),
    "department": (("department__name",), str),
    "channel": (("channel",), lambda value: Channel(value).label),
}
SATISFACTION_SCORE = Case(
    *[When(satisfaction=value, then=Value(score)) for value, score in SATISFACTION_SCORES.items()],
    output_field=FloatField(),
)


@dataclass
class _Sums:
    """Figures that add up from one grouping to a coarser one: counts, and satisfaction as a sum over a count."""

    count: int = 0
    valid: int = 0
    visits: int = 0
    scored: int = 0
    score_sum: float = 0.0
    clocks: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0]))  # kind: [met, judged]


class _Rollup:
    """The month's figures, read at the finest grain of `groupings`, added up into the whole month's and into each
    grouping's per value as they are read."""

    def __init__(self, groupings: dict[str, str]):
        self.groupings = groupings
        self.total = _Sums()
        self.by = {key: defaultdict(_Sums) for key in groupings}
        self.labels = {key: {} for key in groupings}
        self._sums_of_cell = {}
        # Where each grouping's label columns sit among a row's names, and how its label is made of them.
        self._spans, start = [], 0
        for key in groupings:
            read, label = REPORT_GROUP_LABELS[key]
            self._spans.append((self.labels[key], start, start + len(read), label))
            start += len(read)

    def read(self, month_qs, labelled: bool = False) -> None:
        columns = list(self.groupings.values())
        through = [f"complaint__{column}" for column in columns]
        ids = month_qs.values("pk")
        named = [name for key in self.groupings for name in REPORT_GROUP_LABELS[key][0]] if labelled else []
        counts = {"count": Count("pk"), "valid": Count("pk", filter=Q(validity=Validity.VALID))}
        width = len(columns)  # a row's cell: its first `width` values
        for row in _grouped(month_qs, [*columns, *named], **counts):
            cell, (count, valid) = row[:width], row[-2:]
            if named:
                self._label(cell, row[width:-2])
            for sums in self._sums_of(cell):
                sums.count += count
                sums.valid += valid
        clocks = SlaClock.objects.filter(Among("complaint_id", ids), status__in=[ClockStatus.MET, ClockStatus.BREACHED])
        judged = {"met": Count("pk", filter=Q(status=ClockStatus.MET)), "judged": Count("pk")}
        for row in _grouped(clocks.order_by(), [*through, "kind"], **judged):
            kind, met, count = row[width:]
            for sums in self._sums_of(row[:width]):
                figures = sums.clocks[kind]
                figures[0] += met
                figures[1] += count
        visits = ReturnVisit.objects.filter(Among("complaint_id", ids)).order_by()
        scores = {"score_sum": Sum(SATISFACTION_SCORE), "scored": Count(SATISFACTION_SCORE), "visits": Count("pk")}
        for row in _grouped(visits, through, **scores):
            score_sum, scored, count = row[width:]
            for sums in self._sums_of(row[:width]):
                sums.score_sum += float(score_sum or 0)  # (a sum, which the database may give as a Decimal)
                sums.scored += scored
                sums.visits += count

    def _sums_of(self, cell: tuple) -> list[_Sums]:
        """The sums a finest-grain cell adds to: the whole month's and its value's in each grouping."""
        found = self._sums_of_cell.get(cell)
        if found is None:
            found = self._sums_of_cell[cell] = [self.total] + [
                by[value] for by, value in zip(self.by.values(), cell, strict=True)
            ]
        return found

    def _label(self, cell, names) -> None:
        for value, (labels, start, end, label) in zip(cell, self._spans, strict=True):
            if value is not None and value not in labels:
                labels[value] = label(*names[start:end])

    def rows(self, key: str) -> list[dict]:
        labels = self.labels[key]
        return sorted((_row(sums, str(labels.get(value, "—"))) for value, sums in self.by[key].items()), key=_label_of)


def _grouped(queryset, columns, **figures):
    """`figures` per value of `columns` (as tuples, the figures last), or of the whole queryset when there are none."""
    if not columns:
        return [tuple(queryset.aggregate(**figures).values())]
    return plain_rows(queryset.values(*columns).annotate(**figures).values_list(*columns, *figures))


def _row(sums: _Sums, label: str) -> dict:
    timeliness = {}
    for kind in REPORT_CLOCKS:
        met, judged = sums.clocks.get(kind.value, (0, 0))
        timeliness[kind.value] = round(100 * met / judged, 1) if judged else None
    return {
        "label": label,
        "count": sums.count,
        "valid_share": round(100 * sums.valid / sums.count, 1) if sums.count else None,
        "timeliness": timeliness,
        "satisfaction": round(sums.score_sum / sums.scored, 1) if sums.scored else None,
        "return_visits": sums.visits,
    }


def _label_of(row: dict) -> str:
    return row["label"]


# ---------------------------------------------------------------- defects (D2–D4)


def week_bounds(day: datetime.date):
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=7)


def weekly_defect_stats(*, defects, day: datetime.date) -> dict:
    """Rule D2: the week's defects by category, per project."""
    monday, next_monday = week_bounds(day)
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time()), zone)
    end = timezone.make_aware(datetime.datetime.combine(next_monday, datetime.time()), zone)
    counts = (
        defects.filter(raised_at__gte=start, raised_at__lt=end)
        .values("project__name", "category")
        .annotate(n=Count("pk"))
        .order_by("project__name")
    )
    per_project = defaultdict(lambda: {category.value: 0 for category in DefectCategory})
    totals = {category.value: 0 for category in DefectCategory}
    for row in counts:
        per_project[row["project__name"]][row["category"]] = row["n"]
        totals[row["category"]] += row["n"]
    return {
        "week_start": monday,
        "week_end": next_monday - datetime.timedelta(days=1),
        "totals": totals,
        "projects": [{"project": name, **figures} for name, figures in sorted(per_project.items())],
    }


def previous_quarter(today: datetime.date) -> tuple[int, int]:
    quarter = (today.month - 1) // 3 + 1
    return (today.year - 1, 4) if quarter == 1 else (today.year, quarter - 1)


def quarter_bounds(year: int, quarter: int):
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.datetime(year, 3 * quarter - 2, 1), zone)
    end = (
        timezone.make_aware(datetime.datetime(year + 1, 1, 1), zone)
        if quarter == 4
        else timezone.make_aware(datetime.datetime(year, 3 * quarter + 1, 1), zone)
    )
    return start, end


def quality_handbook(*, company, year: int, quarter: int, defects=None, complaints=None) -> dict:
    """Rule D3: a company's quarter — defects by category and project, the complaint figures."""
    start, end = quarter_bounds(year, quarter)
    defects = (
        (defects if defects is not None else Defect.objects.all())
        .filter(project__company=company, raised_at__gte=start, raised_at__lt=end)
        .select_related("project", "component_type", "responsible_department")
    )
    complaints = (complaints if complaints is not None else Complaint.objects.all()).filter(
        project__company=company, received_at__gte=start, received_at__lt=end
    )
    by_category = {category.value: {"label": category.label, "defects": []} for category in DefectCategory}
    for defect in defects.order_by("category", "project__name", "raised_at"):
        by_category[defect.category]["defects"].append(defect)
    return {
        "company": company,
        "year": year,
        "quarter": quarter,
        "categories": list(by_category.values()),
        "defect_count": sum(len(section["defects"]) for section in by_category.values()),
        **complaints.order_by().aggregate(
            complaint_count=Count("pk"), valid_complaints=Count("pk", filter=Q(validity=Validity.VALID))
        ),
    }


def earlier_defects_for(project):
    """Rule D4: defects of earlier projects of the same product kind, for a new project to avoid."""
    return (
        Defect.objects.filter(
            project__product_kind=project.product_kind,
            project__company=project.company,
            project__created_at__lte=project.created_at,
        )
        .exclude(project=project)
        .select_related("project", "component_type", "responsible_department")
        .order_by("category", "-raised_at")
    )


# ---------------------------------------------------------------- return visits due (C9, C13) and crises (C8)


def due_return_visits(user):
    """Return visits waiting to be made, soonest due first: the running 24-hour clocks of the complaints and
    repair orders this user may see."""
    clocks = SlaClock.objects.filter(kind=ClockKind.RETURN_VISIT, stopped_at__isnull=True)
    if not (policies.COMPLAINTS.sees_every_row(user) and policies.REPAIR_ORDERS.sees_every_row(user)):
        complaints = policies.COMPLAINTS.scope(Complaint.objects.all(), user).values("pk")
        orders = policies.REPAIR_ORDERS.scope(RepairOrder.objects.all(), user).values("pk")
        # Their clocks looked up by the complaints and orders first: walked in the queue's order, the clocks of a
        # user's few were found among every due one.
        clocks = clocks.filter(Q(Among("complaint_id", complaints)) | Q(Among("repair_order_id", orders)))
    # What the queue shows of each: the complaint's title or the order's unit, and the project.
    shown = ("complaint__title", "complaint__project__name", "repair_order__project__name")
    unit = ("repair_order__unit__number", "repair_order__unit__building__name")
    return with_names_of(clocks, also=(*shown, *unit)).order_by("due_at", "pk")


def case_library():
    """Rule C11: the cases, latest first, with their category and who added each."""
    return CaseEntry.objects.select_related("category", "added_by").order_by("-added_at", "-pk")


def cases_like(complaint, *, at_most: int = 3):
    """Rule C11: the library's latest cases of a complaint's category, for whoever handles it (not its own)."""
    return case_library().filter(category_id=complaint.category_id).exclude(complaint=complaint)[:at_most]


def crisis_list():
    """Rule C8: crisis records, each with how many actions and decisions were written on it (`action_count`)."""
    return CrisisRecord.objects.annotate(action_count=count_of(CrisisAction.objects.all(), "crisis"))


def crisis_timeline(crisis) -> list[dict]:
    """Rule C8: what happened in a crisis, oldest first — its opening and the team alerted, breaches and
    escalations of its complaint's clocks, each action or decision, its closing."""
    from .choices import EventKind
    from .models import ComplaintEvent

    events = ComplaintEvent.objects.filter(
        complaint_id=crisis.complaint_id, kind__in=[EventKind.CRISIS, EventKind.BREACH, EventKind.ESCALATED]
    ).select_related("actor")
    rows = [
        {"at": e.at, "kind": e.kind, "title": str(e.get_kind_display()), "actor": str(e.actor or ""), "detail": e.note}
        for e in events
    ]
    rows += [
        {
            "at": a.at,
            "kind": "action",
            "title": str(_("Action or decision")),
            "actor": str(a.actor or ""),
            "detail": a.description,
        }
        for a in crisis.actions.select_related("actor")
    ]
    return sorted(rows, key=lambda row: row["at"])
