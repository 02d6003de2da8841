"""The sales office's weekly summary (L5, J5) as one report: the dashboard page and the API share it."""

import datetime

from django.utils.translation import gettext_lazy as _

from core.access import sees_own_team_only, team_member_ids
from core.excel import Sheet, export_conditions, xlsx_response
from estates.selectors import projects_for

from . import selectors
from .choices import LeadGrade


def week_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = day - datetime.timedelta(days=day.weekday())
    return start, start + datetime.timedelta(days=6)


def weekly_summaries(*, user, day: datetime.date) -> dict:
    """Per project the user works on, the week's summary; sales staff below the manager see their team."""
    start, end = week_of(day)
    team = team_member_ids(user) if sees_own_team_only(user) else None
    projects = list(selectors.projects_with_sales(projects_for(user)).order_by("name"))
    summaries = selectors.weekly_summaries(projects=projects, start=start, end=end, consultant_ids=team)
    return {
        "start": start,
        "end": end,
        "projects": [{"project": project, **summaries[project.pk]} for project in projects],
    }


def as_json(report: dict) -> dict:
    return {
        "start": report["start"],
        "end": report["end"],
        "projects": [
            {
                "project": summary["project"].pk,
                "project_name": summary["project"].name,
                "rows": summary["rows"],
                "grade_totals": summary["grade_totals"],
            }
            for summary in report["projects"]
        ],
    }


def as_xlsx(report: dict, *, user):
    grades = [grade.value for grade in LeadGrade]
    headers = [
        _("project"),
        _("consultant"),
        *[grade.heading for grade in LeadGrade],
        _("follow-ups"),
        _("overdue"),
        _("first visits"),
        _("invited to the club"),
        _("invitation rate (%)"),
    ]
    rows = (
        [
            summary["project"].name,
            row["consultant"],
            *[row["grades"][grade] for grade in grades],
            row["follow_ups"],
            row["overdue"],
            row["first_visits"],
            row["invited"],
            row["invitation_rate"],
        ]
        for summary in report["projects"]
        for row in summary["rows"]
    )
    return xlsx_response(
        f"weekly-summary-{report['start']:%Y%m%d}.xlsx",
        [Sheet(title=_("Weekly summary"), headers=headers, rows=rows)],
        conditions=export_conditions(
            user=user,
            parameters=[
                (_("Week"), f"{report['start']} – {report['end']}"),
                (_("Projects"), _("every project you work on")),
            ],
        ),
    )
