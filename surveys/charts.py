"""Server-side SVG charts of the figures (pygal), for the surveys dashboard and the dashboard home."""

from __future__ import annotations

from functools import lru_cache

import pygal
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from pygal.style import Style

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#1d2733",
    foreground_strong="#1d2733",
    foreground_subtle="#8795a6",
    colors=("#e2231a", "#2f6fb0", "#4caf50"),
    font_family="system-ui, sans-serif",
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=12,
    value_font_size=11,
    tooltip_font_size=12,
)
# No script from the internet: the dashboard serves what it shows itself.
_BASE = {
    "style": STYLE,
    "js": [],
    "disable_xml_declaration": True,
    "range": (0, 100),
    "height": 300,
    "width": 720,
    "show_y_guides": True,
    "legend_at_bottom": True,
    "print_values": False,
    "explicit_size": False,
    "no_data_text": _("No answers yet"),
}


def trend_chart(rows: list[dict]) -> SafeString:
    """Satisfaction and loyalty month by month (selectors.trend rows); a gap where a month has no answers."""
    return _trend_chart(get_language(), tuple((row["label"], row["satisfaction"], row["loyalty"]) for row in rows))


@lru_cache(maxsize=256)
def _trend_chart(language: str, points: tuple) -> SafeString:
    """Drawn once per language and figures: the home draws the same months again each time they are counted."""
    chart = pygal.Line(**_BASE, x_label_rotation=0, allow_interruptions=True, dots_size=3)
    chart.x_labels = [label for label, _satisfaction, _loyalty in points]
    chart.add(_("Satisfaction (%)"), [satisfaction for _label, satisfaction, _loyalty in points])
    chart.add(_("Loyalty (%)"), [loyalty for _label, _satisfaction, loyalty in points])
    return _svg(chart)


def split_chart(rows: list[dict]) -> SafeString:
    """Satisfaction and loyalty side by side for each value of a split (segment, step, project)."""
    chart = pygal.Bar(**_BASE)
    chart.x_labels = [str(row["label"]) for row in rows]
    chart.add(_("Satisfaction (%)"), [row["satisfaction"] for row in rows])
    chart.add(_("Loyalty (%)"), [row.get("loyalty") for row in rows])
    return _svg(chart)


def _svg(chart) -> SafeString:
    chart.config.no_data_text = _("No answers yet")
    return mark_safe(chart.render(is_unicode=True))  # noqa: S308 - pygal escapes labels and values
