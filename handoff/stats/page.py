"""The Reports page's content: the protected figures as charts and, under each, its table.

Built from the same protected figures the API returns (handoff.stats.published), so what the
page shows is what ``GET /api/v1/stats`` says, figure for figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from babel import Locale
from markupsafe import Markup

from handoff.i18n import channel_name, code_label, country_name, language_name, t
from handoff.stats import charts

__all__ = ["Figure", "category_label", "figures_of"]


@dataclass
class Figure:
    """One chart and the table that says the same in numbers."""

    id: str
    title: str
    svg: Markup
    table: str  # the table of the API figures it shows: its name, for tests and links
    corner: str  # the heading of the row headings
    head: list[str]  # the figures' column headings
    rows: list[tuple[str, list[int | None]]]  # row heading, figures (None: withheld)


def category_label(dimension: str, code: str, lang: str) -> str:
    """A category as the supervisor reads it, in the console's language."""
    if code == "unknown":
        return t("stats_unknown", lang)
    if code.startswith("region:"):
        return t(f"stats_region_{code.removeprefix('region:')}", lang)
    if dimension == "channel":
        return channel_name(code, lang)
    if dimension == "language":
        return language_name(code, lang)
    if dimension in ("nationality", "destination") and len(code) == 2:
        return country_name(code, lang)
    if code in ("yes", "no"):
        return t(f"stats_{code}", lang)
    if dimension == "first_reply_sla":
        return t(f"stats_sla_{code}", lang)
    return code_label(code, lang)


def _table(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(table for table in data["tables"] if table["name"] == name)


def _period_label(period: dict[str, Any], lang: str) -> str:
    return period["key"] + (f" ({t('stats_partial', lang)})" if period["partial"] else "")


def _axis_label(period: dict[str, Any], lang: str) -> str:
    """A bucket as short as a chart's axis needs: "mar" (its year is in the table), "W10"."""
    key = str(period["key"])
    _year, _, part = key.partition("-")
    if part.isdigit():
        month = Locale.parse(lang).months["stand-alone"]["abbreviated"][int(part)]
        return month.rstrip(".")
    return part or key


def _stacked(data: dict[str, Any], name: str, chart_id: str, title: str, lang: str,
             periods: list[str], axis: list[str]) -> Figure:
    """A table's figures per bucket, its categories stacked (a withheld one is left out of its
    bar; the table under it says which). Per bucket, not over the whole range: a total over
    the range is withheld as soon as one of its buckets' figures is."""
    table = _table(data, name)
    series = [(category_label(table["dimension"], c, lang), [row["cells"][c] for row in table["rows"]])
              for c in table["categories"]]
    svg = charts.stacked(chart_id, title, axis, series, t("stats_nothing_shown", lang))
    return Figure(chart_id, title, svg, name, t("stats_period", lang),
                  [*(label for label, _ in series), t("stats_total", lang)],
                  [(period, [*(values[i] for _, values in series), table["rows"][i]["total"]])
                   for i, period in enumerate(periods)])


def figures_of(data: dict[str, Any], lang: str) -> list[Figure]:
    """The page's charts: volume over time, languages, channels, outcomes, and the reply time."""
    periods = [_period_label(p, lang) for p in data["periods"]]
    axis = [_axis_label(p, lang) for p in data["periods"]]
    volume_tables = (("conversations_by_channel", "stats_conversations"),
                     ("screenings_by_programme", "stats_screenings"),
                     ("cases_opened_by_priority", "stats_cases_opened"))
    series = [(t(word, lang), [row["total"] for row in _table(data, name)["rows"]])
              for name, word in volume_tables]
    title = t("stats_volume", lang)
    volume = Figure("chart-volume", title, charts.lines("chart-volume", title, axis, series, t("stats_nothing_shown", lang)),
                    "conversations_by_channel", t("stats_period", lang), [name for name, _ in series],
                    [(period, [values[i] for _, values in series]) for i, period in enumerate(periods)])
    return [
        volume,
        _stacked(data, "conversations_by_language", "chart-languages", t("stats_languages", lang), lang, periods, axis),
        _stacked(data, "conversations_by_channel", "chart-channels", t("stats_channels", lang), lang, periods, axis),
        _stacked(data, "screenings_by_programme", "chart-outcomes", t("stats_outcomes", lang), lang, periods, axis),
        _stacked(data, "cases_by_sla", "chart-sla", t("stats_sla", lang), lang, periods, axis),
    ]
