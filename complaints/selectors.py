"""Reads the complaints app reuses: lists, duplicates, queues and the reports (C12, D2–D4)."""
from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone

from .choices import (
    OPEN_STATES, SATISFACTION_SCORES, ClockKind, ClockStatus, DefectCategory, Satisfaction, Validity,
)
from .models import Complaint, Defect, Notification, RepairOrder, ReturnVisit, SlaClock

REPORT_CLOCKS = [ClockKind.RESPONSE, ClockKind.PLAN, ClockKind.REPORT_HEAD, ClockKind.SOLUTION,
                 ClockKind.AUTO_MAJOR, ClockKind.RETURN_VISIT]


def complaint_list():
    return Complaint.objects.select_related("project", "unit__building", "customer", "department", "received_by",
                                            "handler")


def repair_order_list():
    return RepairOrder.objects.select_related("project", "unit__building", "customer", "component_type",
                                              "assignee", "reported_by")


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


def my_queue(user):
    """What waits on this user: dispatched to their department, handled by them, or received by them."""
    query = Q(handler=user) | Q(received_by=user)
    if user.department_id:
        query |= Q(department_id=user.department_id)
    return complaint_list().filter(query).filter(state__in=OPEN_STATES)


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
    """Per project, category and department: count, valid share, timeliness per clock and satisfaction.

    `complaints` is the caller's visible queryset (already scoped by the policy).
    """
    start, end = month_bounds(year, month)
    month_qs = complaints.filter(received_at__gte=start, received_at__lt=end)
    rows = list(month_qs.values("pk", "project_id", "project__name", "category", "department__name", "validity"))
    ids = [row["pk"] for row in rows]
    clocks = defaultdict(lambda: defaultdict(lambda: [0, 0]))  # complaint → kind → [met, judged]
    for clock in SlaClock.objects.filter(complaint_id__in=ids, status__in=[ClockStatus.MET, ClockStatus.BREACHED]
                                         ).values("complaint_id", "kind", "status"):
        judged = clocks[clock["complaint_id"]][clock["kind"]]
        judged[1] += 1
        judged[0] += clock["status"] == ClockStatus.MET
    scores = defaultdict(list)
    for visit in ReturnVisit.objects.filter(complaint_id__in=ids).values("complaint_id", "satisfaction"):
        scores[visit["complaint_id"]].append(SATISFACTION_SCORES[Satisfaction(visit["satisfaction"])])

    def group(key):
        groups = defaultdict(list)
        for row in rows:
            groups[key(row)].append(row)
        result = []
        for label, members in sorted(groups.items(), key=lambda item: str(item[0])):
            result.append(_figures(str(label), members, clocks, scores))
        return result

    from .choices import Category

    return {
        "year": year, "month": month,
        "total": _figures("total", rows, clocks, scores),
        "by_project": group(lambda row: row["project__name"]),
        "by_category": group(lambda row: Category(row["category"]).label),
        "by_department": group(lambda row: row["department__name"] or "—"),
    }


def _figures(label, members, clocks, scores) -> dict:
    count = len(members)
    valid = sum(1 for row in members if row["validity"] == Validity.VALID)
    timeliness = {}
    for kind in REPORT_CLOCKS:
        met = sum(clocks[row["pk"]][kind][0] for row in members)
        judged = sum(clocks[row["pk"]][kind][1] for row in members)
        timeliness[kind.value] = round(100 * met / judged, 1) if judged else None
    visit_scores = [score for row in members for score in scores[row["pk"]]]
    return {
        "label": label, "count": count,
        "valid_share": round(100 * valid / count, 1) if count else None,
        "timeliness": timeliness,
        "satisfaction": round(sum(visit_scores) / len(visit_scores), 1) if visit_scores else None,
        "return_visits": len(visit_scores),
    }


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
    counts = (defects.filter(raised_at__gte=start, raised_at__lt=end)
              .values("project__name", "category").annotate(n=Count("pk")).order_by("project__name"))
    per_project = defaultdict(lambda: {category.value: 0 for category in DefectCategory})
    totals = {category.value: 0 for category in DefectCategory}
    for row in counts:
        per_project[row["project__name"]][row["category"]] = row["n"]
        totals[row["category"]] += row["n"]
    return {"week_start": monday, "week_end": next_monday - datetime.timedelta(days=1), "totals": totals,
            "projects": [{"project": name, **figures} for name, figures in sorted(per_project.items())]}


def previous_quarter(today: datetime.date) -> tuple[int, int]:
    quarter = (today.month - 1) // 3 + 1
    return (today.year - 1, 4) if quarter == 1 else (today.year, quarter - 1)


def quarter_bounds(year: int, quarter: int):
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.datetime(year, 3 * quarter - 2, 1), zone)
    end = (timezone.make_aware(datetime.datetime(year + 1, 1, 1), zone) if quarter == 4
           else timezone.make_aware(datetime.datetime(year, 3 * quarter + 1, 1), zone))
    return start, end


def quality_handbook(*, company, year: int, quarter: int, defects=None, complaints=None) -> dict:
    """Rule D3: a company's quarter — defects by category and project, the complaint figures."""
    start, end = quarter_bounds(year, quarter)
    defects = (defects if defects is not None else Defect.objects.all()).filter(
        project__company=company, raised_at__gte=start, raised_at__lt=end).select_related(
        "project", "component_type", "responsible_department")
    complaints = (complaints if complaints is not None else Complaint.objects.all()).filter(
        project__company=company, received_at__gte=start, received_at__lt=end)
    by_category = {category.value: {"label": category.label, "defects": []} for category in DefectCategory}
    for defect in defects.order_by("category", "project__name", "raised_at"):
        by_category[defect.category]["defects"].append(defect)
    return {
        "company": company, "year": year, "quarter": quarter,
        "categories": list(by_category.values()),
        "defect_count": sum(len(section["defects"]) for section in by_category.values()),
        "complaint_count": complaints.count(),
        "valid_complaints": complaints.filter(validity=Validity.VALID).count(),
    }


def earlier_defects_for(project):
    """Rule D4: defects of earlier projects of the same product kind, for a new project to avoid."""
    return (Defect.objects.filter(project__product_kind=project.product_kind, project__company=project.company,
                                  project__created_at__lte=project.created_at)
            .exclude(project=project)
            .select_related("project", "component_type", "responsible_department")
            .order_by("category", "-raised_at"))
