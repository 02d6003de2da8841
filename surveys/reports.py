"""The satisfaction and loyalty reports (S1–S3), as JSON for the API and as Excel sheets (R3)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.excel import Sheet

from . import selectors

REPORTS = ("satisfaction", "loyalty")


def build(report: str, responses, *, by: str | None) -> dict:
    if by and by not in selectors.DIMENSIONS:
        raise DomainError(
            _("Split by one of: %(names)s.") % {"names": ", ".join(selectors.DIMENSIONS)}, field="by", code="invalid"
        )
    data = {
        "report": report,
        "by": by or None,
        "overall": selectors.figures(responses)[0],
        "rows": selectors.figures(responses, by=by) if by else [],
    }
    if report == "satisfaction":
        data["items"] = selectors.item_figures(responses, by=by)
    return {key: _jsonable(value) for key, value in data.items()}


def parameters(by: str | None) -> list[tuple]:
    """What the export covers besides its filters: the dimension it is split by."""
    return [(_("Split by"), selectors.DIMENSIONS.get(by, _("All")) if by else _("All"))]


def sheets(report: str, data: dict) -> list[Sheet]:
    dimension = selectors.DIMENSIONS.get(data["by"], _("All")) if data["by"] else _("All")
    rows = data["rows"] or [data["overall"]]
    if report == "loyalty":
        return [
            Sheet(
                _("Loyalty"),
                [dimension, _("Answered all three"), _("Loyal"), _("Loyalty (%)"), _("Satisfaction (%)")],
                [
                    [row["label"], row["loyalty_base"], row["loyal"], row["loyalty"], row["satisfaction"]]
                    for row in rows
                ],
            )
        ]
    overall = Sheet(
        _("Satisfaction"),
        [dimension, _("Responses"), _("Answered overall"), _("Satisfied (4 or 5)"), _("Satisfaction (%)")],
        [[row["label"], row["responses"], row["respondents"], row["satisfied"], row["satisfaction"]] for row in rows],
    )
    items = Sheet(
        _("Per question"),
        [
            _("Questionnaire"),
            _("Question"),
            dimension,
            _("Answered"),
            _("Satisfied (4 or 5)"),
            _("Scores of 1 or 2"),
            _("Satisfaction (%)"),
        ],
        [
            [
                row["questionnaire_title"],
                row["question"],
                row.get("label", _("All")),
                row["respondents"],
                row["satisfied"],
                row["low"],
                row["satisfaction"],
            ]
            for row in data["items"]
        ],
    )
    return [overall, items]


def filename(report: str, by: str | None) -> str:
    return f"{report}{'-' + by if by else ''}-{timezone.localdate():%Y%m%d}.xlsx"


def _jsonable(value):
    if isinstance(value, list):
        return [_jsonable(row) for row in value]
    if isinstance(value, dict):
        return {
            key: (item.isoformat() if hasattr(item, "isoformat") else str(item) if key == "label" else item)
            for key, item in value.items()
        }
    return value
