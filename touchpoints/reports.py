"""The scorecard report (J3, J8) as JSON rows and as an Excel file; the API and the dashboard share it."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from core.excel import Sheet, export_conditions, xlsx_response

from . import selectors


def scorecard_report(*, project, on: datetime.date) -> dict:
    steps = selectors.scorecard(project=project, on=on)
    year_start = datetime.date(on.year, 1, 1)
    coverage = selectors.return_visit_coverage(projects=[project], start=year_start, end=on)[0]
    return {
        "project": project.pk,
        "project_name": project.name,
        "on": on.isoformat(),
        "steps": [
            {
                "step": score.step.pk,
                "label": score.step.label,
                "name": score.step.name,
                "due": score.due,
                "on_time": score.on_time,
                "share": score.share,
                "actions": [
                    {
                        "action": row["action"].pk,
                        "name": row["action"].name,
                        "due": row["due"],
                        "on_time": row["on_time"],
                    }
                    for row in score.actions
                ],
            }
            for score in steps
        ],
        "return_visit_coverage": coverage,
        "excluded_from_excellence": project.pk in set(selectors.excluded_from_excellence(year=on.year)),
    }


def scorecard_xlsx(report: dict, *, user):
    rows = [
        [step["label"], step["name"], step["due"], step["on_time"], "" if step["share"] is None else step["share"]]
        for step in report["steps"]
    ]
    actions = [
        [step["name"], action["name"], action["due"], action["on_time"]]
        for step in report["steps"]
        for action in step["actions"]
    ]
    filename = f"scorecard-{report['project']}-{report['on']}.xlsx"
    return xlsx_response(
        filename,
        [
            Sheet(title=_("Scorecard"), headers=[_("Step"), _("Name"), _("Due"), _("On time"), _("Share")], rows=rows),
            Sheet(title=_("Actions"), headers=[_("Step"), _("Action"), _("Due"), _("On time")], rows=actions),
        ],
        conditions=export_conditions(
            user=user, parameters=[(_("Project"), report["project_name"]), (_("As of"), report["on"])]
        ),
    )


def coverage_rows(*, projects, start: datetime.date, end: datetime.date) -> list[dict]:
    return selectors.return_visit_coverage(projects=list(projects), start=start, end=end)


def coverage_xlsx(rows: list[dict], *, start: datetime.date, end: datetime.date, user):
    headers = [
        _("Project"),
        _("Signings"),
        _("Signing calls"),
        _("Signing coverage"),
        _("Deliveries"),
        _("Delivery calls"),
        _("Delivery coverage"),
    ]
    data = (
        [
            row["project_name"],
            row["signings"],
            row["signing_calls"],
            _blank(row["signing_coverage"]),
            row["deliveries"],
            row["delivery_calls"],
            _blank(row["delivery_coverage"]),
        ]
        for row in rows
    )
    return xlsx_response(
        f"return-visit-coverage-{start}-{end}.xlsx",
        [Sheet(title=_("Return-visit coverage"), headers=headers, rows=data)],
        conditions=export_conditions(
            user=user,
            parameters=[(_("Period"), f"{start} – {end}"), (_("Projects"), _("every project you work on"))],
        ),
    )


def _blank(value):
    return "" if value is None else value
