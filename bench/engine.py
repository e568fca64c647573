"""Engine: turns through the real pipeline, in-process, one thread.

Every turn is ``app.pipeline.handle(inbound)`` with the inbound parsed by the real Telegram
channel from a webhook update (parsing is done before timing, as the engine receives it):
dedupe, the person's lock, the dialog, language detection, translation, encryption, the
outbox row, the handoff hook at the end, commit. Delivery is not part of a turn (the outbox
sender runs after the commit), so a RecordingChannel stands in for Telegram and is never called.

Conversations are interleaved (every conversation's first turn, then every second turn ...),
which is how a busy bot sees them and defeats any per-conversation cache.

Scale: the same turns after 1k, 10k and 100k complete conversations are stored, seeded by SQL
(INSERT ... SELECT copies of one real screening's rows: contact, conversation, ~45 messages,
outbox rows and the handoff case, with fresh keys), so the indexes really hold that many rows.
"""

from __future__ import annotations

import cProfile
import gc
import io
import pstats
import time
from collections import defaultdict
from typing import Any

from sqlalchemy import func, inspect, select, text

from bench.common import (
    STEPS,
    TelegramInbounds,
    Timing,
    ensure_pg_database,
    make_app,
    percentile,
    print_table,
    reference_transcript,
    reset_postgres,
    rss_mb,
    sqlite_url,
    temp_dir,
    timed,
)

# N per figure, chosen to keep `make bench` well under 10 minutes on 2 cores (see bench/__main__.py).
SIZES = {
    "sqlite_conversations": 300,
    "sqlite_samples": 3,  # the median run is reported: one lasts under a second
    "postgres_conversations": 150,
    "scale_levels": (1_000, 10_000, 100_000),
    "scale_sample_conversations": 100,
    "scale_warm_up_conversations": 10,
    "scale_samples": 5,
    "rss_conversations": 2_000,
    "rss_turns_each": 2,
    "profile_conversations": 25,
    "seed_batch": 10_000,
}


def warm_up(app: Any, inbounds: TelegramInbounds, first_chat: int) -> None:
    """Three complete screenings: lingua's model, catalogs, SQL caches and imports load here,
    not inside a measurement."""
    for turn in inbounds.interleaved(first_chat, 3):
        app.pipeline.handle(turn)


def run_engine(app: Any, inbounds: TelegramInbounds, first_chat: int, conversations: int) -> Timing:
    turns = inbounds.interleaved(first_chat, conversations)
    return timed(turns, app.pipeline.handle)


def completed_cases(app: Any) -> int:
    from handoff.models import Case

    with app.db.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(Case)) or 0)


# -- seeding ---------------------------------------------------------------------------------


