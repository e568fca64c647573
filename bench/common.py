"""What every benchmark part shares: the screening answers, app wiring, databases, statistics,
tables and result files."""

from __future__ import annotations

import atexit
import gc
import itertools
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet

RESULTS = Path(__file__).resolve().parent / "results"
PG_URL = os.environ.get(
    "INTAKE_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/intake_bench"
)
REDIS_URL = os.environ.get("INTAKE_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")

# The simple ARVoRe case (tests/bot/test_screening_pipeline.py): after a start message these 17
# answers complete the screening and hand the person to a caseworker: 18 turns in all.
ANSWERS = ("yes", "no", "yes", "Lisboa", "brasileiro", "no", "yes", "no", "1", "3", "2", "1",
           "no", "no", "no", "none", "1")
STEPS = 1 + len(ANSWERS)
TOKEN = "123456:BENCH-token"
SECRET = "bench-Secret_token"
# One key per benchmark process: nothing here outlives the run.
KEY = Fernet.generate_key().decode()


# -- statistics ------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


@dataclass
class Timing:
    """Turns fed one at a time: wall and CPU (this process) time, per-turn wall latencies."""

    turns: int
    wall: float
    cpu: float
    latencies: list[float]

    @property
    def turns_per_s(self) -> float:
        return self.turns / self.wall if self.wall else 0.0

    @property
    def cpu_us_per_turn(self) -> float:
        return self.cpu / self.turns * 1e6 if self.turns else 0.0

    def summary(self, prefix: str) -> dict[str, float]:
        return {
            f"{prefix}.turns": self.turns,
            f"{prefix}.turns_per_s": round(self.turns_per_s, 1),
            f"{prefix}.cpu_us_per_turn": round(self.cpu_us_per_turn, 1),
            f"{prefix}.p50_ms": round(percentile(self.latencies, 50) * 1e3, 3),
            f"{prefix}.p99_ms": round(percentile(self.latencies, 99) * 1e3, 3),
        }


def timed(items: Iterable[Any], handle: Callable[[Any], Any]) -> Timing:
    """Feed ``items`` to ``handle`` one by one, timing each call and the whole run."""
    latencies: list[float] = []
    perf = time.perf_counter
    gc.collect()  # start every measurement from the same collector state
    wall0, cpu0 = perf(), time.process_time()
    for item in items:
        t = perf()
        handle(item)
        latencies.append(perf() - t)
    wall, cpu = perf() - wall0, time.process_time() - cpu0
    return Timing(len(latencies), wall, cpu, latencies)


def rss_mb() -> float:
    """Resident set size of this process in MB (psutil when installed, else /proc)."""
    try:
        import psutil

        return float(psutil.Process().memory_info().rss) / 2**20
    except ImportError:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


# -- output ----------------------------------------------------------------------------------


def print_table(title: str, rows: Sequence[tuple[str, Any, str]]) -> None:
    """key | value | what it means, aligned."""
    print(f"\n== {title} ==")
    if not rows:
        print("(nothing measured)")
        return
    width = max(len(k) for k, _, _ in rows)
    for key, value, note in rows:
        if isinstance(value, float):  # ratios below 10 keep three decimals: 0.037 is not 0.0
            shown = f"{value:.3f}" if abs(value) < 10 else f"{value:,.1f}"
        else:
            shown = str(value)
        print(f"  {key:<{width}}  {shown:>12}  {note}")


def write_results(part: str, results: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{part}.json"
    path.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


# -- databases and the app -------------------------------------------------------------------


def ensure_pg_database() -> str | None:
    """Create the benchmark's own database if missing; None (with the reason printed) if
    PostgreSQL cannot be reached. Never touches any other database."""
    try:
        import psycopg
        from sqlalchemy.engine import make_url

        url = make_url(PG_URL)
        admin = url.set(drivername="postgresql", database="postgres").render_as_string(
            hide_password=False)
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                 (url.database,)).fetchone()
            if not found:
                conn.execute(f'CREATE DATABASE "{url.database}"')
        return PG_URL
    except Exception as exc:
        print(f"  PostgreSQL unavailable ({type(exc).__name__}: {exc}); skipping its figures")
        return None


