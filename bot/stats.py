"""``intake stats export``: anonymised, disclosure-controlled figures for partners and funders.

The same figures as ``GET /api/v1/stats`` and the Reports page, with the same suppression,
over whole calendar buckets that have ended (one still running would change after it is
sent: see handoff.stats.disclosure).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

__all__ = ["register"]

LONG_RANGE_DAYS = 92  # past a quarter, the export shows a progress bar (on a terminal)


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date: YYYY-MM-DD") from None


def cmd_export(args: argparse.Namespace) -> int:
    from bot import settings as settings_module
    from core.db import Database, utcnow
    from handoff.stats import export
    from handoff.stats.published import figures, parse_range, reading, rule_of

    settings = settings_module.load_or_exit()
    zone = ZoneInfo(settings.timezone)
    try:
        first, last, by = parse_range({"from": args.start.isoformat(), "to": args.end.isoformat(),
                                       "by": args.by}, date.max)
    except ValueError as exc:
        print(f"intake: {exc}", file=sys.stderr)
        return 2
    bar: Any = None
    if (last - first).days > LONG_RANGE_DAYS:
        from tqdm import tqdm

        # disable=None: drawn on a terminal only, never into a file or a pipe.
        bar = tqdm(total=1, desc="counting", unit="table", file=sys.stderr, disable=None, leave=False)

    def progress(done: int, of: int) -> None:
        if bar is not None:
            bar.total = of
            bar.update(done - bar.n)

    db = Database(settings.database_url, settings.keys)
    try:
        with reading(db) as session:
            data = figures(session, first, last, by, zone, rule_of(settings, args.round), utcnow(),
                           complete_only=True, progress=progress)
    except ValueError as exc:
        print(f"intake: {exc}", file=sys.stderr)
        return 2
    finally:
        if bar is not None:
            bar.close()
        db.dispose()
    target = args.output
    if target is None and args.format == "xlsx":
        target = Path(f"stats-{data['from']}-{data['to']}.xlsx")
    if target is None:
        export.write(data, args.format, sys.stdout.buffer)
        sys.stdout.flush()
    else:
        export.write(data, args.format, target)
        print(f"wrote {target} ({data['from']} to {data['to']}, by {data['by']}, k={data['k']})",
              file=sys.stderr)
    return 0


def register(sub: Any) -> None:
    """Add ``stats export`` to the ``intake`` command."""
    stats = sub.add_parser("stats", help="anonymised figures")
    stats_sub = stats.add_subparsers(dest="stats_command", required=True)
    export = stats_sub.add_parser(
        "export", help="disclosure-controlled figures as CSV, JSON or XLSX",
        description="Counts per calendar month or ISO week; every count under INTAKE_STATS_K is "
                    "withheld, with enough others that none can be worked out from the totals.")
    export.add_argument("--from", dest="start", type=_date, required=True, metavar="YYYY-MM-DD")
    export.add_argument("--to", dest="end", type=_date, required=True, metavar="YYYY-MM-DD")
    export.add_argument("--format", choices=("csv", "json", "xlsx"), default="csv")
    export.add_argument("--by", choices=("month", "week"), default="month")
    export.add_argument("--round", type=int, default=None, metavar="BASE",
                        help="round every figure to this base, as a partner may ask "
                             "(default INTAKE_STATS_ROUND)")
    export.add_argument("--output", "-o", type=Path, default=None,
                        help="a file; default standard output (xlsx: stats-FROM-TO.xlsx)")
    export.set_defaults(func=cmd_export)
