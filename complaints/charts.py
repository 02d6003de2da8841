"""Server-side SVG charts of the monthly report (pygal): no JavaScript, printable."""

import pygal
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from pygal.style import Style

from .choices import ClockKind
from .selectors import REPORT_CLOCKS

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    font_family="sans-serif",
    colors=("#2563eb", "#16a34a", "#f59e0b", "#dc2626", "#7c3aed", "#0891b2"),
)


def _render(chart) -> str:
    return mark_safe(chart.render(is_unicode=True))  # noqa: S308 - pygal escapes the labels it draws


def counts_chart(report) -> str:
    chart = pygal.HorizontalBar(
        style=STYLE,
        js=[],
        height=300,
        show_legend=False,
        disable_xml_declaration=True,
        title=_("Complaints by category"),
    )
    chart.x_labels = [row["label"] for row in report["by_category"]]
    chart.add(_("Complaints"), [row["count"] for row in report["by_category"]])
    return _render(chart)


def timeliness_chart(report) -> str:
    chart = pygal.Bar(
        style=STYLE, js=[], height=300, range=(0, 100), disable_xml_declaration=True, title=_("On time by clock (%)")
    )
    chart.x_labels = [str(ClockKind(kind).label) for kind in REPORT_CLOCKS]
    chart.add(_("Total"), [report["total"]["timeliness"][kind.value] for kind in REPORT_CLOCKS])
    return _render(chart)
