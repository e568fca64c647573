"""Exports of the protected figures: CSV, JSON and XLSX, the same figures in each.

CSV is long (one figure a line: table, period, category, value), which every tool reads; a
withheld figure has an empty value and ``withheld`` set. XLSX has a sheet per table, periods
down and categories across, a withheld figure written as "x", and a first sheet saying what
the figures are and the rule that protected them. XLSX is written with XlsxWriter, a
maintained writer-only library that streams rows (constant memory).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

__all__ = ["FORMATS", "rows", "write"]

FORMATS = ("csv", "json", "xlsx")
HEADER = ("table", "measure", "dimension", "period", "category", "value", "withheld")
ALL = "all"  # the period of a figure over the whole range
TOTAL = "total"  # the category of a table's total


def rows(data: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    """Every figure, one tuple each, in the CSV's columns."""
    for table in data["tables"]:
        head = (table["name"], table["measure"], table["dimension"])
        for row in [*table["rows"], {**table["all"], "period": ALL}]:
            for category in [*table["categories"], TOTAL]:
                value = row["total"] if category == TOTAL else row["cells"][category]
                yield (*head, row["period"], category, "" if value is None else value,
                       "yes" if value is None else "")


def _csv(data: dict[str, Any]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows(data))
    return out.getvalue().encode("utf-8")


def _about(data: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        ("from", data["from"]), ("to", data["to"]), ("by", data["by"]),
        ("k", str(data["k"])), ("rounding", str(data["rounding"] or "none")),
        ("withheld", "x: " + data["withheld"].removeprefix("null: ")),
        ("rule", "Counts per calendar bucket. A count from 1 to k-1 is withheld, and so are enough "
                 "others in its row that it cannot be worked out from the total; totals over the "
                 "range are given only where every count they add up is given."),
    ]


def _xlsx(data: dict[str, Any], target: str | io.BytesIO) -> None:
    import xlsxwriter

    options = {"in_memory": True} if isinstance(target, io.BytesIO) else {"constant_memory": True}
    book = xlsxwriter.Workbook(target, options)
    bold = book.add_format({"bold": True})
    about = book.add_worksheet("about")
    for i, (key, value) in enumerate(_about(data)):
        about.write_string(i, 0, key, bold)
        about.write_string(i, 1, value)
    about.set_column(1, 1, 100)
    for table in data["tables"]:
        sheet = book.add_worksheet(table["name"][:31])  # Excel's limit for a sheet name
        columns = [*table["categories"], TOTAL]
        sheet.write_string(0, 0, "period", bold)
        for j, name in enumerate(columns, start=1):
            sheet.write_string(0, j, name, bold)
        for i, row in enumerate([*table["rows"], {**table["all"], "period": ALL}], start=1):
            sheet.write_string(i, 0, row["period"])
            for j, name in enumerate(columns, start=1):
                value = row["total"] if name == TOTAL else row["cells"][name]
                if value is None:
                    sheet.write_string(i, j, "x")
                else:
                    sheet.write_number(i, j, value)
    book.close()


def write(data: dict[str, Any], fmt: str, target: Path | BinaryIO) -> None:
    """Write the figures in ``fmt`` to a path or a binary stream."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    if isinstance(target, Path):
        if fmt == "xlsx":
            _xlsx(data, str(target))
            return
        with target.open("wb") as stream:
            write(data, fmt, stream)
        return
    if fmt == "xlsx":
        buffer = io.BytesIO()
        _xlsx(data, buffer)
        target.write(buffer.getvalue())
    elif fmt == "csv":
        target.write(_csv(data))
    else:
        target.write(json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8") + b"\n")
