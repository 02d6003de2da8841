"""Excel files of the complaints app (core.excel): the complaint list and the reports (R3, C12, D2, D3)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from core.excel import Labels, Sheet, export_conditions, xlsx_response

from .choices import ClockKind, DefectCategory, VisitSubject
from .models import Complaint, CrisisRecord
from .selectors import REPORT_CLOCKS


def complaint_list_xlsx(complaints, *, conditions=()):
    headers = [
        _("Number"),
        _("Received"),
        _("Project"),
        _("Unit"),
        _("Customer"),
        _("Channel"),
        _("Category"),
        _("Subject"),
        _("Severity"),
        _("Validity"),
        _("Status"),
        _("Department"),
        _("Deadline"),
    ]
    label = Labels(Complaint)
    rows = (
        [
            c.pk,
            c.received_at,
            c.project.name,
            str(c.unit or ""),
            c.customer.name if c.customer else "",
            label(c, "channel"),
            str(c.category),
            c.title,
            label(c, "severity"),
            label(c, "validity"),
            label(c, "state"),
            str(c.department or ""),
            c.deadline,
        ]
        for c in complaints.iterator(chunk_size=2000)
    )
    return xlsx_response(
        f"complaints-{timezone.localdate():%Y%m%d}.xlsx",
        [Sheet(title=_("Complaints"), headers=headers, rows=rows)],
        conditions=conditions,
    )


def crisis_list_xlsx(crises, *, conditions=()):
    """Rule C8: the crisis list as filtered, with each crisis's complaint and the actions written on it."""
    headers = [
        _("Number"),
        _("Complaint"),
        _("Project"),
        _("Status"),
        _("Opened"),
        _("Closed"),
        _("Actions"),
        _("Conclusion"),
    ]
    label = Labels(CrisisRecord)
    rows = (
        [
            crisis.pk,
            crisis.complaint.title,
            crisis.complaint.project.name,
            label(crisis, "status"),
            crisis.opened_at,
            crisis.closed_at,
            crisis.action_count,
            crisis.conclusion,
        ]
        for crisis in crises.iterator(chunk_size=2000)
    )
    return xlsx_response(
        f"crises-{timezone.localdate():%Y%m%d}.xlsx",
        [Sheet(title=_("Crises"), headers=headers, rows=rows)],
        conditions=conditions,
    )


def _report_headers(first):
    return [
        first,
        _("Complaints"),
        _("Valid share (%)"),
        *[_("%(clock)s on time (%%)") % {"clock": ClockKind(kind).label} for kind in REPORT_CLOCKS],
        _("Return visits"),
        _("Satisfaction (0–100)"),
    ]


def _report_row(row):
    return [
        row["label"],
        row["count"],
        row["valid_share"],
        *[row["timeliness"][kind.value] for kind in REPORT_CLOCKS],
        row["return_visits"],
        row["satisfaction"],
    ]


def monthly_report_xlsx(report, *, user):
    sheets = [
        Sheet(
            title=_("By project"),
            headers=_report_headers(_("Project")),
            rows=[_report_row(row) for row in report["by_project"]]
            + [_report_row({**report["total"], "label": _("Total")})],
        ),
        Sheet(
            title=_("By category"),
            headers=_report_headers(_("Category")),
            rows=[_report_row(row) for row in report["by_category"]],
        ),
        Sheet(
            title=_("By department"),
            headers=_report_headers(_("Department")),
            rows=[_report_row(row) for row in report["by_department"]],
        ),
        Sheet(
            title=_("By intake channel"),
            headers=_report_headers(_("Channel")),
            rows=[_report_row(row) for row in report["by_channel"]],
        ),
    ]
    return xlsx_response(
        f"complaints-{report['year']}-{report['month']:02d}.xlsx",
        sheets,
        conditions=export_conditions(
            user=user,
            parameters=[
                (_("Month"), f"{report['year']}-{report['month']:02d}"),
                (_("Projects"), _("every project you work on")),
            ],
        ),
    )


def weekly_defects_xlsx(stats, *, user):
    headers = [_("Project"), *[category.label for category in DefectCategory]]
    rows = [[row["project"], *[row[category.value] for category in DefectCategory]] for row in stats["projects"]]
    rows.append([_("Total"), *[stats["totals"][category.value] for category in DefectCategory]])
    return xlsx_response(
        f"defects-week-{stats['week_start']:%Y%m%d}.xlsx",
        [Sheet(title=_("Defects of the week"), headers=headers, rows=rows)],
        conditions=export_conditions(
            user=user,
            parameters=[
                (_("Week"), f"{stats['week_start']} – {stats['week_end']}"),
                (_("Projects"), _("every project you work on")),
            ],
        ),
    )


def handbook_xlsx(book, *, user):
    headers = [
        _("Category"),
        _("Project"),
        _("Defect"),
        _("Description"),
        _("Component"),
        _("Source"),
        _("Responsible department"),
        _("Raised"),
    ]
    rows = [
        [
            section["label"],
            d.project.name,
            d.title,
            d.description,
            str(d.component_type or ""),
            d.get_source_display(),
            str(d.responsible_department or ""),
            d.raised_at,
        ]
        for section in book["categories"]
        for d in section["defects"]
    ]
    summary = [
        [_("Company"), book["company"].name],
        [_("Quarter"), f"{book['year']} Q{book['quarter']}"],
        [_("Defects"), book["defect_count"]],
        [_("Complaints"), book["complaint_count"]],
        [_("Valid complaints"), book["valid_complaints"]],
    ]
    return xlsx_response(
        f"quality-handbook-{book['company'].pk}-{book['year']}Q{book['quarter']}.xlsx",
        [
            Sheet(title=_("Summary"), headers=[_("Item"), _("Value")], rows=summary),
            Sheet(title=_("Defects"), headers=headers, rows=rows),
        ],
        conditions=export_conditions(
            user=user,
            parameters=[(_("Company"), book["company"].name), (_("Quarter"), f"{book['year']} Q{book['quarter']}")],
        ),
    )


def due_return_visits_xlsx(clocks, *, conditions=()):
    """Rules C9, C13: the return visits waiting to be made, as filtered, soonest due first."""
    now = timezone.now()
    headers = [_("For"), _("Number"), _("Subject or unit"), _("Project"), _("Started"), _("Due"), _("Overdue")]
    rows = (
        [
            VisitSubject.COMPLAINT.label if clock.complaint_id else VisitSubject.REPAIR_ORDER.label,
            clock.complaint_id or clock.repair_order_id,
            clock.complaint.title if clock.complaint_id else str(clock.repair_order.unit),
            (clock.complaint or clock.repair_order).project.name,
            clock.started_at,
            clock.due_at,
            _("Yes") if clock.due_at < now else _("No"),
        ]
        for clock in clocks.iterator(chunk_size=2000)
    )
    return xlsx_response(
        f"return-visits-due-{timezone.localdate():%Y%m%d}.xlsx",
        [Sheet(title=_("Return visits due"), headers=headers, rows=rows)],
        conditions=conditions,
    )
