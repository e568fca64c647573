"""``python -m bench [engine|peers|webhook|queue|sms ...]``: run the benchmarks, print tables,
write bench/results/<part>.json (and all.json when every part ran).

The parts share one process so that ratios (ours against the peers) come from the same run,
under the same load; run alone, ``peers`` measures a small engine sample of its own.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys
import time
import warnings
from typing import Any

from bench.common import RESULTS, print_table, write_results

PARTS = ("understanding", "engine", "peers", "webhook", "queue", "sms", "scaleout", "stats")
MODULES = {"engine": "bench.engine", "peers": "bench.peers", "webhook": "bench.webhook",
           "queue": "bench.claims", "sms": "bench.sms", "understanding": "bench.understanding",
           "scaleout": "bench.scaleout", "stats": "bench.stats"}

# The figures the issue sets targets for, in one closing table.
SUMMARY = (
    ("engine.sqlite.turns_per_s", ">= 2,000"),
    ("engine.sqlite.p50_ms", ""),
    ("engine.sqlite.p99_ms", ""),
    ("engine.postgres.turns_per_s", ""),
    ("engine.postgres.p99_ms", ""),
    ("engine.sqlite.turns_per_s_at_1k", ""),
    ("engine.sqlite.turns_per_s_at_10k", ""),
    ("engine.sqlite.turns_per_s_at_100k", ""),
    ("ratio.engine_cost_100k_vs_1k", "<= 1.2"),
    ("engine.rss_mb_per_10k", "< 5"),
    ("peers.floor.turns_per_s", ""),
    ("peers.ptb_none.turns_per_s", ""),
    ("peers.ptb_pickle.turns_per_s", ""),
    ("peers.aiogram_redis.turns_per_s", ""),
    ("ratio.engine_vs_floor_cost", "<= 5"),
    ("ratio.engine_vs_ptb_none", ">= 1"),
    ("ratio.engine_vs_aiogram_redis", ">= 5"),
    ("webhook.turns_per_s", ">= 500 at p99 < 100 ms"),
    ("webhook.p50_ms", ""),
    ("webhook.p99_ms", "< 100"),
    ("webhook.burst.turns_per_s", ""),
    ("webhook.burst.p99_ms", ""),
    ("webhook.errors", "0"),
    ("webhook.lost", "0"),
    ("webhook.duplicated", "0"),
    ("queue.sqlite.claims_per_s", ""),
    ("queue.sqlite.double_claims", "0"),
    ("queue.postgres.claims_per_s", ""),
    ("queue.postgres.double_claims", "0"),
    ("understanding.accuracy", ">= 0.97 in every locale"),
    ("understanding.no_as_yes", "0"),
    ("danger.recall", ">= 0.98 in every locale"),
    ("danger.false_alarm_rate", "<= 0.01"),
    ("danger.cost_us_per_check", ""),
    ("language.first_message.exact", ">= 0.97 (>= 0.90 in every locale)"),
    ("language.first_message.family", ">= 0.99"),
    ("sms.pt.segments_per_screening", "<= 22"),
    ("sms.pt.longest_prompt_segments", "<= 2"),
    ("scaleout.lost", "0"),
    ("scaleout.duplicated", "<= in flight at the SIGKILLs"),
    ("scaleout.stall_s", "< 5"),
    ("scaleout.replies_per_s", ""),
    ("scaleout.pacing_violations", "0"),
    ("stats.sqlite.seconds", "< 2"),
    ("stats.postgres.seconds", "< 2"),
    ("stats.100k.seconds", "< 2"),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("parts", nargs="*", metavar="part", help=f"any of {', '.join(PARTS)}; default: all")
    args = parser.parse_args(argv)
    parts = args.parts or list(PARTS)
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        parser.error(f"unknown part(s): {', '.join(unknown)}; choose from {', '.join(PARTS)}")
    # Library chatter (lingua, transitions, httpx) would bury the tables.
    logging.basicConfig(level=logging.ERROR)
    warnings.simplefilter("ignore")

    context: dict[str, Any] = {}
    everything: dict[str, Any] = {}
    started = time.perf_counter()
    for part in parts:
        t0 = time.perf_counter()
        print(f"\n##### {part} #####", flush=True)
        module = importlib.import_module(MODULES[part])
        try:
            results = module.run(context)
        except Exception as exc:  # one broken part must not hide the others' numbers
            logging.getLogger("bench").exception("part %s failed", part)
            results = {f"{part}.failed": f"{type(exc).__name__}: {exc}"}
        results[f"{part}.seconds"] = round(time.perf_counter() - t0, 1)
        write_results(part, results)
        everything.update(results)
        print(f"\n({part}: {results[f'{part}.seconds']} s)", flush=True)
    total = round(time.perf_counter() - started, 1)
    everything["bench.seconds"] = total
    if set(parts) == set(PARTS):
        write_results("all", everything)
    rows = [(k, everything[k], f"target {t}" if t else "") for k, t in SUMMARY if k in everything]
    print_table(f"summary ({total} s); results in {RESULTS}", rows)
    failed = [k for k in everything if k.endswith(".failed")]
    for key in failed:
        print(f"  {key}: {everything[key]}")
    print(json.dumps({k: everything[k] for k, _ in SUMMARY if k in everything}), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