def reset_postgres(url: str) -> None:
    """An empty schema in the benchmark database, migrated to head."""
    from sqlalchemy import create_engine, text

    from bot import migrate

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(engine)
    engine.dispose()


_TEMP: list[Path] = []


def temp_dir(prefix: str) -> Path:
    """A fresh directory, removed when the run ends (the 100k database alone is ~2 GB);
    INTAKE_BENCH_KEEP=1 keeps them for a look afterwards."""
    path = Path(tempfile.mkdtemp(prefix=f"intake-bench-{prefix}-"))
    _TEMP.append(path)
    return path


@atexit.register
def _remove_temp() -> None:
    if os.environ.get("INTAKE_BENCH_KEEP") == "1":
        return
    for path in _TEMP:
        shutil.rmtree(path, ignore_errors=True)


def bench_env(database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "INTAKE_DATA_DIR": str(data_dir),
        "INTAKE_ENCRYPTION_KEYS": KEY,
        "INTAKE_SECRET_KEY": "bench-secret-" + "k" * 40,
        **extra,
    }


def make_app(database_url: str, data_dir: Path, channel: str = "telegram", migrate_db: bool = True):
    """The real application (pipeline, dialogs, catalogs, handoff) with a RecordingChannel
    named like a real provider, so the pipeline takes that provider's code paths."""
    from bot import migrate
    from bot.app import build
    from bot.settings import load
    from channels.fake import RecordingChannel

    app = build(load(bench_env(database_url, data_dir), dotenv=None),
                channels={channel: RecordingChannel(channel)})
    if migrate_db:
        migrate.upgrade(app.db.engine)
    return app


def sqlite_url(directory: Path, name: str = "bench.db") -> str:
    return f"sqlite:///{directory / name}"


# -- inbound messages ------------------------------------------------------------------------


def telegram_update(update_id: int, chat_id: int, text: str, language: str = "en") -> dict[str, Any]:
    """A Bot API update with a private text message, as Telegram posts it."""
    message: dict[str, Any] = {
        "message_id": update_id,
        "date": 1764300000,
        "text": text,
        "chat": {"id": chat_id, "type": "private", "first_name": "Bench"},
        "from": {"id": chat_id, "is_bot": False, "first_name": "Bench",
                     "language_code": language},
    }
    if text.startswith("/"):  # Telegram marks commands; PTB's and aiogram's filters rely on it
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": update_id, "message": message}


_UPDATE_IDS = itertools.count(1_000_000)


class TelegramInbounds:
    """Inbound messages exactly as the Telegram channel parses them from webhook updates."""

    def __init__(self) -> None:
        from channels.telegram import TelegramChannel

        self.channel = TelegramChannel(TOKEN, webhook_secret=SECRET)

    def conversation_step(self, chat_id: int, step: int) -> Any:
        text = "/start" if step == 0 else ANSWERS[step - 1]
        # Update ids are the dedupe key: unique across every generator of this process.
        (inbound,) = self.channel.parse_update(telegram_update(next(_UPDATE_IDS), chat_id, text))
        return inbound

    def interleaved(self, first_chat: int, conversations: int, steps: int = STEPS) -> list[Any]:
        """Every conversation's step 0, then every step 1 ...: many conversations at once."""
        return [self.conversation_step(first_chat + c, s)
                for s in range(steps) for c in range(conversations)]


def reference_transcript(app: Any, chat_id: int = 9_999_999) -> list[list[tuple[str, int]]]:
    """One complete screening through ``app``: per step, each reply's (text, option count)."""
    inbounds = TelegramInbounds()
    steps = []
    for step in range(STEPS):
        turn = app.pipeline.handle(inbounds.conversation_step(chat_id, step))
        steps.append([(r.text, len(r.options)) for r in turn.replies])
    return steps
