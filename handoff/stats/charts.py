"""The Reports page's charts: SVG drawn on the server by pygal, put inline in the page.

pygal writes a ``<style>`` and a ``<script>`` into each chart, and a tooltip styled inline:
the console's Content-Security-Policy (``default-src 'self'``) would block all three, so they
are taken out and the charts are coloured by the console's own stylesheet, through the classes
pygal puts on every element. What remains is markup only: nothing runs, nothing is fetched.
A withheld figure is a gap in a line and a missing bar; the table under each chart says so.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

import pygal
from markupsafe import Markup
from pygal.style import Style

__all__ = ["bars", "lines", "stacked"]

# Sizes pygal lays the chart out for; the stylesheet draws the text at the same sizes.
_STYLE = Style(font_family="system-ui, sans-serif", label_font_size=14, major_label_font_size=14,
               legend_font_size=14, title_font_size=17, value_font_size=14, no_data_font_size=16)
_CONFIG = {"style": _STYLE,
    "js": [], "css": [], "no_prefix": True, "disable_xml_declaration": True,
    "width": 420, "height": 300, "explicit_size": False, "legend_at_bottom": True,
    "legend_at_bottom_columns": 2, "margin_bottom": 40, "truncate_legend": 40, "truncate_label": 24,
    "show_minor_x_labels": True, "x_label_rotation": 0, "margin": 16, "print_values": False,
    "include_x_axis": True, "min_scale": 4, "max_scale": 8, "allow_interruptions": True,
}


def _clean(chart: pygal.graph.graph.Graph, chart_id: str, title: str) -> Markup:
    root = chart.render_tree()
    for parent in list(root.iter()):
        for child in list(parent):
            tag = child.tag if isinstance(child.tag, str) else ""
            if not tag or tag in ("style", "script") or "tooltip" in child.get("class", "").split():
                parent.remove(child)  # comments, styles, scripts, the scripted tooltip
            elif child.get("style") is not None:
                del child.attrib["style"]
    for found in root.iter("title"):
        if found in list(root):
            found.text = title
            found.set("id", f"{chart_id}-title")
    root.set("id", chart_id)
    root.set("role", "img")
    root.set("aria-labelledby", f"{chart_id}-title")
    root.set("class", "pygal-chart chart")
    return Markup(ET.tostring(root, encoding="unicode"))


def _labels(chart: pygal.graph.graph.Graph, labels: Sequence[str]) -> None:
    """Short labels, level: the stylesheet centres them, so slanted ones would overlap. Past a
    dozen buckets (weeks) a label every few, the rest as ticks."""
    chart.x_labels = list(labels)
    if len(labels) > 12:
        chart.x_labels_major_every = -(-len(labels) // 8)
        chart.show_minor_x_labels = False


def lines(chart_id: str, title: str, labels: Sequence[str],
          series: Sequence[tuple[str, Sequence[int | None]]], empty: str = "") -> Markup:
    """Counts over time, one line a series; a withheld figure is a gap."""
    chart = pygal.Line(title=title, show_dots=True, dots_size=3, no_data_text=empty, **_CONFIG)
    _labels(chart, labels)
    for name, values in series:
        chart.add(name, list(values))
    return _clean(chart, chart_id, title)


def bars(chart_id: str, title: str, labels: Sequence[str], values: Sequence[int | None],
         empty: str = "") -> Markup:
    """One figure per category, as horizontal bars (names stay readable on a phone)."""
    config = {**_CONFIG, "height": max(220, 60 + 36 * len(labels)), "show_legend": False}
    chart = pygal.HorizontalBar(title=title, no_data_text=empty, **config)
    chart.x_labels = list(labels)
    chart.add(title, list(values))
    return _clean(chart, chart_id, title)


def stacked(chart_id: str, title: str, labels: Sequence[str],
            series: Sequence[tuple[str, Sequence[int | None]]], empty: str = "") -> Markup:
    """Parts of each bucket stacked, one colour a part."""
    chart = pygal.StackedBar(title=title, no_data_text=empty, **_CONFIG)
    _labels(chart, labels)
    for name, values in series:
        chart.add(name, list(values))
    return _clean(chart, chart_id, title)