class Seeder:
    """Copies one real conversation's rows ``n`` times with SQL, in batches."""

    TABLES = ("contact", "conversation", "message", "outbox", "handoff_case")

    def __init__(self, app: Any, template_conversation: int) -> None:
        from sqlalchemy import event

        from core.db import make_engine

        # Its own engine: a big page cache makes seeding several times faster, and must not
        # leak into the app's connections, whose turns are measured with the defaults.
        self.engine = make_engine(app.db.url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect",
                         lambda conn, _r: conn.execute("PRAGMA cache_size=-262144"))
        self.dialect = self.engine.dialect.name
        with self.engine.connect() as conn:
            conv = conn.execute(text("SELECT contact_id FROM conversation WHERE id = :c"),
                                {"c": template_conversation}).one()
            self.conv, self.contact = template_conversation, conv[0]
            self.span = {}
            for table in ("message", "handoff_case"):  # outbox rows take their messages' ids
                lo, hi = conn.execute(text(
                    f"SELECT min(id), max(id) FROM {table} WHERE conversation_id = :c"),
                    {"c": self.conv}).one()
                self.span[table] = (lo, hi - lo + 1)
        self.columns = {t: [c["name"] for c in inspect(self.engine).get_columns(t)]
                        for t in self.TABLES}

    def _series(self) -> str:
        if self.dialect == "postgresql":
            return "generate_series(:lo, :hi - 1) AS seq(n)"
        return "seq"

    def _with(self) -> str:
        if self.dialect == "postgresql":
            return ""
        return "WITH RECURSIVE seq(n) AS (SELECT :lo UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < :hi) "

    def _random_hash(self) -> str:
        if self.dialect == "postgresql":
            return "md5(random()::text) || md5(random()::text)"
        return "lower(hex(randomblob(32)))"

    def _copy(self, conn: Any, table: str, where: str, overrides: dict[str, str],
              params: dict[str, Any]) -> None:
        cols = self.columns[table]
        exprs = [overrides.get(c, f"t.{c}") for c in cols]
        sql = (f"{self._with()}INSERT INTO {table} ({', '.join(cols)}) "
               f"SELECT {', '.join(exprs)} FROM {table} t CROSS JOIN {self._series()} WHERE {where}")
        conn.execute(text(sql), params)

    def seed(self, count: int, batch: int) -> None:
        """Add ``count`` complete conversations (each with its own contact)."""
        done = 0
        while done < count:
            k = min(batch, count - done)
            with self.engine.begin() as conn:
                bases = {t: int(conn.execute(text(f"SELECT coalesce(max(id), 0) + 1 FROM {t}")).scalar_one())
                         for t in self.TABLES}
                m_lo, m_span = self.span["message"]
                h_lo, h_span = self.span["handoff_case"]
                p = {"lo": 0, "hi": k, "c": self.conv, "k": self.contact}
                contact_id = f"({bases['contact']} + seq.n)"
                conv_id = f"({bases['conversation']} + seq.n)"
                suffix = f"'-s' || CAST(seq.n + {bases['conversation']} AS TEXT)"
                self._copy(conn, "contact", "t.id = :k",
                           {"id": contact_id, "address_hash": self._random_hash()}, p)
                self._copy(conn, "conversation", "t.id = :c",
                           {"id": conv_id, "contact_id": contact_id}, p)
                self._copy(conn, "message", "t.conversation_id = :c", {
                    "id": f"({bases['message']} + seq.n * {m_span} + t.id - {m_lo})",
                    "conversation_id": conv_id,
                    # provider ids are the dedupe key: unique per copy, as real ones are
                    "provider_id": f"CASE WHEN t.provider_id IS NULL THEN NULL ELSE t.provider_id || {suffix} END",
                    # Stored conversations are old ones: their replies went out long ago (the
                    # template's never did, as no sender runs here), with a provider's reference.
                    "status": "CASE WHEN t.direction = 'out' THEN 'sent' ELSE t.status END",
                    "delivery_ref": f"CASE WHEN t.direction = 'out' THEN 'ref' || t.id || {suffix} END",
                }, p)
                self._copy(conn, "outbox", "t.conversation_id = :c", {
                    # an outbox row has its message's id (core.models)
                    "id": f"({bases['message']} + seq.n * {m_span} + t.message_id - {m_lo})",
                    "message_id": f"({bases['message']} + seq.n * {m_span} + t.message_id - {m_lo})",
                    "conversation_id": conv_id, "contact_id": contact_id,
                    "status": "'sent'", "lease_until": "NULL", "sent_at": "t.next_attempt_at",
                    "attempts": "1",
                }, p)
                self._copy(conn, "handoff_case", "t.conversation_id = :c", {
                    "id": f"({bases['handoff_case']} + seq.n * {h_span} + t.id - {h_lo})",
                    "conversation_id": conv_id, "contact_id": contact_id,
                }, p)
            done += k
        with self.engine.begin() as conn:
            if self.dialect == "postgresql":
                for t in self.TABLES:  # explicit ids: move the sequences past them
                    conn.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT max(id) FROM {t}))"))
        # Planner statistics, as a live database would have them (sampled on SQLite: a full
        # ANALYZE of millions of rows would take longer than the measurement).
        with self.engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            if self.dialect == "sqlite":
                conn.execute(text("PRAGMA analysis_limit=1000"))
            conn.execute(text("ANALYZE"))
        self.engine.dispose()
        if self.dialect == "sqlite":
            # The seeding's last writes go into the file now, not into the measured turns.
            import sqlite3

            from core.db import sqlite_path

            raw = sqlite3.connect(str(sqlite_path(str(self.engine.url))), timeout=30, isolation_level=None)
            try:
                raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            finally:
                raw.close()

    def stored(self) -> int:
        with self.engine.connect() as conn:
            count = int(conn.execute(text("SELECT count(*) FROM conversation")).scalar_one())
        self.engine.dispose()
        return count


# -- the sender's side -----------------------------------------------------------------------


def sender_cost(app: Any, batch: int = 5) -> dict[str, float]:
    """The database side of delivering what the turns queued: the real sender's passes, each
    marking the previous pass's rows sent and claiming (and leasing) the next ``batch`` due,
    as a busy server's sender does every few milliseconds. The provider calls are left out
    (the webhook part measures those): each claimed row counts as delivered at once."""
    sender = app.sender
    gc.collect()
    cpu, wall = time.process_time(), time.perf_counter()
    rows, passes, delivered = 0, 0, []
    while True:
        jobs = sender._pass(delivered, batch)
        passes += 1
        if not jobs:
            break
        delivered = [(job, [f"bench-{job.outbox_id}"]) for job in jobs]
        rows += len(jobs)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {"rows": rows, "passes": passes, "rows_per_s": round(rows / wall, 1) if wall else 0.0,
            "cpu_us_per_row": round(cpu / rows * 1e6, 1) if rows else 0.0}


# -- profile ---------------------------------------------------------------------------------

GROUPS = (
    ("lingua/language detection", ("lingua", "LanguageDetector", "locales/detect", "py3langid", "locales/resolve")),
    ("encryption (cryptography)", ("cryptography", "bot/crypto", "hmac", "hashlib")),
    ("SQLAlchemy ORM/Core", ("sqlalchemy",)),
    ("sqlite3/psycopg driver", ("sqlite3", "psycopg", "{method 'execute'", "{method 'commit'")),
    ("JSON", ("json",)),
    ("transitions", ("transitions",)),
    ("dialogs", ("dialogs/",)),
    ("locales (catalogs, formatting)", ("locales/", "babel", "gettext")),
    ("pipeline/store/render", ("bot/",)),
)


def profile(app: Any, inbounds: TelegramInbounds, first_chat: int, conversations: int
            ) -> tuple[str, list[tuple[str, float]]]:
    """cProfile over interleaved turns: the top 15 by cumulative time, and self time by library."""
    turns = inbounds.interleaved(first_chat, conversations)
    profiler = cProfile.Profile()
    profiler.enable()
    for turn in turns:
        app.pipeline.handle(turn)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(15)
    stats.sort_stats("tottime").print_stats(12)
    total = 0.0
    by_group: dict[str, float] = defaultdict(float)
    for (filename, _line, name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        total += tottime
        where = f"{filename}:{name}"
        for group, needles in GROUPS:
            if any(n in where for n in needles):
                by_group[group] += tottime
                break
        else:
            by_group["other (stdlib, interpreter)"] += tottime
    shares = sorted(((g, t / total * 100) for g, t in by_group.items()), key=lambda x: -x[1])
    per_turn_us = total / len(turns) * 1e6
    header = f"profile: {len(turns)} turns ({conversations} conversations x {STEPS}), " \
             f"{per_turn_us:.0f} us/turn under the profiler\n"
    return header + out.getvalue(), shares


# -- the part --------------------------------------------------------------------------------


def run(context: dict[str, Any]) -> dict[str, Any]:
    results: dict[str, Any] = {}
    rows: list[tuple[str, Any, str]] = []
    inbounds = TelegramInbounds()
    n = SIZES["sqlite_conversations"]

    # SQLite, as configured by the app: WAL, synchronous=NORMAL, BEGIN IMMEDIATE.
    app = make_app(sqlite_url(temp_dir("engine")), temp_dir("engine-data"))
    warm_up(app, inbounds, 1)
    runs = sorted((run_engine(app, inbounds, 10_000 + i * n, n) for i in range(SIZES["sqlite_samples"])),
                  key=lambda t: t.turns_per_s)
    sqlite = runs[len(runs) // 2]
    results.update(sqlite.summary("engine.sqlite"))
    results["engine.sqlite.turns_per_s_samples"] = [round(t.turns_per_s, 1) for t in runs]
    results["engine.sqlite.conversations"] = n * len(runs)
    results["engine.sqlite.completed"] = completed_cases(app) - 3
    context["engine_sqlite"] = sqlite
    for key, value in sender_cost(app).items():
        results[f"sender.sqlite.{key}"] = value

    # Memory: the pipeline keeps no conversation in memory; measure RSS over many new ones.
    # A first batch fills the caches that do not grow with conversations (SQLite's page cache,
    # compiled statements); the growth over a second batch is what conversations cost.
    m, each = SIZES["rss_conversations"], SIZES["rss_turns_each"]
    gc.collect()
    before = rss_mb()
    timed(inbounds.interleaved(100_000, m, steps=each), app.pipeline.handle)
    gc.collect()
    warm = rss_mb()
    timed(inbounds.interleaved(100_000 + m, m, steps=each), app.pipeline.handle)
    gc.collect()
    after = rss_mb()
    results["engine.rss_baseline_mb"] = round(before, 1)
    results["engine.rss_warm_up_mb"] = round(warm - before, 2)
    results["engine.rss_mb_per_10k"] = round(max(0.0, after - warm) / m * 10_000, 2)
    results["engine.rss_conversations"] = m

    text_, shares = profile(app, inbounds, 200_000, SIZES["profile_conversations"])
    context["profile"] = (text_, shares)
    # What each step writes, for the peers to send the same replies.
    context["reference"] = reference_transcript(app)
    app.db.dispose()

    # PostgreSQL
    pg = ensure_pg_database()
    if pg:
        reset_postgres(pg)
        papp = make_app(pg, temp_dir("engine-pg-data"), migrate_db=False)
        warm_up(papp, inbounds, 1)
        npg = SIZES["postgres_conversations"]
        postgres = run_engine(papp, inbounds, 10_000, npg)
        results.update(postgres.summary("engine.postgres"))
        results["engine.postgres.conversations"] = npg
        results["engine.postgres.completed"] = completed_cases(papp) - 3
        for key, value in sender_cost(papp).items():
            results[f"sender.postgres.{key}"] = value
        papp.db.dispose()

    # Scale: the cost of a turn with 1k, 10k, 100k conversations stored. One database per
    # level, measured in rounds (a sample of each level, then again): a burst of load from
    # elsewhere on a shared machine falls on every level alike instead of deciding the ratio.
    sample = SIZES["scale_sample_conversations"]
    scaled: dict[str, Any] = {}
    for level in SIZES["scale_levels"]:
        label = f"{level // 1000}k"
        sapp = make_app(sqlite_url(temp_dir(f"scale-{label}")), temp_dir(f"scale-{label}-data"))
        warm_up(sapp, inbounds, 1)
        seeder = Seeder(sapp, template_conversation=1)
        t0 = time.perf_counter()
        seeder.seed(level - seeder.stored(), SIZES["seed_batch"])
        results[f"engine.sqlite.seed_seconds_to_{label}"] = round(time.perf_counter() - t0, 1)
        scaled[label] = sapp
    first = 300_000
    for sapp in scaled.values():  # unmeasured screenings: each app's caches learn its database
        run_engine(sapp, inbounds, first, SIZES["scale_warm_up_conversations"])
        first += SIZES["scale_warm_up_conversations"]
    samples: dict[str, list[Any]] = {label: [] for label in scaled}
    for _ in range(SIZES["scale_samples"]):
        for label, sapp in scaled.items():
            samples[label].append(run_engine(sapp, inbounds, first, sample))
            first += sample
    for label, got in samples.items():
        timing = sorted(got, key=lambda t: t.cpu_us_per_turn)[len(got) // 2]  # the median
        results[f"engine.sqlite.turns_per_s_at_{label}"] = round(timing.turns_per_s, 1)
        results[f"engine.sqlite.cpu_us_per_turn_at_{label}"] = round(timing.cpu_us_per_turn, 1)
        results[f"engine.sqlite.p99_ms_at_{label}"] = round(percentile(timing.latencies, 99) * 1e3, 3)
        results[f"engine.sqlite.cpu_us_per_turn_samples_at_{label}"] = [
            round(t.cpu_us_per_turn, 1) for t in got]
        scaled[label].db.dispose()
    results["engine.sqlite.scale_sample_turns"] = sample * STEPS  # per sample
    levels = [f"{level // 1000}k" for level in SIZES["scale_levels"]]
    lo = results[f"engine.sqlite.cpu_us_per_turn_at_{levels[0]}"]
    hi = results[f"engine.sqlite.cpu_us_per_turn_at_{levels[-1]}"]
    results["ratio.engine_cost_100k_vs_1k"] = round(hi / lo, 3) if lo else 0.0

    for key, note in (
        ("engine.sqlite.turns_per_s",
         f"SQLite WAL, {n} conversations x {STEPS} turns interleaved, median of {len(runs)} runs "
         "(target >= 2,000)"),
        ("engine.sqlite.cpu_us_per_turn", "CPU of this process per turn"),
        ("engine.sqlite.p50_ms", "per-turn latency, median"),
        ("engine.sqlite.p99_ms", "per-turn latency, 99th percentile"),
        ("engine.sqlite.completed", "screenings that ended in a queued case (should equal N)"),
        ("engine.postgres.turns_per_s", f"PostgreSQL, {SIZES['postgres_conversations']} conversations x {STEPS}"),
        ("engine.postgres.cpu_us_per_turn", "CPU of this process per turn (server CPU not counted)"),
        ("engine.postgres.p50_ms", ""),
        ("engine.postgres.p99_ms", ""),
        ("engine.postgres.completed", ""),
        ("sender.sqlite.cpu_us_per_row",
         "the sender's database work per delivered row: claim, lease, mark sent (passes of 5)"),
        ("sender.sqlite.rows_per_s", "rows the turns above queued, claimed and settled per second"),
        ("sender.postgres.cpu_us_per_row", "the same on PostgreSQL (server CPU not counted)"),
        ("sender.postgres.rows_per_s", ""),
        ("engine.sqlite.turns_per_s_at_1k",
         f"median of {SIZES['scale_samples']} samples of {sample} new conversations x {STEPS}, "
         "1k stored"),
        ("engine.sqlite.turns_per_s_at_10k", "... with 10k stored"),
        ("engine.sqlite.turns_per_s_at_100k", "... with 100k stored"),
        ("engine.sqlite.cpu_us_per_turn_at_1k", ""),
        ("engine.sqlite.cpu_us_per_turn_at_10k", ""),
        ("engine.sqlite.cpu_us_per_turn_at_100k", ""),
        ("ratio.engine_cost_100k_vs_1k", "CPU per turn at 100k / at 1k (target <= 1.2)"),
        ("engine.sqlite.seed_seconds_to_100k", "time to seed a database with 100k conversations"),
        ("engine.rss_warm_up_mb", f"RSS growth over a first {m} new conversations (caches filling)"),
        ("engine.rss_mb_per_10k", f"RSS growth over the next {m} x {each} turns, per 10k (target < 5)"),
    ):
        if key in results:
            rows.append((key, results[key], note))
    print_table("engine: in-process turns through the real pipeline", rows)
    print("\nhot path, by self time:")
    for group, share in shares:
        print(f"  {share:5.1f}%  {group}")
    print("\n" + text_)
    results["engine.profile_self_time_pct"] = {g: round(s, 1) for g, s in shares}
    return results
